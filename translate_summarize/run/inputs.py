"""A run's inputs beyond plain files (issue #13): URLs and saved web pages, read through `sources`.

`WebInputs` is one per run: it owns the run's one `Fetcher` (made on the first URL, its
conditional cache in `$BRIEF_CACHE_DIR/pages`) and is closed at the end of the run. `input_stems`
names each input's output: a file as before (`output.output_names`), a URL by its host and last
path segment plus a short hash of the whole URL, so `/a/index.html` and `/b/index.html` never
share a brief.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import threading
from dataclasses import replace
from pathlib import Path

from ..common.files import cache_dir
from ..common.logs import NOTICE
from ..errors import InputError
from ..sources import FeedState, feed_items, url_path
from ..sources.fetch import Fetcher, FetchSettings, is_url
from ..sources.urls import same_page
from ..text.reader import STDIN
from .output import output_names

log = logging.getLogger(__name__)

PAGES_CACHE = "pages"


def page_key(name: str) -> str:
    """What tells inputs apart: `same_page` for a URL, the name itself for anything else."""
    return same_page(name) if is_url(name) else name


def url_stem(url: str) -> str:
    """The output stem of a URL: `<host>_<last segment>-<8 hex of the SHA-256 of `same_page(url)`>`."""
    page = same_page(url)
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()[:8]
    return f"{url_path(page).stem}-{digest}"


def input_stems(inputs: list[str], known: dict[str, str] | None = None) -> list[str]:
    """One unique output stem per input, in order: those in `known` (feed entries without a link,
    `FeedInputs.stems`) as given, URLs by `url_stem`, files and `-` as before; `index` (the archive's
    page) becomes `index-article`."""
    known = known or {}
    files = [
        (number, Path("stdin.txt") if item == STDIN else Path(item))
        for number, item in enumerate(inputs)
        if not is_url(item) and item not in known
    ]
    stems = [""] * len(inputs)
    for (number, _), stem in zip(files, output_names([path for _, path in files])):
        stems[number] = stem
    for number, item in enumerate(inputs):
        if item in known:
            stems[number] = known[item]
        elif is_url(item):
            stems[number] = url_stem(item)
    # `index.html` is the archive's own page (`publish/`): an article named index gets another stem.
    return [f"{stem}-article" if stem.casefold() in RESERVED_STEMS else stem for stem in stems]


RESERVED_STEMS = {"index"}


class WebInputs:
    """The run's fetcher, made when first needed (`fetcher`) and closed with `close()`."""

    def __init__(self, settings: FetchSettings | None = None):
        settings = settings or FetchSettings()
        if settings.cache_dir is None:
            settings = replace(settings, cache_dir=cache_dir() / PAGES_CACHE)
        self.settings = settings
        self._fetcher: Fetcher | None = None
        self._lock = threading.Lock()

    @property
    def fetcher(self) -> Fetcher:
        with self._lock:
            if self._fetcher is None:
                self._fetcher = Fetcher(self.settings)
            return self._fetcher

    def close(self) -> None:
        with self._lock:
            if self._fetcher is not None:
                self._fetcher.close()
                self._fetcher = None

    def __enter__(self) -> WebInputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _CountingFeedState(FeedState):
    """The out-dir's `FeedState`, also keeping the entry keys each feed listed when it was read
    (`listed`, from `seen`), so that a run can count the entries earlier runs briefed."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.listed: dict[str, list[str]] = {}  # feed (as the state names it) -> its entries' keys

    def seen(self, feed: str, keys, *, now=None) -> int:
        self.listed[feed] = list(keys)
        return super().seen(feed, self.listed[feed], now=now)

    def briefed(self, feed: str, key: str) -> bool:
        """Whether an earlier run briefed the entry (and it has not failed since)."""
        record = self._record(feed, key)
        return record is not None and record.get("sha256") is not None and not record.get("failed")


class FeedInputs:
    """The run's feeds (`--feed`, `feeds` in the config): their new and changed entries become inputs
    after the positional ones. Read under the run's lock (`read`); an entry is marked in the
    out-dir's `FeedState` only once its brief is written (`mark`, saved at once), so a run that dies
    halfway briefs the rest next time. Each feed that cannot be read, and each entry that cannot be
    had, is one `InputError` naming it; an entry's failure is remembered (`fail`), so one that failed
    for good is not reported again until the feed's entry changes. With `defer_failures` (a run that
    mails its digest) failures are remembered only by `record_failures`, once the mail is sent.
    `force` briefs unchanged entries again and tries failed ones again. After `read`, `feeds_read`
    counts the feeds that could be read and `already_briefed` their entries that earlier runs
    briefed and that this run leaves alone (for the run's closing line)."""

    def __init__(self, feeds: tuple[str, ...], since, web: WebInputs, state_dir: Path, *, force=False, defer_failures=False):
        # A feed named twice (on the command line and in the config, or with tracking parameters) is read once.
        once: dict[str, str] = {}
        for feed in feeds:
            once.setdefault(self.feed_key(feed), feed)
        self.feeds = tuple(once.values())
        self.since = since
        self.web = web
        self.force = force
        self.defer_failures = defer_failures
        # In a folder of its own: `<state>/feeds.json` is the record of an article named feeds.txt.
        self.state = _CountingFeedState(state_dir / "feeds") if feeds else None
        self.feeds_read = 0
        self.already_briefed = 0
        self._items: dict[str, list] = {}  # `page_key` of an input -> the FeedItems it stands for
        self._failures: list[tuple[object, object]] = []  # (FeedItem, InputError) not yet in the state

    def read(self, scheduled: list[str]) -> tuple[list[str], list]:
        """(input names to brief after `scheduled`, in feed order; InputErrors of feeds and entries)."""
        names: list[str] = []
        errors: list[InputError] = []
        if self.state is None:
            return names, errors
        known = {page_key(item) for item in scheduled}  # a page given also as a URL is briefed once
        for feed in self.feeds:
            self.state.listed = {}
            try:
                items = list(
                    feed_items(
                        feed,
                        self.web.fetcher,
                        self.state,
                        self.since,
                        max_bytes=self.web.settings.max_bytes,
                        include_unchanged=self.force,
                        retry_failed=self.force,
                    )
                )
            except InputError as error:  # the feed itself: a failure, named, and counted as not read
                errors.append(error)
                continue
            self.feeds_read += 1
            self.already_briefed += self._briefed_before(items)
            for item in items:
                if item.error is not None:
                    errors.append(item.error)
                    self._failures.append((item, item.error))
                    continue
                page = page_key(item.name)
                if page not in known:
                    known.add(page)
                    names.append(item.name)
                self._items.setdefault(page, []).append(item)
        if not self.defer_failures:
            self.record_failures()
        self.state.save()  # entries left out by --since are remembered as seen, stale ones forgotten
        return names, errors

    def _briefed_before(self, items: list) -> int:
        """Entries of the feed just read that earlier runs briefed and that are not among `items`
        (the entries this run takes up: new, changed, failed, or all of them with `force`)."""
        assert self.state is not None
        taken = {(item.feed, item.key) for item in items}
        listed, self.state.listed = self.state.listed, {}
        return sum(
            1
            for feed, keys in listed.items()
            for key in keys
            if (feed, key) not in taken and self.state.briefed(feed, key)
        )

    @property
    def stems(self) -> dict[str, str]:
        """Output stems of the feed inputs that are not URLs (entries without a link): name -> stem."""
        return {items[0].name: items[0].text.path.stem for key, items in self._items.items() if not is_url(key)}

    def text(self, name: str):
        """The `WebText` of a feed input (None for any other input)."""
        items = self._items.get(page_key(name))
        return items[0].text if items else None

    def feed_of(self, name: str) -> str | None:
        """`page_key` of the feed that input `name` came from (None: not a feed entry of this run)."""
        items = self._items.get(page_key(name))
        return self.feed_key(items[0].feed) if items else None

    @staticmethod
    def feed_key(feed: str) -> str:
        """What tells feeds apart: `page_key` for a URL, the real path for a file."""
        return page_key(feed) if is_url(feed) else os.path.realpath(feed)

    def mark(self, name: str) -> None:
        """Remember every feed entry that `name` stands for as briefed; saved at once."""
        items = self._items.pop(page_key(name), None)
        if items and self.state is not None:
            for item in items:
                self.state.mark_item(item)
            self.state.save()

    def fail(self, name: str, error) -> None:
        """Remember that the feed entries `name` stands for could not be briefed (`error`, an InputError)."""
        self._failures.extend((item, error) for item in self._items.pop(page_key(name), ()))
        if not self.defer_failures:
            self.record_failures()

    def record_failures(self) -> None:
        """Write the failures not yet in the state (see `FeedState.mark_failed`); saved at once."""
        if self.state is None or not self._failures:
            return
        for item, error in self._failures:
            fingerprint = item.entry.fingerprint if item.entry is not None else ""
            self.state.mark_failed(item.feed, item.key, fingerprint, error.reason, transient=error.transient)
        self._failures.clear()
        self.state.save()


def expand_inputs(arguments: list[str]) -> tuple[list[str], list[str]]:
    """(inputs in the order given, patterns that matched nothing). A quoted glob (as cron passes it)
    is expanded here, sorted. A pattern that matches nothing is nothing to do, not an error: an empty
    inbox folder is a quiet night. A literal path that does not exist stays an error (when read)."""
    inputs: list[str] = []
    unmatched: list[str] = []
    for argument in arguments:
        if argument != STDIN and not is_url(argument) and glob.has_magic(argument) and not Path(argument).exists():
            matches = sorted(glob.glob(argument))
            if not matches:
                unmatched.append(argument)
            inputs.extend(matches)
        else:
            inputs.append(argument)
    return _once_each(inputs), unmatched


def _once_each(inputs: list[str]) -> list[str]:
    """The inputs without repeats: a file named twice (also through a pattern) or a URL given twice
    (`sources.urls.same_page`: tracking parameters and fragments aside) is briefed once, where it first came."""
    kept: list[str] = []
    seen: set[str] = set()
    for item in inputs:
        # realpath, not resolve(): a symlink loop is named when it is read, not a crash here
        key = page_key(item) if is_url(item) or item == STDIN else os.path.realpath(item)
        if key in seen:
            log.log(NOTICE, "%s: given more than once, briefed once", item)
            continue
        seen.add(key)
        kept.append(item)
    return kept
