"""What a person at a terminal sees while `brief` runs: one progress bar on the shared console.

The bar and the log lines use the same rich console (`logs.console()`), so a log line is printed
above the bar instead of into it. The bar shows the stage (reading, translating, summarizing,
back-translating, checking, writing), the current file, files done of all, and the time left for
the whole run. Before a brief goes to stdout the bar is taken down (`paused`) when stdout is the same
terminal, so a brief never starts on the bar's line; it comes back after. Without a terminal on
stderr (cron, pipes) `NoProgress` draws nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..common.logs import console

STAGES = ("reading", "translating", "summarizing", "back-translating", "checking", "writing")


class NoProgress:
    """The progress interface `runner.Run` calls; this one shows nothing."""

    def start(self, total: int) -> None:
        """The run has `total` inputs."""

    def stage(self, item: str, stage: str) -> None:
        """`item` (an input path, or `-`) entered `stage`, one of STAGES."""

    def done(self, item: str, status: str) -> None:
        """`item` finished: `briefed`, `unchanged` or `failed`."""

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Around a write to stdout."""
        yield

    def close(self) -> None:
        """The run is over: take the bar down."""


class BarProgress(NoProgress):
    """A transient rich progress bar on stderr: `translating 003_x.txt ━━━━╸━━ 2/7 0:00:41 ETA 0:01:39`."""

    def __init__(self, *, stdout_is_terminal: bool):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        self._progress = Progress(*columns, console=console(), transient=True, speed_estimate_period=600)
        self._task = self._progress.add_task("starting", total=None)
        self._stdout_is_terminal = stdout_is_terminal
        self._running = False

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total)
        self._progress.start()
        self._running = True

    def stage(self, item: str, stage: str) -> None:
        self._progress.update(self._task, description=f"{stage} {Path(item).name}")

    def done(self, item: str, status: str) -> None:
        self._progress.update(self._task, advance=1, description=f"{status} {Path(item).name}")

    @contextmanager
    def paused(self) -> Iterator[None]:
        if not (self._running and self._stdout_is_terminal):
            yield
            return
        self._progress.stop()  # transient: the bar's lines are erased, the cursor is at a line start
        try:
            yield
        finally:
            self._progress.start()

    def close(self) -> None:
        if self._running:
            self._progress.stop()
            self._running = False
