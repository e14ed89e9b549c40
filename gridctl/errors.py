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


def household_retired(hid: str, gone: object) -> tuple[Text, Text]:
    """What to say where someone would join household `hid`, retired (注销) as `gone` says (its date and
    reason): they would be counted by no status or report. The message and its hint."""
    from gridctl.model.masking import mask_text

    day, why = getattr(gone, "date", ""), mask_text(str(getattr(gone, "reason", "")))
    return (
        Text(
            f"户 {hid} 已于 {day} 注销 ({why})，不能再加入人员",
            f"household {hid} was retired on {day} ({why}): no one can join it",
        ),
        Text(
            f"如这户已迁回，先撤销注销: gridctl edit {hid} --unset retired",
            f"if the household moved back, undo the retirement first: gridctl edit {hid} --unset retired",
        ),
    )
