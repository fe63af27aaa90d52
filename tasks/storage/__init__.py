"""MongoDB storage: connection, the embedded default server and the collections' indexes."""
