"""Every command, the module that defines it, and its one-line help: so only the command that runs is built.

Building all commands up front (Typer turns each option into a parameter) cost every gridctl
run a third of a second; `gridctl --help` lists this table, and `gridctl X` imports X's module
alone. tests/test_cli_startup.py keeps the table equal to what the modules register.
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "Create a ledger: gridctl.yaml from the profile, folders, CI for the ledger, one first commit."),
    "demo": ("demo", "Copy the example community into TARGET as a git repository, validate it, summarise it."),
    "validate": ("validate", "Check every record and the ledger-wide rules. Exit 0 clean, 1 problems, 2 usage error."),
    "check-files": (
        "checkfiles",
        "Check only these files: YAML, schema, ids, ID numbers, phones. Exit 0 clean, 1 problems.",
    ),
    "leak-guard": (
        "leakguard",
        "Refuse spreadsheets outside the allowed folder and plain ID numbers or mobiles in staged files or the message.",
    ),
    "status": ("show", "The ledger on one screen: grids, households, people, staff, rentals, open problems."),
    "show": ("show", "One record (a person with their household)."),
    "list": ("show", "Records of one kind as a table, JSON or CSV."),
    "add": ("records", "Add a record; the next id in the ledger's format is allocated when none is given."),
    "edit": (
        "records",
        "Change fields of a record (or of a person, by person id); lists: --set phones=A,B, --add, --remove.",
    ),
    "move": (
        "records",
        "Move a household, place, org or thing to another grid (its file moves, its id stays), or a person.",
    ),
    "retire": (
        "records",
        "Retire a record (注销/迁出): mark it inactive with date and reason; it stays for the history.",
    ),
    "remove": (
        "records",
        "Delete a record added here by mistake and never shared (synced); a shared one is retired instead.",
    ),
    "photo": (
        "photo",
        "Put a photo into photos/ (upright, cut to the board's frame, print size) and name it in the record.",
    ),
    "assign": ("assign", "Make a staff member responsible for a grid, with written duties."),
    "unassign": ("assign", "Remove a responsible person from a grid."),
    "import": (
        "importing",
        "Import a register: exit 0 done, 1 rows rejected or the ledger would be invalid, 2 usage error.",
    ),
    "export": ("exporting", "Export a register with the Chinese headers `gridctl import` reads back."),
    "history": ("history", "Every version of one record, newest first, followed by id across moves and files."),
    "log": ("history", "The ledger's changes as sentences, derived from the content of each commit."),
    "diff": (
        "history",
        "Records added, removed, moved and changed between two revisions (default: HEAD and the files).",
    ),
    "print": ("printing", "Print the responsibility chart, notice boards, contact cards and inspection forms."),
    "inspect": (
        "supervision",
        "Record an inspection (督查记录) as one commit; each hazard becomes an event with its deadline.",
    ),
    "visit": ("supervision", "Record a visit to a household (入户走访) as one commit; the monthly report counts them."),
    "due": (
        "supervision",
        "The morning list: what is to do today and what is late. Exit 1 when something is overdue.",
    ),
    "spot-check": (
        "supervision",
        "Spot-check (随机抽查): a reproducible sample of the month's inspection records, with a checking sheet.",
    ),
    "event": ("events", "Events (事件处置): report an event and take it through its cycle."),
    "activity": (
        "evidence",
        "Activities (活动): record a drill, a meeting, a safety lesson or training (one commit, photos included).",
    ),
    "document": (
        "evidence",
        "Documents (文件): work plans, implementation plans, emergency plans, safety pledges, rules.",
    ),
    "report": (
        "reports",
        "Reports (报表): the monthly summary, the registers (台账), the assessment and the bulletin.",
    ),
    "filing": (
        "filing",
        "Filing (备案): grids, responsible people and key sites changed since the last filing, as a printable sheet.",
    ),
    "schema": ("schema", "Write one JSON Schema per record kind (and gridctl.yaml) into -o DIR."),
    "sync": ("sync", "Bring this clone up to date with the shared ledger and send its changes (for review)."),
    "bundle": (
        "sync",
        "Write this clone's work (or, in the office, the approved main branch) to a file for gridctl sync --bundle.",
    ),
    "setup": ("sync", "Set up this clone: ledger files merge by record; a grid worker's clone gets its own new ids."),
    "resolve": ("sync", "Settle one conflict of a merge; the last one validates and commits the merge."),
    "merge-check": ("sync", ""),
    "review": (
        "review",
        "Without BRANCH: the branches waiting. With it: what it changes and what the merge would break.",
    ),
    "unit": ("units", "Units (下级单位): the unit ledgers a town or bureau reads."),
    "keys": ("keys", "Keys (密钥): your identity and who can open this ledger's encrypted personal data."),
    "encrypt": (
        "keys",
        "Encrypt the personal fields of every household (gridctl.yaml privacy.encrypt), in one commit.",
    ),
    "audit": ("audit", "Audit (审计): who used --reveal on this ledger."),
    "doctor": (
        "doctor",
        "This computer (git, time zones, PDF, fonts) and the ledger here: exit 1 if something needed is missing.",
    ),
}
HIDDEN = frozenset({"merge-check"})
"""Run by git's hook, not by a clerk: works, but is not listed."""


def build(name: str):  # type: ignore[no-untyped-def]
    """The click command `name`, built from its module alone."""
    from importlib import import_module

    import typer
    from typer.main import get_group

    module = import_module(f"gridctl.cli.{COMMANDS[name][0]}")
    scratch = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    module.register(scratch)
    return get_group(scratch).commands.get(name)
