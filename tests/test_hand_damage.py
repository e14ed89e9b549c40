"""Records a clerk's hands damage outside gridctl (Notepad, Excel's save, the file explorer): they
never vanish with validate clean, and every command says where the damage is and how to undo it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_ENV, gridctl, household, id_number, write

FOLDER = "households/110105001001001"
EMPTIED = {
    "empty": b"",
    "blanks": b"  \n\n",
    "a comment": "# 待补\n".encode(),
    "a document marker": b"---\n",
    "markers and a comment": b"---\n---\n# x\n",
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True, env=None).stdout


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def two_households(repo: Path) -> Path:
    """The small ledger with a second household, H000002, committed."""
    write(repo, f"{FOLDER}/H000002.yaml", household("H000002", "P0000002", id_number(seq="231")))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=王芳", "-c", "user.email=wangfang@example.cn", "commit", "-qm", "第二户")
    return repo


@pytest.mark.parametrize("content", EMPTIED.values(), ids=EMPTIED.keys())
def test_a_household_file_emptied_by_hand_is_an_error_and_no_household(cli, repo: Path, content: bytes) -> None:
    """An emptied file, or one left with blanks, a comment or `---`, was a warning (exit 0) or
    nothing at all (`---`): the household and its people were gone from list and status."""
    root = two_households(repo)
    rel = f"{FOLDER}/H000002.yaml"
    (root / rel).write_bytes(content)
    result = cli("-C", str(root), "--lang", "zh", "validate", env=AUTHOR_ENV)
    assert result.exit_code == 1, result.output
    assert f"{rel}:1:1: error[GC005] 文件里没有任何记录" in result.output, result.output
    assert f"git checkout HEAD -- {rel} 恢复" in result.output
    listed = cli("-C", str(root), "list", "household", "-f", "json", env=AUTHOR_ENV)
    assert "H000002" not in listed.output and "H000001" in listed.output
    status = cli("-C", str(root), "--lang", "en", "status", env=AUTHOR_ENV)
    assert "households: 1 " in status.output and "1 error" in status.output, status.output
    shown = cli("-C", str(root), "--lang", "zh", "show", "H000002", env=AUTHOR_ENV)
    assert shown.exit_code == 2
    assert f"H000002 的文件 {rel} 里没有任何记录" in shown.output, shown.output
    assert f"git checkout HEAD -- {rel}" in shown.output
    git(root, "checkout", "HEAD", "--", rel)  # the hint, followed
    assert cli("-C", str(root), "validate", env=AUTHOR_ENV).exit_code == 0


def test_two_emptied_files_are_each_told_to_restore_themselves(cli, repo: Path) -> None:
    """Two households emptied alike (one content, kept once in the cache) were both told to
    git checkout HEAD -- the first one's file: followed, the second stayed empty."""
    root = two_households(repo)
    first, second = f"{FOLDER}/H000001.yaml", f"{FOLDER}/H000002.yaml"
    (root / first).write_bytes(b"")
    (root / second).write_bytes(b"")
    for run in ("cold", "warm"):
        result = cli("-C", str(root), "validate", "--format", "json", env=AUTHOR_ENV)
        found = {p["file"]: p for p in json.loads(result.output)["problems"] if p["code"] == "GC005"}
        assert set(found) == {first, second}, run
        for rel, problem in found.items():
            assert f"git checkout HEAD -- {rel} " in problem["hint"], (run, problem)


def test_an_emptying_committed_is_undone_from_the_version_before(cli, repo: Path) -> None:
    """Once the empty file is committed, git checkout HEAD brings back the empty file: show names
    the version that still held the record."""
    root = two_households(repo)
    rel = f"{FOLDER}/H000002.yaml"
    (root / rel).write_bytes(b"---\n")
    git(root, "-c", "user.name=王芳", "-c", "user.email=wangfang@example.cn", "commit", "-qam", "清空")
    emptied = git(root, "rev-parse", "--short", "HEAD").strip()
    shown = cli("-C", str(root), "--lang", "en", "show", "H000002", env=AUTHOR_ENV)
    assert shown.exit_code == 2
    said = f"git checkout {emptied}~1 -- {rel}"
    assert said in shown.output, shown.output
    git(root, *said.split()[1:])
    assert cli("-C", str(root), "validate", env=AUTHOR_ENV).exit_code == 0


