"""Replay-salt retrieval: the per-host retriever process and the clients the flows use."""
