"""Care-group tags kept encrypted where no key opens them: never "nobody", always "cannot tell here".

`list person --tag 独居老人` listed 0 rows and exited 0, the registers showed empty 服务对象 tables, and
the morning list left out every care-group visit without a word: a clerk without the key (or CI)
read that nobody was in the group and nobody needed a visit.
"""

from __future__ import annotations

import json
from pathlib import Path

from test_encryption import run


def test_choosing_by_tag_without_a_key_says_it_cannot(encrypted: Path, cli, keys) -> None:  # type: ignore[no-untyped-def]
    opened = run(cli, encrypted, keys["wang"], "list", "person", "--tag", "独居老人", "--reveal", "--format", "json")
    assert opened.exit_code == 0 and len(json.loads(opened.output)) == 3, opened.output
    counted = run(cli, encrypted, keys["wang"], "list", "person", "--tag", "独居老人")
    assert counted.exit_code == 0 and "3 rows" in counted.output, counted.output
    for extra in ((), ("--reveal",)):
        shut = run(cli, encrypted, keys["none"], "list", "person", "--tag", "独居老人", *extra)
        assert shut.exit_code == 2, shut.output
        assert "no key here opens them" in shut.output and "0 rows" not in shut.output
    assert run(cli, encrypted, keys["none"], "list", "person").exit_code == 0


def test_registers_and_the_morning_list_say_what_they_cannot_count(encrypted: Path, cli, keys) -> None:  # type: ignore[no-untyped-def]
    opened = run(cli, encrypted, keys["wang"], "report", "registers")
    assert "：服务对象 ==" in opened.output and "== N 类人群" in opened.output, opened.output
    shut = run(cli, encrypted, keys["none"], "report", "registers")
    assert shut.exit_code == 0, shut.output
    assert "人员标签已加密" in shut.output and "：服务对象 ==" not in shut.output and "== N 类人群" not in shut.output
    assert "事件" in shut.output  # the events are the register's own and stay
    due = run(cli, encrypted, keys["none"], "due", "--format", "json")
    notes = json.loads(due.output)["notes"]
    assert any("care-group visits due cannot be told" in n for n in notes), notes
    due = run(cli, encrypted, keys["wang"], "due", "--format", "json")
    assert not any("care-group" in n for n in json.loads(due.output)["notes"])


def test_a_care_group_the_ledger_lacks_is_named_not_listed_as_nobody(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`list household --tag 独居` (the group is 独居老人) listed "0 rows" with exit 0: read as nobody."""
    typo = cli("-C", str(demo), "--lang", "zh", "list", "household", "--tag", "独居")
    assert typo.exit_code == 2 and "没有“独居”这个人员类别" in typo.output and "是不是: 独居老人" in typo.output
    right = cli("-C", str(demo), "--lang", "zh", "list", "household", "--tag", "独居老人")
    assert right.exit_code == 0 and "3 条" in right.output, right.output