def test_a_committed_empty_file_blocks_only_its_own_record(cli, repo: Path) -> None:
    """A write refuses only a change that adds an error: the empty file blocks no other edit, an
    edit of its record is refused with where it is, and its id is not given again."""
    root = two_households(repo)
    rel = f"{FOLDER}/H000002.yaml"
    (root / rel).write_bytes("# 待补\n".encode())
    git(root, "-c", "user.name=王芳", "-c", "user.email=wangfang@example.cn", "commit", "-qam", "清空")
    before = head(root)
    refused = cli(
        "-C", str(root), "--lang", "zh", "-m", "改", "edit", "H000002", "--set", "housing=租住", env=AUTHOR_ENV
    )
    assert refused.exit_code == 2 and f"{rel} 里没有任何记录" in refused.output, refused.output
    assert head(root) == before
    done = cli("-C", str(root), "-m", "改", "edit", "H000001", "--set", "housing=租住", env=AUTHOR_ENV)
    assert done.exit_code == 0, done.output
    added = cli("-C", str(root), "-m", "新户", "add", "household", "--set", "grid=110105001001001", env=AUTHOR_ENV)
    assert added.exit_code == 0, added.output
    assert "H000002" not in added.output and "H000003" in added.output, added.output
    assert (root / rel).read_bytes() == "# 待补\n".encode()


# -- a record file moved by hand into another grid's folder ---------------------------------------

GRID_A, GRID_B = "110105017006001", "110105017006002"
STRAY = f"""\
kind: household
id: H000099
grid: "{GRID_B}"
address: {{estate: 幸福里小区, building: "9号楼", unit: "1单元", room: "101"}}
housing: 自有
members: []
"""


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.name=王芳", "-c", "user.email=wangfang@example.cn", "commit", "-qm", message)


