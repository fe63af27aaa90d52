"""Players: who is tracked, and how a Steam id maps to a Dota account id."""
