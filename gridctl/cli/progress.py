"""A long wait made visible: a spinner (and a bar where the total is known) on stderr, on a terminal only.

Never when stderr is piped or redirected (CI logs, `2> file`), never on stdout (which may be JSON
or CSV), and only once the work has taken longer than a moment (GRIDCTL_PROGRESS_DELAY seconds,
default 0.5), so a quick command prints nothing extra. The library reports progress through a
plain callback `(stage, done, total)`; this is the one place that draws it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

STAGES: dict[str, tuple[str, str]] = {
    "read": ("读取", "reading"),
    "validate": ("校验台账", "validating"),
    "write": ("校验并写入", "checking and writing"),
    "check": ("检查", "checking"),
    "history": ("读取历史", "reading history"),
    "report": ("统计", "counting"),
    "print": ("排版", "laying out"),
    "pdf": ("生成 PDF", "making the PDF"),
    "export": ("导出", "exporting"),
}
UNITS = {"read": ("行", "rows"), "print": ("页", "pages"), "history": ("个提交", "commits")}

Tick = Callable[[str, int, "int | None"], None]


class Progress:
    """Draws `(stage, done, total)` reports; a no-op off a terminal."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()
        self.started = False

    def __enter__(self) -> Tick:
        if not _terminal():
            return _nothing
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
        self.bar = Progress(*columns, console=Console(stderr=True), transient=True)
        delay = _delay()
        if delay <= 0:
            self._start()
        else:
            self.timer = threading.Timer(delay, self._start)
            self.timer.daemon = True
            self.timer.start()
        return self.update

    def _start(self) -> None:
        with self.lock:
            if self.bar is not None and not self.started:
                self.bar.start()
                self.started = True

    def update(self, stage: str, done: int, total: int | None) -> None:
        zh, en = STAGES.get(stage, (stage, stage))
        label = zh if self.lang == "zh" else en
        unit = UNITS.get(stage, ("", ""))[0 if self.lang == "zh" else 1]
        if total:
            label += f" {done}/{total}" + (f" {unit}" if unit else "")
        elif done:
            label += f" {done}" + (f" {unit}" if unit else "")
        if stage not in self.tasks:
            for task in self.tasks.values():  # the stage before is over
                self.bar.update(task, completed=1, total=1)
            self.tasks[stage] = self.bar.add_task(label, total=total)
        self.bar.update(self.tasks[stage], description=label, completed=done, **({"total": total} if total else {}))

    def __exit__(self, *exc: object) -> None:
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            if self.started:
                self.bar.stop()
            self.bar = None


def _nothing(stage: str, done: int, total: int | None) -> None:
    return None


def _terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _delay() -> float:
    try:
        return float(os.environ.get("GRIDCTL_PROGRESS_DELAY", "0.5"))
    except ValueError:
        return 0.5


@contextmanager
def working(ctx: typer.Context, stage: str) -> Iterator[Tick]:
    """A spinner for `stage` while the block runs (the block may report more through the tick)."""
    from gridctl.cli.common import state

    with Progress(state(ctx).lang) as tick:
        tick(stage, 0, None)
        yield tick
