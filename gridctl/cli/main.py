"""The `gridctl` entry point: global options, command registration, and the one error handler.

Command modules import only typer at module level; the library (pydantic, git, jinja2) is
imported inside the commands so that `gridctl --help` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from gridctl import __version__
from gridctl.cli.common import LangOption, LedgerOption
from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.tools import setup_gitpython


@dataclass
class State:
    ledger: Path | None
    lang: str
    author: str | None = None
    message: str | None = None
    as_of: str | None = None
    wait: float | None = None
    root: Path | None = None
    """The ledger folder, found (and settled) once per command."""
    clock: Any = None
    """The ledger's clock (gridctl.ledger.clock.Clock), made once per command."""


GLOBAL_OPTIONS = frozenset({"-C", "--ledger", "--lang", "--author", "-m", "--message", "--as-of", "--wait"})
"""The options of `gridctl` itself, each with a value; git users type them after the command too."""

SHORT_GLOBALS = frozenset({"-C", "-m"})
"""The global options with one letter, which also take their value attached: -m"入户核实", -Cdir."""


def attached(arg: str) -> list[str]:
    """`-m入户核实` and `-m=入户核实` as `-m 入户核实`, so the reason has no stray "=" in front of it
    wherever it was typed; any other word as it is."""
    if arg[:2] in SHORT_GLOBALS and len(arg) > 2:
        value = arg[2:]
        return [arg[:2], value[1:] if value.startswith("=") else value]
    return [arg]


def hoist(args: list[str]) -> list[str]:
    """`gridctl move H1 --to 第二网格 -m 搬家` as `gridctl -m 搬家 move H1 --to 第二网格`.

    The global options found after the command (never after `--`) move in front of it, with their
    values, whether detached (-m 搬家), attached (-m搬家, -m=搬家) or after "=" (--lang=en); no command
    has an option of the same name (tests/test_interface.py keeps it so).
    """
    head: list[str] = []
    i = 0
    while i < len(args) and args[i] != "--" and args[i].startswith("-"):
        step = 2 if args[i] in GLOBAL_OPTIONS else 1
        head.extend(attached(args[i]) if step == 1 else args[i : i + step])
        i += step
    tail = args[i:]
    moved: list[str] = []
    kept: list[str] = []
    j = 1 if tail else 0
    kept.extend(tail[:j])
    while j < len(tail):
        arg = tail[j]
        if arg == "--":
            kept.extend(tail[j:])
            break
        if arg.startswith("--") and arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            moved.append(arg)
            j += 1
        elif arg in GLOBAL_OPTIONS and j + 1 < len(tail):
            moved.extend(tail[j : j + 2])
            j += 2
        elif len(attached(arg)) == 2:
            moved.extend(attached(arg))
            j += 1
        else:
            kept.append(arg)
            j += 1
    return head + moved + kept


try:
    from typer._click.exceptions import ClickException
    from typer.exceptions import Abort
except ImportError:  # a Typer built on click
    from click.exceptions import Abort, ClickException  # type: ignore[assignment]


INTERRUPTED = 130
"""The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells and Typer give it."""


