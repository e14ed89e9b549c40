"""What to tell of an id whose file is there but was not read: the clerk was told there is no such
record, of a household whose file is right there (saved as GBK, as H000001.yaml.txt, or emptied),
or of a person in a household file committed with a YAML syntax error."""

from __future__ import annotations

import re

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model.chars import quoted_path
from gridctl.problem import Problem


def not_read(ledger: Ledger, record_id: str) -> GridctlError | None:
    """The error naming the file of `record_id` the ledger could not read, or None if there is none."""
    unread = unread_file(ledger, record_id)
    if unread is None:
        return _inside_unread(ledger, record_id)
    shown = quoted_path(unread)  # a name with a tab or an escape character, as git shows it
    if holds_no_record(ledger, unread):
        return GridctlError(
            Text(
                f"{record_id} 的文件 {shown} 里没有任何记录 (空的，或只有空白、注释、---)",
                f"{record_id}'s file {shown} holds no record (empty, or only blanks, comments or ---)",
            ),
            hint=restore_hint(ledger, unread),
        )
    from gridctl.ledger.unread import unread_of

    found = unread_of(ledger, unread)
    if found:  # what validate says of it, where it says it
        return GridctlError(
            Text(
                f"{record_id} 的文件 {shown} 读不出记录: {_said(found[0], 'zh')}",
                f"{record_id}'s file {shown} holds no record gridctl can read: {_said(found[0], 'en')}",
            ),
            hint=_fix_first(found[0]),
        )
    return GridctlError(
        Text(
            f"{record_id} 的文件 {shown} 读不出记录 (内容有错，或文件名结尾不对)",
            f"{record_id}'s file {shown} holds no record gridctl can read (bad content, or a wrong ending)",
        ),
        hint=Text("运行 gridctl validate，照提示改正这个文件", "run gridctl validate and mend the file as it says"),
    )


def _inside_unread(ledger: Ledger, record_id: str) -> GridctlError | None:
    """A record (a person) whose `id:` line stands in a file the ledger could not read, named with the
    file's first error: a household committed with a syntax error made its people "no record"."""
    from gridctl.ledger.unread import files_unread, unread_of

    if not record_id or getattr(ledger, "source", None) is None:
        return None
    own = re.compile(rf"(?:^|[\s{{,-])id:\s*([\"']?){re.escape(record_id)}\1\s*(?:[,}}#]|$)", re.MULTILINE)
    for rel in files_unread(ledger):
        try:
            text = ledger.read(rel).decode("utf-8-sig", "replace")
        except (GridctlError, OSError):
            continue
        found = unread_of(ledger, rel) if own.search(text) else []
        if found:
            return GridctlError(
                Text(
                    f"{record_id} 所在的文件读不出: {_said(found[0], 'zh')}",
                    f"{record_id} is in a file gridctl cannot read: {_said(found[0], 'en')}",
                ),
                hint=_fix_first(found[0]),
            )
    return None


def _said(problem: Problem, lang: str) -> str:
    """A problem as validate's first line has it: file:line:column: error[CODE] message."""
    where = f"{quoted_path(problem.file)}:{problem.line or 1}:{problem.column or 1}"
    return f"{where}: {problem.severity}[{problem.code}] {problem.message(lang)}"


def _fix_first(problem: Problem) -> Text:
    """Validate's hint for the problem, and that the file is to be fixed before the command can run."""
    zh, en = problem.hint("zh"), problem.hint("en")
    return Text(
        f"{zh + '；' if zh else ''}先改正这个文件，再运行本命令 (gridctl validate 列出全部问题)",
        f"{en + '; ' if en else ''}fix this file first, then run the command again "
        "(gridctl validate lists every problem)",
    )


def unread_file(ledger: Ledger, record_id: str) -> str | None:
    """The file named after an id no record has, that the ledger did not read."""
    from gridctl.ledger.columns import UNREADABLE
    from gridctl.ledger.files import misnamed

    source = getattr(ledger, "source", None)
    if source is None or not record_id or "/" in record_id:
        return None
    names = {f"{record_id}.yaml", f"{record_id}.yml"}
    c = ledger.cols  # only a file that was not read: a readable H000002.yaml holding H000001 is no such file
    listed = [rel for rel, flags in zip(c.files, c.flags, strict=True) if flags & UNREADABLE]
    strays = getattr(source, "strays", None)
    listed += strays() if strays is not None else []
    return next(
        (
            rel
            for rel in listed
            if rel.rpartition("/")[2] in names
            or (misnamed(rel) and rel.rpartition("/")[2].lower().startswith(f"{record_id.lower()}."))
        ),
        None,
    )


def holds_no_record(ledger: Ledger, rel: str) -> bool:
    """The file was read and found empty (GC005): its record is to be restored, not mended."""
    slot = ledger.slot_of(rel)
    packed = ledger.cols.problems.get(slot) if slot is not None else None
    return packed is not None and "GC005" in packed[0].split()


def restore_hint(ledger: Ledger, rel: str) -> Text:
    """How to get back what the file held: from HEAD, or, once its emptying was committed, from the
    version before that commit (git checkout HEAD -- FILE would only bring the empty file back)."""
    from gridctl.ledger.files import pasteable
    from gridctl.ledger.gitrepo import run_git
    from gridctl.ledger.reader import parse

    shown = pasteable(rel)
    try:
        held = run_git(ledger.root, "cat-file", "blob", f"HEAD:{rel}").decode("utf-8-sig", "replace")
        docs, _problems = parse(rel, held)
        since = "HEAD"
        if not docs:  # committed so: the version before the commit that emptied it
            last = run_git(ledger.root, "log", "-1", "--format=%h", "HEAD", "--", rel).decode().strip()
            since = f"{last}~1"
            run_git(ledger.root, "cat-file", "-e", f"{since}:{rel}")
    except GridctlError:  # a file git never held (or never held with a record): nothing to restore
        return Text("这个文件不需要就删除它", "if the file is not wanted, delete it")
    return Text(
        f"记录若是被误删或误清空，用 git checkout {since} -- {shown} 恢复；这个文件不需要就删除它",
        f"if the record was deleted or emptied by mistake, restore it with git checkout {since} -- {shown}; "
        "if the file is not wanted, delete it",
    )
