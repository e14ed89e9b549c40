"""How fast is `gridctl validate`, next to parsing alone and to a generic JSON Schema validator?

    python bench/bench_validate.py [--households 12000] [--seed 1] [--regen]

Builds (or reuses) a synthetic ledger in bench/out/ with gen_ledger.py, then times on the same
files in one run: `gridctl validate` as a subprocess (best of 3), parse-only with yaml_rs (the
reader gridctl uses) and with PyYAML's C loader (best of 3 each, files already in memory),
check-jsonschema against the JSON Schemas per record kind, and `gridctl --help` (best of 10).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
FOLDER_KIND = {"grids": "grid", "staff": "staff", "households": "household", "places": "place", "orgs": "org",
               "things": "thing", "events": "event", "inspections": "inspection"}
GENERATOR_FILES = ("gen_ledger.py", "synth.py", "residents.py", "world.py", "activity.py")
SUMMARY = re.compile(r"(no problems|\d+ errors?, \d+ warnings?) \((\d+) files, (\d+) records checked\)")
ARGS_PER_CALL = 2000
"""Files per check-jsonschema call: keeps the command line well under the OS limit."""


def gridctl_command() -> list[str]:
    """How to run gridctl, with its bytecode compiled first, as installing it compiles it: a shell
    with PYTHONDONTWRITEBYTECODE set would otherwise time compiling every run."""
    compiled()
    found = shutil.which("gridctl", path=str(Path(sys.executable).parent)) or shutil.which("gridctl")
    return [found] if found else [sys.executable, "-m", "gridctl"]


@functools.cache
def compiled() -> None:
    import compileall

    import gridctl

    compileall.compile_dir(str(Path(gridctl.__file__).parent), quiet=1)


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


# --- the ledger -------------------------------------------------------------------------------


def ledger_for(households: int, seed: int, regen: bool) -> tuple[Path, float | None]:
    """A generated ledger for these parameters; regenerated when the generator changed."""
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        digest.update((BENCH / name).read_bytes())
    stamp = f"households={households} seed={seed} generator={digest.hexdigest()[:16]}\n"
    root = OUT / f"ledger-{households}-s{seed}"
    marker = root / ".generated"
    if not regen and marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return root, None
    started = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "gen_ledger.py"), str(root), "--households", str(households),
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    marker.write_text(stamp, encoding="utf-8")
    return root, time.perf_counter() - started


def ledger_files(root: Path) -> list[Path]:
    """Every YAML file gridctl reads: gridctl.yaml and the records (photos/ holds none)."""
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "photos")
        files += [Path(folder) / n for n in sorted(names) if n.endswith((".yaml", ".yml"))]
    return files


# --- the contenders ---------------------------------------------------------------------------


def time_validate(root: Path, runs: int) -> tuple[float, str, int]:
    command = [*gridctl_command(), "--lang", "en", "-C", str(root), "validate"]
    result: list[subprocess.CompletedProcess[str]] = []

    def once() -> None:
        result[:] = [subprocess.run(command, capture_output=True, text=True, encoding="utf-8")]

    seconds = best_of(runs, once)
    out = result[0].stdout.strip().splitlines()
    return seconds, out[-1] if out else result[0].stderr.strip(), result[0].returncode


def time_parsers(texts: list[str], runs: int) -> dict[str, float]:
    import yaml
    import yaml_rs

    def with_yaml_rs() -> None:
        for text in texts:
            yaml_rs.loads(text)

    def with_pyyaml() -> None:
        for text in texts:
            list(yaml.load_all(text, Loader=yaml.CSafeLoader))

    return {"yaml_rs": best_of(runs, with_yaml_rs), "pyyaml": best_of(runs, with_pyyaml)}


def schema_folder() -> Path:
    """The committed schemas/, or (if they are not there) freshly generated ones in bench/out/."""
    committed = REPO / "schemas"
    if all((committed / f"{kind}.schema.json").is_file() for kind in FOLDER_KIND.values()):
        return committed
    generated = OUT / "schemas"
    subprocess.run([*gridctl_command(), "schema", "-o", str(generated)], check=True, stdout=subprocess.DEVNULL)
    return generated


def time_check_jsonschema(root: Path, files: list[Path], budget: float) -> tuple[float, str, int]:
    """Wall clock for check-jsonschema over every record file, one schema per kind.

    A 2 % sample is timed first; if the whole run would take longer than `budget` seconds, the
    sample's time per file plus the start-up time per call is extrapolated instead (and the report
    says so).
    """
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    if tool is None:
        return math.nan, "check-jsonschema not installed (pip install check-jsonschema)", 0
    schemas = schema_folder()
    by_kind: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        kind = FOLDER_KIND.get(path.relative_to(root).parts[0])
        if kind:
            by_kind[kind].append(path)
    total = sum(len(v) for v in by_kind.values())
    step = max(1, round(total / max(200, total // 50)))
    sample = {k: v[::step] for k, v in by_kind.items()}
    sampled = sum(len(v) for v in sample.values())
    first = next(iter(by_kind))
    startup, _ = _run_check(tool, schemas, {first: by_kind[first][:1]})
    seconds, failed = _run_check(tool, schemas, sample)
    calls = sum(math.ceil(len(v) / ARGS_PER_CALL) for v in by_kind.values())
    per_file = max(0.0, seconds - len(sample) * startup) / sampled
    estimate = calls * startup + per_file * total
    if estimate > budget:
        note = (f"EXTRAPOLATED from {sampled} of {total} files ({seconds:.1f} s; {startup:.2f} s start-up per call), "
                f"schemas in {_rel(schemas)}")
        return estimate, note, failed * total // sampled
    seconds, failed = _run_check(tool, schemas, by_kind)
    return seconds, f"all {total} record files, {calls} calls, schemas in {_rel(schemas)}", failed


def _run_check(tool: str, schemas: Path, by_kind: dict[str, list[Path]]) -> tuple[float, int]:
    failed = 0
    started = time.perf_counter()
    for kind, paths in by_kind.items():
        for i in range(0, len(paths), ARGS_PER_CALL):
            chunk = [str(p) for p in paths[i : i + ARGS_PER_CALL]]
            run = subprocess.run([tool, "--schemafile", str(schemas / f"{kind}.schema.json"), *chunk],
                                 capture_output=True, text=True, encoding="utf-8")
            failed += len({line.split("::")[0] for line in run.stdout.splitlines() if "::" in line})
    return time.perf_counter() - started, failed


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


# --- the report -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time gridctl validate against parse-only and check-jsonschema.")
    parser.add_argument("--households", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regen", action="store_true", help="generate the ledger again even if it is current")
    parser.add_argument("--jsonschema-budget", type=float, default=300.0, metavar="SECONDS",
                        help="extrapolate check-jsonschema from a sample when a full run would take longer")
    args = parser.parse_args(argv)

    root, generated = ledger_for(args.households, args.seed, args.regen)
    files = ledger_files(root)
    started = time.perf_counter()
    texts = [p.read_bytes().decode("utf-8-sig") for p in files]
    read = time.perf_counter() - started
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    validate, summary, code = time_validate(root, 3)
    parsers = time_parsers(texts, 3)
    schema_time, schema_note, schema_failed = time_check_jsonschema(root, files, args.jsonschema_budget)
    help_time = best_of(10, lambda: subprocess.run([*gridctl_command(), "--help"], capture_output=True, check=True))

    counted = SUMMARY.search(summary)
    records = counted.group(3) if counted else "?"
    print(f"gridctl validate benchmark: {args.households:,} households, {len(files):,} YAML files "
          f"({megabytes:.1f} MB), {records} records; ledger {_rel(root)}")
    if generated is not None:
        print(f"(ledger generated in {generated:.1f} s)")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs; yaml-rs {metadata.version('yaml-rs')}, "
          f"PyYAML {metadata.version('PyYAML')}, check-jsonschema {_version('check-jsonschema')}")
    print()
    rows = [
        ("read every file (bytes → str)", read, "once"),
        ("parse only: yaml_rs.loads", parsers["yaml_rs"], "best of 3, files in memory"),
        ("parse only: PyYAML CSafeLoader", parsers["pyyaml"], "best of 3, files in memory"),
        ("gridctl validate (subprocess)", validate, f"best of 3, exit {code}: {summary}"),
        ("check-jsonschema, per kind", schema_time, schema_note
         + (f"; {schema_failed} files reported invalid" if schema_failed else "")),
        ("gridctl --help (subprocess)", help_time, "best of 10"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  {'µs/file':>8}  notes")
    for name, seconds, note in rows:
        per_file = "" if name.startswith("gridctl --help") else f"{seconds / len(files) * 1e6:8.0f}"
        print(f"{name:<{width}}  {seconds:8.2f}  {per_file:>8}  {note}")
    print()
    print(f"validate / PyYAML C parse:   {validate / parsers['pyyaml']:6.2f}×")
    print(f"validate / yaml_rs parse:    {validate / parsers['yaml_rs']:6.2f}×")
    print(f"validate / check-jsonschema: {validate / schema_time:6.2f}×")
    return 0 if code == 0 else 1


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    sys.exit(main())
