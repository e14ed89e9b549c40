"""A write's commit message and author: `<verb> <kind> <id>: <summary>`, the reason, the trailer.

The clerk's reason (`-m`) is kept as typed but can never add a trailer: it is one paragraph (blank
lines inside it are dropped) and the message always ends with gridctl's own trailer paragraph, the
only one git (and `gridctl history`) reads trailers from.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text

TRAILER = "Gridctl-Command"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_CRUD = set(".,:;<>\"\\'")
"""What git trims from a name or email (with spaces and control characters): one made only of these names nobody."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str

    def __post_init__(self) -> None:
        """A name or email made only of spaces and punctuation git trims away would be committed empty."""
        for value in (self.name, self.email):
            if all(c <= " " or c in _CRUD for c in value):
                raise GridctlError(
                    Text(
                        f"修改人 {str(self)!r} 不能用: 姓名和邮箱都要有文字，不能只有空格或标点",
                        f"the author {str(self)!r} names nobody: a name and an email need more than spaces "
                        "and punctuation",
                    ),
                    hint=AUTHOR_HINT,
                )

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def clean_reason(reason: str | None) -> str:
    """The reason as one paragraph of plain lines: no control characters, no blank lines."""
    if not reason:
        return ""
    text = _CONTROL.sub(" ", reason.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip())


def one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text.replace("\n", " ")).split())


@dataclass
class Message:
    """`<verb> <kind> <id>: <summary>`, the clerk's reason as body, the command as trailer."""

    subject: str
    reason: str | None = None
    command: str | None = None
    trailers: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        from gridctl.model.masking import mask_text

        parts = [mask_text(one_line(self.subject))]  # a title quoted in it may hold a mobile: never in a commit
        reason = clean_reason(self.reason)
        if reason:
            parts.append(reason)
        lines = [f"{TRAILER}: {one_line(self.command or 'gridctl')}"]
        lines += [f"{key}: {one_line(value)}" for key, value in self.trailers]
        parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"


def split_message(message: str) -> tuple[str, str, dict[str, str]]:
    """(subject, reason, trailers) of a commit message gridctl wrote; trailers only from the last paragraph."""
    paragraphs = [p for p in re.split(r"\n\s*\n", message.strip()) if p.strip()]
    if not paragraphs:
        return "", "", {}
    subject = paragraphs[0].strip()
    trailers: dict[str, str] = {}
    rest = paragraphs[1:]
    if rest:
        last = rest[-1].splitlines()
        pairs = [re.match(r"^([A-Za-z0-9-]+): (.*)$", line) for line in last]
        if all(pairs) and any(m.group(1) == TRAILER for m in pairs if m):
            trailers = {m.group(1): m.group(2) for m in pairs if m}
            rest = rest[:-1]
    return subject, "\n".join(rest).strip(), trailers


RENUMBERED = "Gridctl-Renumbered"
"""The trailer of a commit that gave records new ids (an id collision in a merge): `H000002 H000003,
P0000002 P0000004`, old and new, so `history` of the new id reaches back past it."""


def renumbered_words(renamed: dict[str, str]) -> str:
    return ", ".join(f"{old} {new}" for old, new in renamed.items())


def renumbered_ids(message: str) -> dict[str, str]:
    """New id → old id, from a renumbering commit's trailer (empty for any other commit)."""
    value = split_message(message)[2].get(RENUMBERED, "")
    pairs = (part.split() for part in value.split(","))
    return {p[1]: p[0] for p in pairs if len(p) == 2}


_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*$")


def parse_author(text: str) -> Author:
    m = _AUTHOR.match(text)
    if not m or _CONTROL.search(text):
        raise GridctlError(
            Text(
                f"--author 应写成 '姓名 <邮箱>'，而不是 {text!r}",
                f"--author must look like 'Name <email>', got {text!r}",
            ),
            hint='--author "王芳 <wf@example.cn>"',
        )
    return Author(m.group("name"), m.group("email"))


def default_author(root: Path) -> Author:
    """--author's default: GIT_AUTHOR_NAME/EMAIL, else git config user.name/email."""
    from gridctl.ledger.gitrepo import GitFailed, run_git

    name = os.environ.get("GIT_AUTHOR_NAME")
    email = os.environ.get("GIT_AUTHOR_EMAIL")
    if not name or not email:
        try:  # both in one git process (on Windows each costs tens of milliseconds); the last value wins, as in git
            out = run_git(root, "config", "-z", "--get-regexp", r"^user\.(name|email)$").decode("utf-8", "replace")
        except GitFailed:
            out = ""  # neither is set
        found = dict(item.partition("\n")[::2] for item in out.split("\0") if item)
        name = name or found.get("user.name", "").strip()
        email = email or found.get("user.email", "").strip()
    if not name or not email:
        raise GridctlError(
            Text(
                "未设置修改人: 没有给出 --author，也没有配置 git 用户",
                "who is making this change? no --author given and no git user configured",
            ),
            hint=AUTHOR_HINT,
        )
    return Author(name, email)


AUTHOR_HINT = Text(
    '加上 --author "王芳 <wf@example.cn>"，或运行: git config user.name 王芳; git config user.email wf@example.cn',
    'pass --author "王芳 <wf@example.cn>" or run: git config user.name 王芳; git config user.email wf@example.cn',
)
