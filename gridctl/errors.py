"""The one exception family of gridctl.

Bad *data* is never an exception: it becomes a Problem. Exceptions are for tool failures
(no ledger here, unreadable settings, a usage mistake), and the CLI's single handler maps
them to exit codes. A message and its hint carry both languages (gridctl.i18n.Text) and are
rendered in the clerk's language when shown.
"""

from __future__ import annotations

from gridctl.i18n import Said, Text, say


class GridctlError(Exception):
    """A failure the user can act on; `exit_code` follows design.md (2 = usage/environment)."""

    exit_code = 2

    def __init__(self, message: Said, hint: Said | None = None) -> None:
        super().__init__(message)
        self.said = message
        self.hint_said = hint

    @property
    def message(self) -> str:
        """The message in the command's language."""
        return say(self.said)

    @property
    def hint(self) -> str | None:
        return say(self.hint_said) if self.hint_said is not None else None

    def __str__(self) -> str:
        return self.message


class LedgerNotFound(GridctlError):
    """No gridctl.yaml in the given folder or any folder above it."""


EMPTY_FOLDER = Text("请给一个新的或空的文件夹", "give a new or empty folder")


def settings_broken() -> GridctlError:
    """gridctl.yaml cannot be read, so nothing else can be (validate says why)."""
    return GridctlError(
        Text("gridctl.yaml 有误", "gridctl.yaml has errors"),
        hint=Text("先运行 gridctl validate 并改正", "run gridctl validate and fix it first"),
    )


def uncommitted(files: str) -> Text:
    return Text(f"以下文件有未提交的修改: {files}", f"these files have changes git has not recorded: {files}")


COMMIT_OR_UNDO = Text(
    "先提交 (git add 文件; git commit)，或撤销 (git checkout -- 文件)",
    "commit them first (git add FILE; git commit), or undo them (git checkout -- FILE)",
)
PDF_NEEDS_FILE = Text("PDF 需要用 -o 指定输出文件", "PDF needs -o FILE")
