"""Reads on the registry, one module per topic."""
