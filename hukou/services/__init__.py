"""Writes on the registry, one module per topic. Every service owns its transaction."""
