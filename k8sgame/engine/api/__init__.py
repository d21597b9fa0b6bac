"""Kinds served by the simulated API server: schemas, defaults, validation."""
