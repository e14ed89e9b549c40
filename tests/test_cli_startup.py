"""Only the command that runs is built: the command table must say exactly what the modules register."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import typer

from gridctl.cli.commands import COMMANDS, HIDDEN


def registered() -> dict[str, tuple[str, str, bool]]:
    """name → (module, first line of help, hidden) as the modules themselves register them."""
    out: dict[str, tuple[str, str, bool]] = {}
    for module in sorted({m for m, _help in COMMANDS.values()}):
        scratch = typer.Typer()
        importlib.import_module(f"gridctl.cli.{module}").register(scratch)
        for c in scratch.registered_commands:
            first = (c.help or inspect.getdoc(c.callback) or "").split("\n")[0]
            out[c.name or ""] = (module, first, bool(c.hidden))
        for g in scratch.registered_groups:
            out[g.name or ""] = (module, (g.typer_instance.info.help or "").split("\n")[0], False)
    return out


def test_the_command_table_is_what_the_modules_register() -> None:
    found = registered()
    assert set(found) == set(COMMANDS)
    for name, (module, first, hidden) in found.items():
        assert COMMANDS[name][0] == module, name
        assert hidden == (name in HIDDEN), name
        if not hidden:
            assert COMMANDS[name][1] == first, f"{name}: the table's help differs from the command's"


def test_help_lists_every_command_without_building_one() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from gridctl.cli.main import app; "
        "r = CliRunner().invoke(app, ['--help']); print(r.output); "
        "print('BUILT' if any(m.startswith('gridctl.cli.records') for m in sys.modules) else 'LAZY'); "
        "print('PYDANTIC' if 'pydantic' in sys.modules else 'NO-PYDANTIC')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in COMMANDS:
        assert (f"  {name} " in out) != (name in HIDDEN), name
    assert "LAZY" in out and "NO-PYDANTIC" in out


def test_a_command_runs_and_a_mistyped_one_is_suggested(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("schema", "--help").exit_code == 0
    wrong = cli("statsu")
    assert wrong.exit_code == 2 and "status" in wrong.output


def test_plain_options_are_read_as_typer_reads_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """gridctl.cli.fastparams coerces text, numbers, flags and paths without pydantic: for every
    parameter of every command, on values a command line gives, it answers exactly as Typer's own
    coercion does (the same value, or the same error)."""
    from pathlib import Path

    from gridctl.cli.commands import build
    from gridctl.cli.fastparams import plain_param, speed_up

    try:
        from typer._coercion import build_runtime_param
    except ImportError:  # a Typer built on click coerces nothing through pydantic: nothing is replaced
        command = build("edit")
        speed_up(command)
        assert all(not hasattr(p, "_runtime_param") for p in command.params)
        return
    samples: list[object] = [
        None, (), "", "abc", "张伟户", "12", "-3", "1.5", " 7", "x y", ("a", "b"), ["12"],
        "json", "JSON", "en", "zh", "0.5", "-2.25", "1e3", "nan", 1.5,
        True, False, 0, 5, str(tmp_path), Path(tmp_path), str(tmp_path / "missing.yaml"),
    ]  # fmt: skip

    def outcome(runtime: object, value: object, param: object, ctx: object) -> tuple[str, object]:
        try:
            return "ok", repr(runtime.coerce(value, param=param, ctx=ctx))  # type: ignore[attr-defined]
        except Exception as exc:  # the same error, worded the same
            return type(exc).__name__, str(exc)

    import typer as typer_module

    from gridctl.cli.main import app

    checked = 0
    for name in [None, *COMMANDS]:
        command = typer_module.main.get_command(app) if name is None else build(name)  # the global options too
        commands = [command, *(getattr(command, "commands", {}).values() if name is not None else ())]
        for cmd in commands:
            ctx = cmd.make_context(cmd.name, ["--help"], resilient_parsing=True)
            for param in [*cmd.params, cmd.get_help_option(ctx)]:  # --help is made for each run
                descriptor = getattr(param, "type_descriptor", None)
                fast = plain_param(descriptor) if descriptor is not None else None
                if fast is None:
                    continue
                typer_own = build_runtime_param(descriptor)
                for value in samples:
                    same = outcome(fast, value, param, ctx) == outcome(typer_own, value, param, ctx)
                    assert same, (name, param.name, value)
                checked += 1
    assert checked > 250  # nearly every option of every command


PROBE = """
import json, os, sys
from gridctl.cli.main import run
sys.argv = ["gridctl", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
imported = sorted(sys.modules)
loader = sys.modules.get("pydantic.plugin._loader")
scanned = getattr(loader, "_plugins", None) is not None
with open(os.environ["PROBE_OUT"], "w", encoding="utf-8") as out:
    json.dump({"modules": imported, "plugins_scanned": scanned}, out)
"""
"""A command run as the console script runs it; what it imported, and whether pydantic scanned the
installed packages for plugins."""

HEAVY = ("pydantic", "yaml", "ruamel.yaml", "git", "jinja2", "stdnum", "phonenumbers", "filelock",
         "gridctl.model.settings", "gridctl.ledger.index", "gridctl.checks", "importlib.metadata")  # fmt: skip
"""What no `--help` may import: each is tens of milliseconds (or a scan of every installed package)."""

EVERY_MODEL = ("gridctl.model.event", "gridctl.model.inspection", "gridctl.model.visit", "gridctl.model.thing",
               "gridctl.model.activity", "gridctl.model.document", "gridctl.model.org")  # fmt: skip


def probe(root, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    import json

    out = root.parent / "probe.json"
    env = {**__import__("os").environ, "PROBE_OUT": str(out)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    subprocess.run([sys.executable, "-c", PROBE, *args], cwd=root, env=env, capture_output=True, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def test_help_imports_nothing_heavy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for args in (["--help"], ["validate", "--help"], ["edit", "--help"], ["show", "--help"]):
        found = probe(tmp_path, *args)["modules"]
        assert not [m for m in HEAVY if m in found], args


def test_reading_a_record_builds_only_its_own_model(repo) -> None:  # type: ignore[no-untyped-def]
    """`show`, `list` and `status`, warm: no other kind's model (not even to learn, from every model's
    JSON schema, which fields are personal: the cache kept that), no PyYAML, no ID-number library."""
    assert probe(repo, "validate")["modules"]  # warms the cache, as any earlier command would
    for args in (["show", "H000001"], ["list", "household"], ["status"]):
        found = probe(repo, *args)
        modules = set(found["modules"])
        assert not modules & {*EVERY_MODEL, "yaml", "stdnum", "phonenumbers"}, (args, modules & {*EVERY_MODEL})
        assert not found["plugins_scanned"], args


def test_edit_scans_no_pydantic_plugins_and_compiles_no_help_patterns(repo) -> None:  # type: ignore[no-untyped-def]
    import re

    from gridctl.cli import localize

    probe(repo, "edit", "H000001", "--set", "address.room=101")
    found = probe(repo, "edit", "H000001", "--set", "address.room=102")
    assert not found["plugins_scanned"]
    # the usage-error and help patterns are text, compiled by `re` only when a message needs one
    assert not [name for name, value in vars(localize).items() if isinstance(value, re.Pattern)]
    assert all(isinstance(pattern, str) for pattern, _zh in [*localize.ERRORS, *localize.HELP_EXTRAS])


def test_the_checks_import_no_id_number_library(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = "import sys, gridctl.checks; print('stdnum' in sys.modules, 'gridctl.ledger.schema' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    out = run.stdout
    assert out.split() == ["False", "False"]


def test_hidden_characters_are_found_as_before() -> None:
    """gridctl.model.chars finds what it replaces with a class of runs (cheap to compile): the same
    characters, over every code point, as a class of each one."""
    import re

    from gridctl.model.chars import _HIDDEN, SHOWN

    each = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(SHOWN)) + "]")
    text = "".join(map(chr, range(0x110000)))
    assert _HIDDEN.findall(text) == each.findall(text) == [chr(c) for c in sorted(SHOWN)]


def test_editing_a_household_builds_no_model_its_checks_do_not_use(repo) -> None:  # type: ignore[no-untyped-def]
    """The references of the changed household are found by its own model: no inspection, visit or
    thing model is built to look them up (each builds its validator on import)."""
    probe(repo, "edit", "H000001", "--set", "address.room=101")
    found = set(probe(repo, "edit", "H000001", "--set", "address.room=102")["modules"])
    assert "gridctl.model.refs" in found
    unused = {"gridctl.model.inspection", "gridctl.model.visit", "gridctl.model.thing"}
    assert not found & unused, found & unused
