"""How yasp runs: the one-machine stack here, production units and files beside it."""
