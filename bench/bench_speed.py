"""How fast are a clerk's everyday commands at real scale, next to git and PyYAML in the same run?

    python bench/bench_speed.py [--households 12000] [--runs 5] [--skip-export]

Builds (or reuses) a generated ledger (bench/gen_ledger.py) as a git repository, then times whole
processes, interleaved with their baselines, and reports medians:

- `gridctl edit` of one field vs a plain `git commit` of the same change (edit the file, add, commit);
- `gridctl move` of a household to another grid and back, vs that edit; an edit right after each move;
- `gridctl validate` cold (no cache) vs PyYAML's C loader parsing the same files;
- warm `validate` with nothing changed and with one file changed;
- warm `status`, `list household`, `show ID`;
- `validate --changed-since HEAD~1` vs `validate`;
- the first `status` after gridctl changed (nothing kept) vs the cold validate it contains;
- peak memory (max RSS) of the cold validate and of that status.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_validate import OUT, gridctl_command, ledger_files, ledger_for  # noqa: E402


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True, text=True).stdout


def repository(households: int, seed: int) -> Path:
    """The generated ledger as a git repository with one commit (made once, then reused)."""
    source, _ = ledger_for(households, seed, regen=False)
    target = OUT / f"speed-{households}-s{seed}"
    if (target / ".git" / "bench-ready").is_file():
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    git(target, "init", "-q", "-b", "main")
    git(target, "config", "user.name", "王芳")
    git(target, "config", "user.email", "wangfang@example.cn")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "初始台账")
    (target / ".git" / "bench-ready").write_text("1", encoding="utf-8")
    return target


CPU: dict[str, list[float]] = {}
RSS: dict[str, list[float]] = {}
"""Peak memory (MB) of each timed process, by label."""


def children_cpu() -> float:
    """User + system seconds of every finished child process (and their children) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], root: Path, env: dict[str, str] | None = None,
          label: str = "") -> tuple[float, int]:
    """Wall seconds and exit code of one whole process; its CPU seconds go to CPU[label].

    On a shared machine the wall clock also counts the wait for a core, so the CPU time is
    reported beside it."""
    cpu = children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    _pid, status, usage = os.wait4(proc.pid, 0)  # this process's own peak memory, not any earlier child's
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if label:
        CPU.setdefault(label, []).append(children_cpu() - cpu)
        RSS.setdefault(label, []).append(usage.ru_maxrss / 1024)
    return wall, proc.returncode


def cpu(label: str) -> str:
    return f" (CPU {median(CPU.get(label, [])):.2f} s)"


def gc(*args: str) -> list[str]:
    return [*gridctl_command(), *args]


def household_file(root: Path, n: int) -> Path:
    found = sorted((root / "households").rglob("H*.yaml"))
    return found[n % len(found)]


