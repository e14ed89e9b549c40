"""How much does encryption at rest cost `gridctl validate`? The plain ledger next to its encrypted copy.

    python bench/bench_encrypted.py [--households 12000] [--seed 1] [--runs 3]

Builds (or reuses) the synthetic ledger of bench_validate.py, makes two git repositories of it in
bench/out/ (plain, and encrypted with `gridctl encrypt` under a fresh identity), and times
`gridctl validate` as a subprocess on each: the plain ledger, the encrypted one with the key
(GRIDCTL_IDENTITY) and without any key. Cold = no cache (GRIDCTL_NO_CACHE=1: every file read,
every value opened); warm = the cache as the previous run left it (what a clerk's second command
sees). Best of --runs each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench_validate import OUT, gridctl_command, ledger_for

AUTHOR = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.cn",
          "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.cn"}  # fmt: skip


def repository(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".generated", ".git"))
    env = {**os.environ, **AUTHOR}
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(target), "commit", "-qm", "bench ledger"], check=True, env=env)


def validate(root: Path, env: dict[str, str]) -> tuple[int, str]:
    run = subprocess.run([*gridctl_command(), "--lang", "en", "-C", str(root), "validate"],
                         capture_output=True, text=True, encoding="utf-8", env=env)  # fmt: skip
    lines = run.stdout.strip().splitlines()
    return run.returncode, lines[-1] if lines else run.stderr.strip()[-200:]


def timed(root: Path, env: dict[str, str], runs: int, cold: bool) -> tuple[float, float, str]:
    """Best wall clock and best CPU time (user + system of the child) of `runs` validations."""
    import resource

    env = {**os.environ, **env, **({"GRIDCTL_NO_CACHE": "1"} if cold else {})}
    said = ""
    if not cold:
        validate(root, env)  # the cache as a previous command leaves it
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        said = validate(root, env)[1]
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus), said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the two repositories of an earlier run")
    args = parser.parse_args(argv)

    from pyrage import x25519

    source, _generated = ledger_for(args.households, args.seed, False)
    plain, sealed = OUT / f"plain-{args.households}", OUT / f"encrypted-{args.households}"
    kept = OUT / f"identity-{args.households}.txt"
    if not (args.reuse and kept.is_file() and plain.is_dir() and sealed.is_dir()):
        repository(source, plain)
        repository(source, sealed)
        kept.write_text(str(x25519.Identity.generate()) + "\n", encoding="utf-8")
        key = {"GRIDCTL_IDENTITY": str(kept), **AUTHOR}
        started = time.perf_counter()
        done = subprocess.run([*gridctl_command(), "-C", str(sealed), "encrypt", "--name", "bench"],
                              capture_output=True, text=True, env={**os.environ, **key})  # fmt: skip
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            return 1
        print(f"gridctl encrypt: {time.perf_counter() - started:.1f} s: {done.stdout.splitlines()[0]}")
    key = {"GRIDCTL_IDENTITY": str(kept), **AUTHOR}
    nokey = {"GRIDCTL_IDENTITY": "", "XDG_CONFIG_HOME": str(OUT / "no-config")}

    rows = []
    for label, root, env in (("plain text", plain, {}), ("encrypted, with the key", sealed, key),
                             ("encrypted, no key", sealed, nokey)):  # fmt: skip
        cold = timed(root, env, args.runs, cold=True)
        warm = timed(root, env, args.runs, cold=False)
        rows.append((label, cold, warm))
    base = rows[0]
    print(f"\ngridctl validate, {args.households:,} households, best of {args.runs} ({os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}); wall clock and CPU time (user + system)")
    print(f"{'':24} {'cold wall':>10} {'cold cpu':>10} {'× plain':>8} {'warm wall':>10} {'warm cpu':>9} {'× plain':>8}")
    for label, cold, warm in rows:
        print(f"{label:24} {cold[0]:9.2f}s {cold[1]:9.2f}s {cold[1] / base[1][1]:7.2f}× "
              f"{warm[0]:9.2f}s {warm[1]:8.2f}s {warm[1] / base[2][1]:7.2f}×")  # fmt: skip
    print("results: " + " | ".join(f"{label}: {cold[2]}" for label, cold, _warm in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
