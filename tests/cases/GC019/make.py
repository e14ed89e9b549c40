"""Write .gridctl/printed.json as a plain `git merge` leaves it when two clerks each printed for one grid."""

from pathlib import Path

OURS, SPLIT, THEIRS = "<" * 7, "=" * 7, ">" * 7
"""git's conflict markers, made here: typed at a line's start, git diff --check takes them for a merge left unsettled."""
BOARD = """\
  "board:110105001001001": {"what": "board", "id": "110105001001001", "title": "永安里社区第一网格 网格公示牌",
   "commit": "7cd081e613011d0eeb2e4ff9c89380e4c6ccc539", "dirty": false, "date": "2026-03-02", "format": "pdf",
   "parts": {}}"""
CARDS = """\
  "cards:110105001001001": {"what": "cards", "id": "110105001001001", "title": "永安里社区第一网格 服务联系卡",
   "commit": "7cd081e613011d0eeb2e4ff9c89380e4c6ccc539", "dirty": false, "date": "2026-03-03", "format": "pdf",
   "parts": {}}"""
LINES = ["{", ' "version": 1,', ' "printed": {', f"{OURS} HEAD", BOARD, SPLIT, CARDS, f"{THEIRS} clerkB", " }", "}"]


def make(ledger_dir: Path) -> None:
    path = ledger_dir / ".gridctl/printed.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8", newline="\n")
