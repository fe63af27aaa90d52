"""Retryable building blocks of the yasp pipeline and the clients they use."""
