"""Which language to speak, and text that carries both of gridctl's languages.

A message is written once, in both languages, where it is raised (`Text(zh, en)`); the language
is chosen only when it reaches a person: `--lang`, else GRIDCTL_LANG or the locale. The choice is
made once per command (`speaking`) and read by whatever renders text for a person (`current`).
"""

from __future__ import annotations

import locale
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

LANGS = ("zh", "en")

_current: ContextVar[str | None] = ContextVar("gridctl_lang", default=None)


def detect_lang(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    for var in ("GRIDCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith(("zh", "chinese")) else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    return "zh" if name.lower().startswith(("zh", "chinese")) else "en"


def lang_in(args: Sequence[str]) -> str | None:
    """The `--lang` a command line gives, wherever it stands (before `--`), or None."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[7:] if arg.startswith("--lang=") else None
        if value in LANGS:
            return value
    return None


def current() -> str:
    """The language of this command: the one `speaking` set, else the locale's."""
    return _current.get() or detect_lang()


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak `lang` until the block ends (one command, or one test's invocation)."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


@dataclass(frozen=True)
class Text:
    """One message in both languages; rendered when a person reads it."""

    zh: str
    en: str

    def __call__(self, lang: str | None = None) -> str:
        return self.zh if (lang or current()) == "zh" else self.en

    def __str__(self) -> str:
        return self()

    def __add__(self, other: object) -> Text:
        if isinstance(other, Text):
            return Text(self.zh + other.zh, self.en + other.en)
        if isinstance(other, str):
            return Text(self.zh + other, self.en + other)
        return NotImplemented

    def __radd__(self, other: object) -> Text:
        if isinstance(other, str):
            return Text(other + self.zh, other + self.en)
        return NotImplemented


Said = Text | str
"""A message: both languages, or text that is the same in both (a path, git's own words)."""


def say(text: Said | None, lang: str | None = None) -> str:
    """`text` in `lang` (default: the command's language)."""
    if text is None:
        return ""
    return text(lang) if isinstance(text, Text) else str(text)


def join(parts: Sequence[Said], zh_sep: str = "、", en_sep: str = ", ") -> Text:
    """Parts joined the way each language lists things."""
    return Text(zh_sep.join(say(p, "zh") for p in parts), en_sep.join(say(p, "en") for p in parts))
