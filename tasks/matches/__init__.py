"""Matches as yasp stores them: the match document and its per-player rows."""
