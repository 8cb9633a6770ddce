"""The out-dir as a place to read briefs: an Atom feed, a browsable archive, search (issue #24).

After every run (`--archive`, on by default) the out-dir holds, beside the brief files:

- `<stem>.html` for every brief, whatever `--format` the run wrote, linking back to the archive;
- `index.html`: a search box, the latest briefs by story, and every day; `archive/<day>.html`;
- `feed.xml`: an Atom feed of the last `--feed-entries` briefs (or, `--feed-per-digest`, runs);
- `pagefind/<YYYY-MM>/`: the search index, one Pagefind bundle a month.

`Archive` is told each brief as the run writes it (`page`, `add`) and writes the rest once, at the
end of the run, under the run's lock (`finish`): only the days, months and pages the run changed,
then the index and the feed. Its state is in `.brief/archive/` (`catalogue.py`, `atom.py`). Each
part that fails (a full disk, Pagefind missing) costs one warning naming it, never a brief.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..common.files import atomic_write
from ..data import Brief
from ..render.fields import digest_title, source_link, source_name
from ..render.html import page_body, render_html, render_html_digest
from ..render.json_format import brief_from_dict
from ..render.stories import story_entries
from .atom import FeedState, Item, brief_item, write_feed
from .catalogue import Catalogue, Listing
from .pages import day_page, index_page, months_of
from .search import build_month, drop_month, missing_months, read_record, record_text

log = logging.getLogger(__name__)

ARCHIVE_DIR = "archive"  # both the day pages' folder in the out-dir and the state's in `.brief/`
INDEX = "index.html"
FEED = "feed.xml"
LATEST = 50  # briefs on the index page


@dataclass(frozen=True)
class ArchiveOptions:
    """`enabled` (`--archive/--no-archive`), `feed_entries` (`--feed-entries`), `per_digest`
    (`--feed-per-digest`), `base_url` (`--archive-url`: where the out-dir is served, for the feed's
    absolute links; "" keeps them relative to the feed)."""

    enabled: bool = True
    feed_entries: int = 50
    per_digest: bool = False
    base_url: str = ""


class Archive:
    """See the module's docstring. `out_dir` the out-dir, `state` its `.brief/` folder."""

    def __init__(self, out_dir: Path, state: Path, options: ArchiveOptions):
        self.out_dir = out_dir
        self.folder = state / ARCHIVE_DIR
        self.records = state
        self.options = options
        base = options.base_url
        self.base = base if not base or base.endswith("/") else base + "/"
        self.catalogue = Catalogue(self.folder / "days")
        self.added: list[Brief] = []

    @classmethod
    def opened(cls, out_dir: Path, state: Path, options: ArchiveOptions) -> Archive | None:
        """The archive of `out_dir`, or None after one warning when its state cannot even be read
        (the run's briefs are made all the same; the archive catches up on a later run)."""
        try:
            return cls(out_dir, state, options)
        except Exception as error:  # noqa: BLE001  never the briefs' failure
            log.warning("archive not kept this run: %s", getattr(error, "strerror", None) or error)
            return None

    def page(self, brief: Brief) -> bytes:
        """The brief's own page in the out-dir (`<stem>.html`), linking back to the archive."""
        return render_html(brief, archive=INDEX).encode("utf-8", "surrogateescape")

    def add(self, stem: str, brief: Brief, new: bool) -> None:
        """List a brief the run wrote or reused (`new`: made or changed by this run, for the feed)."""
        source = brief.article.source
        self.catalogue.add(
            Listing(
                stem=stem,
                day=brief.created[:10],
                created=brief.created,
                headline=brief.headline,
                outlet=source_name(brief),
                summary_en=brief.summary_en,
                key=brief.key,
                url=source_link(brief),
                published=source.published if source is not None else None,
                story=brief.story.id if brief.story is not None else None,
            )
        )
        if new:
            self.added.append(brief)

    def finish(self) -> None:
        """Write what the run changed: day pages, search bundles, the index, the feed. Each part
        that fails is one warning."""
        title = digest_title(self.added, None, len(story_entries(self.added)))
        started = time.perf_counter()
        touched = set(self.catalogue.touched)
        for what, step in (("archive days", self._days), ("search index", self._search), ("archive index", self._index), ("feed", lambda touched: self._feed(title))):
            try:
                step(touched)
            except Exception as error:  # noqa: BLE001  the archive is a view of the briefs: never their failure
                where = getattr(error, "filename", None)
                log.warning("%s not updated: %s%s", what, getattr(error, "strerror", None) or error, f" ({where})" if where else "")
                log.info("traceback of the archive error", exc_info=error)
        log.info("archive: %d day(s) written in %.2f s", len(touched), time.perf_counter() - started)

    def _days(self, touched: set[str]) -> None:
        self.catalogue.save()
        days = [day for day, _ in self.catalogue.counts()]
        lost = {day for day in days if not (self.out_dir / ARCHIVE_DIR / f"{day}.html").is_file()}  # deleted by hand
        for day in touched | lost | self._neighbours(days, touched):
            path = self.out_dir / ARCHIVE_DIR / f"{day}.html"
            if day not in days:
                path.unlink(missing_ok=True)
                continue
            at = days.index(day)
            newer, older = (days[at - 1] if at > 0 else None), (days[at + 1] if at + 1 < len(days) else None)
            atomic_write(path, day_page(day, self.catalogue.on(day), newer, older).encode("utf-8", "surrogateescape"))

    @staticmethod
    def _neighbours(days: list[str], touched: set[str]) -> set[str]:
        """Days whose newer/older links change because a touched day appeared or went."""
        near = set()
        for day in touched:
            later = [other for other in days if other > day]
            earlier = [other for other in days if other < day]
            near.update([min(later)] if later else [])
            near.update([max(earlier)] if earlier else [])
        return near - touched

    def _search(self, touched: set[str]) -> None:
        months = months_of([day for day, _ in self.catalogue.counts()])
        wanted = {day[:7] for day in touched} | missing_months(self.out_dir, months)
        for month in sorted(wanted):
            listings = [listing for day, _ in self.catalogue.counts() if day.startswith(month) for listing in self.catalogue.on(day)]
            if not listings:
                drop_month(self.out_dir, month)
                continue
            records = []
            for listing in listings:
                brief = read_record(self.records / f"{listing.stem}.json")
                records.append((listing, record_text(brief) if brief is not None else f"{listing.headline}\n{listing.summary_en}"))
            build_month(self.out_dir, month, records)

    def _index(self, touched: set[str]) -> None:
        counts = self.catalogue.counts()
        months = [month for month in months_of([day for day, _ in counts]) if (self.out_dir / "pagefind" / month / "pagefind.js").is_file()]
        page = index_page(self.catalogue.newest(LATEST), counts, months)
        atomic_write(self.out_dir / INDEX, page.encode("utf-8", "surrogateescape"))

    def _feed(self, title: str) -> None:
        state = FeedState(self.folder, self.out_dir)
        now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        now = f"{now[:-2]}:{now[-2:]}"
        if self.options.per_digest:
            items = self._run_items(state, title, now)
        else:
            items = []
            for listing in self.catalogue.newest(self.options.feed_entries):
                brief = self._brief(listing.stem)
                content = page_body(render_html(brief)) if brief is not None else f"<p>{listing.summary_en}</p>"
                items.append(brief_item(state, listing, content, self.base))
        write_feed(self.out_dir / FEED, state, items, now, base=self.base)
        state.save()

    def _brief(self, stem: str) -> Brief | None:
        data = read_record(self.records / f"{stem}.json")
        try:
            return brief_from_dict(data) if data is not None else None
        except ValueError:
            return None

    def _run_items(self, state: FeedState, title: str, now: str) -> list[Item]:
        """One entry per run that made briefs: its digest, kept as a fragment in `.brief/archive/runs/`."""
        runs = self.folder / "runs"
        if self.added:
            run_id = f"urn:uuid:{uuid.uuid4()}"  # a run of its own, even two in one second
            fragment = page_body(render_html_digest(self.added))
            atomic_write(runs / f"{run_id.rsplit(':', 1)[1]}.html", fragment.encode("utf-8", "surrogateescape"))
            state.add_run({"id": run_id, "created": now, "title": f"{title} ({now[:10]})", "stems": [b.article.name for b in self.added]})
        items = []
        for run in reversed(state.runs):
            path = runs / f"{run['id'].rsplit(':', 1)[1]}.html"
            try:
                content = path.read_text(encoding="utf-8")
            except OSError:
                continue
            link = (("alternate", f"{self.base}{ARCHIVE_DIR}/{run['created'][:10]}.html"),)
            items.append(Item(run["id"], run["title"], run["created"], run["created"], "brief", run["title"], content, link))
            if len(items) >= self.options.feed_entries:
                break
        return items
