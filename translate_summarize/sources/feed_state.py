"""Which feed entries were briefed, which failed, and which may be forgotten: the out-dir's feed state.

`FeedState(folder)` keeps `folder/feeds.json` (in the out-dir's `.brief/` state). Per feed (its URL,
or a file's absolute path) and entry (its id, else its link), a record says:

- `sha256`: the SHA-256 of the text briefed, so an entry whose text changes is briefed again; None
  for an entry `--since` left out (seen, never to be briefed) or one that never got a brief;
- `failed`: why the entry could not be briefed (`reason`), the entry's `fingerprint` then (a hash of
  what the feed says of it: link, title, dates, text), how many runs tried (`attempts`) and whether
  to stop trying (`lasting`). A lasting failure (a 404, no article text, another language) is
  reported once and not tried again until the feed's entry changes; a transient one (a timeout,
  an HTTP 5xx) is tried again on each of the next runs, `MAX_ATTEMPTS` runs in all;
- `fingerprint`: for a briefed entry, what the feed said of it then; while that stays the same,
  its linked page is not fetched again (the feed is what tells a nightly run of news);
- `seen`: the last day (UTC) a run found the entry in its feed. Records not seen for `KEEP_DAYS` days
  are dropped when their feed is read again (feeds keep days or weeks of entries, so the file stays
  small however many nights it runs).

The file is replaced atomically (temporary file and `os.replace`, via `common.files.atomic_write`); the
caller holds the out-dir lock, so no two runs write it at once. A file that cannot be read, or of
another format, is set aside with one warning naming it (every entry then counts as new, and the next
save overwrites it); a record of the wrong shape is dropped and the others kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..common.files import atomic_write
from ..common.logs import NOTICE

log = logging.getLogger(__name__)

STATE_FILE = "feeds.json"
STATE_FORMAT = 1  # records gained `failed` and `seen`; a version-1 file without them reads as before
MAX_ATTEMPTS = 3  # runs that try an entry whose failure may pass (a timeout, a 5xx) before it waits for a change
KEEP_DAYS = 90  # days an entry absent from its feed is remembered (feeds carry days to weeks of entries)


def content_hash(text: str) -> str:
    """The SHA-256 (hex) of an entry's article text, as the state compares it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _today(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).date().isoformat()


_OPTIONAL_STRINGS = ("at", "seen", "fingerprint")
_FAILED_FIELDS = {"reason": str, "fingerprint": str, "attempts": int, "lasting": bool}


def _valid_record(record: object) -> bool:
    """Whether a record has the shape `FeedState` writes (every field optional but of its type)."""
    if not isinstance(record, dict):
        return False
    if record.get("sha256") is not None and not isinstance(record["sha256"], str):
        return False
    if any(record.get(key) is not None and not isinstance(record[key], str) for key in _OPTIONAL_STRINGS):
        return False
    failed = record.get("failed")
    if failed is None:
        return True
    if not isinstance(failed, dict):
        return False
    for key, kind in _FAILED_FIELDS.items():
        value = failed.get(key)
        if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            return False
    return True


def _valid_feeds(feeds: dict) -> tuple[dict[str, dict[str, dict]], int]:
    """The feeds and records of a state file that have the right shape, and how many did not."""
    kept: dict[str, dict[str, dict]] = {}
    dropped = 0
    for feed, records in feeds.items():
        if not isinstance(records, dict):
            dropped += 1
            continue
        good = {key: record for key, record in records.items() if _valid_record(record)}
        dropped += len(records) - len(good)
        kept[feed] = good
    return kept, dropped


