"""How long does `gridctl import` take on a 10,000-row register?

    python bench/bench_import.py [--households 3600] [--seed 1]

Builds a synthetic ledger with gen_ledger.py (about 2.7 people per household, so 3,600
households make some 10,000 rows), exports its households with `gridctl export --reveal`, and
drops the 户编号 / 人员编号 columns so the sheet is what a clerk types in Excel. Then times the
real command in a subprocess, each in a fresh copy of the ledger without its households:

  xlsx, all new      every row a new person: 3,600 new household files in one commit
  xlsx, again        the same sheet into the result: every row matched, nothing written
  csv, all new       the same rows as a UTF-8 CSV
  xlsx, dry run      all new, checked and summarised, nothing written
  xlsx, 10% changed  the sheet again with every tenth phone changed, --dry-run: each changed field is
                     weighed against the history of its record (the three-way check reads git)
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
AUTHOR = "王芳 <wangfang@example.cn>"
DROP = ("户编号", "人员编号")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def gridctl(*args: str) -> tuple[float, str]:
    began = time.perf_counter()
    done = run(sys.executable, "-m", "gridctl", "--lang", "en", "--author", AUTHOR, *args)
    took = time.perf_counter() - began
    if done.returncode not in (0,):
        raise SystemExit(f"gridctl {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr}")
    return took, done.stdout.strip().splitlines()[-1]


def git_commit(root: Path, message: str) -> None:
    run("git", "add", "-A", cwd=root)
    run("git", "-c", "user.name=王芳", "-c", "user.email=wangfang@example.cn", "commit", "-qm", message, cwd=root)


def clerk_sheets(export: Path, out: Path) -> tuple[Path, Path, int]:
    """The export without gridctl's ids, as xlsx and as CSV; and its number of rows."""
    from openpyxl import Workbook, load_workbook

    rows = [list(r) for r in load_workbook(export, read_only=True).active.iter_rows(values_only=True)]
    keep = [i for i, h in enumerate(rows[0]) if h not in DROP]
    rows = [[r[i] if i < len(r) else None for i in keep] for r in rows]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("户籍登记表")
    for r in rows:
        ws.append(r)
    xlsx = out / "户籍登记表.xlsx"
    wb.save(xlsx)
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in r] for r in rows])
    csv_path = out / "户籍登记表.csv"
    csv_path.write_bytes(("\ufeff" + text.getvalue()).encode("utf-8"))
    return xlsx, csv_path, len(rows) - 1


def changed_sheet(xlsx: Path, out: Path) -> Path:
    """The clerk's sheet with every tenth row's phone changed: fields the three-way check must weigh."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    ws = wb.active
    column = [c.value for c in ws[1]].index("联系电话") + 1
    for n in range(2, ws.max_row + 1, 10):
        ws.cell(n, column).value = f"1391234{n % 10000:04d}"
    path = out / "户籍登记表-改.xlsx"
    wb.save(path)
    return path


def without_households(full: Path, to: Path) -> Path:
    shutil.copytree(full, to)
    for folder in ("households", "events", "inspections"):  # events point at people by id
        shutil.rmtree(to / folder, ignore_errors=True)
    git_commit(to, "户籍人口待导入")
    return to


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=3600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gridctl-bench-import-") as tmp:
        work = Path(tmp)
        full = work / "full"
        gen = run(sys.executable, str(BENCH / "gen_ledger.py"), str(full), "--households", str(args.households),
                  "--seed", str(args.seed))  # fmt: skip
        if gen.returncode:
            raise SystemExit(gen.stderr)
        run("git", "init", "-q", cwd=full)
        git_commit(full, "synthetic ledger")
        export = work / "export.xlsx"
        gridctl("-C", str(full), "export", "household", "--reveal", "-o", str(export))
        xlsx, csv_path, rows = clerk_sheets(export, work)
        print(f"{rows} rows, {args.households} households (seed {args.seed}), python {sys.version.split()[0]}")
        cases = [
            ("xlsx, all new", without_households(full, work / "a"), xlsx, ()),
            ("xlsx, again", work / "a", xlsx, ()),
            ("csv, all new", without_households(full, work / "b"), csv_path, ()),
            ("xlsx, dry run", without_households(full, work / "c"), xlsx, ("--dry-run",)),
            ("xlsx, 10% changed", work / "a", changed_sheet(xlsx, work), ("--dry-run",)),
        ]
        for name, ledger, sheet, extra in cases:
            took, said = gridctl("-C", str(ledger), "import", "household", str(sheet), *extra)
            print(f"  {name:<17} {took:6.1f} s   {said}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
