"""`gridctl doctor`: what this computer has and lacks for gridctl, each with the fix a clerk can follow.

Machine: git (and its version), the time-zone data, WeasyPrint and Pango for PDF, a Chinese font,
Graphviz. Ledger (when there is one): git accepts the folder (ownership), the zone it keeps, a write
that was interrupted or is under way, the gridctl its CI pins against the one installed here, and
how Git for Windows' line endings (core.autocrlf) meet the ledger's .gitattributes.

Nothing here changes the ledger: an interrupted write is reported, not finished.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

OK, MISSING, WARN, INFO = "ok", "missing", "warn", "info"
GIT_MIN = (2, 25)
"""`git reset --pathspec-from-file` (every write uses it) came with git 2.25."""


@dataclass
class Finding:
    what: str
    status: str
    """ok, missing (something needed is not there: exit 1), warn (works, but see the fix), info."""
    found: str
    fix: str | None = None
    needed: bool = True
    """False for what only some commands need (PDF, the chart's layout)."""

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def examine(root: Path | None, platform: str = sys.platform) -> list[Finding]:
    """Every finding for this computer, and for the ledger at `root` when there is one."""
    findings = [_git(), _zone_data(), *_pdf(root), _graphviz()]
    if root is not None:
        findings += _ledger(root)
    return findings


def failed(findings: list[Finding]) -> bool:
    return any(f.status == MISSING and f.needed for f in findings)


# -- the machine -------------------------------------------------------------------------------


def _git() -> Finding:
    from gridctl.ledger.tools import GIT_MISSING_HINT, find_program

    exe = find_program("git")
    if exe is None:
        return Finding("git", MISSING, "not found on PATH / 未找到 git", GIT_MISSING_HINT)
    try:
        said = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return Finding("git", MISSING, f"{exe} does not run: {exc}", GIT_MISSING_HINT)
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", said)
    version = tuple(int(x) for x in m.groups() if x) if m else ()
    if version and version[:2] < GIT_MIN:
        need = ".".join(map(str, GIT_MIN))
        return Finding("git", MISSING, f"{said} ({exe}), older than {need}", f"install git {need} or newer")
    return Finding("git", OK, f"{said} ({exe})")


def _zone_data() -> Finding:
    from gridctl.ledger.clock import DEFAULT_ZONE, zone

    try:
        zone(DEFAULT_ZONE)
    except ValueError:
        return Finding(
            "time zones / 时区数据",
            MISSING,
            "no time-zone data on this computer",
            "reinstall gridctl with its dependencies (tzdata) / 重新安装 gridctl 及其依赖 (tzdata)",
        )
    return Finding("time zones / 时区数据", OK, "zone data present (tzdata)")


def _pdf(root: Path | None) -> list[Finding]:
    import warnings

    from gridctl.errors import GridctlError
    from gridctl.model.settings import DEFAULT_FONTS
    from gridctl.render import pdf

    try:
        with warnings.catch_warnings():  # "No fonts configured": the font finding below says it for the clerk
            warnings.simplefilter("ignore")
            pdf.load_weasyprint()
    except GridctlError as exc:
        return [Finding("PDF (WeasyPrint, Pango)", MISSING, exc.message, exc.hint, needed=False)]
    found = [Finding("PDF (WeasyPrint, Pango)", OK, "WeasyPrint and its libraries load", needed=False)]
    fonts = list(DEFAULT_FONTS)
    if root is not None:
        from gridctl.ledger.config import load_settings
        from gridctl.ledger.files import WorkTree

        settings, _problems = load_settings(WorkTree(root))
        if settings is not None:
            fonts = list(settings.fonts)
    chosen = pdf.choose_font(fonts)
    if chosen is None:
        found.append(
            Finding("PDF font / 中文字体", MISSING, "none of: " + ", ".join(fonts), pdf.font_fix(fonts), needed=False)
        )
    else:
        found.append(Finding("PDF font / 中文字体", OK, chosen, needed=False))
    return found


def _graphviz() -> Finding:
    from gridctl.ledger.tools import find_program

    dot = find_program("dot")
    if dot is None:
        fix = "install Graphviz (https://graphviz.org/download/); without it the chart is printed as a table"
        return Finding("Graphviz (dot)", WARN, "not found: the chart is a table", fix, needed=False)
    return Finding("Graphviz (dot)", OK, dot, needed=False)


# -- the ledger --------------------------------------------------------------------------------


def _ledger(root: Path) -> list[Finding]:
    from gridctl.ledger.gitrepo import DubiousOwnership, GitFailed, run_git

    out = [_zone(root), _pin(root)]
    if not (root / ".git").exists():
        return [*out, Finding("git repository", MISSING, f"{root} is not a git repository", "gridctl init makes one")]
    try:
        git_dir = Path(run_git(root, "rev-parse", "--absolute-git-dir").decode("utf-8", "replace").strip())
    except DubiousOwnership as exc:
        return [*out, Finding("ledger folder owner / 台账所有者", MISSING, exc.message, exc.hint)]
    except GitFailed as exc:
        return [*out, Finding("git repository", MISSING, exc.message, exc.hint)]
    return [*out, _writes(git_dir), _line_ends(root)]


def _zone(root: Path) -> Finding:
    from gridctl.ledger.clock import zone
    from gridctl.ledger.config import zone_name
    from gridctl.ledger.files import WorkTree

    name = zone_name(WorkTree(root))
    try:
        zone(name)
    except ValueError as exc:
        return Finding("ledger zone / 台账时区", MISSING, str(exc), "timezone: Asia/Shanghai in gridctl.yaml")
    return Finding("ledger zone / 台账时区", OK, f"{name}: every date is read in it, whatever this computer's zone")


def _pin(root: Path) -> Finding:
    from gridctl import __version__
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree

    settings, _problems = load_settings(WorkTree(root))
    what = "CI's gridctl / CI 的 gridctl"
    if settings is None:
        return Finding(what, WARN, "gridctl.yaml has errors", "run gridctl validate and fix them", needed=False)
    if settings.gridctl is None:
        fix = f'gridctl: {{version: "{__version__}", source: "git+…/gridctl@v{__version__}"}} in gridctl.yaml'
        return Finding(what, WARN, "gridctl.yaml pins no gridctl: CI cannot know which to install", fix, needed=False)
    pinned = settings.gridctl.version
    if pinned != __version__:
        fix = (
            f"install the pinned one here (python -m pip install \"{settings.gridctl.source}\"), or move the pin to "
            f"{__version__} / 本机与 CI 的 gridctl 版本不同，检查结果可能不同"
        )
        return Finding(what, WARN, f"CI runs {pinned} ({settings.gridctl.source}), this computer {__version__}", fix)
    return Finding(what, OK, f"{pinned} from {settings.gridctl.source}, the same as here")


def _writes(git_dir: Path) -> Finding:
    """An interrupted write (journal) or one under way (lock held)."""
    import json

    from filelock import FileLock, Timeout

    from gridctl.ledger.lock import LOCK_NAME, OWNER_NAME
    from gridctl.ledger.transaction import JOURNAL

    what = "writes / 写入"
    lock = FileLock(str(git_dir / LOCK_NAME), timeout=0, thread_local=False, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        try:
            owner = json.loads((git_dir / OWNER_NAME).read_text(encoding="utf-8"))
            who = f"{owner.get('command')} (pid {owner.get('pid')}, {owner.get('host')}, {owner.get('since')})"
        except (OSError, ValueError):
            who = "another gridctl"
        return Finding(what, WARN, f"{who} is writing now", "wait for it to finish", needed=False)
    except OSError as exc:
        return Finding(what, MISSING, f"cannot take the write lock: {exc.strerror or exc}", "make the folder writable")
    else:
        lock.release()
    if (git_dir / JOURNAL).is_file():
        return Finding(
            what,
            WARN,
            "a write was interrupted (power cut, closed window) / 有一次写入被中断",
            "run any gridctl command, e.g. gridctl status: it finishes the write first",
        )
    if (git_dir / OWNER_NAME).is_file():
        return Finding(what, OK, "no write under way (a note left by a killed gridctl is harmless)")
    return Finding(what, OK, "no write under way, none interrupted")


def _line_ends(root: Path) -> Finding:
    from gridctl.ledger.gitrepo import GitFailed, run_git

    what = "line endings / 换行符 (core.autocrlf)"
    try:
        autocrlf = run_git(root, "config", "--get", "core.autocrlf").decode().strip().lower()
    except GitFailed:
        autocrlf = ""  # not set
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8", errors="replace") if attributes.is_file() else ""
    lf = re.search(r"^\*\.yaml\s+.*eol=lf", text, re.M) is not None
    found = f"core.autocrlf={autocrlf or 'unset'}; .gitattributes {'keeps' if lf else 'does not keep'} YAML LF"
    if autocrlf == "true" and not lf:
        fix = "add the line `*.yaml text eol=lf` to .gitattributes and commit it (gridctl init writes it)"
        return Finding(what, WARN, found + ": YAML files are checked out CRLF (gridctl still commits LF)", fix)
    return Finding(what, OK, found)
