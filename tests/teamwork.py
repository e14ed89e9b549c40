"""A community with several grid workers, on disk: a bare shared repository and real clones."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from gridctl.cli.main import app

from conftest import STAFF, make_ledger, write


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    assert proc.returncode == 0, (args, proc.stderr.decode())
    return proc.stdout.decode("utf-8", "replace").strip()


def run(cwd: Path, *args: str) -> tuple[int, str]:
    """gridctl in-process, in `cwd`'s ledger, in Chinese; (exit code, stdout + stderr)."""
    result = CliRunner().invoke(app, ["-C", str(cwd), "--lang", "zh", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def identity(clone: Path, name: str) -> None:
    git(clone, "config", "user.name", name)
    git(clone, "config", "user.email", f"{abs(hash(name)) % 10**6}@example.cn")


def team(tmp: Path, review: bool = False, households: dict[str, str] | None = None) -> dict[str, Path]:
    """The office's ledger on a shared bare repository, and two grid workers' clones of it."""
    office = make_ledger(tmp / "office")
    for rel, text in (households or {}).items():
        write(office, rel, text)
    write(office, "staff/S0003.yaml", STAFF.format(id="S0003", name="赵敏", gender="女", phone="13700137000"))
    if review:
        (office / "gridctl.yaml").write_text(
            (office / "gridctl.yaml").read_text(encoding="utf-8") + "review: required\n", encoding="utf-8"
        )
    git(tmp, "init", "-q", "-b", "main", str(office))
    identity(office, "王芳")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "初始台账")
    assert run(office, "setup")[0] == 0
    remote = tmp / "shared.git"
    git(tmp, "clone", "-q", "--bare", str(office), str(remote))
    git(office, "remote", "add", "origin", str(remote))
    git(office, "fetch", "-q", "origin")
    clones = {"office": office, "remote": remote}
    for name, staff, who in (("w2", "S0002", "李强"), ("w3", "S0003", "赵敏")):
        clone = tmp / name
        git(tmp, "clone", "-q", str(remote), str(clone))
        identity(clone, who)
        code, out = run(clone, "setup", "--worker", staff)
        assert code == 0, out
        clones[name] = clone
    return clones


def encrypted_team(tmp: Path, monkeypatch, adds: tuple[str, ...] = (), pull: tuple[str, ...] = ("w2", "w3")):  # type: ignore[no-untyped-def]
    """team() whose office encrypted the ledger (with a key this process holds), made each of `adds` a
    recipient, shared it, and whose workers in `pull` pulled it."""
    from pyrage import x25519

    monkeypatch.setenv("GRIDCTL_IDENTITY", str(x25519.Identity.generate()))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp / "config"))
    t = team(tmp)
    code, out = run(t["office"], "encrypt", "--name", "王芳")
    assert code == 0, out
    for name in adds:
        public = str(x25519.Identity.generate().to_public())
        assert run(t["office"], "keys", "add", name, public)[0] == 0
    assert run(t["office"], "sync")[0] == 0
    for worker in pull:
        git(t[worker], "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    return t
