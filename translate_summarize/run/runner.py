"""One run of `brief`: read each input, reuse or make its brief, write it to the out-dir, print it.

The CLI resolves settings into `RunSettings` and calls `Run.execute`; everything a run decides (what to redo,
what to write where, what goes to stdout) happens here, with no terminal assumptions.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import asdict, replace
from typing import BinaryIO

from ..common.logs import NOTICE
from ..data import Article, Brief, Failure, RunStatus, without_credentials
from ..errors import InputError, StorageError, storage_error, unexpected_reason
from ..executors import create_executor
from ..pipeline.briefer import Briefer
from ..pipeline.keys import cache_key
from ..publish import Archive
from ..render import FORMATS
from ..render.json_format import brief_from_dict, brief_to_dict
from ..sources.fetch import is_url
from .deliver import DEFAULT_SENDMAIL, sendmail, to_stdout
from .inputs import FeedInputs, WebInputs, expand_inputs, input_stems
from .manifest import Manifest
from .options import RunReport, RunSettings
from .output import OutputFolder
from .stories import RunStories
from .terminal import NoProgress

log = logging.getLogger(__name__)


def _render(settings: RunSettings, briefs: list[Brief], digest: bool, status: RunStatus | None = None) -> bytes:
    """Bytes of one file or of stdout in the run's format: each brief alone, or the run's digest."""
    return FORMATS[settings.format].document(briefs, digest=digest, mail=asdict(settings.mail), status=status)


def _in_background(function, *args) -> Future:
    """`function(*args)` in a daemon thread (one that never holds up the exit of an interrupted run)."""
    future: Future = Future()

    def work() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as error:  # handed to whoever waits for the result
            future.set_exception(error)

    threading.Thread(target=work, name="brief-read", daemon=True).start()
    return future


class Run:
    """State of one run; `briefs()` yields each finished brief (and whether it is new) as soon as it is written."""

    def __init__(self, settings: RunSettings, briefer: Briefer | None = None, progress: NoProgress | None = None):
        self.settings = settings
        self.briefer = briefer or Briefer(settings.brief, articles_at_once=settings.batch_articles)
        self.report = RunReport()
        self.progress = progress or NoProgress()
        self.briefer.on_models = self.progress.models  # "loading models" / "converting models" on the bar
        self.manifest = Manifest(settings.manifest)
        self._unmailed: list[tuple[str, str]] = []  # (stem, key) of the briefs in this run's mail
        self.web = WebInputs(replace(settings.fetch, max_bytes=settings.brief.max_bytes))  # closed by execute
        self.feeds: FeedInputs | None = None  # made under the run's lock (execute)
        self._unmarked: list[str] = []  # feed inputs in this run's mail: marked once it is sent
        self.stories: RunStories | None = None  # the run's stories (`--group`), once every input is read
        self.archive: Archive | None = None  # the out-dir's feed, archive and search (`--archive`), under the lock

    def briefs(self, inputs: list[str], folder: OutputFolder) -> Iterator[tuple[Brief, bool]]:
        """(brief, new) per input that could be briefed, in input order; `new` is False for a brief
        reused unchanged from the out-dir's state (with `sendmail`: for a brief a mail already carried).

        Inputs are read in windows of `settings.batch_articles`, a background thread already reading
        the next window. With `settings.group`, every input is read before any is briefed: the run's
        stories are grouped first, and the copies that take their lead's summary come after the
        leads. Each input's key is checked here, before any work is shipped: only the articles that
        need work go to the executor (`executors/`: `local` briefs a window's articles
        together with `Briefer.brief_batch`, `ray` on an actor pool), which yields each brief as it is
        ready; every other input is reused or named as failed in its place.
        """
        settings = self.settings
        items = list(zip(inputs, input_stems(inputs, self.feeds.stems if self.feeds is not None else None)))
        read: list[tuple[str, str, Article | InputError]] = []  # every input so far, in order
        keys: dict[int, str] = {}  # input index -> key, for the articles sent to the executor
        cached: dict[int, dict] = {}
        made: dict[int, Brief | InputError] = {}

        def needed(window: list[tuple[str, str, Article | InputError]]) -> list[tuple[int, Article]]:
            """The articles of a window that need work; the others are reused or failed in place."""
            work = []
            for item, stem, article in window:
                index = len(read)
                read.append((item, stem, article))
                if isinstance(article, InputError):
                    continue
                key = cache_key(settings.brief, article=article.sha256)
                record = None if settings.force else self._reusable(folder, stem, key)
                if record is None:
                    keys[index] = key
                    work.append((index, article))
                else:
                    cached[index] = record
            return work

        def work() -> Iterator[list[tuple[int, Article]]]:
            if not settings.group:
                for window in self._windows(items):
                    yield needed(window)
                return
            # Stories need every article of the run: all are read first, then grouped; the copies
            # that take their lead's summary are briefed after the leads (`run/stories.py`).
            todo = [pair for window in self._windows(items) for pair in needed(window)]
            size = max(1, settings.batch_articles)
            self.stories = RunStories.grouped(settings, folder, read, cached)
            if self.stories is not None:
                for index in self.stories.stale(cached, set(keys)):  # a copy whose lead changed: again
                    keys[index] = cached.pop(index)["key"]
                    todo.append((index, read[index][2]))
                yield from self.stories.windows(sorted(todo, key=lambda pair: pair[0]), size)
            else:  # grouping failed (one warning): the articles are briefed as they came
                yield from (todo[start : start + size] for start in range(0, len(todo), size))

        def on_stage(indices: list[int], stage: str) -> None:
            self.progress.group([read[index][0] for index in indices], stage)

        executor = create_executor(settings.executor, self.briefer, settings.batch_articles)
        pending = work()
        written = 0
        for index, result in executor.brief(pending, on_stage):
            made[index] = result
            if self.stories is not None:
                self.stories.ready(index, result)
            while written < len(read) and (written not in keys or written in made):
                yield from self._deliver(written, read[written], keys.get(written), cached.get(written), made.pop(written, None), folder)
                written += 1
        if any(pending) or any(number in keys and number not in made for number in range(written, len(read))):
            raise RuntimeError(f"executor {settings.executor.name} left articles without a brief")
        for number in range(written, len(read)):
            yield from self._deliver(number, read[number], keys.get(number), cached.get(number), made.pop(number, None), folder)

    @staticmethod
    def _reusable(folder: OutputFolder, stem: str, key: str) -> dict | None:
        """`stem`'s stored record for `key`, with its brief parsed (`reused`), or None: also when
        the brief it holds no longer parses (one notice; the article is briefed again)."""
        record = folder.cached(stem, key)
        if record is None:
            return None
        try:
            return {**record, "reused": brief_from_dict(record["brief"])}
        except Exception as error:
            log.log(NOTICE, "%s: brief record does not hold a brief (%s), briefing again", folder.state / f"{stem}.json", type(error).__name__)
            return None

    def _windows(self, items: list[tuple[str, str]]) -> Iterator[list[tuple[str, str, Article | InputError]]]:
        """The inputs read, a window of `batch_articles` at a time, the next one read meanwhile (at
        most two windows of articles wait in memory for the local executor). The reading runs in a
        daemon thread, so Ctrl-C or SIGTERM ends the run at once, not after a slow download."""
        size = max(1, self.settings.batch_articles)
        windows = [items[start : start + size] for start in range(0, len(items), size)]
        if not windows:
            return
        ahead = _in_background(self._read, windows[0], True)
        for number in range(len(windows)):
            window = ahead.result()
            if number + 1 < len(windows):  # read behind the models' work: not shown as a stage
                ahead = _in_background(self._read, windows[number + 1], False)
            yield window

    def _read(self, window: list[tuple[str, str]], shown: bool) -> list[tuple[str, str, Article | InputError]]:
        """(input, stem, its article or why it cannot be read) for each input of a window."""
        read: list[tuple[str, str, Article | InputError]] = []
        for item, stem in window:
            if shown:
                self.progress.stage(item, "reading")
            try:
                text = self.feeds.text(item) if self.feeds is not None else None
                if text is not None:
                    read.append((item, stem, self.briefer.article_of(text, item)))
                else:
                    read.append((item, stem, self.briefer.read(item, self.web.fetcher if is_url(item) else None)))
            except InputError as error:
                read.append((item, stem, error))
            except Exception as error:  # a bug (or a missing optional import) in one input: its failure only
                log.info("%s: traceback of the unexpected error", item, exc_info=error)
                read.append((item, stem, InputError(item, unexpected_reason(error))))
        return read

    def _deliver(
        self,
        index: int,
        entry: tuple[str, str, Article | InputError],
        key: str | None,
        record: dict | None,
        result: Brief | InputError | None,
        folder: OutputFolder,
    ) -> Iterator[tuple[Brief, bool]]:
        """Write one input's brief (made now, or reused from `record`) or name its failure. Whatever
        goes wrong with one brief (a bug in rendering it) is that input's failure; an out-dir that
        cannot be written is the run's (StorageError)."""
        item, _, article = entry
        failure = article if isinstance(article, InputError) else result if isinstance(result, InputError) else None
        if failure is None:
            try:
                yield from self._write(index, entry, key, record, result, folder)
                return
            except StorageError:  # the out-dir cannot be written: the run stops (`execute`)
                raise
            except OSError as error:  # the same, met outside OutputFolder's own writes
                raise storage_error(error) from None
            except Exception as error:  # a bug in rendering or storing this one brief
                log.info("%s: traceback of the unexpected error", item, exc_info=error)
                failure = InputError(item, unexpected_reason(error))
        self._failed(item, failure.reason, str(article) if failure is article else None)
        if self.feeds is not None:
            self.feeds.fail(item, failure)

    def _write(
        self,
        index: int,
        entry: tuple[str, str, Article | InputError],
        key: str | None,
        record: dict | None,
        result: Brief | InputError | None,
        folder: OutputFolder,
    ) -> Iterator[tuple[Brief, bool]]:
        """Write one input's brief to the out-dir (if it is not there already) and yield it."""
        settings = self.settings
        ext = FORMATS[settings.format].ext
        item, stem, article = entry
        feed = self.feeds.feed_of(item) if self.feeds is not None else None
        if result is not None:
            brief, status = result, "briefed"
            brief.key = key or ""
            record = {"key": brief.key, "written": {}, "brief": brief_to_dict(brief)}
            if feed is not None:  # a later --sendmail run mails it if this one does not (`_unmailed_feed_briefs`)
                record["feed"] = feed
        else:
            assert record is not None and not isinstance(article, InputError)
            record = dict(record)
            reused = record.pop("reused")
            brief, status = replace(reused, article=replace(reused.article, path=article.path)), "unchanged"
        key = record["key"]
        pages = {ext: lambda: _render(settings, [brief], False)}
        if self.archive is not None:  # every brief has its page in the archive, linking back to it
            pages[".html"] = lambda: self.archive.page(brief)
        stale = [ext for ext in pages if record["written"].get(ext) != key or not (settings.out_dir / f"{stem}{ext}").exists()]
        for extension in stale:
            self.progress.stage(item, "writing")
            folder.write(f"{stem}{extension}", pages[extension]())
            record["written"][extension] = key
        if stale:
            folder.store(stem, record)
        if self.stories is not None:  # the digest shows a story once; tomorrow's copies join it
            brief.story = self.stories.link(index)
            self.stories.remember(index, brief)
            self.report.stories.update([brief.story.id] if brief.story is not None else [])
        if self.archive is not None:
            self.archive.add(stem, brief, status == "briefed")
        self.report.written += 1
        if status == "briefed":
            self.report.made += 1
            log.info("%s: briefed", item)
        else:
            self.report.unchanged += 1
            log.info("%s: unchanged, brief reused", item)
        self.manifest.done(without_credentials(item), status, brief, [str(settings.out_dir / f"{stem}{written}") for written in record["written"]])
        self.progress.done(item, status)
        if settings.sendmail is not None:
            # News for the mail is what no mail has carried yet: a failed delivery, or a run that
            # only wrote files, leaves the brief for the next mail.
            new = record.get("mailed") != key
            if new:
                self._unmailed.append((stem, key))
        else:
            new = status == "briefed"
        if self.feeds is not None:  # a feed entry counts as briefed once written (with sendmail: once mailed)
            if settings.sendmail is None or not new:
                self.feeds.mark(item)
            else:
                self._unmarked.append(item)
        yield brief, new

    def _failed(self, item: str, reason: str, line: str | None = None) -> None:
        """One input (a file, URL, feed or feed entry) that cannot be briefed: one line naming it
        (a URL's `user:password@` left out, here as in the mail and the manifest)."""
        item, line = without_credentials(str(item)), without_credentials(line) if line else None
        log.error("%s", line or f"{item}: {reason}")
        self.report.failures.append(Failure(str(item), reason))
        self.manifest.failed(item, reason)
        self.progress.done(item, "failed")

    def execute(self, inputs: list[str], stdout: BinaryIO) -> RunReport:
        """Make every brief, write them, and put the briefs (or one digest) on `stdout`, or mail the
        run's digest with `settings.sendmail`. Raises DeliveryError when that mail cannot be sent."""
        settings = self.settings
        inputs, unmatched = expand_inputs(inputs)
        for pattern in unmatched:
            log.log(NOTICE, "%s: no files match this pattern, nothing to do", pattern)
        output_format = FORMATS[settings.format]
        together = settings.digest or output_format.one_document or settings.sendmail is not None
        only_new = settings.new_only or settings.sendmail is not None
        collected: list[Brief] = []
        printed = 0
        try:
            with OutputFolder(settings.out_dir, wait=settings.wait) as folder, self.manifest:
                if settings.archive.enabled:
                    self.archive = Archive.opened(settings.out_dir, folder.state, settings.archive)
                self.feeds = FeedInputs(
                    settings.feeds,
                    settings.since,
                    self.web,
                    folder.state,
                    force=settings.force,
                    defer_failures=settings.sendmail is not None,
                )
                from_feeds, bad = self.feeds.read(inputs)
                if settings.feeds:  # the closing line says what the feeds held that was briefed before
                    self.report.feeds_read, self.report.already_briefed = self.feeds.feeds_read, self.feeds.already_briefed
                inputs = [*inputs, *from_feeds]
                self.progress.start(len(inputs) + len(bad))
                for error in bad:
                    self._failed(str(error.path), error.reason, str(error))
                for brief, new in self.briefs(inputs, folder):
                    if only_new and not new:
                        continue
                    if together:
                        collected.append(brief)
                        continue
                    # A blank line between consecutive briefs, so they never run together on stdout.
                    with self.progress.paused():
                        self._print(stdout, (b"\n" if printed else b"") + _render(settings, [brief], False))
                    printed += 1
                self.progress.close()
                if self.stories is not None:
                    self.stories.save()
                if self.archive is not None:
                    self.archive.finish()
                if settings.sendmail is not None:
                    collected.extend(self._unmailed_feed_briefs(folder, set(input_stems(inputs, self.feeds.stems))))
                    self._mail(collected, self.report.status, folder)
        finally:
            self.progress.close()
            self.web.close()
        status = self.report.status
        if settings.sendmail is None and together and (collected or status.failures):
            as_digest = settings.digest or len(collected) != 1 or bool(status.failures)
            self._print(stdout, _render(settings, collected, as_digest, status if as_digest else None))
        self.progress.finish(stdout)  # the closing line (the CLI's) comes after what stdout's reader shows
        return self.report

    def _print(self, stdout: BinaryIO, data: bytes) -> None:
        """Put `data` on stdout unless its reader has gone (`deliver.to_stdout`)."""
        to_stdout(stdout, data, self.report)

    def _unmailed_feed_briefs(self, folder: OutputFolder, handled: set[str]) -> list[Brief]:
        """Briefs of this run's feeds' entries that an earlier run only wrote to the out-dir (without
        --sendmail, or whose mail failed) and that no mail has carried yet: they go in this mail.
        Their entries are marked briefed in the feed state, so this run did not read them again."""
        feeds = {FeedInputs.feed_key(feed) for feed in self.settings.feeds}
        briefs = []
        for stem, record in folder.records():
            if stem in handled or record.get("feed") not in feeds or record.get("mailed") == record["key"]:
                continue
            try:
                briefs.append(brief_from_dict(record["brief"]))
            except Exception:  # a record that no longer parses: its entry is briefed again when it changes
                continue
            self._unmailed.append((stem, record["key"]))
        if briefs:
            log.info("%d brief(s) of feed entries written by an earlier run go in this mail", len(briefs))
        return briefs

    def _mail(self, briefs: list[Brief], status: RunStatus, folder: OutputFolder) -> None:
        """Deliver the run's digest (nothing when nothing is new and nothing failed, unless send_empty),
        then mark its briefs as mailed in the out-dir's state, still under the run's lock."""
        settings = self.settings
        if not briefs and not status.failures and not settings.send_empty:
            log.log(NOTICE, "nothing new and nothing failed: no mail sent")
            return
        sendmail(_render(settings, briefs, True, status), settings.sendmail or DEFAULT_SENDMAIL, keep=folder.sent)
        if self.feeds is not None:
            for item in self._unmarked:
                self.feeds.mark(item)
            self.feeds.record_failures()
        for stem, key in self._unmailed:
            record = folder.cached(stem, key)
            if record is not None:
                folder.store(stem, {**record, "mailed": key})
        what = f"{len(briefs)} new brief{'' if len(briefs) == 1 else 's'}" if briefs else "a 'no new articles' note"
        log.log(NOTICE, "mailed %s to %s", what, settings.mail.to)
