"""What every command pays before it works: two gridctl trees side by side, in one run.

    python bench/bench_startup.py BASE_TREE [NEW_TREE] [--ledger DIR] [--runs 10]

Each tree is run as `PYTHONPATH=TREE python -m gridctl` (compiled first, as installing compiles
it) on its own copy of the ledger (default: the 12,000-household speed ledger of bench_speed.py),
so neither empties the other's cache (it is keyed by gridctl's own files). Runs alternate between
the trees; medians of whole processes: `edit` of one field, `--help`, `validate --help`,
`show ID`, `status`, and a plain `git commit` of the same kind of change beside the edits. On a
shared machine the wall clock also counts the wait for a core: the CPU seconds (user and system,
of the process and its children) are reported beside it.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_speed import CPU, OUT, household_file, median, plain_git_edit, timed  # noqa: E402

COMMANDS = {
    "--help": ["--help"],
    "validate --help": ["validate", "--help"],
    "show ID": ["show", "H000001"],
    "status": ["status"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the gridctl tree to compare with (holding gridctl/)")
    parser.add_argument("new", type=Path, nargs="?", default=BENCH.parent, help="default: this tree")
    parser.add_argument("--ledger", type=Path, default=OUT / "speed-12000-s1")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    trees = {"base": args.base.resolve(), "new": args.new.resolve()}
    work = Path(tempfile.mkdtemp(prefix="gridctl-startup-"))
    roots: dict[str, Path] = {}
    for name, tree in trees.items():
        compileall.compile_dir(tree / "gridctl", quiet=1)
        roots[name] = work / name
        shutil.copytree(args.ledger, roots[name], symlinks=True)
    shutil.copytree(args.ledger, work / "git", symlinks=True)
    env = {name: {"PYTHONPATH": str(tree)} for name, tree in trees.items()}
    command = [sys.executable, "-m", "gridctl"]
    walls: dict[tuple[str, str], list[float]] = {}
    try:
        for name in trees:  # warm each copy's cache for its own code
            for _ in range(2):
                timed([*command, "edit", "H000001", "--set", f"address.room=warm{_}"], roots[name], env[name])
            timed([*command, "validate"], roots[name], env[name])  # as a pre-commit hook or CI would have
        for n in range(args.runs):
            for name in trees if n % 2 == 0 else reversed(list(trees)):
                hid = household_file(roots[name], n).stem
                edit = [*command, "edit", hid, "--set", f"address.room=ab{n}"]
                wall, code = timed(edit, roots[name], env[name], label=f"edit one field:{name}")
                assert code == 0, f"{name}: gridctl edit exited {code}"
                walls.setdefault(("edit one field", name), []).append(wall)
                for label, args_ in COMMANDS.items():
                    wall, code = timed([*command, *args_], roots[name], env[name], label=f"{label}:{name}")
                    assert code in (0, 1), f"{name}: gridctl {label} exited {code}"
                    walls.setdefault((label, name), []).append(wall)
            git_root = work / "git"  # a copy of its own: both trees' copies see the same history
            walls.setdefault(("plain git commit", "git"), []).append(
                plain_git_edit(git_root, household_file(git_root, 1000 + n), f"p{n}")
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{'median of ' + str(args.runs):<22}{'base':>10}{'new':>10}{'new/base':>10}"
        f"{'CPU base':>11}{'CPU new':>10}{'new/base':>10}"
    )
    for label in ["edit one field", *COMMANDS]:
        base, new = median(walls[(label, "base")]), median(walls[(label, "new")])
        cpu_base, cpu_new = median(CPU[f"{label}:base"]), median(CPU[f"{label}:new"])
        print(
            f"{label:<22}{base:>9.3f}s{new:>9.3f}s{new / base:>9.2f}×"
            f"{cpu_base:>10.3f}s{cpu_new:>9.3f}s{cpu_new / cpu_base:>9.2f}×"
        )
    git = median(walls[("plain git commit", "git")])
    print(f"{'plain git commit':<22}{git:>9.3f}s")
    print(
        f"edit vs git: base {median(walls[('edit one field', 'base')]) / git:.1f}×, "
        f"new {median(walls[('edit one field', 'new')]) / git:.1f}×"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
