"""`gridctl init`: a new ledger as a git repository, ready for the clerk and for CI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from gridctl.data import data_dir
from gridctl.errors import GridctlError
from gridctl.ledger.config import profile_names
from gridctl.ledger.message import Author

FOLDERS = ("grids", "staff", "households", "places", "orgs", "things", "events", "inspections", "photos", "templates")

SETTINGS = """\
# 网格化管理台账设置 (gridctl.yaml)
# 默认值来自方案 (profile: {profile})；这里只写本台账与方案不同的部分，
# 例如 vocabularies: {{roles: [...]}} 或 policy: {{households_per_staff: 100}}。
name: {name}
{region}profile: {profile}
# supervision_phone: "12345"   # 监督电话，印在网格公示牌上
"""

GITATTRIBUTES = """\
* text=auto
*.yaml text
*.yml text
photos/** binary
documents/**/*.pdf binary
documents/**/*.jpg binary
documents/**/*.jpeg binary
documents/**/*.png binary
*.xlsx binary
# 台账文件按记录和字段合并 (gridctl setup)
*.yaml merge=gridctl
*.yml merge=gridctl
"""

CALENDAR = """\
# 校历: 只有学期内的工作日需要巡查 (寒暑假、周末和法定节假日不巡查)。每学期开学前填好:
# calendar:
#   terms:
#     - {name: 2025—2026学年第二学期, start: 2026-03-02, end: 2026-07-10}
#   vacations:
#     - {name: 暑假, start: 2026-07-11, end: 2026-08-31}
"""
"""Written into gridctl.yaml for a profile that inspects on school days only."""

GITIGNORE = """\
# editor and Office leftovers
~$*
*.tmp
.gridctl-*
# gridctl's rejected-rows files next to imported sheets
*.rejected.*
"""

HOOKS_REPO = "https://github.com/gridctl/gridctl"
"""The project's home ([project.urls] Homepage in pyproject.toml): where the pre-commit hooks live."""


def hooks_rev() -> str:
    """The release tag of the running gridctl, so the hook checks with the same version."""
    from gridctl import __version__

    return f"v{__version__}"


GITHUB = """\
# gridctl on the ledger: on a pull request only what it changes (and what that breaks),
# on the main branch the whole ledger.
name: gridctl
on:
  push:
    branches: [main, master]
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install gridctl
      - name: gridctl validate --changed-since (pull request)
        if: github.event_name == 'pull_request'
        run: gridctl validate --format github --changed-since "origin/${{ github.base_ref }}"
      - name: gridctl validate (whole ledger)
        if: github.event_name != 'pull_request'
        run: gridctl validate --format github
"""

GITLAB = """\
validate:
  image: python:3.11
  variables:
    GIT_DEPTH: 0
  script:
    - pip install gridctl
    - |
      if [ -n "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" ]; then
        git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
        gridctl validate --format text --changed-since "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
      else
        gridctl validate --format text
      fi
"""

PRE_COMMIT = """\
# Checks the ledger before every commit: `pip install pre-commit && pre-commit install` once.
# gridctl-check-files checks the changed files (fast); gridctl-validate the whole ledger.
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: gridctl-check-files
      - id: gridctl-validate
"""


def create_ledger(
    target: Path,
    name: str,
    profile: str,
    region_code: str | None,
    author: Author,
    hooks_repo: str | None = None,
    hooks_revision: str | None = None,
) -> str:
    """Make TARGET a new ledger with one first commit; returns the commit id.

    The pre-commit hooks come from `hooks_repo` at `hooks_revision` (default: the project's home
    and the running version's tag); a local clone or mirror works as well.
    """
    import git

    if profile not in profile_names():
        raise GridctlError(f"unknown profile {profile}; known: {', '.join(profile_names())}")
    if region_code is not None and not re.fullmatch(r"\d{6}", region_code):
        raise GridctlError(f"--code must be a 6-digit region code (GB/T 2260), e.g. 110105, got {region_code!r}")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise GridctlError(f"{target} is not empty / 目录不为空", hint="give a new or empty folder")
    target.mkdir(parents=True, exist_ok=True)
    region = f'region_code: "{region_code}"\n' if region_code else ""
    files = {
        "gridctl.yaml": SETTINGS.format(name=_quote(name), region=region, profile=profile) + _calendar(profile),
        ".gitattributes": GITATTRIBUTES,
        ".gitignore": GITIGNORE,
        ".github/workflows/gridctl.yml": GITHUB,
        ".gitlab-ci.yml": GITLAB,
        ".pre-commit-config.yaml": PRE_COMMIT.format(
            repo=hooks_repo or HOOKS_REPO, rev=_quote(hooks_revision or hooks_rev())
        ),
    }
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    for folder in FOLDERS:
        (target / folder).mkdir(exist_ok=True)
        (target / folder / ".gitkeep").write_bytes(b"")
    shutil.copytree(data_dir("schemas"), target / "schemas")
    repo = git.Repo.init(target)
    from gridctl.merge.setup import configure

    configure(target)
    repo.git.add(A=True)
    actor = git.Actor(author.name, author.email)
    return repo.index.commit(f"init ledger: {name}", author=actor, committer=actor).hexsha


def _calendar(profile: str) -> str:
    from gridctl.ledger.config import profile_defaults

    inspections = ((profile_defaults(profile) or {}).get("supervision") or {}).get("inspections") or {}
    return CALENDAR if inspections.get("on") == "school_days" else ""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
