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
from dataclasses import dataclass
from pathlib import Path

from gridctl.i18n import Said, Text, say

OK, MISSING, WARN, INFO = "ok", "missing", "warn", "info"
GIT_MIN = (2, 25)
"""`git reset --pathspec-from-file` (every write uses it) came with git 2.25."""


@dataclass
class Finding:
    what: Said
    status: str
    """ok, missing (something needed is not there: exit 1), warn (works, but see the fix), info."""
    found: Said
    fix: Said | None = None
    needed: bool = True
    """False for what only some commands need (PDF, the chart's layout)."""

    @property
    def key(self) -> str:
        """A stable name for machines: `line_endings`, `ci_gridctl`, `pdf_font` (from the English words)."""
        words = re.sub(r"\([^)]*\)|'s\b", "", say(self.what, "en")).strip().lower()
        return re.sub(r"[^a-z0-9]+", "_", words).strip("_")

    def as_json(self, lang: str) -> dict[str, object]:
        return {
            "key": self.key,
            "what": say(self.what, lang),
            "status": self.status,
            "found": say(self.found, lang),
            "fix": say(self.fix, lang) if self.fix is not None else None,
            "needed": self.needed,
        }


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
        return Finding("git", MISSING, Text("未找到 git (不在 PATH 中)", "not found on PATH"), GIT_MISSING_HINT)
    try:
        said = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return Finding("git", MISSING, Text(f"{exe} 无法运行: {exc}", f"{exe} does not run: {exc}"), GIT_MISSING_HINT)
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", said)
    version = tuple(int(x) for x in m.groups() if x) if m else ()
    if version and version[:2] < GIT_MIN:
        need = ".".join(map(str, GIT_MIN))
        return Finding(
            "git",
            MISSING,
            Text(f"{said} ({exe})，版本低于 {need}", f"{said} ({exe}), older than {need}"),
            Text(f"安装 git {need} 或更新的版本", f"install git {need} or newer"),
        )
    return Finding("git", OK, f"{said} ({exe})")


def _zone_data() -> Finding:
    from gridctl.ledger.clock import DEFAULT_ZONE, zone

    try:
        zone(DEFAULT_ZONE)
    except ValueError:
        return Finding(
            ZONES,
            MISSING,
            Text("本机没有时区数据", "no time-zone data on this computer"),
            Text("重新安装 gridctl 及其依赖 (tzdata)", "reinstall gridctl with its dependencies (tzdata)"),
        )
    return Finding(ZONES, OK, Text("时区数据齐全 (tzdata)", "zone data present (tzdata)"))


ZONES = Text("时区数据", "time zones")
FONT = Text("PDF 中文字体", "PDF font")


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
        return [Finding("PDF (WeasyPrint, Pango)", MISSING, exc.said, exc.hint_said, needed=False)]
    loads = Text("WeasyPrint 及其系统库可以加载", "WeasyPrint and its libraries load")
    found = [Finding("PDF (WeasyPrint, Pango)", OK, loads, needed=False)]
    fonts = list(DEFAULT_FONTS)
    if root is not None:
        from gridctl.ledger.config import load_settings
        from gridctl.ledger.files import WorkTree

        settings, _problems = load_settings(WorkTree(root))
        if settings is not None:
            fonts = list(settings.fonts)
    chosen = pdf.choose_font(fonts)
    if chosen is None:
        listed = ", ".join(fonts)
        none = Text(f"以下字体都没有: {listed}", f"none of: {listed}")
        found.append(Finding(FONT, MISSING, none, pdf.font_fix(fonts), needed=False))
    else:
        found.append(Finding(FONT, OK, chosen, needed=False))
    return found


def _graphviz() -> Finding:
    from gridctl.ledger.tools import find_program

    dot = find_program("dot")
    if dot is None:
        fix = Text(
            "安装 Graphviz (https://graphviz.org/download/)；没有它，责任图打印成表格",
            "install Graphviz (https://graphviz.org/download/); without it the chart is printed as a table",
        )
        found = Text("未找到: 责任图将是表格", "not found: the chart is a table")
        return Finding("Graphviz (dot)", WARN, found, fix, needed=False)
    return Finding("Graphviz (dot)", OK, dot, needed=False)


# -- the ledger --------------------------------------------------------------------------------


def _ledger(root: Path) -> list[Finding]:
    from gridctl.ledger.gitrepo import DubiousOwnership, GitFailed, run_git

    out = [_zone(root), _pin(root)]
    if not (root / ".git").exists():
        found = Text(f"{root} 不是 git 仓库", f"{root} is not a git repository")
        return [*out, Finding(REPOSITORY, MISSING, found, Text("gridctl init 会建立", "gridctl init makes one"))]
    try:
        git_dir = Path(run_git(root, "rev-parse", "--absolute-git-dir").decode("utf-8", "replace").strip())
    except DubiousOwnership as exc:
        return [*out, Finding(Text("台账文件夹所有者", "ledger folder owner"), MISSING, exc.said, exc.hint_said)]
    except GitFailed as exc:
        return [*out, Finding(REPOSITORY, MISSING, exc.said, exc.hint_said)]
    return [*out, _writes(git_dir), _line_ends(root)]


REPOSITORY = Text("git 仓库", "git repository")


def _zone(root: Path) -> Finding:
    from gridctl.ledger.clock import zone
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.profiles import zone_name

    name = zone_name(WorkTree(root))
    try:
        zone(name)
    except ValueError as exc:
        fix = Text("在 gridctl.yaml 中写 timezone: Asia/Shanghai", "timezone: Asia/Shanghai in gridctl.yaml")
        return Finding(LEDGER_ZONE, MISSING, str(exc), fix)
    found = Text(
        f"{name}: 所有日期都按它计算，与本机时区无关",
        f"{name}: every date is read in it, whatever this computer's zone",
    )
    return Finding(LEDGER_ZONE, OK, found)


