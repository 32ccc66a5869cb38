"""Writes of the materials pre-review, one module per topic."""