def test_a_move_onto_a_file_already_there_overwrites_nothing(cli, demo: Path) -> None:
    """households/B/H000002.yaml, put there by hand, held H000099: move H000002 --to B wrote
    H000002 over it, and H000099 was gone with validate clean."""
    there = demo / "households" / GRID_B / "H000002.yaml"
    write(demo, there.relative_to(demo).as_posix(), STRAY)
    commit_all(demo, "手工放入")
    before = head(demo)
    result = cli("-C", str(demo), "--lang", "zh", "-m", "迁出", "move", "H000002", "--to", GRID_B, env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert f"households/{GRID_B}/H000002.yaml 已经存在 (其中是 H000099)，迁移会覆盖它" in result.output
    assert head(demo) == before and there.read_text(encoding="utf-8") == STRAY
    assert (demo / "households" / GRID_A / "H000002.yaml").is_file()


def hand_move(root: Path, rid: str = "H000002", src: str = GRID_A, dst: str = GRID_B) -> tuple[str, str]:
    """The file explorer's drag: the file goes into another grid's folder, its grid: stays."""
    old, new = f"households/{src}/{rid}.yaml", f"households/{dst}/{rid}.yaml"
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    (root / old).rename(root / new)
    commit_all(root, "拖错文件夹")
    return old, new


def test_move_to_the_grid_it_names_puts_a_dragged_file_back(cli, demo: Path) -> None:
    """move H000002 --to A, of a file dragged into B's folder with grid: A, said 已在 A and left it there."""
    original = (demo / "households" / GRID_A / "H000002.yaml").read_bytes()
    old, new = hand_move(demo)
    before = head(demo)
    result = cli("-C", str(demo), "--lang", "zh", "-m", "归位", "move", "H000002", "--to", GRID_A, env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert f"归位户 H000002：文件 households/{GRID_B} → households/{GRID_A}" in result.output
    assert (demo / old).read_bytes() == original and not (demo / new).exists()
    assert git(demo, "rev-parse", "HEAD~1").strip() == before
    assert git(demo, "status", "--porcelain") == ""
    again = cli("-C", str(demo), "--lang", "zh", "move", "H000002", "--to", GRID_A, env=AUTHOR_ENV)
    assert again.exit_code == 2 and f"H000002 已在 {GRID_A}" in again.output


def test_move_of_a_drag_not_yet_committed_says_what_happened(cli, demo: Path) -> None:
    """A file dragged into B's folder and not committed: validate's GC221 sends the clerk to move H000002
    --to A, which said only 已在 A (as committed it is), a dead end. It now says the file was moved by
    hand and how to put it back; a file deleted by hand, how to restore it."""
    old, new = f"households/{GRID_A}/H000002.yaml", f"households/{GRID_B}/H000002.yaml"
    (demo / old).rename(demo / new)
    before = head(demo)
    result = cli("-C", str(demo), "--lang", "zh", "move", "H000002", "--to", GRID_A, env=AUTHOR_ENV)
    assert result.exit_code == 2, result.output
    assert f"它的文件被手工移到了 {new}，还没有提交" in result.output
    assert f"把文件移回 households/{GRID_A}/ 文件夹即可" in result.output
    (demo / new).rename(demo / old)
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0
    (demo / old).unlink()
    result = cli("-C", str(demo), "--lang", "en", "move", "H000002", "--to", GRID_A, env=AUTHOR_ENV)
    assert result.exit_code == 2 and f"git checkout HEAD -- {old}" in result.output, result.output
    assert head(demo) == before


def test_a_file_dragged_into_another_grids_folder_is_named_and_edited_where_it_is(cli, demo: Path) -> None:
    """households/B/H000002.yaml with grid: A passed validate with no word (exit 0)."""
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0  # and kept: the next run is warm
    _old, new = hand_move(demo)
    result = cli("-C", str(demo), "--lang", "zh", "validate", env=AUTHOR_ENV)
    assert result.exit_code == 1, result.output
    assert f"{new}:3:7: error[GC221] 文件放在 households/{GRID_B}/ 中，但 grid 写的是 {GRID_A}" in result.output
    assert f"gridctl move H000002 --to {GRID_A}" in result.output, result.output
    listed = cli("-C", str(demo), "list", "household", "--grid", GRID_A, "-f", "json", env=AUTHOR_ENV).output
    assert listed.count('"H000002"') == 1
    edited = cli("-C", str(demo), "-m", "改", "edit", "H000002", "--set", "housing=租住", env=AUTHOR_ENV)
    assert edited.exit_code == 0, edited.output
    assert git(demo, "show", "--name-only", "--format=", "HEAD").split() == [new]  # the file where it is
    assert "housing: 租住" in (demo / new).read_text(encoding="utf-8")
    assert git(demo, "grep", "-l", 'id: "H000002"', "HEAD").split() == [f"HEAD:{new}"]


def test_a_grid_changed_by_hand_in_place_is_named_with_both_ways_to_agree(cli, demo: Path) -> None:
    """grid: changed to B in Notepad, the file left in A's folder: a move to either grid agrees them."""
    rel = f"households/{GRID_A}/H000003.yaml"
    text = (demo / rel).read_text(encoding="utf-8")
    (demo / rel).write_text(text.replace(f'grid: "{GRID_A}"', f'grid: "{GRID_B}"', 1), encoding="utf-8")
    commit_all(demo, "手改网格")
    result = cli("-C", str(demo), "--lang", "en", "validate", env=AUTHOR_ENV)
    assert result.exit_code == 1 and f"{rel}:3:7: error[GC221]" in result.output, result.output
    assert f"gridctl move H000003 --to {GRID_B};" in result.output
    assert (
        f"if it belongs to {GRID_A}, gridctl move H000003 --to {GRID_A} (its grid: becomes {GRID_A})" in result.output
    )
    done = cli("-C", str(demo), "-m", "改回", "move", "H000003", "--to", GRID_A, env=AUTHOR_ENV)
    assert done.exit_code == 0, done.output
    assert (demo / rel).read_text(encoding="utf-8") == text
    assert cli("-C", str(demo), "validate", env=AUTHOR_ENV).exit_code == 0


# -- check-files of a path that is not there --------------------------------------------------------


@pytest.mark.parametrize(("lang", "said"), [("zh", "没有这个文件: "), ("en", "no such file: ")])
def test_check_files_of_a_path_that_is_not_there_is_a_usage_error(repo: Path, lang: str, said: str) -> None:
    """check-files households/…/H000009.yaml (a typo, a file since deleted) said no problems (0 files), exit 0."""
    typo = f"{FOLDER}/H000009.yaml"
    status, out, err = gridctl("--lang", lang, "check-files", f"{FOLDER}/H000001.yaml", typo, cwd=repo)
    assert status == 2, out + err
    assert "Traceback" not in out + err and out == ""
    assert f"{said}{typo}" in err, err


def test_check_files_reads_a_path_given_from_the_ledger_folder(repo: Path, tmp_path: Path) -> None:
    """`gridctl -C LEDGER check-files staff/S0001.yaml` run elsewhere checked nothing (0 files), exit 0."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    status, out, err = gridctl("-C", str(repo), "--lang", "en", "check-files", "staff/S0001.yaml", cwd=elsewhere)
    assert status == 0 and "(1 files, 1 records checked)" in out, out + err


def test_check_files_of_a_folder_checks_the_files_in_it_and_refuses_one_outside(repo: Path, tmp_path: Path) -> None:
    """check-files households/<grid> (a folder) and check-files ../notes.yaml (outside the ledger) said
    no problems (0 files), exit 0: the clerk read the folder's households as checked."""
    bad = household("H000002", "P0000002", "110105198003151230")  # a wrong check digit (GC103)
    write(repo, f"{FOLDER}/H000002.yaml", bad)
    status, out, err = gridctl("--lang", "en", "check-files", FOLDER, cwd=repo)
    assert status == 1 and "GC103" in out and "(2 files, 4 records checked)" in out, out + err  # households, people
    outside = tmp_path / "notes.yaml"
    outside.write_text(bad, encoding="utf-8")
    status, out, err = gridctl("--lang", "zh", "check-files", str(outside), cwd=repo)
    assert status == 2 and "不在台账文件夹" in err and "没有检查" in err and out == "", out + err


# -- a misnamed record file beside the file of its right name --------------------------------------


@pytest.mark.parametrize("walk", ["1", "0"])  # the files walked, or listed by git (a large ledger)
def test_a_misnamed_copy_beside_its_right_name_is_not_told_to_overwrite_it(cli, repo: Path, walk: str) -> None:
    """H000001.yaml.txt beside H000001.yaml was told 改名为 H000001.yaml: the rename overwrote the file the
    ledger reads."""
    text = (repo / FOLDER / "H000001.yaml").read_text(encoding="utf-8")
    write(repo, f"{FOLDER}/H000001.yaml.txt", text.replace('room: "501"', 'room: "602"'))
    write(repo, f"{FOLDER}/H000009.YAML", household("H000009", "P0000009", id_number(seq="911")))
    write(repo, f"{FOLDER}/H000009.yaml", household("H000008", "P0000008", id_number(seq="811")))
    env = {**AUTHOR_ENV, "GRIDCTL_WALK": walk}
    result = cli("-C", str(repo), "--lang", "zh", "validate", env=env)
    assert result.exit_code == 1, result.output
    assert "= 提示: 改名为" not in result.output
    assert f"{FOLDER}/H000001.yaml.txt:1:1: error[GC018]" in result.output, result.output
    assert "不要改名为 H000001.yaml，那会覆盖它。两个文件都是 H000001：对照两个文件" in result.output
    assert f"{FOLDER}/H000009.YAML:1:1: error[GC018]" in result.output
    assert "对照两个文件：是同一条记录，就把本文件中还需要的内容写进 H000009.yaml" in result.output
    hook = cli("-C", str(repo), "--lang", "en", "check-files", str(repo / FOLDER / "H000001.yaml.txt"), env=env)
    assert hook.exit_code == 1 and "do not rename it H000001.yaml: that would overwrite it" in hook.output


# -- a file name with a line break or another control character ------------------------------------

ODD = f"households/{GRID_A}/H0\n02.yaml"
ODD_SHOWN = f'"households/{GRID_A}/H0\\n02.yaml"'


def test_a_file_named_with_a_line_break_is_reported_on_one_line_quoted(cli, demo: Path) -> None:
    """touch $'H0\\n02.yaml': validate's text report split the name over two lines (02.yaml:2:5: error…
    as a line of its own), and an escape character in a name reached the terminal."""
    (demo / ODD).write_bytes((demo / "households" / GRID_A / "H000002.yaml").read_bytes())  # a copy: GC201
    (demo / "households" / GRID_A / "H0\t\x1b[31m9.yaml").write_bytes(b"")  # GC005
    text = cli("-C", str(demo), "--lang", "en", "validate", env=AUTHOR_ENV).output
    assert f"{ODD_SHOWN}:2:5: error[GC201] duplicate id H000002" in text, text
    assert f'"households/{GRID_A}/H0\\t\\033[31m9.yaml":1:1: error[GC005]' in text
    assert f"also at households/{GRID_A}/H0\\n02.yaml" in text
    assert "\x1b" not in text and "\t" not in text
    for line in text.splitlines()[:-1]:
        assert line.startswith(("households/", '"households/', "   ")), line
    github = cli("-C", str(demo), "--lang", "en", "validate", "-f", "github", env=AUTHOR_ENV).output
    assert all(line.startswith("::") for line in github.splitlines()[:-1]), github
    assert f"::{ODD_SHOWN}:2:5: [GC201]" in github
    hook = cli("-C", str(demo), "--lang", "en", "check-files", str(demo / "households" / GRID_A / "H0\t\x1b[31m9.yaml"))
    assert hook.output.startswith(f'"households/{GRID_A}/H0\\t\\033[31m9.yaml":1:1: error[GC005]'), hook.output
    as_json = cli("-C", str(demo), "validate", "-f", "json", env=AUTHOR_ENV).output
    assert json.loads(as_json)["problems"][0]["file"] in (ODD, f"households/{GRID_A}/H0\t\x1b[31m9.yaml")


def test_history_log_and_diff_follow_a_record_into_a_file_named_with_a_line_break(cli, demo: Path) -> None:
    """history H000002 stopped with git cat-file failed: path '"households/…/H0\\n02.yaml"' does not exist
    (git grep's quoted name taken as the name); diff printed the name over two lines."""
    git(demo, "mv", f"households/{GRID_A}/H000002.yaml", ODD)
    commit_all(demo, "改了文件名")
    result = cli("-C", str(demo), "--lang", "en", "history", "H000002", env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert f"    file: households/{GRID_A}/H000002.yaml → {ODD_SHOWN}\n" in result.output, result.output
    log = cli("-C", str(demo), "--lang", "en", "log", env=AUTHOR_ENV).output
    assert f"moved from file households/{GRID_A}/H000002.yaml to {ODD_SHOWN}\n" in log, log
    git(demo, "rm", "-q", ODD)
    commit_all(demo, "删除")
    diff = cli("-C", str(demo), "--lang", "en", "diff", "HEAD~1", "HEAD", env=AUTHOR_ENV).output
    assert f"\n    {ODD_SHOWN}\n" in diff, diff


@pytest.mark.parametrize("walk", ["1", "0"])  # the files walked, or listed by git (a large ledger)
def test_a_file_renamed_con_is_named_though_its_content_was_read_before(cli, demo: Path, walk: str) -> None:
    """staff/S0002.yaml renamed CON.yaml passed validate once its content had been read under its old name
    (a warm cache took it as the file it was): Git for Windows cannot check the ledger out (GC016)."""
    env = {**AUTHOR_ENV, "GRIDCTL_WALK": walk}
    assert cli("-C", str(demo), "validate", env=env).exit_code == 0
    git(demo, "mv", "staff/S0002.yaml", "staff/CON.yaml")
    commit_all(demo, "改了文件名")
    result = cli("-C", str(demo), "--lang", "zh", "validate", env=env)
    assert result.exit_code == 1 and "staff/CON.yaml:1:1: error[GC016]" in result.output, result.output


@pytest.mark.parametrize("walk", ["1", "0"])  # the files walked, or listed by git (a large ledger)
def test_a_file_name_with_a_control_character_is_one_windows_cannot_hold(cli, demo: Path, walk: str) -> None:
    """A ledger with H0\\n02.yaml or H0\\t03.yaml in it passed validate, and Git for Windows cannot check
    it out (GC016)."""
    git(demo, "mv", f"households/{GRID_A}/H000002.yaml", ODD)
    git(demo, "mv", f"households/{GRID_A}/H000003.yaml", f"households/{GRID_A}/H0\t03.yaml")
    commit_all(demo, "改了文件名")
    result = cli("-C", str(demo), "--lang", "zh", "validate", env={**AUTHOR_ENV, "GRIDCTL_WALK": walk})
    assert result.exit_code == 1, result.output
    assert f"{ODD_SHOWN}:1:1: error[GC016] 文件名 “H0\\n02.yaml” 在 Windows 上无法存在" in result.output
    assert f'"households/{GRID_A}/H0\\t03.yaml":1:1: error[GC016] 文件名 “H0\\t03.yaml”' in result.output


TAB_ESC = f"households/{GRID_A}/H0\t\x1b[31m02.yaml"
TAB_ESC_SHOWN = f'"households/{GRID_A}/H0\\t\\033[31m02.yaml"'


def _no_raw_control(text: str) -> None:
    assert "\t" not in text and "\x1b" not in text and "\ufffd" not in text, text


def test_show_names_a_file_with_a_control_character_quoted_as_git_does(cli, demo: Path) -> None:
    """show H000002 of a record that fails its schema, in a file named with a tab and an escape
    character, printed the tab raw (and the escape as U+FFFD) in `the file is …`; validate, log,
    history and diff quote such a name as git does."""
    git(demo, "mv", f"households/{GRID_A}/H000002.yaml", TAB_ESC)
    commit_all(demo, "改了文件名")
    shown = cli("-C", str(demo), "--lang", "en", "show", "H000002", env=AUTHOR_ENV)
    assert shown.exit_code == 0, shown.output
    assert f'file: "households/{GRID_A}/H0\\t\\e[31m02.yaml"' in shown.output  # YAML's quoting: it reads back
    _no_raw_control(shown.output)
    text = (demo / TAB_ESC).read_text(encoding="utf-8")
    (demo / TAB_ESC).write_text(text.replace("housing: ", "housing: 火星", 1), encoding="utf-8")
    for lang, said in (("en", f"the file is {TAB_ESC_SHOWN}"), ("zh", f"文件是 {TAB_ESC_SHOWN}")):
        broken = cli("-C", str(demo), "--lang", lang, "show", "H000002", env=AUTHOR_ENV)
        assert broken.exit_code == 2 and said in broken.output, broken.output
        _no_raw_control(broken.output)
    folder = f"households/{GRID_A}\t\x1b[31m"  # emptied in a folder so named: the id's file is named, and how
    (demo / folder).mkdir()  # to restore it
    git(demo, "mv", f"households/{GRID_A}/H000003.yaml", f"{folder}/H000003.yaml")
    commit_all(demo, "移到另一个文件夹")
    (demo / folder / "H000003.yaml").write_bytes(b"")
    emptied = cli("-C", str(demo), "--lang", "en", "show", "H000003", env=AUTHOR_ENV)
    assert emptied.exit_code == 2, emptied.output
    shown = f'"households/{GRID_A}\\t\\033[31m/H000003.yaml"'
    assert f"H000003's file {shown} holds no record" in emptied.output
    assert f"restore it with git checkout HEAD -- {shown}" in emptied.output
    _no_raw_control(emptied.output)


def test_other_commands_name_a_file_with_a_control_character_quoted_as_git_does(cli, demo: Path) -> None:
    """edit of a record in a file named with a tab and an escape was refused naming it as Python
    writes a string ('…\\t\\x1b…'); check-files of such a name that is not there, the same; leak-guard
    printed a spreadsheet's tab raw in its file: line."""
    git(demo, "mv", f"households/{GRID_A}/H000002.yaml", TAB_ESC)
    commit_all(demo, "改了文件名")
    result = cli("-C", str(demo), "--lang", "en", "-m", "x", "edit", "H000002", "--set", "housing=租住", env=AUTHOR_ENV)
    assert result.exit_code == 2 and f"refusing to write {TAB_ESC_SHOWN}: not a plain path" in result.output
    _no_raw_control(result.output)
    stray = f"households/{GRID_A}\t/H000003.yaml"  # dragged by hand, not committed: move and edit name where
    (demo / stray).parent.mkdir()
    (demo / f"households/{GRID_A}/H000003.yaml").rename(demo / stray)
    moved = cli("-C", str(demo), "--lang", "en", "-m", "x", "move", "H000003", "--to", GRID_A, env=AUTHOR_ENV)
    assert moved.exit_code == 2 and f'moved by hand to "households/{GRID_A}\\t/H000003.yaml"' in moved.output
    _no_raw_control(moved.output)
    event = "events/2026/03/E202603-0001.yaml"
    (demo / "events/2026/0\t3").mkdir()
    (demo / event).rename(demo / "events/2026/0\t3/E202603-0001.yaml")
    edited = cli("-C", str(demo), "--lang", "en", "-m", "x", "edit", "E202603-0001", "--set", "reported.at=2026-03-04",
                 env=AUTHOR_ENV)  # fmt: skip
    assert edited.exit_code == 2 and 'moved by hand to "events/2026/0\\t3/E202603-0001.yaml"' in edited.output
    _no_raw_control(edited.output)
    odd = demo / f"households/{GRID_A}/H0\t09.yaml"
    missing = cli("-C", str(demo), "--lang", "en", "check-files", str(odd))
    assert missing.exit_code == 2 and f'no such file: "{odd}"'.replace("\t", "\\t") in missing.output, missing.output
    sheet = demo / "notes" / "名单\t1.xlsx"
    sheet.parent.mkdir()
    sheet.write_bytes(b"PK\x03\x04")
    leak = cli("-C", str(demo), "--lang", "en", "leak-guard", str(sheet))
    assert leak.exit_code == 1 and '"notes/名单\\t1.xlsx": a spreadsheet must not be committed' in leak.output
    _no_raw_control(leak.output)


def test_sync_names_a_conflicted_file_with_a_control_character_quoted(tmp_path: Path) -> None:
    """A note named with a tab, changed on both sides: sync's conflict line printed the tab raw, and
    `git add` after it a name that could not be pasted."""
    from teamwork import git as team_git
    from teamwork import run, team

    t = team(tmp_path)
    for name, line in (("w2", "第一网格周三例会\n"), ("w3", "第一网格周四例会\n")):
        (t[name] / "说明\t1.txt").write_text(line, encoding="utf-8")
        team_git(t[name], "add", "说明\t1.txt")
        team_git(t[name], "commit", "-qm", "说明")
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    code, out = run(t["w3"], "sync")
    assert code == 1, out
    assert '冲突: "说明\\t1.txt" 两边都改了' in out and '改好后 git add "说明\\t1.txt"' in out, out
    assert "\t" not in out


def test_an_import_that_moves_a_household_onto_a_file_already_there_overwrites_nothing(
    cli, demo: Path, tmp_path: Path
) -> None:
    """import --accept-moves of H000002 into grid B wrote over households/B/H000002.yaml, a file put there by
    hand holding H000099: H000099 was gone with validate clean."""
    there = demo / "households" / GRID_B / "H000002.yaml"
    write(demo, there.relative_to(demo).as_posix(), STRAY)
    commit_all(demo, "手工放入")
    sheet = tmp_path / "户.csv"
    assert cli("-C", str(demo), "export", "household", "-o", str(sheet), env=AUTHOR_ENV).exit_code == 0
    rows = sheet.read_text(encoding="utf-8-sig").splitlines()
    moved = [r.replace(f"\t{GRID_A},第一网格", f"\t{GRID_B},第二网格") if r.startswith("H000002,") else r for r in rows]
    assert moved != rows
    sheet.write_text("\n".join(moved) + "\n", encoding="utf-8-sig")
    before = head(demo)
    result = cli("-C", str(demo), "--lang", "zh", "-m", "导入", "import", "household", str(sheet), "--accept-moves")
    assert result.exit_code == 2, result.output
    assert f"households/{GRID_B}/H000002.yaml 已经存在，迁移会覆盖它；没有导入" in result.output
    assert head(demo) == before and there.read_text(encoding="utf-8") == STRAY
