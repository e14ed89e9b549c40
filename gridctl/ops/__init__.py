"""What a clerk does to the ledger: add, edit, move, retire, assign — each one validated commit."""
