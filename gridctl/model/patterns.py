"""The patterns ids and text must match, without pydantic: file names are checked by every command
(gridctl.ledger.safepath), most of which never build a record model."""

SAFE_CODE = r"^[A-Za-z0-9_-]{1,64}$"
"""Ids and codes become file and folder names: letters, digits, - and _ only (no `..`, no `/`)."""
NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
"""Free text: newlines and tabs, but no other control characters (no terminal escapes, no NUL, no
Unicode line separators, no bidirectional overrides that make text read other than it is)."""
SCIENTIFIC = r"^\d(\.\d+)?E\+?\d+$"
"""A long number as Excel shows it (1.10105E+17, 1.39123E+10), case aside: what a cell holds once saved
to CSV, its last digits gone."""
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]*$"
"""Short fields (names, addresses): one line, no control, bidirectional or invisible characters."""
