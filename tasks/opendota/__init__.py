"""Import of OpenDota-format match JSON (parser output, /matches documents, Web API bodies)."""
