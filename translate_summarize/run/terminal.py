"""What a person at a terminal sees while `brief` runs: one progress bar on the shared console.

The bar and the log lines use the same rich console (`logs.console()`), so a log line is printed
above the bar instead of into it. The bar shows the stage (STAGES), the file or window of files in
it, the count in steps (`Tally`: an article takes four, so a window of 8 moves as each of its stages
ends), and the time left once there is a measured rate:

    summarizing 000_artikel.txt +7 ━━━━━━━━╸━━━━━━━ 16/32 steps, 0/8 articles 0:00:41 ETA 0:00:38

Whenever stderr is a terminal the bar is taken down before anything goes to stdout, whatever stdout
is (the terminal, a file, or a pipe into `jq` or `less` that prints on the same screen). After a write
into a pipe it comes back once the reader has taken it all, never while a pager holds the screen;
`finish` makes the closing line wait for the reader. Without a terminal on stderr (cron, pipes,
--quiet) `NoProgress` draws nothing.
"""

from __future__ import annotations

import fcntl
import os
import stat
import struct
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..common.logs import console

STAGES = ("reading", "converting models", "loading models", "translating", "summarizing", "back-translating",
          "checking", "writing")  # fmt: skip
# The steps of an article that needs the models, in order, and the share of an article's model time
# each takes (bench/results/cpu-2026-11-29.txt: CTranslate2 0.62/2.25/0.31 s, torch 5.9/8.1/1.5 s).
STEPS = ("translating", "summarizing", "back-translating", "checking")
WEIGHTS = (0.3, 0.55, 0.12, 0.03)
# Stages whose time is not the articles' work: left out of the measured rate.
SETUP = ("converting models", "loading models", "starting Ray")
# After a write into a pipe: how long the bar waits, once the reader took it all, for it to show it.
SETTLE_SECONDS = 0.2
POLL_SECONDS = 0.05


class NoProgress:
    """The progress interface `runner.Run` calls; this one shows nothing."""

    def start(self, total: int) -> None:
        """The run has `total` inputs."""

    def stage(self, item: str, stage: str) -> None:
        """`item` (an input path, or `-`) entered `stage`, one of STAGES."""

    def group(self, items: list[str], stage: str) -> None:
        """The window `items` (inputs briefed together) entered `stage`, one of STAGES."""

    def models(self, stage: str | None, role: str = "") -> None:
        """The `role` model (e.g. `summarization`) entered `stage` ("converting models" or "loading
        models"), or, with None, is ready: the stage it interrupted goes on."""

    def done(self, item: str, status: str) -> None:
        """`item` finished: `briefed`, `unchanged` or `failed`."""

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Around a write to stdout."""
        yield

    def close(self) -> None:
        """The run is over: take the bar down."""

    def finish(self, stdout: BinaryIO) -> None:
        """Everything is on `stdout`: return once its reader has shown it (before the closing line)."""


@dataclass
class _Article:
    """One article's place in the run: the STEPS it entered, settled (counted or dropped), passed."""

    entered: set[int] = field(default_factory=set)
    settled: set[int] = field(default_factory=set)
    steps: int = 0


