"""`gridctl filing` (备案) and `gridctl check-files`: a clerk files changes upward; a hook checks files."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import AUTHOR_ENV, STAFF, gridctl, id_number, write


def test_filing_lists_changed_responsible_people_and_key_sites(repo: Path) -> None:
    write(repo, "staff/S0003.yaml", STAFF.format(id="S0003", name="赵敏", gender="女", phone="13700137000"))
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).index.commit("新增工作人员")
    code, out, err = gridctl(
        "assign",
        "110105001001001",
        "--role",
        "网格员",
        "--staff",
        "S0003",
        "--duty",
        "每日巡查",
        cwd=repo,
        env=AUTHOR_ENV,
    )
    assert code == 0, out + err
    site = (
        'kind: place\nid: PL00001\ngrid: "110105001001001"\ntype: 重点部位\nname: 第一网格配电室\nresponsible: S0001\n'
    )
    write(repo, "places/110105001001001/PL00001.yaml", site)
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).index.commit("登记重点部位")

    code, out, err = gridctl("filing", "-o", str(repo.parent / "备案.html"), cwd=repo, env=AUTHOR_ENV)
    assert code == 0, err
    assert "since the first commit" in out and "grids 1" in out and "key sites 1" in out  # an English terminal
    html = (repo.parent / "备案.html").read_text(encoding="utf-8")
    assert "网格化管理备案变动表" in html
    assert "网格员: 赵敏 13700137000" in html and "第一网格配电室" in html
    assert "网格长: 王芳" not in html  # unchanged people are not on the sheet

    code, out, err = gridctl("filing", "--publish", "--date", "2026-11-28", cwd=repo, env=AUTHOR_ENV)
    assert code == 0, err
    assert "filing/2026-11-28" in out
    tag = git.Repo(repo).tags["filing/2026-11-28"]
    assert tag.commit == git.Repo(repo).head.commit and tag.tag is not None and "备案" in tag.tag.message
    code, _out, err = gridctl("--lang", "zh", "filing", "--publish", "--date", "2026-11-28", cwd=repo, env=AUTHOR_ENV)
    assert code != 0 and "filing/2026-11-28" in err and "已存在" in err

    code, out, err = gridctl("edit", "S0003", "--set", "phone=13700137001", cwd=repo, env=AUTHOR_ENV)
    assert code == 0, out + err
    code, out, _ = gridctl("filing", cwd=repo, env=AUTHOR_ENV)
    assert "自 filing/2026-11-28" in out
    assert "电话: 13700137000" in out and "电话: 13700137001" in out
    assert "第一网格配电室" not in out


def test_filing_since_a_revision(repo: Path) -> None:
    code, out, _ = gridctl("filing", "--since", "HEAD", cwd=repo)
    assert code == 0 and "无变动" in out


def test_check_files_checks_only_the_named_files(repo: Path) -> None:
    household = repo / "households/110105001001001/H000001.yaml"
    good = id_number()
    household.write_text(household.read_text(encoding="utf-8").replace(good, good[:-1] + "0"), encoding="utf-8")
    (repo / "grids/110105001001001.yaml").unlink()  # a whole-ledger problem check-files does not see
    code, out, _ = gridctl("check-files", "households/110105001001001/H000001.yaml", cwd=repo, env={"LANG": "C"})
    assert code == 1
    assert out.startswith("households/110105001001001/H000001.yaml:10:16: error[GC103]"), out
    assert "GC202" not in out and "(1 files, 2 records checked)" in out
    (repo / "README.txt").write_text("台账说明\n", encoding="utf-8")  # a file that is no record: not read
    code, out, _ = gridctl("check-files", "staff/S0001.yaml", "gridctl.yaml", "README.txt", cwd=repo)
    assert code == 0, out
