"""RSS and Atom feeds: their entries, and which of them have been briefed already.

`read_feed(data, name)` parses a feed's bytes with feedparser (RSS 0.9x, 1.0 and 2.0, Atom 0.3 and
1.0) and returns a `Feed`: its title (the outlet) and its entries in feed order, each with its id,
link, title, author, published time (an aware `datetime` in the feed's own offset, from `published`,
else `updated`) and its full text when the feed carries it. Full text means `content:encoded` or
Atom `<content>` with at least `FULL_TEXT_MIN_CHARS` characters of text; a `<description>` or
`<summary>` counts only for an entry without a web link (else it is the teaser of the linked page).
HTML the feed escaped once too often (entity-encoded twice, an escaped CDATA section, tags in
`type="text"` content) is unescaped first (`feed_html.entry_html`), so its paragraphs stay paragraphs.
Raises `InputError(name, "is not an RSS or Atom feed (...)")` for bytes feedparser cannot read as a
feed (an HTML page, a JSON file, or broken XML that yields no entry).

An entry's link is a `FeedLink`: a str that remembers the feed, not the user, chose it, so
`fetch.Fetcher` refuses it at a private address (issue #19).

Which entries were briefed or failed is `feed_state.FeedState`'s (the out-dir's `feeds.json`).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from ..errors import ConfigError, InputError
from .feed_html import entry_html
from .webpage import looks_like_web_page

FULL_TEXT_MIN_CHARS = 500  # characters of text in content:encoded / <content> that make it the article
_TAGS = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"<[A-Za-z/!?][^<>]*>")  # a tag, comment or CDATA marker; not the `<` of `a < b`
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL
)


class FeedLink(str):
    """A URL a feed gave (an entry's link), not the user: `Fetcher.fetch` refuses it, and its
    redirects, at loopback, private and other non-global addresses unless allowed. Otherwise a str."""

    __slots__ = ()


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed. `key` is what the state remembers it by (id, else link, else a hash of
    its title and text); `index` its 1-based place in the feed; `content` the full text's HTML, or
    None when the feed carries only a summary (then the linked page is the article); `fingerprint`
    the SHA-256 of what the feed says of the entry (link, title, dates, summary, content): when it
    changes, an entry that failed for good is tried again."""

    key: str
    index: int
    id: str | None
    link: str | None
    title: str | None
    published: datetime | None
    author: str | None
    content: str | None
    summary: str | None
    fingerprint: str = ""

    def label(self) -> str:
        """How messages name the entry: `entry 3 ("Title")`."""
        shown = self.title or self.id or self.link
        return f'entry {self.index} ("{_one_line(shown)}")' if shown else f"entry {self.index}"


@dataclass(frozen=True)
class Feed:
    """A parsed feed: `name` is its URL as given, or (from `sources.feed_items`) the file's absolute
    path: what messages name and the state's key."""

    name: str
    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]


def _one_line(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def looks_like_feed(data: bytes) -> bool:
    """Bytes that start like an RSS, RDF or Atom document (for naming a feed passed as an article)."""
    return bool(_FEED_START.match(data[:4096]))


def _when(entry) -> datetime | None:
    """When the entry was published (else updated), in the feed's own UTC offset where it gives one
    (RFC 822 dates in RSS, RFC 3339 in Atom), so a Dutch outlet's 00:30+01:00 stays on its day."""
    from email.utils import parsedate_to_datetime

    for raw, field in (("published", "published_parsed"), ("updated", "updated_parsed"), ("created", "created_parsed")):
        text = (dict.get(entry, raw) or "").strip()  # dict.get: feedparser's own get maps updated to published
        moment = None
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                pass
        if moment is not None and moment.tzinfo is not None:
            return moment
        parsed = dict.get(entry, field)
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC)
    return None


def _author(value: str | None) -> str | None:
    """An entry's author as text; RSS 2.0's `email (Name)` form gives the name."""
    match = re.match(r"^\s*\S+@\S+\s*\((.+)\)\s*$", value or "")
    return _plain(match.group(1) if match else value)


def _plain(value: str | None, detail=None) -> str | None:
    """A title or name as text, on one line: feedparser gives titles as HTML (`AT&amp;T`, `<b>`)."""
    if not value:
        return None
    if (getattr(detail, "get", lambda key: None)("type") or "text/html") in ("text/html", "application/xhtml+xml"):
        import html

        value = html.unescape(_TAGS.sub("", value))
    return " ".join(value.split()) or None


