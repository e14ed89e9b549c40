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

from bench_validate import OUT, best_of, gridctl_command, ledger_for

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


def timed(root: Path, env: dict[str, str], runs: int, cold: bool) -> tuple[float, str]:
    env = {**os.environ, **env, **({"GRIDCTL_NO_CACHE": "1"} if cold else {})}
    said: list[str] = []
    if not cold:
        validate(root, env)  # the cache as a previous command leaves it
    seconds = best_of(runs, lambda: said.append(validate(root, env)[1]))
    return seconds, said[-1]


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
        cold, said = timed(root, env, args.runs, cold=True)
        warm, _ = timed(root, env, args.runs, cold=False)
        rows.append((label, cold, warm, said))
    base_cold, base_warm = rows[0][1], rows[0][2]
    print(f"\ngridctl validate, {args.households:,} households, best of {args.runs} ({os.cpu_count()} CPUs)")
    print(f"{'':26} {'cold':>8} {'× plain':>8} {'warm':>8} {'× plain':>8}  result")
    for label, cold, warm, said in rows:
        print(f"{label:26} {cold:7.2f}s {cold / base_cold:7.2f}× {warm:7.2f}s {warm / base_warm:7.2f}×  {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