class Tally:
    """Where a run stands, and its time left, measured; `clock` gives seconds (monotonic).

    Steps count for the bar: every input has len(STEPS) of them, all done when it is done (briefed,
    unchanged or failed). The time left comes from weighted steps (WEIGHTS) and the work's seconds:
    from the first step an article entered, without the time models spent loading or converting. A
    step an article never entered (English needs no translation, an unchanged article none at all)
    is taken off what is left instead of counted as done, so it does not flatter the rate.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._articles: dict[str, _Article] = {}
        self.total = 0  # inputs
        self.finished = 0  # inputs done
        self._work = 0.0  # weighted steps of the run left to do or done
        self._worked = 0.0  # weighted steps done
        self._started: float | None = None  # when the first step was entered
        self._setup_since: float | None = None
        self._setup_seconds = 0.0  # in setup stages since `_started`
        self._estimate: tuple[float, float] | None = None  # (seconds left, work clock then)

    def start(self, total: int) -> None:
        """The run has `total` inputs."""
        self.total = max(0, total)
        self._work = float(self.total)

    @property
    def steps(self) -> tuple[int, int]:
        """(steps done, steps of the run)."""
        whole = len(STEPS) * self.total
        done = len(STEPS) * self.finished + sum(article.steps for article in self._articles.values())
        return min(done, whole), whole

    def enter(self, items: list[str], stage: str) -> None:
        """`items` entered `stage`: the steps before it are over (counted if entered, else dropped)."""
        self.setup(stage in SETUP)
        if stage in SETUP or stage in ("reading", "writing"):
            return
        if self._started is None:
            self._started = self._clock()
        if stage not in STEPS:  # another executor's stage ("briefing on Ray"): work, but no step
            return
        step = STEPS.index(stage)
        for item in items:
            article = self._articles.setdefault(item, _Article())
            article.entered.add(step)
            for earlier in range(step):
                self._settle(article, earlier, earlier in article.entered)
            article.steps = max(article.steps, step)
        self._measure()

    def setup(self, active: bool) -> None:
        """Models started (True) or stopped (False) loading or converting: that time is not work."""
        now = self._clock()
        if active and self._setup_since is None:
            self._setup_since = now
        elif not active and self._setup_since is not None:
            if self._started is not None:
                self._setup_seconds += now - max(self._setup_since, self._started)
            self._setup_since = None

    def done(self, item: str, status: str) -> None:
        """`item` finished with `status`: its steps are all done, counted as work when it was briefed."""
        article = self._articles.pop(item, None) or _Article()
        self.finished = min(self.total, self.finished + 1)
        entered_none = status == "briefed" and not article.entered  # briefed elsewhere (Ray): all work
        for step in range(len(STEPS)):
            self._settle(article, step, entered_none or step in article.entered)
        self._measure()

    def _settle(self, article: _Article, step: int, counted: bool) -> None:
        """Count `step` of `article` as work done, or (not `counted`) take it off the run's work."""
        if step in article.settled:
            return
        article.settled.add(step)
        if counted:
            self._worked += WEIGHTS[step]
        else:
            self._work -= WEIGHTS[step]

    def work_seconds(self) -> float:
        """Seconds of work so far: since the first step, without the setup stages."""
        if self._started is None:
            return 0.0
        now = self._clock()
        setup = self._setup_seconds
        if self._setup_since is not None:
            setup += now - max(self._setup_since, self._started)
        return max(0.0, now - self._started - setup)

    def _measure(self) -> None:
        seconds = self.work_seconds()
        if self._worked <= 0 or seconds <= 0:
            return
        left = max(0.0, self._work - self._worked)
        self._estimate = (seconds / self._worked * left, seconds)

    def remaining(self) -> float | None:
        """Seconds left by the measured rate, counting down with the work; None before any step ended."""
        if self._estimate is None:
            return None
        left, then = self._estimate
        return max(0.0, left - (self.work_seconds() - then))


