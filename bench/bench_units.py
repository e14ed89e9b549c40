"""A town over 25 unit ledgers (100,000 households in all) next to one ledger of the same size.

    python bench/bench_units.py [--units 25] [--households 100000] [--seed 1] [--regen] [--runs 2]

Builds (or reuses) in bench/out/: 25 community ledgers of households/25 each (gen_ledger.py, one
社区 each, seeds seed..seed+24), each its own git repository; a town ledger listing them
(`gridctl unit add`) that fetched them (`gridctl sync --units`), so it reads them from git objects;
and one ledger with all the households. Then times, warm (one run first, then best of --runs),
as subprocesses: `status`, `due`, `report monthly`, `validate` over the town (`--units`) and over the single
ledger.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_validate import compiled  # noqa: E402

OUT = BENCH / "out"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.cn",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.cn",
    "GRIDCTL_TODAY": "2026-06-30",
}
COMMANDS = {
    "status": ["status"],
    "due": ["due", "--date", "2026-06-30"],
    "report monthly": ["report", "monthly", "--month", "2026-06", "--date", "2026-06-30"],
    "validate": ["validate"],
}


def sh(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    proc = subprocess.run(list(args), cwd=cwd, env=ENV, capture_output=True, check=False)
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr.decode('utf-8', 'replace')}")
    return proc


def gridctl(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess[bytes]:
    compiled()
    return sh(sys.executable, "-m", "gridctl", "--lang", "en", *args, cwd=cwd, check=check)


def generate(out: Path, households: int, seed: int, communities: int | None) -> None:
    args = [sys.executable, str(BENCH / "gen_ledger.py"), str(out), "--households", str(households)]
    args += ["--seed", str(seed)] + (["--communities", str(communities)] if communities else [])
    sh(*args)
    sh("git", "init", "-q", "-b", "main", cwd=out)
    sh("git", "add", "-A", cwd=out)
    sh("git", "commit", "-q", "-m", "generated", cwd=out)


def build(units: int, households: int, seed: int, regen: bool) -> tuple[Path, Path]:
    base = OUT / f"units-{units}x{households // units}-s{seed}"
    town, single = base / "town", base / "single"
    if regen and base.exists():
        shutil.rmtree(base)
    if (town / ".git").is_dir() and (single / ".git").is_dir():
        return town, single
    base.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for n in range(units):
        generate(base / f"unit{n:02d}", households // units, seed + n, 1)
    generate(single, households, seed, None)
    print(f"generated {units} units and the single ledger in {time.perf_counter() - started:.0f} s")
    if town.exists():
        shutil.rmtree(town)
    gridctl("init", str(town), "--name", "龙城镇", "--profile", "town", cwd=base, check=True)
    for n in range(units):
        gridctl("unit", "add", f"unit{n:02d}", f"../unit{n:02d}", cwd=town, check=True)
    gridctl("sync", "--units", cwd=town, check=True)
    return town, single


def timed(args: list[str], cwd: Path, runs: int) -> tuple[float, float, int]:
    """Best wall-clock time and best CPU time (user + system of the child): on a shared machine the
    wall clock also counts waiting for a core, the CPU time does not."""
    gridctl(*args, cwd=cwd)  # warm: the page cache, Python's bytecode
    best, cpu, code = float("inf"), float("inf"), 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        code = gridctl(*args, cwd=cwd).returncode
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, cpu, code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=25)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--regen", action="store_true")
    args = parser.parse_args(argv)
    town, single = build(args.units, args.households, args.seed, args.regen)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.households:,} households: {args.units} units (--units) vs one ledger; warm, best of {args.runs}")
    print(f"uptime load average at start: {os.getloadavg()[0]:.1f}")
    print(f"{'command':<16}{'town wall':>10}{'town cpu':>10}{'single wall':>13}{'single cpu':>12}   seconds")
    for name, command in COMMANDS.items():
        t_town, cpu_town, c_town = timed([*command, "--units"], town, args.runs)
        t_single, cpu_single, c_single = timed(command, single, args.runs)
        print(
            f"{name:<16}{t_town:>10.1f}{cpu_town:>10.1f}{t_single:>13.1f}{cpu_single:>12.1f}"
            f"   (exit {c_town}/{c_single})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
