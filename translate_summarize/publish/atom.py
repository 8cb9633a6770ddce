"""`out/feed.xml`: an Atom feed (RFC 4287) of the briefs, written with feedgen.

One entry per brief, newest first, the last `entries` of them (`--feed-entries`, default 50):

- `id`: `urn:uuid:` + UUID 5 of the brief's out-dir stem in the feed's own namespace (made once from
  the out-dir's path and kept in `.brief/archive/feed.json`), so it stays the same across runs and
  when the article is briefed again; `updated`: when the brief was made, so a changed brief is updated;
  `published`: the article's date when known, else the brief's;
- `title`: the English headline; `summary`: the English summary; `content` (`type="html"`): the
  brief's HTML (summaries, checks, the full text beside its Dutch);
- `link rel="alternate"`: the brief's own page (`<stem>.html`, relative to the feed unless
  `--archive-url` gives the address the out-dir is served at); `link rel="via"`: the article's
  page, when it came from the web; `author`: the outlet (or the file name).

With `per_digest` (`--feed-per-digest`) the feed has one entry per run instead (its digest: the
run's stories and their summaries, linked to each brief), for aggregators that a busy night
would flood. feedgen 1.0 drops `rel` and `type` from entry links, so they are added by a feedgen
entry extension (`_Links`) instead of `FeedEntry.link`.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..common.files import atomic_write
from ..common.logs import NOTICE
from .catalogue import Listing

log = logging.getLogger(__name__)

ATOM = "{http://www.w3.org/2005/Atom}"
STATE = "feed.json"
KEEP_RUNS = 50  # runs remembered for --feed-per-digest


@dataclass(frozen=True)
class Item:
    """One entry of the feed, ready to write."""

    id: str
    title: str
    updated: str
    published: str
    author: str
    summary: str
    content: str
    links: tuple[tuple[str, str], ...]  # (rel, href)


class _Links:
    """A feedgen entry extension that writes the entry's links with their `rel` and `type`."""

    def __init__(self) -> None:
        self.links: tuple[tuple[str, str], ...] = ()

    def extend_ns(self) -> dict:
        return {}

    def extend_rss(self, entry):
        return entry

    def extend_atom(self, entry):
        from lxml import etree

        for rel, href in self.links:
            link = etree.SubElement(entry, f"{ATOM}link", rel=rel, href=href)
            if rel == "alternate":
                link.set("type", "text/html")
        return entry


class _NoFeedLinks(_Links):
    pass


class FeedState:
    """The feed's id namespace and, for `--feed-per-digest`, the runs it lists (`.brief/archive/feed.json`)."""

    def __init__(self, folder: Path, out_dir: Path):
        self.path = folder / STATE
        # The namespace a new feed gets: from the out-dir's absolute path, so a lost state makes the
        # same ids again (a feed moved elsewhere keeps the one in its state).
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, "brief-feed:" + os.path.realpath(out_dir))
        self.runs: list[dict] = []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.namespace = uuid.UUID(data["namespace"])
            self.runs = [run for run in data.get("runs", []) if _is_run(run)]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
            log.log(NOTICE, "%s: feed state unreadable (%s), made anew from the out-dir's path", self.path, type(error).__name__)

    def entry_id(self, name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.namespace, name)}"

    def add_run(self, run: dict) -> None:
        self.runs = [*self.runs, run][-KEEP_RUNS:]

    def save(self) -> None:
        data = {"namespace": str(self.namespace), "runs": self.runs}
        atomic_write(self.path, (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode("utf-8"))


def _is_run(run: object) -> bool:
    return isinstance(run, dict) and all(isinstance(run.get(key), str) for key in ("id", "created", "title")) and isinstance(run.get("stems"), list)


def brief_item(state: FeedState, listing: Listing, content: str, base: str) -> Item:
    """The entry of one brief (`content`: its HTML)."""
    links = [("alternate", f"{base}{listing.stem}.html")]
    if listing.url:
        links.append(("via", listing.url))
    return Item(
        id=state.entry_id(listing.stem),
        title=listing.headline or listing.stem,
        updated=listing.created,
        published=_when(listing.published) or listing.created,
        author=listing.outlet or "brief",
        summary=listing.summary_en,
        content=content,
        links=tuple(links),
    )


def _when(value: str | None) -> str | None:
    """An RFC 3339 date-time for Atom from the article's ISO 8601 date (a date alone: its midnight UTC)."""
    if not value:
        return None
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def write_feed(path: Path, state: FeedState, items: Sequence[Item], updated: str, title: str = "Briefs", base: str = "") -> None:
    """Write the feed of `items` (newest first) to `path` atomically. Raises OSError."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(f"urn:uuid:{state.namespace}")
    feed.title(title)
    feed.subtitle("Dutch news in English and Dutch: bilingual briefs")
    feed.author({"name": "brief"})
    feed.updated(items[0].updated if items else updated)
    feed.generator("brief")
    if base:
        feed.link(href=f"{base}feed.xml", rel="self")
        feed.link(href=f"{base}index.html", rel="alternate")
    feed.register_extension("brieflinks", _NoFeedLinks, _Links, atom=True, rss=False)
    for item in items:
        entry = feed.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.updated(item.updated)
        entry.published(item.published)
        entry.author({"name": item.author})
        entry.summary(item.summary or item.title)
        entry.content(item.content, type="html")
        entry.brieflinks.links = item.links
    atomic_write(path, feed.atom_str(pretty=True))
