"""Everything a clerk reads is in the chosen language: every command's --help, every message code,
every message gridctl raises, click's own usage errors. A string in the wrong script fails here.

Chinese text may name technical things in Latin letters (git, YAML, JSON, option names, file names);
English text may hold Chinese only in parentheses, quotes or examples (e.g. …), or the few data
words a clerk types (a name, a column header) listed in DATA_ZH.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gridctl.cli.commands import COMMANDS, build
from gridctl.cli.localize import localize
from gridctl.i18n import speaking
from gridctl.messages import CATALOG

from conftest import commands

REPO = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

LATIN_IN_ZH = {
    "gridctl",
    "git",
    "yaml",
    "json",
    "csv",
    "html",
    "pdf",
    "xlsx",
    "xls",
    "ods",
    "github",
    "gitea",
    "gitlab",
    "none",
    "text",
    "table",
    "auto",
    "graphviz",
    "weasyprint",
    "pango",
    "schema",
    "head",
    "ci",
    "pre-commit",
    "household",
    "staff",
    "place",
    "org",
    "grid",
    "person",
    "thing",
    "event",
    "inspection",
    "visit",
    "activity",
    "document",
    "due",
    "keys",
    "age",
    "encrypt",
    "audit",
    "reveals",
    "community",
    "town",
    "school-safety",
    "education",
    "fire-safety",
    "mine",
    "theirs",
    "ledger",
    "register",
    "yellow",
    "red",
    "review",
    "filing",
    "report",
    "reviewed-by",
    "jpeg",
    "png",
    "utf-8",
    "gbk",
    "excel",
    "wps",
    "sync",
    "bundle",
    "usb",
    "qr",
    "zh",
    "en",
    "show",
    "add",
    "edit",
    "move",
    "list",
    "print",
    "setup",
    "init",
    "photo",
    "validate",
    "tag",
    "commit",
    "fetch",
    "unshallow",
    "switch",
    "checkout",
    "main",
    "merge",
    "abort",
    "rebase",
    "continue",
    "cherry-pick",
    "revert",
    "bisect",
    "reset",
    "status",
    "config",
    "global",
    "safe",
    "directory",
    "remote",
    "origin",
    "diff",
    "import",
    "export",
    "rejected",
    "apt-get",
    "install",
    "brew",
    "dnf",
    "pacman",
    "cask",
    "font",
    "noto",
    "sans",
    "cjk",
    "sc",
    "pingfang",
    "microsoft",
    "yahei",
    "simhei",
    "windows",
    "msys",
    "mingw",
    "python",
    "pip",
    "fc-list",
    "lang",
    "fonts",
    "name",
    "email",
    "user",
    "debian",
    "ubuntu",
    "fedora",
    "macos",
    "timezone",
    "asia",
    "shanghai",
    "iana",
    "supervision_phone",
    "tzdata",
    "path",
    "gitattributes",
    "rev",
    "id_type",
    "extra",
    "address",
    "room",
    "boundary",
    "phones",
    "phone",
    "id",
}
"""Latin words Chinese text may use: tools, formats, commands, values a clerk types as they are."""

DATA_ZH = {
    "姓名",
    "性别",
    "公民身份号码",
    "初始台账",
    "王芳",
    "东至",
    "西至",
    "南至",
    "北至",
    "微软雅黑",
    "黑体",
    "年",
    "月",
    "日",
    "另存为",
    "逗号分隔",
    "工作簿",
    "描述",
    "网格长",
    "网格员",
    "楼栋长",
}
"""Chinese English text may hold as data: headers, names, words a clerk types or sees in Excel."""


def zh_wrong(text: str) -> list[str]:
    """English words in a Chinese text (code, options, paths, examples and known names aside)."""
    if not CJK.search(text):
        return [text]
    stripped = re.sub(r"`[^`]*`|“[^”]*”|\"[^\"]*\"|'[^']*'|<[^>]*>|\{[^}]*\}|\[[^]]*\]", " ", text)
    stripped = re.sub(r"(?<![\w-])--?[\w-]+(=\S*)?|\S*[/.=@:\\_]\S*|\b[A-Z][A-Z0-9_|-]+\b", " ", stripped)
    stripped = re.sub(r"如\s*[^。；，、)]*", " ", stripped)  # an example is the value as typed
    words = re.findall(r"[A-Za-z][A-Za-z-]{2,}", stripped)
    return [w for w in words if w.lower() not in LATIN_IN_ZH]


def en_wrong(text: str) -> list[str]:
    """Chinese in an English text outside parentheses, quotes and examples, data words aside."""
    stripped = re.sub(r"\([^()]*\)|（[^（）]*）|“[^”]*”|\"[^\"]*\"|'[^']*'|`[^`]*`|\{[^}]*\}", " ", text)
    stripped = re.sub(r"e\.g\.[^;]*", " ", stripped)
    return [run for run in re.findall(f"[{CJK.pattern[1:-1]}]+", stripped) if run not in DATA_ZH]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_text_is_in_the_language(lang: str) -> None:
    from typer.main import get_command

    from gridctl.cli.main import app

    wrong = zh_wrong if lang == "zh" else en_wrong
    found = []
    with speaking(lang):
        root = get_command(app)
        localize(root, lang)
        for path, command in [("gridctl", root), *commands()]:
            localize(command, lang, top=command is root)
            texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]  # type: ignore[attr-defined]
            found += [(path, t, bad) for t in texts if t for bad in [wrong(t)] if bad]
    assert not found, "\n".join(f"{p}: {t!r}: {b}" for p, t, b in found)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_page_speaks_the_language(cli, lang: str) -> None:
    """Click's own words too: Usage, Options, [default: …], [required], the --help option."""
    english = ("Usage:", "Options:", "Arguments:", "Commands:", "[default:", "[required]", "Show this message")
    chinese = ("用法", "选项:", "参数:", "命令:", "[默认", "[必填]", "显示本帮助")
    for path, _command in [("", None), *commands()]:
        result = cli(*path.split(), "--help", "--lang", lang)
        assert result.exit_code == 0, (path, result.output)
        for word in english if lang == "zh" else chinese:
            assert word not in result.output, f"gridctl {path} --help --lang {lang}: {word}"
        assert "<list[" not in result.output, f"gridctl {path} --help: a repeatable option's type reads like code"