def _text_length(html: str) -> int:
    return len(" ".join(_MARKUP.sub(" ", html).split()))


def _full_text(entry) -> str | None:
    """The longest HTML `content` of the entry (unescaped, `feed_html.entry_html`) when it is long
    enough to be the article itself; for an entry without a web link, whose summary is all there is,
    a summary as long as that too."""
    contents = list(entry.get("content") or ())
    if not str(entry.get("link") or "").lower().startswith(("http://", "https://")) and entry.get("summary"):
        contents.append({"value": entry.get("summary"), "type": (entry.get("summary_detail") or {}).get("type")})
    best = None
    for content in contents:
        value = entry_html(content.get("value") or "", content.get("type"))
        if best is None or _text_length(value) > _text_length(best):
            best = value
    return best if best is not None and _text_length(best) >= FULL_TEXT_MIN_CHARS else None


def read_feed(data: bytes, name: str, *, base: str | None = None, charset: str | None = None) -> Feed:
    """Parse a feed's bytes (see the module's docstring); `name` is its URL or file, for messages;
    `base` the URL that relative links are resolved against (default: `name` when it is a URL);
    `charset` the HTTP Content-Type's charset, which wins over the XML declaration (RFC 7303 §3.2).

    Entries come in feed order; a later entry with the id of an earlier one is told apart by its
    link, or left out when that is the same too (the feed's first, newest, copy wins)."""
    import feedparser

    base = base or (name if "://" in name else None)
    headers = {"content-type": "application/xml" + (f"; charset={charset}" if charset else "")}
    if base:
        headers["content-location"] = base
    # A stream, never bytes or str: feedparser takes a str for a URL to fetch and tries bytes as a file name.
    # Relative links in an entry's HTML are left as they are (only its text is used): feedparser's
    # resolver drops an escaped CDATA section whole, and with it a link-less entry's only text.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, resolve_relative_uris=False)
    # No entries and either no feed element or broken XML: not a feed. A valid feed may be empty.
    broken = parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride)
    if not parsed.entries and (not parsed.get("version") or broken):
        if looks_like_web_page(data):
            why = "it is an HTML page"
        elif parsed.get("bozo_exception") is not None:
            error = parsed.bozo_exception
            where = f" at line {error.getLineNumber()}" if hasattr(error, "getLineNumber") else ""
            why = _one_line(error.getMessage() if hasattr(error, "getMessage") else error) + where
        else:
            why = "no channel or feed element"
        raise InputError(name, f"is not an RSS or Atom feed ({why})")
    entries = []
    keys: set[str] = set()
    for index, entry in enumerate(parsed.entries, start=1):
        content = _full_text(entry)
        link = (entry.get("link") or "").strip() or None
        ident = (entry.get("id") or "").strip() or None
        if link and link == ident and not link.lower().startswith(("http://", "https://")):
            link = None  # feedparser gives an Atom entry without a link its id (`urn:...`) as link
        link = FeedLink(link) if link else None
        title = _plain(entry.get("title"), entry.get("title_detail"))
        key = ident or link or "sha256:" + hashlib.sha256(f"{title}\n{content}".encode()).hexdigest()
        if key in keys and ident and link:
            key = f"{ident} {link}"  # two entries with one id (a CMS that reuses guids)
        if key in keys:
            continue
        keys.update({key, f"{ident} {link}"} if ident and link else {key})
        said = [link, title, dict.get(entry, "published"), dict.get(entry, "updated"), entry.get("summary"), content]
        fingerprint = hashlib.sha256("\x1f".join(str(part or "") for part in said).encode("utf-8")).hexdigest()
        entries.append(
            FeedEntry(
                key=key,
                index=index,
                id=ident,
                link=link,
                title=title,
                published=_when(entry),
                author=_author(entry.get("author")),
                content=content,
                summary=entry.get("summary") or None,
                fingerprint=fingerprint,
            )
        )
    feed = parsed.get("feed") or {}
    return Feed(
        name=name,
        title=_plain(feed.get("title"), feed.get("title_detail")),
        link=feed.get("link") or None,
        entries=tuple(entries),
    )


def parse_since(text: str) -> datetime:
    """`--since`: `2026-11-28` (midnight, local time) or an ISO 8601 date-time (local time when it
    gives no offset), as an aware datetime. Raises ConfigError naming the value."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time()).astimezone()
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--since {text}: expected a date such as 2026-11-28 or 2026-11-28T06:00+01:00") from None
    return moment if moment.tzinfo else moment.astimezone()
