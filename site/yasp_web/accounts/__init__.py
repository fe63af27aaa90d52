"""Accounts pages of the yasp site."""
