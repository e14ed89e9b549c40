"""The leak guard: what must never be committed to a ledger repository (the `leak-guard` pre-commit hook).

Every clone, and every old commit, keeps what was once committed. So the guard refuses, before the
commit exists:
- a spreadsheet (xlsx, xls, csv, et, ods) outside the one folder gridctl.yaml allows (a blank form);
  an export made with --reveal is exactly such a file;
- a valid resident ID number or a private mobile in plain text in any staged text file or in the
  commit message. On an encrypted ledger (`.gridctl/recipients`) that holds for the record files
  too: their personal fields hold ciphertext. On a plain-text ledger the ID number and phones of
  a person may stand in their own fields (that is where the ledger keeps them), nowhere else.
Encrypted values and masks (`110105************`, `139****5678`) pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gridctl.model.chars import quoted_path
from gridctl.model.masking import ids_in, mask_phone, mobiles_in, valid_id_number

SPREADSHEETS = (
    ".xlsx",
    ".xlsm",
    ".xlsb",
    ".xls",
    ".xltx",
    ".xltm",
    ".xlt",
    ".csv",
    ".tsv",
    ".et",
    ".ett",
    ".ods",
    ".ots",
)
"""Every kind Excel, WPS and LibreOffice save a sheet as: a binary one (.xlsb, .xltx) is otherwise
read as a photo, and nothing in it is looked at."""
ARCHIVES = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz")
"""Compressed files: a register zipped up cannot be looked into, so none is committed, in any folder."""
FIELD_LINE = re.compile(r"^\s*-\s+['\"]?[0-9+ -]+['\"]?\s*$")
"""A line of a record file that is one of a person's phones, in block style (`phones:` above it)."""
FIELD_VALUE = re.compile(r"""\b(?:id_number|phones)['"]?\s*:\s*(?:"[^"]*"|'[^']*'|\[[^\]]*\]|[^,}\]]*)""")
"""A person's ID number or phones in their own field, block or flow style: blanked before the line is
read, so what else a one-line (flow-style) member holds, a note, is still read."""
HASH_LINE = re.compile(r"\bid_hash['\"]?\s*:")
"""An encrypted ID number's keyed hash: 32 hex characters, one in a hundred of which holds 11 digits in a row."""
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Leak:
    file: str
    line: int
    column: int
    what: str
    """`spreadsheet`, `archive`, `locked` (a PDF that opens only with a password), `id_number` or `mobile`."""
    shown: str
    """The value, masked."""

    def text(self, lang: str) -> str:
        zh = lang == "zh"
        file = quoted_path(self.file)  # one line, as git and validate show a name with a control character
        if self.what == "spreadsheet":
            return (
                f"{file}: 表格文件不能提交到台账仓库 (可能含有居民个人信息)"
                if zh
                else f"{file}: a spreadsheet must not be committed to the ledger (it may hold residents' data)"
            )
        if self.what == "archive":
            return (
                f"{file}: 压缩文件不能提交到台账仓库 (无法检查其中是否有居民个人信息)"
                if zh
                else f"{file}: a compressed file must not be committed to the ledger (what it holds cannot be "
                "checked for residents' data)"
            )
        if self.what == "locked":
            return (
                f"{file}: 要密码才能打开的 PDF 不能提交到台账仓库 (无法检查其中是否有个人信息)；去掉打开密码后再提交"
                if zh
                else f"{file}: a PDF that opens only with a password must not be committed to the ledger (what "
                "it holds cannot be checked for personal data); remove the password first"
            )
        what = ("身份证号码" if self.what == "id_number" else "手机号码") if zh else self.what.replace("_", " ")
        return (
            f"{file}:{self.line}:{self.column}: 明文{what} {self.shown}"
            if zh
            else f"{file}:{self.line}:{self.column}: {what} in plain text: {self.shown}"
        )


