"""Input shapes of hukou's screens, one module per topic. No business rules here."""
