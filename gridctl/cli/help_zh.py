"""Chinese help texts, keyed by the English text in the command modules (as gettext keys by msgid)."""

HELP_ZH: dict[str, str] = {}
