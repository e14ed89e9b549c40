"""The ledger's CI installs exactly the gridctl gridctl.yaml pins, proves its version, and validates changes.

Each generated CI file is parsed as YAML and its shell steps are run for real with bash in a real
ledger: pip is the one program stood in for (it records what it was asked to install), so the
test sees exactly what CI would install. Nothing anywhere installs gridctl by its bare name.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from gridctl import __version__
from gridctl.model.settings import BARE_NAME
from gridctl.ops.ci import PATHS

from conftest import AUTHOR_ENV, REPO

SOURCE = "git+https://git.example.gov.cn/tools/gridctl@v" + __version__


def bare_installs(text: str) -> list[str]:
    """Every `pip install … gridctl` (or gridctl[pdf], gridctl==x) that takes gridctl from an index by name."""
    found = []
    for line in text.splitlines():
        for m in re.finditer(r"pip3?\s+install\b(.*)", line):
            command = re.split(r"&&|;|\||`|\)|,", m.group(1))[0]  # up to where the shell command ends
            for token in command.split():
                if re.fullmatch(BARE_NAME, token.strip("'\"`"), re.IGNORECASE):
                    found.append(line.strip())
    return found


def strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in strings(k) + strings(v)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


def init(cli, target: Path, *args: str):  # type: ignore[no-untyped-def]
    result = cli("--author", "王芳 <wangfang@example.cn>", "init", str(target), "--name", "幸福里", *args)
    return result


def scripts(kind: str, root: Path) -> tuple[str, str, dict[str, str]]:
    """(install script, validate script, the validate step's env names) of the CI file."""
    data = yaml.safe_load((root / PATHS[kind]).read_text(encoding="utf-8"))
    if kind == "gitlab":
        install, validate = data["gridctl"]["script"]
        return install, validate, {}
    steps = data["jobs"]["validate"]["steps"]
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    step = next(s for s in steps if "gridctl validate" in s.get("run", ""))
    return install, step["run"], step.get("env", {})


@pytest.fixture
def tools(tmp_path: Path) -> tuple[Path, Path]:
    """A bin folder: python3 whose `-m pip` only records its arguments, and the gridctl under test."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "pip-args.txt"
    (folder / "python3").write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then shift 2; printf "%s\\n" "$@" > "{record}"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n',
        encoding="utf-8",
    )
    (folder / "gridctl").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gridctl "$@"\n', encoding="utf-8")
    for tool in folder.iterdir():
        tool.chmod(0o755)
    return folder, record


def bash(script: str, root: Path, folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    path = str(folder) + os.pathsep + os.environ["PATH"]
    return subprocess.run(
        ["bash", "-c", script],
        cwd=root,
        env={**os.environ, **AUTHOR_ENV, "PATH": path, "LANG": "C.UTF-8", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("kind", ["gitea", "github", "gitlab"])
def test_each_ci_installs_the_pin_checks_it_and_validates_what_changed(
    cli, tmp_path: Path, tools: tuple[Path, Path], kind: str
) -> None:
    root = tmp_path / "ledger"
    assert init(cli, root, "--ci", kind, "--gridctl-source", SOURCE).exit_code == 0
    assert [p for p in PATHS.values() if (root / p).exists()] == [PATHS[kind]]
    text = (root / PATHS[kind]).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert bare_installs("\n".join(strings(data))) == []
    install, validate, env = scripts(kind, root)
    if kind == "gitlab":
        rules = [r["if"] for r in data["workflow"]["rules"]]
        assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules and "$CI_COMMIT_BRANCH" in rules
        assert "CI_MERGE_REQUEST_DIFF_BASE_SHA" in validate and "CI_COMMIT_BEFORE_SHA" in validate
    else:
        triggers = data.get("on", data.get(True))  # PyYAML reads the key `on` as true
        assert set(triggers) == {"push", "pull_request"}
        assert data["jobs"]["validate"]["steps"][0]["with"]["fetch-depth"] == 0
        assert env["BASE"] == "${{ github.event.pull_request.base.sha || github.event.before }}"
    assert "--changed-since" in validate

    folder, record = tools
    done = bash(install, root, folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert record.read_text(encoding="utf-8").split() == ["install", "--quiet", "--disable-pip-version-check", SOURCE]
    assert f"gridctl {__version__}, as gridctl.yaml pins" in done.stdout

    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    (root / "staff/S0001.yaml").write_text("kind: staff\nid: S0001\nname: 王芳\nphone: '123'\n", encoding="utf-8")
    for since in (base, "0" * 40, ""):  # a push or PR; a new branch; no base given
        checked = bash(validate, root, folder, BASE=since)
        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert "GC108" in checked.stdout and "staff/S0001.yaml" in checked.stdout


def test_ci_fails_loudly_when_the_installed_gridctl_is_not_the_pin(
    cli, tmp_path: Path, tools: tuple[Path, Path]
) -> None:
    root = tmp_path / "ledger"
    assert init(cli, root, "--gridctl-source", SOURCE).exit_code == 0
    install, _validate, _env = scripts("gitea", root)
    folder, _record = tools
    (folder / "gridctl").write_text('#!/bin/sh\necho "coming soon"\nexit 0\n', encoding="utf-8")  # the impostor
    done = bash(install, root, folder)
    assert done.returncode == 1
    assert f"::error::gridctl.yaml pins gridctl {__version__}, but this CI runs 'coming soon'" in done.stdout


@pytest.mark.parametrize(
    ("pin", "installed"),
    [
        (f'gridctl: {{version: "{__version__}", source: "{SOURCE}"}}\n', SOURCE),
        (f"gridctl:\r\n  version: {__version__}\r\n  source: '{SOURCE}'  # 内网镜像\r\n", SOURCE),
        (f'gridctl:\n  version: "{__version__}"\n  source: "gridctl=={__version__}"\n', None),
        (f'gridctl:\n  version: "{__version__}"\n  source: "gridctl[pdf]"\n', None),
        ("", None),
    ],
    ids=["flow-style", "crlf-and-comment", "bare-name-pinned", "bare-name-extra", "no-pin"],
)
def test_ci_reads_the_pin_as_a_clerk_may_write_it_and_refuses_a_bare_name(
    cli, tmp_path: Path, tools: tuple[Path, Path], pin: str, installed: str | None
) -> None:
    root = tmp_path / "ledger"
    assert init(cli, root, "--gridctl-source", SOURCE).exit_code == 0
    settings = root / "gridctl.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[: text.index("gridctl:\n")] + pin, encoding="utf-8", newline="")
    install, _validate, _env = scripts("gitea", root)
    folder, record = tools
    done = bash(install, root, folder)
    if installed is None:
        assert done.returncode == 1 and "::error::" in done.stderr, done.stdout + done.stderr
        assert not record.exists()  # pip was never asked
    else:
        assert done.returncode == 0, done.stdout + done.stderr
        assert record.read_text(encoding="utf-8").split()[-1] == installed


def test_init_pins_this_version_from_the_project_home_by_default(cli, tmp_path: Path) -> None:
    home = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Homepage"]
    root = tmp_path / "ledger"
    assert init(cli, root).exit_code == 0
    settings = yaml.safe_load((root / "gridctl.yaml").read_text(encoding="utf-8"))
    assert settings["gridctl"] == {"version": __version__, "source": f"git+{home}@v{__version__}"}
    assert settings["timezone"] == "Asia/Shanghai"
    assert (root / ".gitea/workflows/gridctl.yml").is_file()  # Gitea Actions: a server inside the network
    assert not (root / ".github").exists() and not (root / ".gitlab-ci.yml").exists()
    assert cli("-C", str(root), "validate").exit_code == 0


def test_init_refuses_a_bare_name_source_and_validate_reports_one(cli, tmp_path: Path) -> None:
    result = init(cli, tmp_path / "a", "--gridctl-source", "gridctl")
    assert result.exit_code == 2 and "bare name" in result.output and not (tmp_path / "a").exists()
    root = tmp_path / "b"
    assert init(cli, root, "--ci", "none").exit_code == 0
    assert not any((root / p).exists() for p in PATHS.values())
    settings = root / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        f"git+https://github.com/gridctl/gridctl@v{__version__}", "gridctl"), encoding="utf-8")
    result = cli("-C", str(root), "--lang", "en", "validate")
    assert result.exit_code == 1 and "GC014" in result.output and "bare name" in result.output


def test_nothing_in_the_project_installs_gridctl_by_its_bare_name() -> None:
    texts = [REPO / "README.md", REPO / ".pre-commit-hooks.yaml", *REPO.glob("docs/*.md"), *REPO.glob("scripts/*")]
    texts += [*REPO.glob("gridctl/**/*.py"), *REPO.glob("templates/*"), *REPO.glob("gridctl/profiles/*.yaml")]
    found = {str(p.relative_to(REPO)): bare_installs(p.read_text(encoding="utf-8")) for p in texts if p.is_file()}
    assert {k: v for k, v in found.items() if v} == {}
    assert bare_installs("pip install 'gridctl[pdf]'\npip install gridctl==0.1.0\n`pip3 install -U gridctl`") == [
        "pip install 'gridctl[pdf]'",
        "pip install gridctl==0.1.0",
        "`pip3 install -U gridctl`",
    ]
    assert bare_installs("pip install . && gridctl demo x\npip install 'git+https://x/gridctl@v1'") == []