def test_every_message_code_in_both_languages() -> None:
    for code, spec in CATALOG.items():
        for text in (spec.zh, spec.hint_zh):
            assert text is None or CJK.search(text), f"{code}: {text!r}"
        for text in (spec.en, spec.hint_en):
            assert text is None or not en_wrong(text), f"{code}: {text!r}"
        args = {"value": "X", "field": "name", "kind": "grid", "count": 2}
        assert spec.render("zh", args) != spec.render("en", args) or not CJK.search(spec.zh)


def _texts() -> list[tuple[str, int, list[str], list[str]]]:
    """(file, line, Chinese parts, English parts) of every Text(zh, en) in the code."""

    def parts(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        if isinstance(node, ast.BinOp):
            return parts(node.left) + parts(node.right)
        return []

    out = []
    for path in sorted((REPO / "gridctl").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text" and len(node.args) == 2:
                out.append((str(path.relative_to(REPO)), node.lineno, parts(node.args[0]), parts(node.args[1])))
    return out


def test_every_message_gridctl_raises_is_written_in_both_languages() -> None:
    texts = _texts()
    assert len(texts) > 200  # the mechanism is used everywhere, not in a corner
    for file, line, zh, en in texts:
        assert not zh or any(CJK.search(z) for z in zh) or not "".join(zh).strip(), f"{file}:{line}: {zh}"
        assert not [bad for e in en for bad in en_wrong(e)], f"{file}:{line}: {en}"


ERRORS = {
    "GridctlError",
    "WriteRejected",
    "LedgerNotFound",
    "OutputRefused",
    "NotAnswered",
    "StepRefused",
    "NotOnDuty",
    "LockHeld",
    "UnknownName",
    "AmbiguousName",
    "DirtyFiles",
    "Interrupted",
    "KeptEdits",
    "GitFailed",
    "DubiousOwnership",
    "UnsafeName",
    "Unfinished",
    "TableError",
    "MappingError",
}


def test_no_error_is_raised_in_one_language() -> None:
    """A GridctlError gets a Text (or a value that is the same in both, passed on): never a bare literal."""
    found = []
    for path in sorted((REPO / "gridctl").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ERRORS:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant | ast.JoinedStr):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not found, found


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["list", "grid", "--foramt", "json"], "没有这个选项: --foramt (是不是要用: --format)", "No such option"),
        (["retire", "H000001"], "缺少选项 '--reason'", "Missing option '--reason'"),
        (["stauts"], "是不是要用 'status'", "Did you mean 'status'"),
        (["list"], "缺少参数 '类别'", "Missing argument 'KIND'"),
        (["due", "-f", "xml"], "'xml' 不是可选的值", "'xml' is not one of"),
        (["spot-check", "--month", "2026-03", "--sample", "0"], "应大于或等于 1", "greater than or equal to 1"),
        (["show", "H000001", "张伟"], "多余的参数: 张伟", "unexpected extra argument"),
    ],
)
def test_usage_errors_in_both_languages(cli, args: list[str], zh: str, en: str) -> None:
    said_zh = cli(*args, "--lang", "zh")
    assert said_zh.exit_code == 2 and zh in said_zh.output and "用法: gridctl" in said_zh.output, said_zh.output
    assert "Error" not in said_zh.output and "Usage" not in said_zh.output
    said_en = cli("--lang", "en", *args)
    assert said_en.exit_code == 2 and en in said_en.output and "Usage: gridctl" in said_en.output, said_en.output


