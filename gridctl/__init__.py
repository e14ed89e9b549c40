"""gridctl: a grid-management ledger (网格化管理台账) kept as YAML files in git."""

__version__ = "0.1.0"