class FeedState:
    """Which entries of which feeds were briefed, failed or skipped (see the module's docstring)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / STATE_FILE
        self._feeds: dict[str, dict[str, dict]] = {}
        self._unwritable = False  # said once per run
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:  # garbage, empty, truncated, a directory, unreadable
            reason = getattr(error, "strerror", None) or error
            log.warning("%s: cannot be read (%s); every feed entry counts as new, the file is rewritten", self.path, reason)
            return
        if isinstance(data, dict) and data.get("format") == STATE_FORMAT and isinstance(data.get("feeds"), dict):
            self._feeds, dropped = _valid_feeds(data["feeds"])
            if dropped:
                log.log(NOTICE, "%s: %d broken record(s) dropped; the others are kept", self.path, dropped)
        else:
            log.warning("%s: not a feed state this version knows; every feed entry counts as new, the file is rewritten", self.path)

    def _record(self, feed: str, key: str) -> dict | None:
        record = self._feeds.get(feed, {}).get(key)
        return record if isinstance(record, dict) else None

    def knows(self, feed: str, key: str) -> bool:
        """Whether the entry was met before: briefed, failed, or skipped by `--since`."""
        return self._record(feed, key) is not None

    def status(self, feed: str, key: str, sha256: str) -> str:
        """`new` (never briefed), `changed` (briefed with another text) or `unchanged`."""
        record = self._record(feed, key)
        if record is None:
            return "new"
        if record.get("sha256") is None:  # skipped by --since (unchanged), or failed before it had a brief
            return "new" if record.get("failed") else "unchanged"
        return "unchanged" if record["sha256"] == sha256 else "changed"

    def is_new_or_changed(self, feed: str, key: str, sha256: str) -> bool:
        return self.status(feed, key, sha256) != "unchanged"

    def mark(self, feed: str, key: str, sha256: str | None, *, when: datetime | None = None) -> None:
        """Remember the entry as briefed with this text (`sha256` None: seen, not to be briefed)."""
        moment = when or datetime.now(UTC)
        self._feeds.setdefault(feed, {})[key] = {
            "sha256": sha256,
            "at": moment.isoformat(timespec="seconds"),
            "seen": _today(moment),
        }

    def mark_item(self, item) -> None:
        """Remember a `sources.FeedItem` as briefed (call once its brief is written), with the
        entry's fingerprint, so that later runs need not fetch its page while the feed says nothing new."""
        self.mark(item.feed, item.key, item.content_hash)
        if item.entry is not None and item.entry.fingerprint:
            self._feeds[item.feed][item.key]["fingerprint"] = item.entry.fingerprint

    def settled(self, feed: str, key: str, fingerprint: str) -> bool:
        """Whether there is nothing to do for the entry: left out by `--since`, or briefed while the
        feed said of it what it says now (same fingerprint). Failed entries are `failed_for_good`'s."""
        record = self._record(feed, key)
        if record is None or record.get("failed"):
            return False
        if record.get("sha256") is None:  # seen, never to be briefed (--since)
            return True
        return bool(fingerprint) and record.get("fingerprint") == fingerprint

    def failed_for_good(self, feed: str, key: str, fingerprint: str) -> str | None:
        """The reason an entry failed, if it is not to be tried again: its failure was lasting (or
        `MAX_ATTEMPTS` runs failed) and the feed's entry has not changed since. Else None."""
        failed = (self._record(feed, key) or {}).get("failed")
        if isinstance(failed, dict) and failed.get("fingerprint") == fingerprint and failed.get("lasting"):
            return str(failed.get("reason") or "failed")
        return None

    def mark_failed(self, feed: str, key: str, fingerprint: str, reason: str, *, transient: bool, when=None) -> int:
        """Remember that this run could not brief the entry; returns the runs that tried it so far
        (counted while the entry stays the same). Keeps the hash of an earlier brief, if any."""
        moment = when or datetime.now(UTC)
        record = dict(self._record(feed, key) or {"sha256": None})
        before = record.get("failed") if isinstance(record.get("failed"), dict) else {}
        attempts = before.get("attempts", 0) + 1 if before.get("fingerprint") == fingerprint else 1
        record["failed"] = {
            "reason": reason,
            "fingerprint": fingerprint,
            "attempts": attempts,
            "lasting": not transient or attempts >= MAX_ATTEMPTS,
        }
        record.update(at=moment.isoformat(timespec="seconds"), seen=_today(moment))
        self._feeds.setdefault(feed, {})[key] = record
        return attempts

    def seen(self, feed: str, keys, *, now: datetime | None = None) -> int:
        """Note that `keys` are in `feed` today, and forget its entries not seen for `KEEP_DAYS` days;
        returns how many were forgotten."""
        today = _today(now)
        oldest = _today((now or datetime.now(UTC)) - timedelta(days=KEEP_DAYS))
        records = self._feeds.get(feed, {})
        for key in keys:
            if key in records and isinstance(records[key], dict):
                records[key]["seen"] = today
        stale = [key for key, record in records.items() if not isinstance(record, dict) or record.get("seen", today) < oldest]
        for key in stale:
            del records[key]
        return len(stale)

    def save(self) -> None:
        """Write the state file (atomically); only the caller knows when a brief is safely written.
        A file that cannot be written is one error line (once), not the end of the run."""
        body = {"format": STATE_FORMAT, "feeds": self._feeds}
        try:
            atomic_write(self.path, (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        except OSError as error:  # the briefs are written all the same; the next run would redo them
            if not self._unwritable:
                log.error("%s: cannot be written (%s); its feed entries will be briefed again", self.path, error.strerror or error)
            self._unwritable = True
