"""`gridctl init`: a new ledger as a git repository, ready for the clerk and for CI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from gridctl.data import data_dir
from gridctl.errors import EMPTY_FOLDER, GridctlError
from gridctl.i18n import Text
from gridctl.ledger.message import Author
from gridctl.ledger.profiles import profile_names

FOLDERS = ("grids", "staff", "households", "places", "orgs", "things", "events", "inspections", "photos", "templates")

SETTINGS = """\
# 网格化管理台账设置 (gridctl.yaml)
# 默认值来自方案 (profile: {profile})；这里只写本台账与方案不同的部分，
# 例如 vocabularies: {{roles: [...]}} 或 policy: {{households_per_staff: 100}}。
name: {name}
{region}profile: {profile}
# 台账的时区: 每个“今天”、日期界限和时间都按它计算，与电脑或 CI 服务器的时区无关
timezone: Asia/Shanghai
# supervision_phone: "12345"   # 监督电话，印在网格公示牌上
"""

PIN = """\
# 检查本台账所用的 gridctl：CI 从 source 安装，版本不符即失败（不从软件包索引按名称安装）
gridctl:
  version: {version}
  source: {source}
"""

GITATTRIBUTES = """\
# LF in git and on every PC: Git for Windows (core.autocrlf=true) would otherwise check YAML out as CRLF.
* text=auto
*.yaml text eol=lf
*.yml text eol=lf
*.json text eol=lf
*.html text eol=lf
photos/** binary
documents/**/*.pdf binary
documents/**/*.jpg binary
documents/**/*.jpeg binary
documents/**/*.png binary
*.xlsx binary
*.pdf binary
# 台账文件按记录和字段合并 (gridctl setup)
*.yaml merge=gridctl
*.yml merge=gridctl
.gridctl/printed.json merge=gridctl-prints
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
# git's own leftovers of a merge stopped half-way (the record merge driver's temporary files)
.merge_file_*
# gridctl's rejected-rows files next to imported sheets
*.rejected.*
"""

HOOKS_REPO = "https://github.com/gridctl/gridctl"
"""The project's home ([project.urls] Homepage in pyproject.toml): where the hooks and gridctl itself come from."""


def project_home() -> str:
    """The Homepage of the installed gridctl's metadata (pyproject's [project.urls]), else HOOKS_REPO."""
    from importlib import metadata

    try:
        urls = metadata.metadata("gridctl").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip()
    return HOOKS_REPO


def hooks_rev() -> str:
    """The release tag of the running gridctl, so the hook checks with the same version."""
    from gridctl import __version__

    return f"v{__version__}"


def default_source() -> str:
    """Where CI installs gridctl from by default: the project's own repository at this version's tag."""
    return f"git+{project_home()}@{hooks_rev()}"


PRE_COMMIT = """\
# Checks the ledger before every commit: `pip install pre-commit && pre-commit install` once.
# gridctl-check-files checks the changed files (fast); gridctl-validate the whole ledger;
# leak-guard keeps spreadsheets and plain ID numbers or mobiles out of files and commit messages.
default_install_hook_types: [pre-commit, commit-msg]
default_stages: [pre-commit]
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: gridctl-check-files
      - id: gridctl-validate
      - id: leak-guard
"""


