"""Shared fixtures: small real ledgers in temp folders, and the CLI as a clerk runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum.cn import ric
from typer.testing import CliRunner

from gridctl.cli.main import app


def _ctrl_c_as_at_a_terminal() -> None:
    """A command a clerk types gets Ctrl-C; a suite started in the background by a shell without job
    control (a CI runner's `… &`) has SIGINT ignored (POSIX), every gridctl it starts inherits that,
    and the tests that press Ctrl-C found it deaf: they passed only on a worker that an earlier
    in-process crash test had given the handler back (gridctl.ledger.crash). Given back here, once."""
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


_ctrl_c_as_at_a_terminal()

REPO = Path(__file__).resolve().parent.parent


def _bytecode_kept_for_subprocesses() -> None:
    """Hundreds of tests run gridctl in a new interpreter. Where writing bytecode is turned off
    (PYTHONDONTWRITEBYTECODE), each of them compiled every gridctl module from source again: about
    0.1 s of a 0.4 s `gridctl status`. The bytecode now goes to a folder of this run's own, outside
    the checkout, so the checkout stays as clean as that setting keeps it."""
    import atexit
    import shutil
    import tempfile

    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    folder = tempfile.mkdtemp(prefix="gridctl-tests-bytecode-")
    atexit.register(shutil.rmtree, folder, True)
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = folder


_bytecode_kept_for_subprocesses()


def _cache_of_this_run() -> None:
    """What gridctl keeps in the user's cache folder (which characters each font has, crash logs)
    goes to a folder of this run's own (XDG_CACHE_HOME, which platformdirs follows), never into the
    tester's own cache folder."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="gridctl-tests-cache-")
    atexit.register(shutil.rmtree, folder, True)
    os.environ["XDG_CACHE_HOME"] = folder


_cache_of_this_run()


def id_number(region: str = "110105", born: str = "19800315", seq: str = "123") -> str:
    """A valid GB 11643 number; the check digit comes from python-stdnum."""
    body = region + born + seq
    return body + ric.calc_check_digit(body + "0")


SETTINGS = """\
name: 幸福里社区
region_code: "110105"
profile: community
policy:
  urban_grid_households: {min: 1, max: 800}
  households_per_staff: 100
"""

COMMUNITY = """\
kind: grid
id: "110105001001"
name: 幸福里社区
level: 社区
responsible:
  - role: 网格长
    staff: S0001
    duties: [全面负责社区网格化服务管理工作]
"""

GRID = """\
kind: grid
id: "110105001001001"
name: 第一网格
level: 网格
type: 基础网格
area: 城市
parent: "110105001001"
boundary: {east: 幸福路, west: 光明街, south: 和平里, north: 建设路}
responsible:
  - role: 网格长
    staff: S0001
    duties: [负责网格内人、地、事、物、组织的全面管理]
  - role: 网格员
    staff: S0002
    duties: [每天巡查网格一次, 采集更新基础信息]
"""

STAFF = """\
kind: staff
id: {id}
name: {name}
gender: {gender}
phone: "{phone}"
employment: 专职
"""


def household(hid: str = "H000001", pid: str = "P0000001", number: str | None = None, extra: str = "") -> str:
    number = number or id_number()
    return f"""\
# 2026年3月入户核实
kind: household
id: {hid}
grid: "110105001001001"
address: {{estate: 阳光小区, building: "3", unit: "2", room: "501"}}
housing: 自有
members:
  - id: {pid}
    name: 张伟
    id_number: "{number}"
    gender: 男
    birth_date: 1980-03-15
    relation: 户主
    phones: ["13912345678"]
    residence: 户籍
{extra}"""


def count_built(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The ids of the typed records built from now on (every Ledger.build): a view that reads the
    rows the cache keeps builds none."""
    from gridctl.ledger.index import Ledger

    built: list[str] = []
    real = Ledger.build

    def build(self: Ledger, entry) -> None:  # type: ignore[no-untyped-def]
        built.append(entry.id)
        real(self, entry)

    monkeypatch.setattr(Ledger, "build", build)
    return built


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A small valid ledger: one community, one grid, two staff, one household."""
    return make_ledger(tmp_path / "ledger")


def make_ledger(root: Path) -> Path:
    write(root, "gridctl.yaml", SETTINGS)
    write(root, "grids/110105001001.yaml", COMMUNITY)
    write(root, "grids/110105001001001.yaml", GRID)
    write(root, "staff/S0001.yaml", STAFF.format(id="S0001", name="王芳", gender="女", phone="13800138000"))
    write(root, "staff/S0002.yaml", STAFF.format(id="S0002", name="李强", gender="男", phone="13900139000"))
    write(root, "households/110105001001001/H000001.yaml", household())
    return root


@pytest.fixture
def cli():
    """Run gridctl through Typer's runner; returns (exit code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None):
        result = runner.invoke(app, list(args), env=env)
        return result

    return run


def gridctl(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, encoding: str = "utf-8"):
    """Run the real console entry point in a subprocess, as a clerk's terminal would."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "gridctl", *args], cwd=cwd, env=full_env, capture_output=True, timeout=120
    )
    return proc.returncode, proc.stdout.decode(encoding), proc.stderr.decode(encoding)


AUTHOR_ENV = {
    "GIT_AUTHOR_NAME": "王芳",
    "GIT_AUTHOR_EMAIL": "wangfang@example.cn",
    "GIT_COMMITTER_NAME": "王芳",
    "GIT_COMMITTER_EMAIL": "wangfang@example.cn",
}


@pytest.fixture
def repo(ledger: Path) -> Path:
    """The small ledger as a git repository with one commit, as gridctl init leaves it."""
    return make_repo(ledger)


def make_repo(ledger: Path, date: str | None = None) -> Path:
    """`date` (ISO, e.g. 2026-01-05T09:00:00) dates the first commit: the day the grids began."""
    import git

    r = git.Repo.init(ledger)
    with r.config_writer() as cfg:
        cfg.set_value("user", "name", "王芳")
        cfg.set_value("user", "email", "wangfang@example.cn")
    r.git.add(A=True)
    r.index.commit("初始台账", author_date=date, commit_date=date)
    return ledger


def empty_fontconfig(folder: Path) -> Path:
    """A fontconfig file that finds no fonts at all (FONTCONFIG_FILE): a computer without a Chinese font."""
    fonts = folder / "fonts"
    fonts.mkdir()
    conf = folder / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return conf


def another_users(root: Path, folder: Path) -> dict[str, str]:
    """Make `root` another user's folder as git sees it (a USB stick, a shared folder); returns the env to use.

    As root the files really get another owner; otherwise git's own test switch for the same check.
    The env has its own empty HOME, so no safe.directory of the machine's applies.
    """
    home = folder / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "LANG": "C.UTF-8"}
    if os.geteuid() == 0:
        for path in [root, *root.rglob("*")]:
            os.lchown(path, 4242, 4242)
    else:
        env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
    return env


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example community as a git repository with a clerk's identity (copied per test)."""
    import git

    from gridctl.demo import create_demo

    root = tmp_path_factory.mktemp("demo-template") / "ledger"
    create_demo(root)
    with git.Repo(root).config_writer() as cfg:
        cfg.set_value("user", "name", "王芳")
        cfg.set_value("user", "email", "wangfang@example.cn")
    return root


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the example community to change."""
    import shutil

    root = tmp_path / "ledger"
    shutil.copytree(demo_template, root, symlinks=True)
    return root


def commands() -> list[tuple[str, object]]:
    """(path, click command) of every command and subcommand a clerk can run, built as gridctl builds them."""
    from gridctl.cli.commands import COMMANDS, HIDDEN, build

    out: list[tuple[str, object]] = []

    def walk(path: str, command: object) -> None:
        out.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(f"{path} {name}", sub)

    for name in COMMANDS:
        if name not in HIDDEN:
            walk(name, build(name))
    return out


# -- encrypted ledgers (tests/test_encryption*.py, test_adv_25g.py) --------------------------------


def identity() -> tuple[str, str]:
    """A new age identity and its public key."""
    from pyrage import x25519

    made = x25519.Identity.generate()
    return str(made), str(made.to_public())


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, dict[str, str]]:
    """Two clerks' identities (GRIDCTL_IDENTITY) and a computer with none (an empty config folder)."""
    a, b = identity(), identity()
    nobody = {"GRIDCTL_IDENTITY": "", "XDG_CONFIG_HOME": str(tmp_path / "no-config")}
    return {
        "wang": {"GRIDCTL_IDENTITY": a[0], "public": a[1]},
        "li": {"GRIDCTL_IDENTITY": b[0], "public": b[1]},
        "none": nobody,
    }


def env(who: dict[str, str]) -> dict[str, str]:
    """A clerk of `keys` as environment variables (their public key aside)."""
    return {k: v for k, v in who.items() if k != "public"}


@pytest.fixture
def encrypted(demo: Path, cli, keys) -> Path:  # type: ignore[no-untyped-def]
    """The example community, encrypted by 王芳."""
    result = cli("-C", str(demo), "encrypt", "--name", "王芳", env=env(keys["wang"]))
    assert result.exit_code == 0, result.output
    return demo