def test_the_locale_chooses_the_language(cli) -> None:
    assert "用法" in cli("--help", env={"LANG": "zh_CN.UTF-8", "GRIDCTL_LANG": ""}).output
    assert "Usage" in cli("--help", env={"LANG": "en_US.UTF-8", "GRIDCTL_LANG": ""}).output
    assert "Usage" in cli("--help", "--lang", "en", env={"LANG": "zh_CN.UTF-8"}).output


def test_every_chinese_help_text_is_used() -> None:
    """An English help text changed leaves its old Chinese behind: the catalog holds only texts in use."""
    import inspect

    from typer.main import get_command

    from gridctl.cli.help_zh import HELP_ZH
    from gridctl.cli.main import app

    used = {help for _module, help in COMMANDS.values()} | {"Show this message and exit."}
    for _path, command in [("gridctl", get_command(app)), *commands(), ("merge-check", build("merge-check"))]:
        for text in [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]:  # type: ignore[attr-defined]
            clean = inspect.cleandoc(text)
            used |= {clean, clean.split("\n")[0]}
    assert not [key for key in HELP_ZH if key not in used]


def _takes(param: object) -> tuple[str, ...] | None:
    """The kinds of record a parameter names (its completion offers their ids), None for other values."""
    from gridctl.cli.complete import KINDS, record_ids

    complete = getattr(param, "_custom_shell_complete", None)
    for cell in getattr(complete, "__closure__", None) or ():
        inner = cell.cell_contents
        if inner is record_ids:
            return KINDS
        if hasattr(inner, "kinds"):
            return inner.kinds
    return None


def test_every_id_asked_for_says_whether_a_name_works_too() -> None:
    """Wherever a record is asked for, the help says what to give, the same way everywhere: the id or
    the name (编号或姓名 / 编码或名称) where gridctl.ledger.names finds it by name, the id or the title
    for an event or a document, the id or the grid and day for an inspection. Some said "Staff id of the
    inspector." while a name worked, or said nothing at all (show ID, event accept EVENT, inspect GRID)."""
    from gridctl.cli.help_zh import HELP_ZH
    from gridctl.ledger.names import NAMED, TITLED

    wrong, seen = [], 0
    for path, command in commands():
        for param in command.params:  # type: ignore[attr-defined]
            kinds = _takes(param)
            if kinds is None:
                continue
            seen += 1
            en = param.help or ""
            zh = HELP_ZH.get(en, "")
            if set(kinds) <= set(TITLED):
                ok = "id or title" in en and "编号或标题" in zh
            elif set(kinds) == {"inspection"}:
                ok = "its id, or its grid and day" in en and "写编号，或网格和日期" in zh
            elif set(kinds) & set(NAMED):
                ok = "id or name" in en and re.search(r"(编号|编码)或(姓名|名称)", zh)
            else:
                ok = re.search(r"\bid, e\.g\. [A-Z]\d", en) and re.search(r"编号，如 [A-Z]\d", zh)
            if not ok:
                wrong.append(f"gridctl {path} {param.name}: {en!r} / {zh!r}")
    assert seen > 40  # the walk found the parameters
    assert not wrong, "\n".join(wrong)
