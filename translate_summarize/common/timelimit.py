"""A wall-time limit for one piece of work in the main thread (the per-article budget, `--article-timeout`).

`time_limit(seconds)` arms a one-shot real-time timer (`signal.setitimer(ITIMER_REAL)`); when it
fires, `TimeLimitExceeded` is raised in the main thread at the next Python bytecode, which is where
the pipeline spends its time between model calls and in the checks. It derives from BaseException,
so no `except Exception` inside the work swallows it. Outside the main thread, or with `seconds`
None or <= 0, there is no limit (signals reach only the main thread).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """The work ran past its limit; `seconds` is the limit it had."""

    def __init__(self, seconds: float):
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded inside the block once it has run `seconds` of wall time."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame) -> None:
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