def plain_git_edit(root: Path, path: Path, value: str) -> float:
    """What a clerk would do without gridctl: change the line, git add, git commit."""
    started = time.perf_counter()
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"room: \S+", f"room: '{value}'", text, count=1) if "room:" in text else text + f"# {value}\n"
    path.write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", str(path)], cwd=root, check=True, capture_output=True)
    subprocess.run(["git", "commit", "-q", "-m", "plain edit"], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-export", action="store_true",
                        help="leave out the register export (minutes at 100,000 households)")
    args = parser.parse_args(argv)
    root = repository(args.households, args.seed)
    rows: list[tuple[str, str, str]] = []

    # cold validate and parse-only, interleaved
    texts = [p.read_bytes() for p in ledger_files(root)]
    cold, parse = [], []
    for _ in range(max(2, args.runs // 2)):
        shutil.rmtree(root / ".git" / "gridctl", ignore_errors=True)
        cold.append(timed(gc("validate"), root, label="cold")[0])
        started = time.perf_counter()
        import yaml

        for text in texts:
            list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        parse.append(time.perf_counter() - started)
    rss = max(RSS.get("cold", [float("nan")]))
    rows.append(("cold validate vs PyYAML C parse-only", f"{median(cold):.2f} s{cpu('cold')} vs {median(parse):.2f} s",
                 f"{median(cold) / median(parse):.2f}×"))
    rows.append(("cold validate, peak memory", f"{rss:.0f} MB", ""))

    # warm validate: nothing changed, one file changed
    timed(gc("validate"), root)
    warm = [timed(gc("validate"), root, label="warm")[0] for _ in range(args.runs)]
    one = []
    for n in range(args.runs):
        path = household_file(root, 7 * n + 3)
        original = path.read_bytes()
        path.write_bytes(original + b"# checked\n")
        one.append(timed(gc("validate"), root, label="one")[0])
        path.write_bytes(original)
        timed(gc("validate"), root)
    rows.append(("warm validate, nothing changed", f"{median(warm):.2f} s{cpu('warm')}", ""))
    rows.append(("warm validate, one file changed", f"{median(one):.2f} s{cpu('one')}", ""))

    # edit vs plain git commit, interleaved
    edits, plains = [], []
    stamp = int(time.time()) % 100_000  # a value the reused repository has not seen, so every edit changes
    for n in range(args.runs):
        hid = household_file(root, n).stem
        seconds, code = timed(gc("edit", hid, "--set", f"address.room={stamp}-{n}"), root, label="edit")
        assert code == 0, f"gridctl edit exited {code}"
        edits.append(seconds)
        plains.append(plain_git_edit(root, household_file(root, 1000 + n), f"{stamp}-p{n}"))
    rows.append(("gridctl edit one field vs plain git commit",
                 f"{median(edits):.2f} s{cpu('edit')} vs {median(plains):.2f} s",
                 f"{median(edits) / median(plains):.1f}×"))

    # move to another grid (and back): a file gone and one new, and the warnings it adds listed (gridctl.ops.added)
    # and an edit right after each move: the columns the move kept must be the next command's as they are
    moves, after = [], []
    grids = sorted(p.name for p in (root / "households").iterdir() if p.is_dir())[:2]
    mover = sorted((root / "households" / grids[0]).glob("H*.yaml"))[0].stem
    for n in range(args.runs):
        for target in (grids[1], grids[0]):
            seconds, code = timed(gc("move", mover, "--to", target), root, label="move")
            assert code == 0, f"gridctl move exited {code}"
            moves.append(seconds)
            seconds, code = timed(gc("edit", mover, "--set", f"address.room={stamp}-m{n}{target[-1]}"), root,
                                  label="after")  # fmt: skip
            assert code == 0, f"gridctl edit exited {code}"
            after.append(seconds)
    rows.append(("gridctl move to another grid vs edit", f"{median(moves):.2f} s{cpu('move')} vs {median(edits):.2f} s",
                 f"{median(moves) / median(edits):.1f}×"))
    rows.append(("gridctl edit right after a move vs edit", f"{median(after):.2f} s{cpu('after')} vs "
                 f"{median(edits):.2f} s", f"{median(after) / median(edits):.1f}×"))  # fmt: skip

    # warm reads
    timed(gc("status"), root)
    timed(gc("list", "household"), root)
    for label, command in (("status", gc("status")), ("list household", gc("list", "household")),
                           ("show ID", gc("show", household_file(root, 5).stem))):
        walls = [timed(command, root, label=label)[0] for _ in range(args.runs)]
        rows.append((f"warm {label}", f"{median(walls):.2f} s{cpu(label)}", ""))

    # changed-since vs validate
    since = [timed(gc("validate", "--changed-since", "HEAD~1"), root, label="since")[0] for _ in range(args.runs)]
    whole = [timed(gc("validate"), root, label="whole")[0] for _ in range(args.runs)]
    rows.append(("validate --changed-since HEAD~1 vs validate (warm)",
                 f"{median(since):.2f} s{cpu('since')} vs {median(whole):.2f} s{cpu('whole')}",
                 f"{median(since) / median(whole):.2f}×"))

    # export of the household register: xlsx beside csv of the same rows
    if not args.skip_export:
        out = Path(os.environ.get("TMPDIR", "/tmp"))
        timed(gc("export", "household", "-o", str(out / "bench-export.xlsx")), root)
        xlsx = [timed(gc("export", "household", "-o", str(out / "bench-export.xlsx")), root, label="xlsx")[0]
                for _ in range(args.runs)]  # fmt: skip
        csv = [timed(gc("export", "household", "-o", str(out / "bench-export.csv")), root, label="csv")[0]
               for _ in range(args.runs)]  # fmt: skip
        rows.append(("export household xlsx vs csv (warm)",
                     f"{median(xlsx):.2f} s{cpu('xlsx')} vs {median(csv):.2f} s{cpu('csv')}",
                     f"{median(xlsx) / median(csv):.2f}×"))
        rows.append(("export household xlsx, peak memory", f"{max(RSS.get('xlsx', [float('nan')])):.0f} MB", ""))

    # the first status after gridctl changed (an upgrade: nothing kept), beside the cold validate it contains
    first = []
    for _ in range(max(2, args.runs // 2)):
        shutil.rmtree(root / ".git" / "gridctl", ignore_errors=True)
        first.append(timed(gc("status"), root, label="first")[0])
    rows.append(("first status, nothing kept, vs cold validate",
                 f"{median(first):.2f} s{cpu('first')} vs {median(cold):.2f} s",
                 f"{median(first) / median(cold):.2f}×"))
    rows.append(("first status, peak memory", f"{max(RSS.get('first', [float('nan')])):.0f} MB", ""))

    files = len(ledger_files(root))
    print(f"gridctl speed benchmark: {args.households:,} households, {files:,} files; medians of {args.runs}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    width = max(len(r[0]) for r in rows)
    for label, value, ratio in rows:
        print(f"  {label:<{width}}  {value:<44} {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
