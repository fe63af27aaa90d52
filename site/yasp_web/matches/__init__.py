"""Matches pages of the yasp site."""
