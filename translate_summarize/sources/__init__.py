"""Inputs from where articles live: saved web pages, URLs and RSS/Atom feeds (issue #13).

The API for the runner (every error an `errors.InputError` whose message is one line naming the
URL or file; times in seconds, sizes in bytes):

    fetcher = Fetcher(FetchSettings(max_bytes=..., cache_dir=cache / "pages"))   # one per run; close()

    text = open_input(arg, fetcher, max_bytes)        # arg: a URL, a file or "-"
        # -> reader.SourceText, exactly as read_source gives it, for a plain article file;
        # -> WebText (a SourceText subclass) for a URL or a saved web page, with .source
        #    (data.Source: url, outlet, author, published) and .article(language) -> data.Article
        #    built from the page's own blocks (title, paragraphs, subheadings as the page marks them).
    article = to_article(text, language)              # either kind -> data.Article (parse_article for plain text)

    state = FeedState(out_dir / ".brief")             # feeds.json: what was briefed, per feed and entry
    for item in feed_items(feed_url_or_path, fetcher, state, since=parse_since("2026-11-28")):
        item.name        # the entry's link (else "<feed> entry 3 (...)"): what messages call it
        item.error       # an InputError for this entry (its page 404s, no link and no full text, ...)
        item.text        # a WebText (the feed's full text, or the linked page extracted), when no error
        item.status      # "new" or "changed" ("unchanged" only with include_unchanged=True)
        ...brief item.text...; then state.mark_item(item)
    state.save()                                      # after the briefs are written

`feed_items` reads and parses the feed when called, so an unreachable or unparsable feed raises at
once (one line naming the feed); the entries then come one at a time, in feed order. The language
rule stays the runner's: `language.decide_language(text.text, name, source_lang)` as for files.

Modules: `fetch` (HTTP: retries, robots.txt, size cap), `cache` (ETag / Last-Modified revalidation),
`webpage` (trafilatura extraction), `feeds` (feedparser, the feed state), `packages` (a missing
Python package: one line naming what to install).
"""

from __future__ import annotations

import hashlib
import logging
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..common.files import safe_stem
from ..data import Article, Source
from ..errors import InputError
from ..text.article import parse_article
from ..text.reader import DEFAULT_MAX_BYTES, SourceText, input_name, read_bytes, source_path, text_from_bytes
from .feed_state import FeedState, content_hash
from .feeds import Feed, FeedEntry, looks_like_feed, parse_since, read_feed
from .fetch import FEED_ACCEPT, Fetched, Fetcher, FetchSettings, is_url
from .packages import import_failure
from .urls import same_page
from .webpage import NO_ARTICLE, Page, extract_page, looks_like_web_page, page_from_fragment

log = logging.getLogger(__name__)

