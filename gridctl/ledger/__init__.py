"""Reading and writing the ledger: settings, file walking, YAML with positions, the index."""
