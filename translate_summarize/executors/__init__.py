"""Executors: where the articles that need work are turned into briefs (`--executor`).

The runner stays the one place that reads inputs, checks what is unchanged (the idempotency keys),
writes the out-dir under its lock, appends the manifest and names failures. An executor only turns
articles into briefs. It gets the work as windows (lists) of `(index, Article)`, the articles of
`batch_articles` consecutive inputs that need work (a window may be empty), and yields one
`(index, Brief)` or `(index, InputError)` per article, in input order, each as soon as it is ready.
An `InputError` names one article that could not be briefed; the run goes on with the others. An
error that means nothing can be briefed (a model that cannot load) is raised as a `BriefError`.

- `local` (the default): this process, one window at a time through `Briefer.brief_batch`, while
  the runner's reader thread reads the next window.
- `ray` (`executors/ray_executor.py`, the `ray` extra): a Ray Data actor pool, on this machine or a
  cluster.

Adding an executor is one class with `@register_executor("name")`, whose module is listed in
`BUILTIN`: `__init__(briefer, options, batch_articles)`, `brief(work, on_stage)`, and a class method
`check()` that raises ConfigError when it cannot run here (a missing package), called before any work.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from ..common.timelimit import TimeLimitExceeded, time_limit
from ..data import Article, Brief
from ..errors import BriefError, ConfigError, InputError, unexpected_reason

log = logging.getLogger(__name__)

# Modules whose import registers the executors that ship with brief.
BUILTIN = ("translate_summarize.executors", "translate_summarize.executors.ray_executor")
_EXECUTORS: dict[str, type] = {}

Work = Iterable[list[tuple[int, Article]]]
Result = tuple[int, "Brief | InputError"]
OnStage = Callable[[list[int], str], None]  # (indices of the articles, stage they entered)


@dataclass(frozen=True)
class ExecutorOptions:
    """Which executor runs the briefs, and how the `ray` executor spreads them (see README, Ray)."""

    name: str = "local"
    ray_address: str | None = None  # None: Ray's own RAY_ADDRESS, else a local cluster
    ray_actors: int = 2
    ray_cpus_per_actor: float = 1.0
    ray_gpus_per_actor: float = 0.0
    # Wall-time budget of one article, seconds (None: none); the local executor enforces it
    # (`timelimit`): an article past it is that input's failure, named, and the run goes on.
    article_timeout: float | None = 1800.0


class Executor(Protocol):
    def brief(self, work: Work, on_stage: OnStage) -> Iterator[Result]: ...


def register_executor(name: str):
    """Class decorator: register an executor class under `name` (sets its `name` attribute)."""

    def decorate(cls: type) -> type:
        cls.name = name
        _EXECUTORS[name] = cls
        return cls

    return decorate


def _load_builtin() -> None:
    for module in BUILTIN:
        importlib.import_module(module)


def executor_names() -> tuple[str, ...]:
    """Registered executor names, in registration order."""
    _load_builtin()
    return tuple(_EXECUTORS)


def executor_class(name: str) -> type:
    """The class registered as `name`; ConfigError (exit 2) naming the known ones otherwise."""
    _load_builtin()
    if name not in _EXECUTORS:
        raise ConfigError(f"--executor {name}: unknown executor (known: {', '.join(_EXECUTORS)})")
    return _EXECUTORS[name]


def check_executor(name: str) -> None:
    """ConfigError (one line, exit 2) when executor `name` cannot run here; call before any work."""
    executor_class(name).check()


def create_executor(options: ExecutorOptions, briefer, batch_articles: int) -> Executor:
    return executor_class(options.name)(briefer, options, batch_articles)


@register_executor("local")
class LocalExecutor:
    """Each window's articles briefed together in this process (`brief_batch`), within the window's
    time budget (`article_timeout` per article). A window that fails (a bug, the budget spent) is
    briefed again one article at a time, so only the article at fault fails, each with one line."""

    def __init__(self, briefer, options: ExecutorOptions | None = None, batch_articles: int = 1):
        self.briefer = briefer
        self.article_timeout = (options or ExecutorOptions()).article_timeout

    @classmethod
    def check(cls) -> None:
        return None

    def brief(self, work: Work, on_stage: OnStage) -> Iterator[Result]:
        for window in work:
            if not window:
                continue
            yield from self._brief_window(window, on_stage)

    def _brief_window(self, window: list[tuple[int, Article]], on_stage: OnStage) -> Iterator[Result]:
        indices = [index for index, _ in window]
        budget = self.article_timeout * len(window) if self.article_timeout else None
        if budget:  # the models load once, before the clock starts: no article's budget pays for it
            needs = ["summarizer", "back_translator"]
            if any(getattr(article, "language", "nl") != "en" for _, article in window):
                needs.insert(0, "translator")
            for name in needs:
                getattr(self.briefer, name, None)
        try:
            with time_limit(budget):
                made = self.briefer.brief_batch([article for _, article in window], on_stage=lambda stage: on_stage(indices, stage))
        except BriefError:  # a model that cannot load: nothing can be briefed
            raise
        except (TimeLimitExceeded, Exception) as error:
            if len(window) > 1:
                for one in window:
                    yield from self._brief_window([one], on_stage)
                return
            if isinstance(error, TimeLimitExceeded):
                reason = f"took longer than its {error.seconds:g} s budget (--article-timeout), not briefed"
            else:
                log.info("%s: traceback of the unexpected error", window[0][1].path, exc_info=error)
                reason = unexpected_reason(error)
            yield indices[0], InputError(window[0][1].path, reason)
            return
        yield from zip(indices, made)