__all__ = [
    "Feed",
    "FeedEntry",
    "FeedItem",
    "FeedState",
    "NO_ARTICLE",
    "FetchSettings",
    "Fetched",
    "Fetcher",
    "Page",
    "WebText",
    "extract_page",
    "feed_items",
    "is_url",
    "looks_like_web_page",
    "open_input",
    "parse_since",
    "read_feed",
    "to_article",
    "url_path",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_HINT = "is an RSS or Atom feed; pass it with --feed"


@dataclass(frozen=True)
class WebText(SourceText):
    """A `SourceText` that came from the web: `source` says where from; `page` holds the blocks of a
    web page or feed entry (`text` is then their article text: title line, blank-line separated
    blocks), and is None for a plain-text URL."""

    source: Source | None = None
    page: Page | None = None

    def article(self, language: str = "nl") -> Article:
        """The `Article`: a page's own blocks (no re-guessing of headings), else the parsed text; with `source`."""
        if self.page is not None:
            article = self.page.article(self.path, language=language)
        else:
            article = parse_article(self.text, self.path, encoding=self.encoding, language=language)
        return replace(article, source=self.source)


def to_article(text: SourceText, language: str = "nl") -> Article:
    """The `Article` of any input: `WebText.article`, else `parse_article` of a plain file's text."""
    if isinstance(text, WebText):
        return text.article(language)
    return parse_article(text.text, text.path, encoding=text.encoding, language=language)


def url_path(url: str) -> Path:
    """A file-like path for a URL, whose stem names its output: `<host>_<last path segment>[_<query>].html`,
    tracking parameters left out (`urls.same_page`)."""
    parts = urllib.parse.urlsplit(same_page(url))
    segments = [segment for segment in parts.path.split("/") if segment]
    last = Path(urllib.parse.unquote(segments[-1])).stem if segments else "index"
    host = parts.hostname or "page"
    host = host[4:] if host.startswith("www.") else host
    query = f"_{urllib.parse.unquote_plus(parts.query)}" if parts.query else ""
    return Path(f"{safe_stem(f'{host}_{last}{query}.x')}.html")


def entry_path(feed: str, key: str, title: str | None) -> Path:
    """A file-like path for a feed entry without a link, whose stem names its output:
    `<feed stem>_<title>-<8 hex of the SHA-256 of feed and entry key>`: stable from night to night
    (the key, not the entry's place in the feed) and unique per entry."""
    feed_part = url_path(feed).stem if is_url(feed) else safe_stem(Path(feed).name)
    title_part = re.sub(r"[^\w-]+", "-", (title or "entry").lower()).strip("-")[:60] or "entry"
    digest = hashlib.sha256(f"{feed}\n{key}".encode("utf-8")).hexdigest()[:8]
    return Path(f"{safe_stem(f'{feed_part}_{title_part}.x')}-{digest}.html")


def _web_text(page: Page, path: Path, markup: str) -> WebText:
    return WebText(path=path, text=page.text, encoding=page.encoding, markup=markup, source=page.source, page=page)


def _from_fetched(fetched: Fetched) -> SourceText:
    url = fetched.url
    if looks_like_feed(fetched.data) or "rss" in fetched.content_type or "atom" in fetched.content_type:
        raise InputError(url, FEED_HINT)
    if fetched.content_type in HTML_TYPES or looks_like_web_page(fetched.data):
        page = extract_page(fetched.data, fetched.final_url, name=url, charset=fetched.charset)
        return _web_text(page, url_path(url), "web page")
    if fetched.content_type.startswith("text/") or not fetched.content_type:
        plain = text_from_bytes(fetched.data, url_path(url).with_suffix(".txt"), url)
        source = Source(url=fetched.final_url)
        return WebText(path=plain.path, text=plain.text, encoding=plain.encoding, markup=plain.markup, source=source)
    raise InputError(url, f"is {fetched.content_type}, not a web page or text")


def open_input(arg: str, fetcher: Fetcher | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one command-line input: a URL is fetched (`fetcher`, or a one-off default one), a file
    or `-` read; a web page (by content) is extracted with trafilatura; anything else is read exactly
    as `text.reader.read_source` reads it. Raises InputError naming the URL or file, also for a
    Python package the reading needs and cannot import (`packages.import_failure`)."""
    try:
        return _open_input(arg, fetcher, max_bytes)
    except ImportError as error:
        raise import_failure(arg if is_url(arg) else input_name(arg), error) from None


def _open_input(arg: str, fetcher: Fetcher | None, max_bytes: int) -> SourceText:
    if is_url(arg):
        if fetcher is None:
            with Fetcher(FetchSettings(max_bytes=max_bytes)) as own:
                return _from_fetched(own.fetch(arg, max_bytes=max_bytes))
        return _from_fetched(fetcher.fetch(arg, max_bytes=max_bytes))
    name = input_name(arg)
    data = read_bytes(arg, max_bytes)
    if looks_like_web_page(data):
        return _web_text(extract_page(data, None, name=name), source_path(arg), "web page")
    if looks_like_feed(data):
        raise InputError(name, FEED_HINT)
    return text_from_bytes(data, source_path(arg), name)


# --- feeds ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed to brief (see the module's docstring); `content_hash` is the SHA-256 of
    `text.text`, what `FeedState.mark_item` records."""

    feed: str
    key: str
    name: str
    status: str = "new"
    text: WebText | None = None
    error: InputError | None = None
    content_hash: str | None = None
    entry: FeedEntry | None = None


def _read_feed(feed: str, fetcher: Fetcher | None, max_bytes: int) -> Feed:
    """The parsed feed; its `name` is the URL as given, or the file's absolute path (the state's key)."""
    if is_url(feed):
        if fetcher is None:
            raise InputError(feed, "a feed URL needs a Fetcher")
        fetched = fetcher.fetch(feed, accept=FEED_ACCEPT, max_bytes=max_bytes)
        return read_feed(fetched.data, feed, base=fetched.final_url, charset=fetched.charset)
    parsed = read_feed(read_bytes(feed, max_bytes), input_name(feed))
    return replace(parsed, name=str(Path(feed).resolve()))


def _entry_text(
    feed: Feed, entry: FeedEntry, fetcher: Fetcher | None, max_bytes: int, *, shared_link: bool = False
) -> tuple[str, WebText]:
    """(the item's name, its text): the feed's full text, else the linked page fetched and extracted.

    An entry with its full text is named by its link, unless the link is not an http(s) URL
    (`javascript:`, `#`, an Atom id) or other full-text entries share it (a liveblog's updates):
    then by the feed and the entry, with a file of its own (`entry_path`)."""
    own_link = entry.link if entry.link and is_url(entry.link) else None
    if entry.content and (own_link is None or shared_link):
        name = f"{feed.name} {entry.label()}"
        page = page_from_fragment(entry.content, entry.title, replace(_entry_source(feed, entry), url=own_link), name)
        return name, _web_text(page, entry_path(feed.name, entry.key, entry.title), "feed entry")
    return _linked_entry_text(feed, entry, fetcher, max_bytes)


def _entry_source(feed: Feed, entry: FeedEntry) -> Source:
    return Source(
        url=entry.link,
        outlet=feed.title,
        author=entry.author,
        published=entry.published.isoformat() if entry.published else None,
    )


def _linked_entry_text(feed: Feed, entry: FeedEntry, fetcher: Fetcher | None, max_bytes: int) -> tuple[str, WebText]:
    source = _entry_source(feed, entry)
    name = entry.link or f"{feed.name} {entry.label()}"
    path = url_path(entry.link) if entry.link else entry_path(feed.name, entry.key, entry.title)
    if entry.content:
        page = page_from_fragment(entry.content, entry.title, source, name)
        return name, _web_text(page, path, "feed entry")
    if not entry.link:
        raise InputError(feed.name, f"{entry.label()} has no link and no full text")
    if not is_url(entry.link):
        raise InputError(feed.name, f"{entry.label()} has a link that is not an http or https URL: {entry.link}")
    if fetcher is None:
        raise InputError(entry.link, "fetching a feed entry's page needs a Fetcher")
    fetched = fetcher.fetch(entry.link, max_bytes=max_bytes)
    if not (fetched.content_type in HTML_TYPES or looks_like_web_page(fetched.data)):
        raise InputError(entry.link, f"is {fetched.content_type or 'not HTML'}, not a web page")
    page = extract_page(fetched.data, fetched.final_url, name=entry.link, charset=fetched.charset, outlet=feed.title)
    # The feed's metadata fills what the page does not say; the page's canonical URL wins.
    merged = Source(
        url=page.source.url or entry.link,
        outlet=feed.title or page.source.outlet,
        author=page.source.author or entry.author,
        published=source.published or page.source.published,
    )
    return name, _web_text(replace(page, source=merged), path, "web page")


def feed_items(
    feed: str,
    fetcher: Fetcher | None,
    state: FeedState,
    since: datetime | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    include_unchanged: bool = False,
    retry_failed: bool = False,
) -> Iterator[FeedItem]:
    """The entries of `feed` (a URL or a file) to brief: new ones and changed ones, in feed order.

    Entries published before `since` that the state does not know are skipped and marked as seen.
    An entry without a published time is never skipped by `since`. An entry that failed for good
    (`FeedState.failed_for_good`) is skipped until the feed's entry changes, unless `retry_failed`.
    Raises InputError naming the feed now when it cannot be fetched, read or parsed; an entry's own
    failure is its item's `error` (record it with `state.mark_failed`), a Python package its reading
    cannot import too (`packages.import_failure`). The state is changed in memory only (skips, the
    entries seen today); call `state.save()` when done."""
    try:
        parsed = _read_feed(feed, fetcher, max_bytes)
    except ImportError as error:
        raise import_failure(feed if is_url(feed) else input_name(feed), error) from None
    state.seen(parsed.name, [entry.key for entry in parsed.entries])
    return _items(parsed, fetcher, state, since, max_bytes, include_unchanged, retry_failed)


def _items(
    feed: Feed,
    fetcher: Fetcher | None,
    state: FeedState,
    since: datetime | None,
    max_bytes: int,
    unchanged: bool,
    retry_failed: bool,
) -> Iterator[FeedItem]:
    links = Counter(entry.link for entry in feed.entries if entry.content and entry.link)
    for entry in feed.entries:
        known = state.knows(feed.name, entry.key)
        if since is not None and not known and entry.published is not None and entry.published < since:
            state.mark(feed.name, entry.key, None)
            continue
        if not (unchanged or retry_failed) and state.settled(feed.name, entry.key, entry.fingerprint):
            continue  # seen (--since) or briefed, and the feed says nothing new of it: nothing to fetch
        earlier = None if retry_failed else state.failed_for_good(feed.name, entry.key, entry.fingerprint)
        if earlier is not None:
            log.info("%s %s: not tried again until it changes (it failed: %s)", feed.name, entry.label(), earlier)
            continue
        try:
            name, text = _entry_text(feed, entry, fetcher, max_bytes, shared_link=links[entry.link] > 1)
        except (InputError, ImportError) as error:
            if isinstance(error, ImportError):
                error = import_failure(entry.link or f"{feed.name} {entry.label()}", error)
            yield FeedItem(feed=feed.name, key=entry.key, name=str(error.path), error=error, entry=entry)
            continue
        digest = content_hash(text.text)
        item = FeedItem(feed.name, entry.key, name, state.status(feed.name, entry.key, digest), text, None, digest, entry)
        if item.status != "unchanged" or unchanged:
            yield item
        else:
            state.mark_item(item)  # the same text, briefed before: record the entry's fingerprint now

