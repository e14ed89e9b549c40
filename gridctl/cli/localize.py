"""The command line itself in the clerk's language: help pages, usage lines and click's own errors.

Help texts are written in English in the command modules and translated from one catalog
(gridctl.cli.help_zh, keyed by the English text, as gettext is); what click and Typer print
themselves (Usage:, Options:, [default: …], Missing option …) is translated where it is written
out — in the help formatter and in the one place usage errors are shown — so no library
internals are patched. tests/test_language.py walks every command's --help in both languages.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from typing import Any

from gridctl.i18n import current

SECTIONS = {
    "Usage: ": "用法: ",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
}

METAVARS = {
    "OPTIONS": "选项",
    "COMMAND": "命令",
    "ARGS": "参数",
    "str": "文本",
    "text": "文本",
    "TEXT": "文本",
    "int": "整数",
    "INTEGER": "整数",
    "float": "数字",
    "FLOAT": "数字",
    "path": "路径",
    "PATH": "路径",
    "FILE": "文件",
    "DIR": "目录",
    "SECONDS": "秒数",
    "ID": "编号",
    "kind": "类别",
    "KIND": "类别",
    "GRID": "网格",
    "STAFF": "人员",
    "HOUSEHOLD": "户",
    "EVENT": "事件",
    "DOCUMENT": "文件",
    "AGE_PUBLIC_KEY": "公钥",
    "NAME": "名称",
    "URL": "地址",
    "BRANCH": "分支",
    "DATE": "日期",
    "MONTH": "月份",
    "LEVEL": "层级",
    "ORG": "组织",
    "REASON": "原因",
    "REV": "版本",
    "YYYY-MM-DD": "年-月-日",
    "YYYY-MM": "年-月",
    "VALUE": "值",
    "FIELD": "字段",
    "TARGET": "目标目录",
    "SOURCE": "来源",
    "MAP": "对照表",
    "CHOICE": "选择",
    "SHELL": "终端类型",
}

HELP_EXTRAS = [
    (r"(?s)\[default: (.*?)\]", r"[默认: \1]"),
    (r"\[required\]", "[必填]"),
    (r"(?s)\[env var: (.*?)\]", r"[环境变量: \1]"),
    (r"\(dynamic\)", "(动态)"),
    (r"\bx>=(\S+?)\b", r"≥\1"),
]
"""Patterns as text, here and below: `re` compiles one when it is first used (and keeps it), so a
command that shows no help and makes no usage error compiles none of them."""

ERRORS: list[tuple[str, str]] = [
    (r"No such option: (\S+)", r"没有这个选项: \1"),
    (r"\(Possible options: (.+?)\)", r"(是不是要用: \1)"),
    (r"Did you mean (.+?)\?", r"是不是要用 \1？"),
    (r"No such command '(.+?)'\.?\s*", r"没有这个命令: '\1'。"),
    (r"Missing command\.", "缺少命令。"),
    (r"Missing option (.+?)\.(?= |$)", r"缺少选项 \1。"),
    (r"Missing argument (.+?)\.(?= |$)", r"缺少参数 \1。"),
    (r"Missing parameter:? (.+)", r"缺少参数 \1"),
    (r"Invalid value for (.+?): ", r"\1 的值无效: "),
    (r"Invalid value: ", "值无效: "),
    (r"Value error, ", ""),
    (r"'(.*?)' is not one of (.+?)\.$", r"'\1' 不是可选的值，可选: \2。"),
    (r"Choose from:? (.+)", r"可选: \1"),
    (r"Input should be greater than or equal to (\S+)", r"应大于或等于 \1"),
    (r"Input should be less than or equal to (\S+)", r"应小于或等于 \1"),
    (r"Input should be greater than (\S+)", r"应大于 \1"),
    (r"Input should be a valid number, unable to parse string as a number", "应为数字"),
    (r"Input should be a valid integer, unable to parse string as an integer", "应为整数"),
    (r"Input should be a valid (\w+).*", r"格式不对 (\1)"),
    (r"'(.*?)' is not a valid integer(?: range)?\.?", r"'\1' 不是整数。"),
    (r"'(.*?)' is not a valid float(?: range)?\.?", r"'\1' 不是数字。"),
    (r"'(.*?)' is not a valid boolean\.?", r"'\1' 不是是/否。"),
    (r"Value '(.*?)' is not a valid (.+?)\.", r"'\1' 格式不对 (\2)。"),
    (r"(\S+) is not in the range (.+?)\.?$", r"\1 超出范围 \2。"),
    (r"Option '(.+?)' requires an argument\.", r"选项 '\1' 后面需要一个值。"),
    (r"Option '(.+?)' requires (\d+) arguments\.", r"选项 '\1' 后面需要 \2 个值。"),
    (r"Option '(.+?)' does not take a value\.", r"选项 '\1' 不带值。"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", r"多余的参数: \1"),
    (r"(Path|File|Directory) '(.+?)' does not exist\.", r"'\2' 不存在。"),
    (r"(Path|File|Directory) '(.+?)' is a directory\.", r"'\2' 是文件夹。"),
    (r"(Path|File|Directory) '(.+?)' is a file\.", r"'\2' 是文件，不是文件夹。"),
    (r"(Path|File|Directory) '(.+?)' is not readable\.", r"'\2' 不可读。"),
    (r"(Path|File|Directory) '(.+?)' is not writable\.", r"'\2' 不可写。"),
    (r"Could not open file (.+?): (.+)", r"无法打开文件 \1: \2"),
]


def zh_help(text: str | None) -> str | None:
    """The Chinese of an English help text (the whole text, else its first line), or None."""
    from gridctl.cli.help_zh import HELP_ZH

    if not text:
        return None
    clean = inspect.cleandoc(text)
    return HELP_ZH.get(clean) or HELP_ZH.get(clean.split("\n")[0])


def _words(text: str) -> str:
    """Metavars and usage placeholders (ID, <str>, COMMAND [ARGS]...) in Chinese."""

    def one(m: re.Match[str]) -> str:
        return METAVARS.get(m.group(0), m.group(0))

    return re.sub(r"YYYY-MM-DD|YYYY-MM|[A-Za-z_]+", one, text)


def _term(term: str) -> str:
    """`-o, --output FILE` → `-o, --output 文件`: option names stay, their metavars are translated."""
    parts = term.split(" ")
    return " ".join(p if p.startswith("-") or "|" in p else _words(p) for p in parts)


def formatter_class(base: type) -> type:
    """`base` (click's HelpFormatter) writing its fixed words in the command's language."""
    cached = _FORMATTERS.get(base)
    if cached is not None:
        return cached

    class Formatter(base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            if current() == "zh":
                args, prefix = _words(args), SECTIONS["Usage: "]
            super().write_usage(prog, args, prefix)

        def section(self, name: str):  # type: ignore[no-untyped-def]
            return super().section(SECTIONS.get(name, name) if current() == "zh" else name)

        def write_heading(self, heading: str) -> None:
            super().write_heading(SECTIONS.get(heading, heading) if current() == "zh" else heading)

        def write_text(self, text: str) -> None:
            indent = " " * self.current_indent
            for i, paragraph in enumerate(re.split(r"\n\s*\n", text.strip())):
                if i:
                    self.write("\n")
                for line in wrap(unfold(paragraph), self.width - self.current_indent):
                    self.write(f"{indent}{line}\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # type: ignore[no-untyped-def]
            """click's definition list, measured in display columns (a Chinese character takes two)."""
            rows = [(re.sub(_LIST, r"<\1>", term), text) for term, text in rows]  # repeatable: its help says so
            if current() == "zh":
                rows = [(_term(term), _extras(zh_help(text) or text)) for term, text in rows]
            if not rows:
                return
            first_col = min(max(width(term) for term, _ in rows), col_max) + col_spacing
            margin = " " * (first_col + self.current_indent)
            for term, text in rows:
                self.write(f"{'':>{self.current_indent}}{term}")
                if not text:
                    self.write("\n")
                    continue
                if width(term) <= first_col - col_spacing:
                    self.write(" " * (first_col - width(term)))
                else:
                    self.write("\n" + margin)
                lines = wrap(unfold(text), max(self.width - first_col - 2, 10)) or [""]
                self.write(lines[0] + "\n" + "".join(f"{margin}{line}\n" for line in lines[1:]))

    _FORMATTERS[base] = Formatter
    return Formatter


_LIST = r"<list\[([^\]]+)\]>"
"""Typer's type of a repeatable option (`--set <list[str]>`): what one use of it takes is `<str>`."""


def width(text: str) -> int:
    """Columns `text` takes on a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_TOKEN = (
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f][，。、；：）》」』！？,.;:)]*"  # one Chinese character
    r"|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+"  # one word
    r"| +"
)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"


def unfold(text: str) -> str:
    """A paragraph as one line: line breaks become spaces, except between Chinese characters."""
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(f"(?<=[{_CJK}]) (?=[{_CJK}])", "", text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` display columns: Chinese breaks between characters, English at spaces;
    closing punctuation never starts a line."""
    lines: list[str] = []
    line = ""
    for token in re.findall(_TOKEN, text):
        if token.isspace():
            if line:
                line += " "
            continue
        if line and width(line) + width(token) > columns:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


_FORMATTERS: dict[type, type] = {}
_CONTEXTS: dict[type, type] = {}


def _extras(text: str) -> str:
    for pattern, zh in HELP_EXTRAS:
        text = re.sub(pattern, zh, text)
    return text


def context_class(base: type) -> type:
    """`base` (click's Context) whose help formatter speaks the command's language."""
    cached = _CONTEXTS.get(base)
    if cached is None:
        cached = type("GridctlContext", (base,), {"formatter_class": formatter_class(base.formatter_class)})
        _CONTEXTS[base] = cached
    return cached


GLOBAL_EPILOG = {
    "zh": "全局选项 -C 目录、-m 原因、--author、--as-of、--lang、--wait 写在命令前后都可以 (见 gridctl --help)。",
    "en": "The global options -C DIR, -m REASON, --author, --as-of, --lang and --wait go before or after the "
    "command (see gridctl --help).",
}


def localize(command: Any, lang: str, top: bool = True) -> None:
    """Help texts of `command` and everything under it in `lang`; its help pages use our formatter.

    Commands are built afresh for every run (gridctl.cli.commands.build), so setting their
    help in place never leaks one run's language into another's.
    """
    command.context_class = context_class(type(command).context_class)
    original = command.__dict__.setdefault("_gridctl_help", command.help)
    command.help = (zh_help(original) or original) if lang == "zh" else original
    if command.short_help:
        command.short_help = zh_help(command.short_help) or command.short_help if lang == "zh" else command.short_help
    if not top and not getattr(command, "commands", None):
        command.epilog = GLOBAL_EPILOG[lang]
    for param in command.params:
        en = param.__dict__.setdefault("_gridctl_help", getattr(param, "help", None))
        if en is not None:
            param.help = (zh_help(en) or en) if lang == "zh" else en
    for sub in getattr(command, "commands", {}).values():
        localize(sub, lang, top=False)


def error_text(exc: Any, lang: str) -> str:
    """A usage error as click would show it (usage line, where to get help, the error), in `lang`."""
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    head = ""
    if ctx is not None:
        usage = ctx.get_usage()
        command = ctx.command_path
        more = f"查看帮助: {command} --help" if lang == "zh" else f"Try '{command} --help' for help."
        head = f"{usage}\n{more}\n\n"
    if lang == "zh":
        for pattern, zh in ERRORS:
            message = re.sub(pattern, zh, message)
        message = re.sub(r"'([A-Z][A-Z_]*)'", lambda m: f"'{METAVARS.get(m.group(1), m.group(1))}'", message)
        return f"{head}错误: {message}\n"
    return f"{head}Error: {message}\n"
