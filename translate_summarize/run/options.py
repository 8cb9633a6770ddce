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
from ..sources.fetch import FetchSettings


@dataclass(frozen=True)
class MailOptions:
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
    made: int = 0
    unchanged: int = 0
    written: int = 0  # inputs whose brief is in the out-dir (made or reused)
    stdout_closed: bool = False  # the reader of stdout went away (`| head`); the briefs were still written
    failures: list[Failure] = field(default_factory=list)

    @property
    def status(self) -> RunStatus:
        return RunStatus(self.made, self.unchanged, tuple(self.failures))