@dataclass
class Guard:
    root: Path
    encrypted: bool
    allowed_folder: str
    public: set[str]

    def check(self, rel: str, data: bytes, message: bool = False) -> list[Leak]:
        if not message and rel.lower().endswith(ARCHIVES):
            return [Leak(rel, 1, 1, "archive", "")]
        if not message and rel.lower().endswith(SPREADSHEETS):
            inside = rel.replace("\\", "/").startswith(self.allowed_folder.strip("/") + "/")
            if not inside:
                return [Leak(rel, 1, 1, "spreadsheet", "")]
            return self._cells(rel, data)
        if not message and rel.lower().endswith(".pdf"):
            text = _pdf_text(data)
            if text is LOCKED:
                return [Leak(rel, 1, 1, "locked", "")]
            if text is not None:
                return self._text(rel, text, False)
        if len(data) > MAX_BYTES or b"\0" in data[:8192]:
            return []  # binary (a photo): nothing to read as text
        text = data.decode("utf-8", errors="replace")
        if message:
            text = "\n".join("" if ln.startswith("#") else ln for ln in text.split("\n"))
        record = not message and rel.endswith((".yaml", ".yml")) and not self.encrypted
        return self._text(rel, text, record)

    def _text(self, rel: str, text: str, record: bool) -> list[Leak]:
        out: list[Leak] = []
        for number, line in enumerate(text.splitlines(), 1):
            if not any(ch.isdigit() for ch in line):
                continue
            if record:  # a plain-text ledger keeps them in their own fields
                if FIELD_LINE.search(line):
                    continue
                line = FIELD_VALUE.sub(lambda m: " " * len(m.group()), line)
            if HASH_LINE.search(line):
                continue  # a hash reads like a number now and then, and says nothing
            for at, found in ids_in(line):  # in groups or full-width too, as the masks read them
                if valid_id_number(found):
                    out.append(Leak(rel, number, at + 1, "id_number", found[:6] + "*" * 12))
            for at, digits in mobiles_in(line):
                if digits not in self.public:
                    out.append(Leak(rel, number, at + 1, "mobile", mask_phone(digits)))
        return out

    def _cells(self, rel: str, data: bytes) -> list[Leak]:
        """A blank form in the allowed folder: its cells must still hold no ID number or mobile."""
        if rel.lower().endswith((".csv", ".tsv")):
            return self._text(rel, data.decode("utf-8-sig", errors="replace"), False)
        try:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(data))
            sheets = [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
            lines = [" ".join(str(v) for v in row) for rows in sheets for row in rows]
        except Exception:
            return [Leak(rel, 1, 1, "spreadsheet", "")]
        return self._text(rel, "\n".join(lines), False)


def guard_for(root: Path) -> Guard:
    """The guard for the ledger at root: encrypted or not, its allowed folder, its public phones."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.vault import RECIPIENTS

    folder = "templates"
    public: set[str] = set()
    try:
        from gridctl.ledger.index import load
        from gridctl.ops.privacy import public_digits

        ledger, _problems = load(root, WorkTree(root))
        if ledger is not None:
            folder = ledger.settings.privacy.spreadsheet_folder
            public = public_digits(ledger)
    except Exception:
        pass
    return Guard(root, (root / RECIPIENTS).is_file(), folder, public)


def is_message_file(root: Path, path: Path) -> bool:
    """The commit message pre-commit passes at the commit-msg stage (.git/COMMIT_EDITMSG and the like)."""
    from gridctl.ledger.cache import git_dir_of

    git_dir = git_dir_of(root)
    try:
        return git_dir is not None and path.resolve().is_relative_to(git_dir.resolve())
    except OSError:
        return False


LOCKED = "\0locked"
"""What `_pdf_text` gives for a PDF that opens only with a password: like an archive, nothing in it can be
looked at, and whoever learns the password (often 123456) reads the roster inside."""


def _pdf_text(data: bytes) -> str | None:
    """A PDF's text as a reader sees it, None when pypdf cannot read it (then its bytes are read), or
    LOCKED when it opens only with a password (a PDF that only forbids copying opens without one).

    Every PDF writer (WPS, Word, a scanner's OCR) compresses its text and writes it in its fonts'
    codes: the ID number on a page is nowhere in the file's bytes, so reading them found nothing."""
    import io
    import logging

    try:
        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file's warnings are not the clerk's
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return LOCKED
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # damaged or encrypted: not readable as text
        return None