LEDGER_ZONE = Text("台账时区", "ledger zone")


def _pin(root: Path) -> Finding:
    from gridctl import __version__
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree

    settings, _problems = load_settings(WorkTree(root))
    what = Text("CI 的 gridctl", "CI's gridctl")
    if settings is None:
        return Finding(
            what,
            WARN,
            Text("gridctl.yaml 有误", "gridctl.yaml has errors"),
            Text("运行 gridctl validate 并改正", "run gridctl validate and fix them"),
            needed=False,
        )
    if settings.gridctl is None:
        from gridctl.ops.init import default_source

        # a line that can be pasted as it is: the project's repository at this version's tag
        pin = f'gridctl: {{version: "{__version__}", source: "{default_source()}"}}'
        fix = Text(
            f"把这一行加到 gridctl.yaml 末尾: {pin} (内网有镜像时，把 source 换成镜像地址)",
            f"add this line at the end of gridctl.yaml: {pin} (a mirror inside the network: its address as source)",
        )
        found = Text(
            "gridctl.yaml 没有固定 gridctl 版本: CI 不知道该安装哪个",
            "gridctl.yaml pins no gridctl: CI cannot know which to install",
        )
        return Finding(what, WARN, found, fix, needed=False)
    pinned, source = settings.gridctl.version, settings.gridctl.source
    if pinned != __version__:
        fix = Text(
            f'在本机安装固定的版本 (python -m pip install "{source}")，或把固定版本改为 {__version__}；'
            "本机与 CI 的 gridctl 版本不同，检查结果可能不同",
            f'install the pinned one here (python -m pip install "{source}"), or move the pin to {__version__}',
        )
        found = Text(
            f"CI 用 {pinned} ({source})，本机是 {__version__}",
            f"CI runs {pinned} ({source}), this computer {__version__}",
        )
        return Finding(what, WARN, found, fix)
    return Finding(what, OK, Text(f"{pinned}，来自 {source}，与本机相同", f"{pinned} from {source}, the same as here"))


def _writes(git_dir: Path) -> Finding:
    """An interrupted write (journal) or one under way (lock held)."""
    import json

    from filelock import FileLock, Timeout

    from gridctl.ledger.lock import LOCK_NAME, OWNER_NAME
    from gridctl.ledger.transaction import JOURNAL

    what = Text("写入", "writes")
    lock = FileLock(str(git_dir / LOCK_NAME), timeout=0, thread_local=False, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        try:
            owner = json.loads((git_dir / OWNER_NAME).read_text(encoding="utf-8"))
            who = f"{owner.get('command')} (pid {owner.get('pid')}, {owner.get('host')}, {owner.get('since')})"
        except (OSError, ValueError):
            who = "gridctl"
        found = Text(f"{who} 正在写入", f"{who} is writing now")
        return Finding(what, WARN, found, Text("等它完成", "wait for it to finish"), needed=False)
    except OSError as exc:
        reason = exc.strerror or exc
        return Finding(
            what,
            MISSING,
            Text(f"无法加写入锁: {reason}", f"cannot take the write lock: {reason}"),
            Text("让该文件夹可写", "make the folder writable"),
        )
    else:
        lock.release()
    if (git_dir / JOURNAL).is_file():
        return Finding(
            what,
            WARN,
            Text("有一次写入被中断 (断电、关了窗口)", "a write was interrupted (power cut, closed window)"),
            Text(
                "运行任意 gridctl 命令 (如 gridctl status)，它会先补完这次写入",
                "run any gridctl command, e.g. gridctl status: it finishes the write first",
            ),
        )
    if (git_dir / OWNER_NAME).is_file():
        return Finding(
            what,
            OK,
            Text(
                "没有正在进行的写入 (被强行结束的 gridctl 留下的记录无害)",
                "no write under way (a note left by a killed gridctl is harmless)",
            ),
        )
    return Finding(what, OK, Text("没有正在进行或被中断的写入", "no write under way, none interrupted"))


def _line_ends(root: Path) -> Finding:
    from gridctl.ledger.gitrepo import GitFailed, run_git

    what = Text("换行符 (core.autocrlf)", "line endings (core.autocrlf)")
    try:
        autocrlf = run_git(root, "config", "--get", "core.autocrlf").decode().strip().lower()
    except GitFailed:
        autocrlf = ""  # not set
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8", errors="replace") if attributes.is_file() else ""
    lf = re.search(r"^\*\.yaml\s+.*eol=lf", text, re.M) is not None
    setting = f"core.autocrlf={autocrlf or 'unset'}"
    found = Text(
        f"{setting}；.gitattributes {'规定' if lf else '没有规定'} YAML 用 LF",
        f"{setting}; .gitattributes {'keeps' if lf else 'does not keep'} YAML LF",
    )
    if autocrlf == "true" and not lf:
        fix = Text(
            "在 .gitattributes 中加一行 `*.yaml text eol=lf` 并提交 (gridctl init 会写)",
            "add the line `*.yaml text eol=lf` to .gitattributes and commit it (gridctl init writes it)",
        )
        more = Text(
            ": YAML 文件检出为 CRLF (gridctl 仍提交 LF)",
            ": YAML files are checked out CRLF (gridctl still commits LF)",
        )
        return Finding(what, WARN, found + more, fix)
    return Finding(what, OK, found)
