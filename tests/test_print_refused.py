"""A public page (notice board, contact cards, responsibility chart) is posted on a wall or handed out:
printed from records with errors it showed a landline typed by hand without quotes as 1065071234, with
exit 0. It is now refused, the errors named where they are, nothing written; records that are not on
the page do not stop it."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
from test_zeros import hand_edit

STAFF = "staff/S0002.yaml"
"""李强, 网格员 of 第一网格 in the small ledger."""


@pytest.mark.parametrize("page", ["board", "cards", "chart"])
def test_a_page_whose_records_have_errors_is_refused_with_the_errors_named(
    cli, repo: Path, tmp_path: Path, page: str
) -> None:
    hand_edit(repo, STAFF, 'phone: "13900139000"', "phone: 01065071234")
    head = git.Repo(repo).head.commit.hexsha
    out = tmp_path / f"{page}.html"
    target = () if page == "chart" else ("110105001001001",)
    result = cli("-C", str(repo), "--lang", "zh", "print", page, *target, "-o", str(out))
    assert result.exit_code == 1, result.output
    said = result.stderr
    assert f"{STAFF}:5:8: error[GC117] 字段 phone 的 0106****1234 没有加引号，被读成了数字，开头的 0 会丢掉" in said
    assert '= 提示: 加引号: phone: "0106****1234"' in said  # as validate says it
    assert "未打印: 上面的记录有错误" in said and "改正后再打印" in said
    assert result.stdout == "" and not out.exists()
    assert git.Repo(repo).head.commit.hexsha == head  # nothing noted in the record of prints
    assert not git.Repo(repo).is_dirty(untracked_files=True)
    to_stdout = cli("-C", str(repo), "--lang", "en", "print", page, *target)
    assert to_stdout.exit_code == 1 and "1065071234" not in to_stdout.stdout
    assert "nothing printed: the records above have errors" in to_stdout.stderr
    # fixed, the page prints with the number as typed
    assert cli("-C", str(repo), "edit", "S0002", "--set", "phone=01065071234").exit_code == 0
    done = cli("-C", str(repo), "print", page, *target, "--no-record")
    assert done.exit_code == 0, done.output
    assert "01065071234" in done.stdout


def test_errors_in_records_the_page_does_not_print_stop_nothing(cli, repo: Path) -> None:
    """A resident's household (never on a public page) with an error: the board prints."""
    hand_edit(repo, "households/110105001001001/H000001.yaml", 'room: "501"', "room: 0501")
    assert cli("-C", str(repo), "validate").exit_code == 1
    done = cli("-C", str(repo), "print", "board", "110105001001001", "--no-record")
    assert done.exit_code == 0, done.output
    assert "13900139000" in done.stdout


GRID_FILE = "grids/110105001001001.yaml"
LEDGER_WIDE = {
    # the 网格员 names a staff member who is not in the ledger: left off the wall
    "GC202": (GRID_FILE, "staff: S0002", "staff: S0009"),
    # the 网格员 retired by hand, still responsible: posted or left off, the page is wrong either way
    "GC233": (
        STAFF,
        "employment: 专职\n",
        "employment: 专职\nretired: {date: 2026-03-01, reason: 调离}\nactive: false\n",
    ),
    # a former 网格员's until typed before their since
    "GC234": (
        GRID_FILE,
        "    duties: [每天巡查网格一次, 采集更新基础信息]\n",
        "    duties: [每天巡查网格一次, 采集更新基础信息]\n"
        "former:\n  - {role: 网格员, staff: S0001, since: 2026-02-01, until: 2026-01-01}\n",
    ),
}


@pytest.mark.parametrize("code", sorted(LEDGER_WIDE))
@pytest.mark.parametrize("page", ["board", "cards", "chart"])
def test_a_page_whose_grid_has_a_ledger_wide_error_is_refused(
    cli, repo: Path, tmp_path: Path, page: str, code: str
) -> None:
    """Not the records' own checks only: an error validate finds across records (a missing or retired
    staff member responsible, a tenure that ends before it began) in the grids printed stops the page too."""
    rel, old, new = LEDGER_WIDE[code]
    hand_edit(repo, rel, old, new)
    checked = cli("-C", str(repo), "--lang", "en", "validate")
    assert checked.exit_code == 1 and f"error[{code}]" in checked.stdout, checked.output
    head = git.Repo(repo).head.commit.hexsha
    out = tmp_path / f"{page}.html"
    target = () if page == "chart" else ("110105001001001",)
    result = cli("-C", str(repo), "--lang", "zh", "print", page, *target, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert f"{GRID_FILE}:" in result.stderr and f"error[{code}]" in result.stderr, result.stderr
    assert "未打印: 上面的记录有错误" in result.stderr
    assert result.stdout == "" and not out.exists()
    assert git.Repo(repo).head.commit.hexsha == head
    assert not git.Repo(repo).is_dirty(untracked_files=True)
