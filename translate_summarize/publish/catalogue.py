"""The archive's catalogue: every brief in the out-dir by the day it was briefed, one JSON file a day.

`Catalogue(folder)` keeps `folder/<YYYY-MM-DD>.json` (in the out-dir's `.brief/archive/days/`): per
day, a `Listing` per brief made that day (stem, headline, outlet, link, dates, story, English
summary, key). A re-briefed article moves to the day of its new brief. Only the days a run changes
are written again (`touched`), so a run that adds 20 briefs to an archive of 10,000 writes one or
two day files, never the others; every day file is read (about 0.3 KB a brief).

Files are replaced atomically (`common.files.atomic_write`) under the run's lock. A day file that
cannot be read or is of another shape is left out with one notice naming it (its briefs come back
when they are briefed again); a listing of the wrong shape is dropped and the others kept.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..common.files import atomic_write
from ..common.logs import NOTICE

log = logging.getLogger(__name__)

FORMAT = 1
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Listing:
    """One brief as the archive lists it. `day` (YYYY-MM-DD) and `created` (RFC 3339) are when it
    was briefed, `published` when its article was (ISO 8601, or None); `story` its story id (None
    when not grouped); `key` the brief's cache key, which changes when the brief does."""

    stem: str
    day: str
    created: str
    headline: str
    outlet: str
    summary_en: str
    key: str
    url: str | None = None
    published: str | None = None
    story: str | None = None


_REQUIRED = {field.name for field in fields(Listing) if field.default is not None}


def _listing(data: object) -> Listing | None:
    if not isinstance(data, dict) or set(data) - {field.name for field in fields(Listing)}:
        return None
    if not all(isinstance(data.get(name), str) for name in _REQUIRED):
        return None
    if not all(data.get(name) is None or isinstance(data[name], str) for name in ("url", "published", "story")):
        return None
    return Listing(**data) if _DAY.match(data["day"]) else None


class Catalogue:
    """See the module's docstring."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.days: dict[str, dict[str, Listing]] = {}  # day -> stem -> listing
        self.touched: set[str] = set()
        self._day_of: dict[str, str] = {}
        self._load()

    def _load(self) -> None:
        try:
            paths = sorted(self.folder.glob("*.json"))
        except OSError:
            return
        for path in paths:
            if not _DAY.match(path.stem):
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("briefs"), list):
                    raise ValueError("not a day of the archive")
            except (OSError, ValueError, RecursionError) as error:
                log.log(NOTICE, "%s: archive day left out (%s)", path, getattr(error, "strerror", None) or type(error).__name__)
                continue
            listings = [_listing(item) for item in data["briefs"]]
            if None in listings:
                log.log(NOTICE, "%s: %d archive listing(s) of the wrong shape dropped", path, listings.count(None))
            for listing in listings:
                if listing is not None and listing.day == path.stem:
                    self._place(listing)

    def _place(self, listing: Listing) -> None:
        old = self._day_of.get(listing.stem)
        if old is not None and old != listing.day:
            self.days[old].pop(listing.stem, None)
            self.touched.add(old)
        self.days.setdefault(listing.day, {})[listing.stem] = listing
        self._day_of[listing.stem] = listing.day

    def get(self, stem: str) -> Listing | None:
        day = self._day_of.get(stem)
        return self.days[day].get(stem) if day is not None else None

    def add(self, listing: Listing) -> bool:
        """Put `listing` in its day (out of any other); False when the same brief is already listed."""
        if self.get(listing.stem) == listing:
            return False
        self._place(listing)
        self.touched.add(listing.day)
        return True

    def newest(self, count: int | None = None) -> list[Listing]:
        """The `count` most recently briefed listings (all with None), newest first."""
        found: list[Listing] = []
        for day in sorted(self.days, reverse=True):
            found += sorted(self.days[day].values(), key=lambda listing: (listing.created, listing.stem), reverse=True)
            if count is not None and len(found) >= count:
                return found[:count]
        return found

    def on(self, day: str) -> list[Listing]:
        """The listings of `day`, newest first."""
        return sorted(self.days.get(day, {}).values(), key=lambda listing: (listing.created, listing.stem), reverse=True)

    def counts(self) -> list[tuple[str, int]]:
        """(day, number of briefs) of every day with briefs, newest first."""
        return [(day, len(self.days[day])) for day in sorted(self.days, reverse=True) if self.days[day]]

    def save(self) -> None:
        """Write the days this run touched (an emptied day's file is removed). Raises OSError."""
        for day in sorted(self.touched):
            path = self.folder / f"{day}.json"
            listings = self.on(day)
            if not listings:
                path.unlink(missing_ok=True)
                continue
            data = {"format": FORMAT, "day": day, "briefs": [asdict(listing) for listing in listings]}
            atomic_write(path, (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode("utf-8", "surrogateescape"))
