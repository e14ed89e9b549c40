"""Files gridctl writes outside the ledger: exports, rejected rows, printed pages, reports.

Each is written whole or not at all (temp file + rename), and a refusal is named for the clerk:
on Windows a file open in Excel or WPS cannot be replaced, and a read-only file is refused the
same way on every system (POSIX would let a rename replace it). Files holding residents' data are
made readable by their owner only.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text

PRIVATE = 0o600
"""Exports and rejected rows carry residents' data: the owner alone may read them."""

OPEN_ELSEWHERE = Text(
    "如果该文件正在 Excel、WPS 或其他程序中打开，请先关闭再重试；若为只读文件，请在属性中取消只读",
    "if it is open in Excel, WPS or another program, close it there and run the command again; "
    "if it is read-only, clear that (file properties)",
)


class OutputRefused(GridctlError):
    """The system would not let gridctl write an output file (exit 2; nothing else changed)."""


def write_output(path: Path, data: bytes, private: bool = False) -> None:
    """Write `path` whole, or raise OutputRefused naming the file and the likely cause."""
    from gridctl.ledger.transaction import atomic_write

    try:
        if _read_only(path):
            raise PermissionError(errno.EACCES, "the file is read-only", str(path))
        if _not_a_file(path):  # -o /dev/null, a pipe: written into, never replaced by a file of that name
            with open(path, "wb") as out:
                out.write(data)
            return
        atomic_write(path, data, PRIVATE if private else None)
    except PermissionError as exc:
        raise OutputRefused(
            Text(
                f"无法写入 {path}: 文件被占用或只读 ({exc.strerror or '没有权限'})",
                f"cannot write {path}: {exc.strerror or 'permission denied'}",
            ),
            hint=OPEN_ELSEWHERE,
        ) from None
    except OSError as exc:
        raise OutputRefused(
            Text(f"无法写入 {path}: {exc.strerror or exc}", f"cannot write {path}: {exc.strerror or exc}"),
            hint=Text("检查文件夹是否存在、可写、有空间", "check that the folder exists, can be written and has room"),
        ) from None


def _not_a_file(path: Path) -> bool:
    """A device or a pipe (/dev/null, NUL, a FIFO): replacing it, as a file is replaced whole, put a
    plain file where the system's /dev/null was, under root, for every program after."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _read_only(path: Path) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and not info.st_mode & stat.S_IWUSR
