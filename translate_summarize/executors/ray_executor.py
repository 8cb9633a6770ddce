"""`--executor ray`: the articles that need work are briefed on a Ray Data actor pool.

The driver (this process) has already read every input and checked its key; only articles that need
work get here, and when there are none Ray is not even started. They become rows of a Ray Dataset
(the article as JSON text); `map_batches` runs `BriefActor` on a pool of `ray_actors` actors, each of
which builds one `pipeline.briefer.Briefer` and so loads the models once, on first use. Each actor call briefs
a batch of `batch_articles` rows with `brief_batch`; when that raises, the batch is briefed again one
article at a time, so one bad article is named (its row carries the error) and the others are briefed.
The briefs stream back in input order (`preserve_order`) and the runner writes each as it arrives.

Fault tolerance is Ray's: an actor that dies (a crash, the OOM killer, a lost node) is restarted
(`max_restarts=-1`) and its batch is retried (`max_task_retries`, finite, so an article that kills
every actor it reaches cannot loop forever). A batch that still fails is skipped
(`max_errored_blocks=-1`) and its articles are named as failed; the next run tries them again.

Ray joins the cluster at `--ray-address`, else at Ray's own `RAY_ADDRESS`, else starts a local one,
and is shut down afterwards only when this executor started it (a caller's `ray.init` is reused).
Stdout carries only the briefs: Ray prints its raylet messages to `sys.stdout`, so while Ray runs
that is stderr; workers' output stays in Ray's session logs (`log_to_driver=False`).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from ..data import Article, Block, BlockKind, GivenSummary, Source
from ..errors import BriefError, ConfigError, InputError
from . import ExecutorOptions, OnStage, Result, Work, register_executor

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'translate_summarize[ray]'"
# Attempts of a batch whose actor died, after the first: a restarted actor gets it again.
TASK_RETRIES = 2


def article_to_json(article: Article) -> str:
    """An article as one ASCII JSON text (lone surrogates escaped), what a Dataset row carries: every
    field of `Article`, so a field added there travels too (or fails here, loudly, if JSON cannot)."""
    data = {field.name: getattr(article, field.name) for field in fields(Article)}
    data["path"] = str(article.path)
    data["blocks"] = [[block.kind.value, block.text, block.marker] for block in article.blocks]
    for name in ("source", "given_summary"):
        if getattr(article, name) is not None:
            data[name] = asdict(getattr(article, name))
    return json.dumps(data)


def article_from_json(text: str) -> Article:
    data = json.loads(text)
    data["path"] = Path(data["path"])
    data["blocks"] = tuple(Block(BlockKind(kind), block, marker) for kind, block, marker in data["blocks"])
    if data.get("source") is not None:
        data["source"] = Source(**data["source"])
    if data.get("given_summary") is not None:
        data["given_summary"] = GivenSummary(**data["given_summary"])
    return Article(**data)


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError(f"--executor ray needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


class RemoteError(BriefError):
    """An error an actor reported that means nothing can be briefed (a model that cannot load)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class BriefActor:
    """One actor of the pool: one `Briefer` (models loaded once, on first use) for all its batches.

    A batch is a dict of columns (`index`, `article`); the result has `index`, `brief` (the brief as
    JSON text, or ""), `error` (why the article got no brief, or "") and `fatal` (the exit code of an
    error that stops the run, else 0).
    """

    def __init__(self, options, articles_at_once: int = 1):
        self.briefer = self.make_briefer(options, articles_at_once)

    @staticmethod
    def make_briefer(options, articles_at_once: int):
        """The actor's `Briefer`, made as the runner makes a local run's."""
        from ..pipeline.briefer import Briefer

        return Briefer(options, articles_at_once=articles_at_once)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        articles = [article_from_json(str(text)) for text in batch["article"]]
        rows = self._brief(articles)
        return {
            "index": [int(index) for index in batch["index"]],
            "brief": [row[0] for row in rows],
            "error": [row[1] for row in rows],
            "fatal": [row[2] for row in rows],
        }

    def _brief(self, articles: list[Article]) -> list[tuple[str, str, int]]:
        from ..render.json_format import brief_to_dict

        try:
            return [(json.dumps(brief_to_dict(brief)), "", 0) for brief in self.briefer.brief_batch(articles)]
        except InputError as error:
            if len(articles) == 1:
                return [("", error.reason, 0)]
        except BriefError as error:  # a model that cannot load: no article can be briefed
            return [("", f"{error} (on Ray node {socket.gethostname()})", error.exit_code)] * len(articles)
        except Exception as error:  # noqa: BLE001  one article's failure must not take the batch down
            if len(articles) == 1:
                return [("", f"could not be briefed ({type(error).__name__}: {error})", 0)]
        return [row for article in articles for row in self._brief([article])]


def _ray_log_level() -> int:
    """Ray's own loggers: errors only, unless brief runs with -v (warnings) or -vv (info)."""
    level = logging.getLogger().getEffectiveLevel()
    return logging.INFO if level <= logging.DEBUG else logging.WARNING if level <= logging.INFO else logging.ERROR


