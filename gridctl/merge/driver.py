"""The git merge driver: `python -m gridctl.merge.driver %O %A %B %P`, registered by `gridctl setup`.

git runs it for every ledger file both sides changed (in `git merge`, `git pull` and gridctl's
own sync alike). It writes the merged file over %A and exits 0, or 1 when conflicts are left
(git then lists the file as unmerged and stops before the merge commit). A file that is not
YAML gridctl can read is left to git's own line merge. It imports no CLI, so each file costs
little more than Python's start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gridctl.history.prints import MANIFEST

IN_MEMORY = "GRIDCTL_MERGE_IN_MEMORY"
"""Set for `git merge-tree` (review's look at a branch): a conflict is only reported, never recorded
for `gridctl resolve`. Recorded, it replaced the conflicts of the office's own merge under way in that
file, and its next sync explained them with a value and a name from the branch looked at."""


def run(base: str, mine: str, theirs: str, path: str, root: Path) -> int:
    from gridctl.ledger.crash import crash_point
    from gridctl.merge.conflicts import explain, opener, record
    from gridctl.merge.sealed import settle_tokens
    from gridctl.merge.threeway import merge_text

    crash_point("driver")
    files = [Path(base), Path(mine), Path(theirs)]
    read = [f.read_bytes() for f in files]
    if path == MANIFEST:  # the record of prints: every print of both sides (gridctl.merge.printed)
        from gridctl.merge.printed import descends_in, merged

        prints = merged(*read, descends_in(root))
        if prints is None:
            return _line_merge(root, base, mine, theirs)
        Path(mine).write_bytes(prints)
        return 0
    settled = settle_tokens(root, path, read)  # an encrypted ledger: one token per value held (gridctl.merge.sealed)
    for f, before, after in zip(files, read, settled, strict=True):
        if after != before:
            f.write_bytes(after)  # git's own temp files (and mine): tokens only, never an opened value
    result = merge_text(path, *settled)
    if result.data is None:
        return _line_merge(root, base, mine, theirs)
    Path(mine).write_bytes(result.data)
    if not result.conflicts:
        return 0
    if os.environ.get(IN_MEMORY):
        return 1
    vault = opener(root)
    for entry in record(root, result.conflicts):
        sys.stderr.write(explain(entry, "zh", vault=vault))
    return 1


def _line_merge(root: Path, base: str, mine: str, theirs: str) -> int:
    """git's own merge of lines: what a file gridctl cannot read gets (markers where both sides differ)."""
    from gridctl.ledger.tools import git_exe

    labels = ["-L", "mine", "-L", "base", "-L", "theirs"]
    proc = subprocess.run([git_exe(), "merge-file", *labels, mine, base, theirs], cwd=root, check=False)
    return 0 if proc.returncode == 0 else 1


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        sys.stderr.write("usage: python -m gridctl.merge.driver BASE MINE THEIRS PATH\n")
        return 2
    try:
        return run(*argv, root=Path.cwd())
    except Exception as exc:  # never leave git with a half-merged file: fall back to a conflict
        sys.stderr.write(f"gridctl merge driver: {argv[3]}: {type(exc).__name__}: {exc} / 合并出错，按冲突处理\n")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
