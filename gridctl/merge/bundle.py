"""`gridctl bundle`: the file a clone without a network sends, and what it must carry.

A grid worker's clone sends its own work as `review/<worker>`, for review in the office. The
office's clone sends the ledger as approved, as the main branch, with the returns (rejection
tags) every worker must see. With `review: required` the office's clone is set up as a worker
too (its own work goes through review), so which one a clone is cannot be read from its worker:
`gridctl setup --office` says so. And the approved ledger there is the shared main
(`origin/<main>`), not the office's own main, which may hold the office's work still waiting:
a bundle names refs as they are in the repository, so the file is written from a scratch
repository (sharing this one's objects) where the shared main is `refs/heads/<main>`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import run_git
from gridctl.merge.conflicts import rev_of
from gridctl.merge.sync import (
    BUNDLE_REMOTE,
    REJECTED_PREFIX,
    REVIEW_PREFIX,
    Rejection,
    branch,
    git_config,
    mended,
    put_back,
    rejections,
    review_required,
    shared_main,
    worker,
)

OFFICE_KEY = "gridctl.office"


@dataclass
class Bundled:
    file: Path
    ref: str
    """What the file carries as its branch: `review/<worker>`, or the main branch's name."""
    shared: bool = False
    """The main branch carried is the shared one (origin/<main>), not this clone's."""
    returned: list[Rejection] = field(default_factory=list)
    """The worker's work was returned and not changed since: carried as it was, the returns said again."""


def is_office(root: Path) -> bool:
    """This clone is the office's (`gridctl setup --office`): its bundles carry the approved main."""
    return git_config(root, OFFICE_KEY) == "true"


def set_office(root: Path, office: bool = True) -> None:
    """`setup --office`, or `--no-office`: a worker's clone set up as the office's by mistake sent
    the shared main in place of its own work, and had no way back."""
    run_git(root, "config", "--local", OFFICE_KEY, "true" if office else "false")


def bundle(root: Path, out: Path) -> Bundled:
    """A worker's file carries its work as review/<worker>; the office's (or a clone with no worker)
    carries the approved main branch. Both carry the returns of review (rejection tags)."""
    main = branch(root)
    who = worker(root)
    tags = run_git(root, "for-each-ref", "--format=%(refname) %(objectname)", f"refs/tags/{REJECTED_PREFIX}")
    refs = dict(line.split(" ", 1) for line in tags.decode().splitlines() if " " in line)
    if who and not is_office(root):  # a worker's work goes to review, never as the main branch
        sent = f"{REVIEW_PREFIX}{who}"
        last = rev_of(root, f"refs/heads/{sent}")
        done = Bundled(out, sent, returned=rejections(root, who, last))
        if not done.returned or mended(root, last, f"refs/remotes/{BUNDLE_REMOTE}/{main}"):
            done.returned = []
            run_git(root, "update-ref", f"refs/heads/{sent}", "HEAD")  # what was sent: sync shows its returns
        # else only main merged in since the return: the same work, carried as it was (it stays returned)
        tip = f"refs/heads/{sent}"
    else:
        shared = shared_main(root)
        done = Bundled(out, main, shared is not None)
        tip = shared or "HEAD"
    refs[f"refs/heads/{done.ref}"] = rev_of(root, tip) or ""
    _write(root, out, refs)
    return done


def _write(root: Path, out: Path, refs: dict[str, str]) -> None:
    """`refs` (name → object) in a bundle at `out`, written whole or not at all."""
    common = Path(run_git(root, "rev-parse", "--path-format=absolute", "--git-common-dir").decode().strip())
    scratch = Path(tempfile.mkdtemp(prefix="bundle-", dir=common))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        run_git(root, "init", "-q", "--bare", str(scratch))
        alternates = scratch / "objects" / "info" / "alternates"
        alternates.write_text((common / "objects").as_posix() + "\n", encoding="utf-8")
        lines = "".join(f"update {name} {sha}\n" for name, sha in refs.items())
        run_git(root, f"--git-dir={scratch}", "update-ref", "--stdin", input=lines.encode())
        run_git(root, f"--git-dir={scratch}", "bundle", "create", "-q", str(tmp.resolve()), *refs)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)


def reviewed_only(
    root: Path, who: str, upstream: str, fetched: tuple[str, ...], kept: dict[str, str], bundle: Path
) -> None:
    """With review required, the office takes a file's main branch only as far as it was approved.

    A file carrying a main branch with commits the approved main lacks came from a clone never set
    up as a worker (or from before `review: required`): merged, that work reached the office's main
    unreviewed (or went to review as the office's own). Nothing is taken; the refs are put back."""
    tip = rev_of(root, upstream)
    if tip is None or not review_required(root) or (who and not is_office(root)):
        return
    approved = rev_of(root, shared_main(root) or "HEAD")
    ends = [f"^{approved}"] if approved else []
    new = int(run_git(root, "rev-list", "--count", tip, *ends).decode().strip() or 0)
    if not new:
        return
    put_back(root, fetched, kept)
    raise GridctlError(
        Text(
            f"同步文件 {bundle} 的主分支有 {new} 个未经审核的提交；本台账要求审核 (review: required)，未合并",
            f"{bundle} carries a main branch with {new} commits nobody approved; this ledger requires review "
            "(review: required): nothing merged",
        ),
        hint=Text(
            "请交来文件的网格员先 gridctl setup --worker 人员编号 --no-office，"
            "再 gridctl bundle -o 文件 重新生成 (送审核)",
            "the worker who made it runs gridctl setup --worker STAFF-ID --no-office, then gridctl bundle -o FILE "
            "again (it then goes to review)",
        ),
    )
