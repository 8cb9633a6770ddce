"""The stories of earlier runs: what an article of tonight may repeat, kept in the out-dir's state.

`StoryMemory(folder)` keeps `folder/stories.json` (in the out-dir's `.brief/`): per article briefed
in the last `days` days (`--story-days`, default 3), its out-dir stem, name, text sha256, story id,
English headline, outlet, link, the day it was last in a run, what it repeated of an earlier run
(so a re-run shows the same), and its fingerprint (MinHash signature, shingle count, facts,
paragraph hashes; no text). About 3 KB an article.

The file is replaced atomically (`common.files.atomic_write`) by a run holding the out-dir lock. It
is a cache of what the briefs already say: one that cannot be read, or of another format, is set
aside with one notice naming it (tonight's articles are then grouped among themselves), an entry of
the wrong shape is dropped and the others kept, and one that cannot be written (a full or read-only
disk) costs one warning, never the run or its briefs.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

from ..common.files import atomic_write
from ..common.logs import NOTICE
from ..data import EarlierVersion
from .fingerprint import Fingerprint
from .grouping import Known

log = logging.getLogger(__name__)

STATE_FILE = "stories.json"
STATE_FORMAT = 1
STORY_DAYS = 3  # the default: a wire story is republished and updated over a few days
MAX_DAYS = 3650  # `--story-days` at most (ten years); more would overflow the calendar
MAX_SIZE = 10_000_000  # shingles of one article at most (the input size cap allows about 200,000)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _entry(data: object) -> Known | None:
    """The remembered article in one entry of the file, or None when the entry is not one."""
    if not isinstance(data, dict):
        return None
    text = {key: data.get(key) for key in ("stem", "name", "sha256", "story", "headline", "seen")}
    optional = {key: data.get(key) for key in ("outlet", "url")}
    size, facts, paragraphs = data.get("size"), data.get("facts"), data.get("paragraphs")
    if not (all(isinstance(value, str) for value in text.values()) and _strings(facts) and _strings(paragraphs)):
        return None
    if not (isinstance(size, int) and 0 <= size <= MAX_SIZE and all(v is None or isinstance(v, str) for v in optional.values())):
        return None
    try:
        date.fromisoformat(text["seen"])
        signature = Fingerprint.decode(data.get("signature"))
        earlier = EarlierVersion(**data["earlier"]) if data.get("earlier") is not None else None
    except (TypeError, ValueError, AttributeError):
        return None
    if earlier is not None and not all(isinstance(getattr(earlier, name), str) for name in ("headline", "seen", "changes")):
        return None
    return Known(print=Fingerprint(signature, size, frozenset(facts), tuple(paragraphs)), earlier=earlier, **text, **optional)


def _to_json(old: Known) -> dict:
    return {
        "stem": old.stem,
        "name": old.name,
        "sha256": old.sha256,
        "story": old.story,
        "headline": old.headline,
        "seen": old.seen,
        "outlet": old.outlet,
        "url": old.url,
        "size": old.print.size,
        "facts": sorted(old.print.facts),
        "paragraphs": list(old.print.paragraphs),
        "signature": old.print.encode(),
        "earlier": asdict(old.earlier) if old.earlier is not None else None,
    }


class StoryMemory:
    """The articles of the last `days` days' runs, by stem (see the module's docstring)."""

    def __init__(self, folder: Path, days: int = STORY_DAYS, today: date | None = None):
        self.path = folder / STATE_FILE
        self.days = days
        self.today = today or date.today()
        self._articles: dict[str, Known] = {}
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            log.log(NOTICE, "%s: story state is unreadable (%s), ignored (written anew after this run)", self.path, getattr(error, "strerror", None) or error)
            return
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            log.log(NOTICE, "%s: story state is not JSON, ignored (written anew after this run)", self.path)
            return
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT or not isinstance(data.get("articles"), list):
            log.log(NOTICE, "%s: story state is not in this version's format, ignored (written anew after this run)", self.path)
            return
        entries = [_entry(item) for item in data["articles"]]
        dropped = entries.count(None)
        if dropped:
            log.log(NOTICE, "%s: %d story entr%s of the wrong shape dropped", self.path, dropped, "y" if dropped == 1 else "ies")
        oldest = (self.today - timedelta(days=min(self.days, MAX_DAYS))).isoformat()
        today = self.today.isoformat()
        for entry in entries:  # the last `days` days; a day to come is a clock gone wrong: dropped
            if entry is not None and oldest <= entry.seen <= today:
                self._articles[entry.stem] = entry

    def known(self) -> list[Known]:
        """The remembered articles seen in the last `days` days, in stem order."""
        return [self._articles[stem] for stem in sorted(self._articles)]

    def remember(self, article: Known) -> None:
        """Keep `article` (seen today), replacing what was kept for its stem."""
        self._articles[article.stem] = article

    def save(self) -> None:
        """Write the file (atomically); a disk that refuses it costs one warning, nothing more."""
        data = {"format": STATE_FORMAT, "articles": [_to_json(self._articles[stem]) for stem in sorted(self._articles)]}
        try:
            atomic_write(self.path, (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode("utf-8", "surrogateescape"))
        except OSError as error:
            log.warning("%s: story state not saved (%s); tomorrow's copies of tonight's stories are not grouped with them", self.path, error.strerror or error)
