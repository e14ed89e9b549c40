"""The audit trail tells who let a change into the ledger, and what a merge settled on a record that changed file.

`review --approve` merges a worker's branch with a `Reviewed-by:` trailer, yet `log` and `history`
never named the approver. And a merge that kept one side's household file whole, where the other side
had moved a person out of it, dropped an edit of that person without a word in the log.
"""

from __future__ import annotations

import json
from pathlib import Path

from teamwork import run, team

from conftest import household, id_number

TWO = {"households/110105001001001/H000002.yaml": household("H000002", "P0000002", id_number(seq="456"))}


def _moved_and_edited(tmp: Path, mover_first: bool) -> tuple[dict[str, Path], Path]:
    """李强 moves 张伟 (P0000001) to H000002 while 赵敏 edits his phone; the second to sync settles it."""
    t = team(tmp, households=TWO)
    office = t["office"]
    first, second = ("w2", "w3") if mover_first else ("w3", "w2")
    steps = {
        "w2": ("move", "P0000001", "--to-household", "H000002"),
        "w3": ("edit", "P0000001", "--set", "phones=13611112222"),
    }
    assert run(t[first], *steps[first])[0] == 0 and run(t[first], "sync")[0] == 0
    assert run(office, "sync")[0] == 0 and run(office, "review", f"S000{first[1]}", "--approve")[0] == 0
    assert run(t[second], *steps[second])[0] == 0
    code, out = run(t[second], "sync")
    assert code == 1 and "P0000001" in out, out
    take = "theirs" if mover_first else "mine"  # the move wins: the other choice is GC201 (two households)
    code, out = run(t[second], "resolve", "P0000001", "-", "--take", take)
    assert code == 0, out
    return t, t[second]


def test_a_merge_that_kept_the_movers_file_tells_the_phone_edit_it_dropped(tmp_path: Path) -> None:
    """The merge took the mover's households whole: 张伟's new phone was lost, and the log showed 赵敏
    changing his phone and nothing after it, as if the ledger held 136…."""
    for mover_first in (True, False):
        _t, clone = _moved_and_edited(tmp_path / str(mover_first), mover_first)
        house = yaml_phone(clone)
        assert house == ["13912345678"]  # the edit is gone: the merge decided that
        code, out = run(clone, "log")
        first = out.splitlines()[0]
        assert code == 0 and first.endswith("合并时定下人员 P0000001: 联系电话"), out
        code, out = run(clone, "--lang", "en", "log", "--format", "json")
        merge = json.loads(out)["commits"][0]
        assert merge["merge"] and [(c["id"], c["what"]) for c in merge["changes"]] == [("P0000001", "settled")]
        assert "139" not in out and "136" not in out  # no phone number in the log


def yaml_phone(clone: Path) -> list[str]:
    import yaml_rs

    data = yaml_rs.loads((clone / "households/110105001001001/H000002.yaml").read_text(encoding="utf-8"))
    return next(m["phones"] for m in data["members"] if m["id"] == "P0000001")