def clock_text(seconds: float) -> str:
    """`0:01:39`: hours, minutes and seconds, rounded up to a whole second."""
    whole = int(-(-seconds // 1))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _name(item: str) -> str:
    return Path(item).name or item


class BarProgress(NoProgress):
    """A transient rich progress bar on the stderr console (see the module's docstring).

    `stdout_is_terminal` is accepted for callers that still pass it: the bar comes down before every
    write to stdout whatever stdout is. `stdout_fd` and `stderr_fd` are the descriptors looked at
    (is stdout a pipe, has it been read, does a pager hold the terminal); `clock` is the Tally's.
    """

    def __init__(self, *, stdout_is_terminal: bool | None = None, stdout_fd: int = 1, stderr_fd: int = 2,
                 clock: Callable[[], float] = time.monotonic):  # fmt: skip
        from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
        from rich.table import Column
        from rich.text import Text

        tally = self.tally = Tally(clock)

        class TimeLeft(ProgressColumn):
            def render(self, task) -> Text:
                left = tally.remaining()
                return Text("" if left is None else f"ETA {clock_text(left)}", style="progress.remaining")

        columns = (
            TextColumn("{task.description}", markup=False, table_column=Column(no_wrap=True, overflow="ellipsis",
                                                                                max_width=48)),  # fmt: skip
            BarColumn(bar_width=24),
            TextColumn("{task.fields[counts]}", table_column=Column(no_wrap=True)),
            TimeElapsedColumn(),
            TimeLeft(table_column=Column(no_wrap=True)),
        )
        self._progress = Progress(*columns, console=console(), transient=True, refresh_per_second=4)
        self._task = self._progress.add_task("starting", total=None, counts="")
        self._stdout_fd, self._stderr_fd = stdout_fd, stderr_fd
        self._lock = threading.RLock()
        self._running = False  # between start and close
        self._shown = False  # the bar is on the screen
        self._writing = False  # stdout is being written
        self._held_until = 0.0  # after a write into a pipe: not before then, nor before it is read
        self._description = "starting"
        self._before_setup: str | None = None  # the stage a model's loading interrupted
        self._watch: threading.Thread | None = None
        self._closed = threading.Event()

    def start(self, total: int) -> None:
        with self._lock:
            self.tally.start(total)
            self._running = True
            self._update()
            self._show_if_due()
        if _is_pipe(self._stdout_fd):  # a reader of the pipe may print on our screen: watch for it
            self._watch = threading.Thread(target=self._watch_reader, name="brief-bar", daemon=True)
            self._watch.start()

    def stage(self, item: str, stage: str) -> None:
        self.group([item], stage)

    def group(self, items: list[str], stage: str) -> None:
        if not items:
            return
        with self._lock:
            self.tally.enter(items, stage)
            self._before_setup = None
            more = f" +{len(items) - 1}" if len(items) > 1 else ""
            self._update(f"{stage} {_name(items[0])}{more}")

    def models(self, stage: str | None, role: str = "") -> None:
        with self._lock:
            self.tally.setup(stage is not None)
            if stage is not None:
                if self._before_setup is None:
                    self._before_setup = self._description
                self._update(f"{stage} ({role})" if role else stage)
            elif self._before_setup is not None:  # a step that loaded its model goes on; else say so
                going_on = self._before_setup.split(" ")[0] in STEPS
                self._update(self._before_setup if going_on else f"loaded models ({role})")
                self._before_setup = None

    def done(self, item: str, status: str) -> None:
        with self._lock:
            self.tally.done(item, status)
            self._update(f"{status} {_name(item)}")

    @contextmanager
    def paused(self) -> Iterator[None]:
        with self._lock:
            self._writing = True
            self._hide()
        try:
            yield
        finally:
            with self._lock:
                self._writing = False
                if _is_pipe(self._stdout_fd):
                    self._held_until = time.monotonic() + SETTLE_SECONDS
                self._show_if_due()

    def close(self) -> None:
        with self._lock:
            self._running = False
            self._hide()
        self._closed.set()
        if self._watch is not None and self._watch is not threading.current_thread():
            self._watch.join()

    def finish(self, stdout: BinaryIO) -> None:
        """After `close`, stdout a pipe: wait until its reader took it all (3 s at most) and showed it.
        A pager that holds the screen is let go of (it sees the end, as `less -F` waits to) and
        waited for until it gives the terminal back; Ctrl-C ends the wait, not the run."""
        if not _is_pipe(self._stdout_fd):
            return
        try:
            if self._pager_on_screen():
                _let_go(stdout)  # stdout is no pipe after this: only the terminal's mode tells
                while _held(self._stderr_fd):
                    time.sleep(POLL_SECONDS)
                return
            until = time.monotonic() + 3
            while _unread(self._stdout_fd) and time.monotonic() < until:
                time.sleep(POLL_SECONDS)
            time.sleep(SETTLE_SECONDS)
        except KeyboardInterrupt:
            return

    def _update(self, description: str | None = None) -> None:
        """Put the tally (and a new description) on the bar, drawn now when it is shown."""
        if description is not None:
            self._description = description
        done, whole = self.tally.steps
        counts = f"{done}/{whole} steps, {self.tally.finished}/{self.tally.total} articles"
        self._progress.update(self._task, description=self._description, completed=done, total=whole or None,
                              counts=counts, refresh=self._shown)  # fmt: skip

    def _show_if_due(self) -> None:
        if self._shown or not self._running or self._writing:
            return
        if _is_pipe(self._stdout_fd):
            if time.monotonic() < self._held_until or _unread(self._stdout_fd) or self._pager_on_screen():
                return
        self._progress.start()
        self._shown = True

    def _hide(self) -> None:
        """Take the bar down: its lines are erased, the cursor left where the bar's first line was."""
        if self._shown:
            self._progress.stop()
            self._shown = False

    def _watch_reader(self) -> None:
        """Stdout is a pipe: the bar comes back once the reader showed its input, goes for a pager."""
        while not self._closed.wait(POLL_SECONDS):
            with self._lock:
                if self._shown and self._pager_on_screen():
                    self._hide()
                else:
                    self._show_if_due()

    def _pager_on_screen(self) -> bool:
        """Whether a reader of the pipe on stdout holds the terminal (a pager)."""
        return _is_pipe(self._stdout_fd) and _held(self._stderr_fd)


def _is_pipe(fd: int) -> bool:
    """Whether `fd` is a pipe (or socket): the reader at its other end may print on our terminal."""
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _unread(fd: int) -> int:
    """Bytes written into the pipe `fd` that its reader has not taken yet (0 when that cannot be told)."""
    try:
        return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, struct.pack("i", 0)))[0]
    except OSError:
        return 0


def _held(fd: int) -> bool:
    """Whether the terminal `fd` is out of canonical mode, as `less` puts it (a shell's jobs get it in)."""
    try:
        return not termios.tcgetattr(fd)[3] & termios.ICANON
    except (termios.error, OSError):
        return False


def _let_go(stdout: BinaryIO) -> None:
    """Flush `stdout` and put /dev/null in its place, so its reader sees the end of the input."""
    try:
        stdout.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
