"""Client for Valve's Steam Web API (match sequence, match history, player summaries)."""
