"""What one run is asked to do (`RunSettings`, `MailOptions`) and what it did (`RunReport`).

The CLI resolves the settings (`settings.Settings`) into a `RunSettings` once; `runner.Run` reads it
and fills a `RunReport` as it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..data import Failure, RunStatus
from ..executors import ExecutorOptions
from ..pipeline.briefer import BriefOptions
from ..publish import ArchiveOptions
from ..sources.fetch import FetchSettings


@dataclass(frozen=True)
class MailOptions:
    """The headers of the run's mail: `to` one or more addresses, comma-separated ("a@x.nl, Jan
    <b@y.nl>"), `sender` one address, `subject` None for the default subject."""

    to: str | None = None
    sender: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class RunSettings:
    """What one run does with its briefs. `sendmail` is the command that delivers the run's mail
    (None: stdout); with it, or with `new_only`, unchanged briefs are left out of the output.
    `batch_articles`: how many articles are briefed together (1: one at a time). `manifest`: a JSON
    Lines file that gets one line per input as it completes (`Manifest`). `executor`: where the
    briefs are made (`executors/`: this process, or a Ray cluster)."""

    out_dir: Path = Path("out")
    format: str = "markdown"
    digest: bool = False
    force: bool = False
    wait: bool = True
    new_only: bool = False
    group: bool = True  # articles of one story grouped (`stories/`), across `story_days` days of runs
    story_days: int = 3
    archive: ArchiveOptions = field(default_factory=ArchiveOptions)  # feed, archive pages, search (`publish/`)
    batch_articles: int = 1
    manifest: Path | None = None
    sendmail: str | None = None
    send_empty: bool = False
    mail: MailOptions = field(default_factory=MailOptions)
    brief: BriefOptions = field(default_factory=BriefOptions)
    executor: ExecutorOptions = field(default_factory=ExecutorOptions)
    fetch: FetchSettings = field(default_factory=FetchSettings)  # URLs (cache_dir None: $BRIEF_CACHE_DIR/pages)
    feeds: tuple[str, ...] = ()  # RSS/Atom feeds (URLs or files): their new entries follow the inputs
    since: datetime | None = None  # feed entries published before this are left out (and remembered)


@dataclass
class RunReport:
    """What a run did, counted as it goes; `line` is the run's closing line on stderr."""

    made: int = 0
    unchanged: int = 0
    written: int = 0  # inputs whose brief is in the out-dir (made or reused)
    stdout_closed: bool = False  # the reader of stdout went away (`| head`); the briefs were still written
    failures: list[Failure] = field(default_factory=list)
    feeds_read: int | None = None  # feeds read this run (None: a run without feeds); one that could not be read is a failure
    already_briefed: int = 0  # entries of those feeds that earlier runs briefed, left alone
    stories: set[str] = field(default_factory=set)  # the story ids of the briefs written (`--group`)

    @property
    def status(self) -> RunStatus:
        return RunStatus(self.made, self.unchanged, tuple(self.failures))

    @property
    def line(self) -> str:
        """`3 briefed, 0 unchanged, 0 failed`, and in a run with feeds what they held that was briefed
        before (`..., 3 already briefed from 1 feed`): a night with nothing new is told from a feed
        that was not read (that one is a failure, named). Where copies of one story were grouped:
        `...; 12 stories from 20 articles`."""
        line = self.status.line
        if self.feeds_read is not None:
            feeds = f"{self.feeds_read} feed{'' if self.feeds_read == 1 else 's'}"
            line += f", {self.already_briefed} already briefed from {feeds}"
        if self.stories and len(self.stories) < self.written:
            line += f"; {len(self.stories)} stor{'y' if len(self.stories) == 1 else 'ies'} from {self.written} articles"
        return line