class GridctlGroup(TyperGroup):
    """Commands raise GridctlError for what the user can fix; it becomes a message and an exit code
    here, inside the app, so Typer's test runner sees exactly what a terminal sees."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[no-untyped-def]
        """One run in one language (gridctl.i18n), global options wherever they were typed, and
        click's usage errors in that language."""
        from gridctl.cli.fastparams import speed_up
        from gridctl.cli.localize import error_text, localize
        from gridctl.i18n import detect_lang, lang_in, speaking

        argv = list(sys.argv[1:] if args is None else args)
        lang = lang_in(argv) or detect_lang()
        with speaking(lang):
            localize(self, lang)
            speed_up(self)
            self.told_stop = False
            try:
                rv = super().main(hoist(argv), prog_name, complete_var, standalone_mode=False, **extra)
            except ClickException as exc:
                if not standalone_mode:
                    raise
                if type(exc).__name__ == "NoArgsIsHelpError":
                    exc.show()
                else:
                    typer.echo(error_text(exc, lang), err=True, nl=False)
                sys.exit(exc.exit_code)
            except Abort as exc:
                if not standalone_mode:
                    raise
                stopped = isinstance(exc.__context__, KeyboardInterrupt)  # Ctrl-C at a prompt, as anywhere else
                typer.echo("已中止" if lang == "zh" else "Aborted." if stopped else "Aborted!", err=True)
                sys.exit(INTERRUPTED if stopped else 1)
            if standalone_mode:
                if rv == INTERRUPTED and not self.told_stop:  # Ctrl-C, which Typer turns into this code and no word
                    typer.echo("已中止" if lang == "zh" else "Aborted.", err=True)
                sys.exit(rv if isinstance(rv, int) else 0)
            return rv

    def list_commands(self, ctx):  # type: ignore[no-untyped-def]
        from gridctl.cli.commands import COMMANDS, HIDDEN

        return [name for name in COMMANDS if name not in HIDDEN]

    def get_command(self, ctx, name):  # type: ignore[no-untyped-def]
        """Build a command only when it is the one that runs (or whose help is asked for)."""
        from gridctl.cli.commands import COMMANDS, build
        from gridctl.cli.fastparams import speed_up
        from gridctl.cli.localize import localize
        from gridctl.i18n import current

        found = super().get_command(ctx, name)
        if found is None and name in COMMANDS:
            found = build(name)
            if found is not None:
                localize(found, current(), top=False)
                speed_up(found)
                self.add_command(found, name)
        return found

    def resolve_command(self, ctx, args):  # type: ignore[no-untyped-def]
        """As Typer's, with suggestions from every command (not only the ones built so far)."""
        try:
            return self._click_resolve_command(ctx, args)
        except Exception as exc:
            message = getattr(exc, "message", None)
            if isinstance(message, str) and args and "No such command" in message:
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    exc.message = f"{message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"  # type: ignore[attr-defined]
            raise

    def format_commands(self, ctx, formatter):  # type: ignore[no-untyped-def]
        """The command list from the table: `gridctl --help` builds no command."""
        from gridctl.cli.commands import COMMANDS, HIDDEN
        from gridctl.cli.localize import zh_help
        from gridctl.i18n import current

        zh = current() == "zh"
        rows = [
            (name, (zh_help(help_) or help_) if zh else help_)
            for name, (_module, help_) in COMMANDS.items()
            if name not in HIDDEN
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        ctx.meta["gridctl.argv"] = list(args)  # for the Gridctl-Command trailer of writes
        return super().parse_args(ctx, args)

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            try:
                done = super().invoke(ctx)
            except KeyboardInterrupt:  # Ctrl-C: stop now, not after saving what was read
                raise
            except BaseException:
                keep_what_was_read()  # exit 1 (problems found, a due list with overdue items) is an end too
                raise
            else:
                keep_what_was_read()
                return done
            finally:
                if "--reveal" in ctx.meta.get("gridctl.argv", ()):
                    from gridctl.cli.audit import record

                    record(ctx)  # every use of --reveal, even one that then failed (gridctl audit reveals)
        except GridctlError as exc:
            self.told_stop = exc.exit_code == INTERRUPTED  # what a stop left (a commit landed) is said once
            raise typer.Exit(report(exc)) from None
        except BrokenPipeError as exc:
            if exc.filename is not None:
                raise typer.Exit(report(GridctlError(*_unwritable(exc)))) from None
            # the reader of the output went away (`gridctl log | head`): nothing to say, and no one to say it to
            _stdout_to_nowhere()
            raise typer.Exit(2) from None
        except OSError as exc:  # the machine, not the data: a folder that cannot be written, a full disk
            raise typer.Exit(report(GridctlError(*_unwritable(exc)))) from None
        except Exception as exc:
            failure = git_failure(exc)
            if failure is None:
                raise
            raise typer.Exit(report(failure)) from None


def _unwritable(exc: OSError) -> tuple[Text, Text]:
    """A folder that cannot be written, a full disk: the message and its hint."""
    where = str(exc.filename) if exc.filename is not None else ""
    if os.path.basename(where).startswith("."):  # a temp file of an atomic write: name its folder
        where = os.path.dirname(where) or where
    reason = exc.strerror or type(exc).__name__
    message = Text(f"无法读写 {where}：{reason}", f"cannot read or write {where}: {reason}")
    return message, Text("检查路径及其权限", "check the path and its permissions")


def _stdout_to_nowhere() -> None:
    """Python flushes stdout at exit: into a closed pipe that is a second error, printed as a traceback."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def keep_what_was_read() -> None:
    """Save the caches this command filled (gridctl.ledger.cache), whatever the command was: a
    read-only `due` or `report` that built rows leaves them for the next one, as `validate` does."""
    cache = sys.modules.get("gridctl.ledger.cache")
    if cache is not None:
        cache.save_open()


def git_failure(exc: BaseException) -> GridctlError | None:
    """A git command that failed (through GitPython or subprocess) as an environment error, exit 2."""
    import subprocess

    module = type(exc).__module__ or ""
    if module.startswith("git.") or module == "git":
        said = str(getattr(exc, "stderr", "") or exc).strip()
    elif isinstance(exc, subprocess.CalledProcessError) and "git" in str(exc.cmd[0] if exc.cmd else ""):
        said = (exc.stderr or b"").decode("utf-8", "replace").strip() if isinstance(exc.stderr, bytes) else str(exc)
    else:
        return None
    from gridctl.ledger.gitrepo import hint_for

    said = said.removeprefix("stderr:").strip().strip("'").strip()
    return GridctlError(
        Text(f"git 命令失败: {said}", f"git failed: {said}"),
        hint=hint_for(said) or Text("用 git status 检查台账", "check the ledger with git status"),
    )


app = typer.Typer(
    cls=GridctlGroup,
    name="gridctl",
    help="A grid-management ledger (网格化管理台账) of YAML files in git.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gridctl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    ledger: LedgerOption = None,
    lang: LangOption = None,
    author: Annotated[
        str | None, typer.Option("--author", help='Who makes the change: "姓名 <email>" (default: git config).')
    ] = None,
    message: Annotated[str | None, typer.Option("-m", "--message", help="Why: the reason, kept in history.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Read the ledger as it was: a date (last commit that day), a date and time, or a revision.",
        ),
    ] = None,
    wait: Annotated[
        float | None,
        typer.Option("--wait", metavar="SECONDS", help="How long to wait for another gridctl writing (default 10)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    from gridctl.i18n import current

    ctx.obj = State(
        ledger=ledger,
        lang=lang.value if lang else current(),
        author=author,
        message=message,
        as_of=as_of,
        wait=wait,
    )
    if as_of and ctx.invoked_subcommand in AS_OF_UNREAD:
        raise GridctlError(AS_OF_UNREAD[ctx.invoked_subcommand] or _AS_OF_READERS)


_AS_OF_READERS = Text(
    "--as-of 只用于查看台账的命令 (status、list、show、validate、due、report、print、spot-check、export)",
    "--as-of is read by the commands that show the ledger (status, list, show, validate, due, report, print, "
    "spot-check, export)",
)
AS_OF_UNREAD: dict[str, Text | None] = {
    "log": Text(
        "log 不读 --as-of: 用 --until 日期 看到那天为止的变更",
        "log does not read --as-of: --until DAY shows the changes up to that day",
    ),
    "history": Text(
        "history 不读 --as-of: 它列出每个版本和日期；那天的记录用 gridctl --as-of 日期 show 编号",
        "history does not read --as-of: it lists every version with its day; gridctl --as-of DAY show ID shows one",
    ),
    "diff": Text(
        "diff 不读 --as-of: 写 gridctl diff 修订1 修订2 (日期或版本)",
        "diff does not read --as-of: gridctl diff REV1 REV2 (days or revisions)",
    ),
    "filing": Text("filing 不读 --as-of: 用 --since 和 --date", "filing does not read --as-of: use --since and --date"),
    **dict.fromkeys(("check-files", "leak-guard", "init", "demo", "schema", "doctor", "audit", "setup", "bundle")),
}
"""Commands --as-of means nothing to: refused, never silently ignored (log, history, diff and filing
ran as if it were not there)."""


setup_gitpython()


def no_pydantic_plugins() -> None:
    """pydantic looks for plugins in every installed package's entry points (importlib.metadata,
    email, csv: 5 ms of every command) when it builds its first model. gridctl has none and wants
    none: a plugin is another package's code run inside every validation of residents' records
    (an observability plugin sends what it sees elsewhere). A value the user set stays theirs."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _safe_streams() -> None:
    """A GBK console on Windows cannot show every character; replace, never crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def run() -> None:
    """Console-script entry: exit codes 0 clean, 1 problems, 2 usage/environment, 3 internal.

    Typer (standalone) handles usage errors (exit 2) and typer.Exit; everything else that
    escapes a command lands here, so no traceback reaches a clerk.
    """
    import gc

    from gridctl.ledger.cache import freeze_what_is_read

    no_pydantic_plugins()
    _safe_streams()
    _named_shell_completion(sys.argv[1:])
    freeze_what_is_read()
    try:
        app()
    except SystemExit as exc:
        if exc.code == INTERRUPTED:
            from gridctl.ledger.workers import leave_if_stopped

            leave_if_stopped(INTERRUPTED)
        gc.freeze()  # the collection at exit would scan the whole ledger just read, to free nothing
        raise
    except KeyboardInterrupt:
        from gridctl.i18n import current
        from gridctl.ledger.workers import leave_if_stopped

        typer.echo("已中止" if current() == "zh" else "Aborted.", err=True)
        leave_if_stopped(INTERRUPTED)
        sys.exit(INTERRUPTED)
    except Exception as exc:
        sys.exit(handle(exc))


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _named_shell_completion(args: list[str]) -> None:
    """`--show-completion SHELL`: the script for the shell named. Typer takes the option as a flag
    and asks the process tree which shell runs it, which fails under a scheduler or a service
    ("Shell  not supported") and ignores the shell the user named."""
    if len(args) == 2 and args[0] == "--show-completion" and args[1] in SHELLS:
        from typer._completion_shared import get_completion_script

        typer.echo(get_completion_script(prog_name="gridctl", complete_var="_GRIDCTL_COMPLETE", shell=args[1]))
        sys.exit(0)


def report(exc: GridctlError) -> int:
    """The error in the command's language; names from a ledger never drive the terminal."""
    from gridctl.i18n import current
    from gridctl.model.chars import visible
    from gridctl.model.masking import mask_ids

    typer.echo(f"gridctl: {mask_ids(visible(exc.message))}", err=True)  # a file named after its resident
    if exc.hint:
        typer.echo(f"  {'提示' if current() == 'zh' else 'hint'}: {mask_ids(visible(exc.hint))}", err=True)
    return exc.exit_code


def handle(exc: BaseException) -> int:
    from gridctl.errors import GridctlError

    if isinstance(exc, GridctlError):
        return report(exc)
    return _internal(exc)


def _internal(exc: BaseException) -> int:
    import traceback

    from gridctl.crashlog import care_words, write_crash_log
    from gridctl.i18n import current

    words = care_words(sys.argv[1:])
    where = write_crash_log(f"gridctl {__version__}\n" + "".join(traceback.format_exception(exc)), words)
    from gridctl.model.masking import mask_landlines, mask_line, mask_words

    zh = current() == "zh"
    said = f"{type(exc).__name__}: {mask_words(mask_landlines(mask_line(str(exc))), words)}"
    typer.echo(f"gridctl {__version__}: {'内部错误' if zh else 'internal error'}: {said}", err=True)
    typer.echo(f"  {'详情' if zh else 'details'}: {where}", err=True)
    return 3
