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