def create_ledger(
    target: Path,
    name: str,
    profile: str,
    region_code: str | None,
    author: Author,
    hooks_repo: str | None = None,
    hooks_revision: str | None = None,
    ci: str = "gitea",
    gridctl_source: str | None = None,
) -> str:
    """Make TARGET a new ledger with one first commit; returns the commit id.

    The pre-commit hooks come from `hooks_repo` at `hooks_revision` (default: the project's home
    and the running version's tag); a local clone or mirror works as well. gridctl.yaml pins the
    gridctl that checks the ledger (this version, from `gridctl_source`, default the project's
    repository at its tag), and `ci` (gitea, gitlab, github or none) is the CI that installs it.
    """
    from gridctl import __version__
    from gridctl.model.settings import GridctlPin
    from gridctl.ops.ci import CHOICES

    if profile not in profile_names():
        raise GridctlError(
            Text(
                f"没有 {profile} 这种模板；可用: {'、'.join(profile_names())}",
                f"unknown profile {profile}; known: {', '.join(profile_names())}",
            )
        )
    if region_code is not None and not re.fullmatch(r"\d{6}", region_code):
        raise GridctlError(
            Text(
                f"--code 应为 6 位行政区划代码 (GB/T 2260)，如 110105，而不是 {region_code!r}",
                f"--code must be a 6-digit region code (GB/T 2260), e.g. 110105, got {region_code!r}",
            )
        )
    if ci not in CHOICES:
        raise GridctlError(
            Text(
                f"--ci 可选 {'、'.join(CHOICES)}，不能是 {ci!r}",
                f"--ci must be one of {', '.join(CHOICES)}, got {ci!r}",
            )
        )
    source = gridctl_source or default_source()
    try:
        GridctlPin(version=__version__, source=source)
    except ValueError as exc:
        detail = exc.errors()[0]["msg"] if hasattr(exc, "errors") else str(exc)  # type: ignore[union-attr]
        raise GridctlError(Text(f"--gridctl-source 有误: {detail}", f"--gridctl-source: {detail}")) from None
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise GridctlError(Text(f"{target} 不是空文件夹", f"{target} is not empty"), hint=EMPTY_FOLDER)
    made = _topmost_missing(target)
    target.mkdir(parents=True, exist_ok=True)
    try:
        return _fill(target, name, profile, region_code, author, hooks_repo, hooks_revision, ci, source)
    except BaseException:  # a refused author date, a full disk, Ctrl-C: the folder as it was, so init can run again
        _undo(target, made)
        raise


def _fill(
    target: Path,
    name: str,
    profile: str,
    region_code: str | None,
    author: Author,
    hooks_repo: str | None,
    hooks_revision: str | None,
    ci: str,
    source: str,
) -> str:
    """The files, the repository and its first commit in the empty folder TARGET; returns the commit id."""
    from gridctl import __version__
    from gridctl.ledger.gitrepo import run_git
    from gridctl.ops.ci import ci_file

    region = f'region_code: "{region_code}"\n' if region_code else ""
    settings = SETTINGS.format(name=_quote(name), region=region, profile=profile)
    files = {
        "gridctl.yaml": settings + _calendar(profile) + PIN.format(version=_quote(__version__), source=_quote(source)),
        ".gitattributes": GITATTRIBUTES,
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": PRE_COMMIT.format(
            repo=hooks_repo or project_home(), rev=_quote(hooks_revision or hooks_rev())
        ),
    }
    workflow = ci_file(ci)
    if workflow is not None:
        files[workflow[0]] = workflow[1]
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    for folder in FOLDERS:
        (target / folder).mkdir(exist_ok=True)
        (target / folder / ".gitkeep").write_bytes(b"")
    shutil.copytree(data_dir("schemas"), target / "schemas")
    run_git(target, "init", "-q")
    from gridctl.merge.setup import configure

    configure(target)
    run_git(target, "add", "-A")
    # git itself commits, so GIT_AUTHOR_DATE is read as git reads it (ISO 8601, RFC 2822, @epoch …)
    who = {f"GIT_{role}_{part}": value for role in ("AUTHOR", "COMMITTER")
           for part, value in (("NAME", author.name), ("EMAIL", author.email))}  # fmt: skip
    message = f"建立台账：{name}\n".encode()  # as every subject: Chinese
    commit = ("-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-F", "-")
    run_git(target, *commit, input=message, env=who)
    return run_git(target, "rev-parse", "HEAD").decode("ascii").strip()


def _topmost_missing(target: Path) -> Path | None:
    """The highest folder on the way to TARGET that does not exist yet: init makes it, and removes it
    again when it fails."""
    top = None
    for folder in (target, *target.parents):
        if folder.exists():
            break
        top = folder
    return top


def _undo(target: Path, made: Path | None) -> None:
    """Remove what a failed init wrote: the folders it made, or what it put in the empty folder it was given."""
    import os
    import stat

    def writable(func, path, _exc) -> None:  # type: ignore[no-untyped-def]
        os.chmod(path, stat.S_IWRITE)  # git's objects are read-only, which stops a removal on Windows
        func(path)

    if made is not None:
        shutil.rmtree(made, onerror=writable)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, onerror=writable)
        else:
            child.unlink()


def _calendar(profile: str) -> str:
    from gridctl.ledger.profiles import profile_defaults

    inspections = ((profile_defaults(profile) or {}).get("supervision") or {}).get("inspections") or {}
    return CALENDAR if inspections.get("on") == "school_days" else ""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
