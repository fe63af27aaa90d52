"""Prefect flows of the yasp pipeline."""
