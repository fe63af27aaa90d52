"""The sequence scan: read Valve's stream of finished matches and keep the tracked ones."""
