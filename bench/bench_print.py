"""Time printing 50 notice boards: HTML (goal under 2 s) and PDF through WeasyPrint.

    python bench/bench_print.py [--boards 50] [--runs 3]

Uses the bundled example community (4 grids with polygons, 9 people and photos on the big
boards), cycling its grids to 50 boards in one document, the way `print board --all` renders.
Loading the ledger is timed apart. Needs `gridctl[pdf]` and the Noto Sans CJK SC font for PDF.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from pypdf import PdfReader

from gridctl.data import data_dir
from gridctl.ledger.files import WorkTree
from gridctl.ledger.index import load
from gridctl.render import pdf
from gridctl.render.pages import Printer
from gridctl.render.revision import revision_of


def best(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    root = Path(data_dir("examples")) / "community"
    files = WorkTree(root)
    started = time.perf_counter()
    ledger, _ = load(root, files)
    assert ledger is not None
    load_s = time.perf_counter() - started

    def printer() -> Printer:
        return Printer(root, ledger, files, revision_of(root, files))

    grids = printer().grid_ids(None, True)
    ids = [grids[i % len(grids)] for i in range(args.boards)]

    html_s = best(args.runs, lambda: printer().boards(ids))
    html = printer().boards(ids).html
    for warning in pdf.check():
        print(warning)
    pdf_bytes: list[bytes] = []
    pdf_s = best(1, lambda: pdf_bytes.append(pdf.html_to_pdf(html)))
    pages = len(PdfReader(io.BytesIO(pdf_bytes[-1])).pages)

    print(f"ledger load (example community):          {load_s:6.2f} s")
    print(
        f"HTML, {args.boards} boards (one document, best of {args.runs}): {html_s:6.2f} s  ({len(html) / 1e6:.1f} MB)"
    )
    print(
        f"PDF,  {args.boards} boards (WeasyPrint, {pages} pages):   {pdf_s:6.2f} s  ({len(pdf_bytes[-1]) / 1e6:.1f} MB)"
    )
    print(f"goal: HTML under 2 s — {'met' if html_s < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
