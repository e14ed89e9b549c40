"""The one exception family of gridctl.

Bad *data* is never an exception: it becomes a Problem. Exceptions are for tool failures
(no ledger here, unreadable settings, a usage mistake), and the CLI's single handler maps
them to exit codes.
"""

from __future__ import annotations


class GridctlError(Exception):
    """A failure the user can act on; `exit_code` follows design.md (2 = usage/environment)."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class LedgerNotFound(GridctlError):
    """No gridctl.yaml in the given folder or any folder above it."""
