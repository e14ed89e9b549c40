"""Encryption at rest of residents' personal fields (filled in below)."""

from __future__ import annotations

RECIPIENTS = ".gridctl/recipients"
"""The committed file of recipients: each one's age public key and the ledger's data key wrapped for it."""