@contextmanager
def ray_session(address: str | None) -> Iterator[Any]:
    """Ray, initialised: joined at `address` (else RAY_ADDRESS), else a local cluster started here and
    shut down on leaving; an already initialised Ray is used as it is. Meanwhile `sys.stdout` is stderr."""
    ray = _import_ray()
    level = _ray_log_level()
    for handler in logging.getLogger("ray.data").handlers:  # its console handler; the file keeps all
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            handler.setLevel(level)
    stdout, sys.stdout = sys.stdout, sys.stderr
    started = False
    try:
        if not ray.is_initialized():
            _check_reachable(address or os.environ.get("RAY_ADDRESS"))
            began = time.perf_counter()
            try:
                ray.init(address=address or None, include_dashboard=False, log_to_driver=False, logging_level=level)
            except (ConnectionError, ValueError, RuntimeError) as error:
                where = f"at {address}" if address else "(RAY_ADDRESS, else a local one)"
                raise ConfigError(f"--executor ray: cannot start or join a Ray cluster {where}: {error}") from None
            started = True
            log.info("Ray cluster ready in %.1fs: %s", time.perf_counter() - began, ray.cluster_resources())
        yield ray
    finally:
        if started:
            ray.shutdown()
        sys.stdout = stdout


def _check_reachable(address: str | None) -> None:
    """ConfigError at once when a `host:port` cluster address does not answer: Ray itself would retry
    for about ten minutes, a night's run hanging on a head node that is down."""
    host, _, port = (address or "").rpartition(":")
    if not host or not port.isdigit() or "://" in address:  # no address, `auto`, or a ray:// client address
        return
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as error:
        raise ConfigError(f"--executor ray: cannot reach the Ray cluster at {address}: {error.strerror or error}") from None


def _check_resources(ray: Any, options: ExecutorOptions) -> None:
    """ConfigError when no node of the cluster could ever hold one actor (Ray would wait forever)."""
    wanted = {"CPU": options.ray_cpus_per_actor, "GPU": options.ray_gpus_per_actor}
    nodes = [node.get("Resources", {}) for node in ray.nodes() if node.get("Alive")]
    if not any(all(node.get(name, 0) >= amount for name, amount in wanted.items()) for node in nodes):
        most = {name: max((node.get(name, 0) for node in nodes), default=0) for name in wanted}
        raise ConfigError(
            f"--executor ray: no node of the Ray cluster has {wanted['CPU']:g} CPUs and {wanted['GPU']:g} GPUs "
            f"for one actor (the largest has {most['CPU']:g} CPUs, {most['GPU']:g} GPUs): "
            "lower --ray-cpus-per-actor / --ray-gpus-per-actor"
        )


@register_executor("ray")
class RayExecutor:
    """Briefs on a Ray Data actor pool; see the module doc."""

    actor_class: type = BriefActor

    def __init__(self, briefer, options: ExecutorOptions, batch_articles: int = 1):
        self.brief_options = briefer.options
        self.options = options
        self.batch_articles = max(1, batch_articles)

    @classmethod
    def check(cls) -> None:
        _import_ray()

    def brief(self, work: Work, on_stage: OnStage) -> Iterator[Result]:
        articles = dict(pair for window in work for pair in window)
        if not articles:
            return  # nothing needs work: no cluster started or joined, nothing shipped
        indices = list(articles)
        on_stage(indices, "starting Ray")
        with ray_session(self.options.ray_address) as ray:
            _check_resources(ray, self.options)
            on_stage(indices, "briefing on Ray")
            yield from self._run(ray, articles)

    def _run(self, ray: Any, articles: dict[int, Article]) -> Iterator[Result]:
        from ..pipeline.briefer import now_iso
        from ..render.json_format import brief_from_dict

        dataset = ray.data.from_items(
            [{"index": index, "article": article_to_json(article)} for index, article in articles.items()],
            override_num_blocks=max(1, -(-len(articles) // self.batch_articles)),
        )
        context = dataset.context
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.max_errored_blocks = -1  # a batch that fails after its retries: its articles are named below
        options = self.options
        with warnings.catch_warnings():
            # Ray 2.60 has no named parameter for these two yet (hence the extra's `<2.64`); Ray Data's
            # own default, max_task_retries=-1, would retry an article that kills every actor forever.
            warnings.filterwarnings("ignore", message="`ray_remote_args` is deprecated")
            briefed = dataset.map_batches(
                self.actor_class,
                fn_constructor_args=(self.brief_options, self.batch_articles),
                # One batch at a time per actor: with Ray's default of 4 in flight, the first actor up
                # queued every batch of a small run and the others idled (1 -> 2 actors: 1.06x).
                compute=ray.data.ActorPoolStrategy(size=options.ray_actors, max_tasks_in_flight_per_actor=1),
                batch_size=self.batch_articles,
                num_cpus=options.ray_cpus_per_actor,
                num_gpus=options.ray_gpus_per_actor or None,
                max_restarts=-1,
                max_task_retries=TASK_RETRIES,
            )
        waiting = iter(articles)
        for row in briefed.iter_rows():
            index = int(row["index"])
            for lost in waiting:  # rows of a batch Ray gave up on never arrive; they come before this one
                if lost == index:
                    break
                yield lost, _lost(articles[lost])
            if row["fatal"]:
                raise RemoteError(str(row["error"]), int(row["fatal"]))
            if row["error"]:
                yield index, InputError(articles[index].path, str(row["error"]))
                continue
            brief = brief_from_dict(json.loads(row["brief"]))
            # Briefed at the driver's clock and time zone (and SOURCE_DATE_EPOCH), as a local run is.
            yield index, replace(brief, article=articles[index], created=now_iso())
        for lost in waiting:
            yield lost, _lost(articles[lost])


def _lost(article: Article) -> InputError:
    return InputError(
        article.path,
        f"no brief came back from Ray: its batch failed {TASK_RETRIES + 1} times (an actor died each time?); see the Ray logs",
    )
