"""Manual backfills: a player's past matches, sequence ranges the live scan missed, profiles."""
