"""API views of the school sync, one module per topic."""
