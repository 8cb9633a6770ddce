"""One run of `brief`: read each input, reuse or make its brief, write it to the out-dir, print it.

The CLI resolves settings into `RunSettings` and calls `Run.execute`; everything a run decides (what to redo,
what to write where, what goes to stdout) happens here, with no terminal assumptions.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from .data import Brief
from .errors import InputError
from .logs import NOTICE
from .keys import cache_key
from .output import OutputFolder, output_names
from .pipeline import Briefer, BriefOptions
from .reader import STDIN
from .render import FORMATS
from .render.json_format import brief_from_dict, brief_to_dict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailOptions:
    to: str | None = None
    sender: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class RunSettings:
    out_dir: Path = Path("out")
    format: str = "markdown"
    digest: bool = False
    force: bool = False
    wait: bool = True
    mail: MailOptions = field(default_factory=MailOptions)
    brief: BriefOptions = field(default_factory=BriefOptions)


@dataclass
class RunReport:
    made: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


def expand_inputs(arguments: list[str]) -> tuple[list[str], list[str]]:
    """(inputs in the order given, patterns that matched nothing). A quoted glob (as cron passes it)
    is expanded here, sorted. A pattern that matches nothing is nothing to do, not an error: an empty
    inbox folder is a quiet night. A literal path that does not exist stays an error (when read)."""
    inputs: list[str] = []
    unmatched: list[str] = []
    for argument in arguments:
        if argument != STDIN and glob.has_magic(argument) and not Path(argument).exists():
            matches = sorted(glob.glob(argument))
            if not matches:
                unmatched.append(argument)
            inputs.extend(matches)
        else:
            inputs.append(argument)
    return inputs, unmatched


def _render(settings: RunSettings, briefs: list[Brief], digest: bool) -> bytes:
    """Bytes of one file or of stdout in the run's format: each brief alone, or the run's digest."""
    return FORMATS[settings.format].document(briefs, digest=digest, mail=asdict(settings.mail))


class Run:
    """State of one run; `briefs()` yields each finished brief as soon as it is written."""

    def __init__(
        self,
        settings: RunSettings,
        briefer: Briefer | None = None,
        on_progress: Callable[[str, str], None] | None = None,
    ):
        self.settings = settings
        self.briefer = briefer or Briefer(settings.brief)
        self.report = RunReport()
        # Called with (input, "briefed" | "unchanged" | "failed") after each input: the CLI's progress bar.
        self.on_progress = on_progress or (lambda item, status: None)

    def briefs(self, inputs: list[str], folder: OutputFolder) -> Iterator[Brief]:
        settings = self.settings
        ext = FORMATS[settings.format].ext
        paths = [Path("stdin.txt") if item == STDIN else Path(item) for item in inputs]
        for item, stem in zip(inputs, output_names(paths)):
            try:
                article = self.briefer.read(item)
                key = cache_key(settings.brief, article=article.sha256)
                record = None if settings.force else folder.cached(stem, key)
                if record is not None:
                    brief = brief_from_dict(record["brief"])
                    brief = replace(brief, article=replace(brief.article, path=article.path))
                    self.report.unchanged += 1
                    log.info("%s: unchanged, brief reused", item)
                    status = "unchanged"
                else:
                    brief = self.briefer.brief(article)
                    brief.key = key
                    record = {"key": key, "written": {}, "brief": brief_to_dict(brief)}
                    self.report.made += 1
                    log.info("%s: briefed", item)
                    status = "briefed"
                if record["written"].get(ext) != key or not (settings.out_dir / f"{stem}{ext}").exists():
                    folder.write(f"{stem}{ext}", _render(settings, [brief], False))
                    record["written"][ext] = key
                    folder.store(stem, record)
                self.on_progress(item, status)
                yield brief
            except InputError as error:
                log.error("%s", error)
                self.report.failed.append(str(error))
                self.on_progress(item, "failed")

    def execute(self, inputs: list[str], stdout: BinaryIO) -> RunReport:
        """Make every brief, write them, and put the briefs (or one digest) on `stdout`."""
        settings = self.settings
        inputs, unmatched = expand_inputs(inputs)
        for pattern in unmatched:
            log.log(NOTICE, "%s: no files match this pattern, nothing to do", pattern)
        together = settings.digest or FORMATS[settings.format].one_document
        collected: list[Brief] = []
        printed = 0
        with OutputFolder(settings.out_dir, wait=settings.wait) as folder:
            for brief in self.briefs(inputs, folder):
                if together:
                    collected.append(brief)
                else:
                    # A blank line between consecutive briefs, so they never run together on stdout.
                    stdout.write((b"\n" if printed else b"") + _render(settings, [brief], False))
                    stdout.flush()
                    printed += 1
        if together and collected:
            stdout.write(_render(settings, collected, settings.digest or len(collected) > 1))
            stdout.flush()
        return self.report
