"""The whole pipeline on one machine, on loopback, started and stopped by one command."""
