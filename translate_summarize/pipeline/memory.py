"""Translation memory: sentences translated once are never translated again by the same model.

One SQLite file holds one table keyed by (model_key, source). The model key says which model, at which
revision, through which engine and with which settings produced the target, so changing any of them
starts from an empty memory instead of serving translations another model made.

The database is opened in WAL mode with a busy timeout, so two `brief` runs (cron overlapping a manual
run) can read and write it at the same time. A memory is a cache: if the file cannot be opened or
written, a warning is logged and translation carries on without it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from ..common.files import cache_dir
from ..common.logs import NOTICE

log = logging.getLogger(__name__)

MEMORY_FILE = "memory.sqlite3"
# SQLite's default limit on bound parameters is 999 in old builds; stay well under it.
_CHUNK = 500
_BUSY_TIMEOUT_MS = 30_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model_key TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (model_key, source)
) WITHOUT ROWID
"""


def default_memory_path() -> Path:
    return cache_dir() / MEMORY_FILE


_COLUMNS = {"model_key", "source", "target", "created"}
_warned: set[str] = set()  # memories already warned about in this process: one line per run, not per use


class _BrokenMemory(Exception):
    """The file is an SQLite database, but not a translation memory (another schema)."""


def _is_broken(path: Path, error: object) -> bool:
    """Whether the memory file itself is bad (and may be replaced), not the disk or a lock."""
    if isinstance(error, _BrokenMemory) or path.is_dir():
        return True
    text = str(error).lower()
    return isinstance(error, sqlite3.DatabaseError) and any(
        words in text for words in ("not a database", "malformed", "disk image", "file is encrypted")
    )


def _warn_once(path: Path, message: str) -> None:
    if str(path) not in _warned:
        _warned.add(str(path))
        log.warning("%s", message)


class TranslationMemory:
    """Known translations for one model key, in a SQLite file shared by all runs (and processes)."""

    def __init__(self, path: Path | str | None = None, model_key: str = ""):
        self.path = Path(path) if path is not None else default_memory_path()
        self.model_key = model_key
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._open()
        except (sqlite3.Error, OSError, _BrokenMemory) as error:
            if _is_broken(self.path, error):
                self._conn = self._repair(error)
            else:
                _warn_once(self.path, f"translation memory {self.path} unavailable, continuing without it: {error}")

    def _repair(self, error: object) -> sqlite3.Connection | None:
        """Move a broken memory aside (`NAME.broken-<time>`) and start an empty one; one notice.
        Where that cannot be done (a read-only disk), one warning and no memory for this run."""
        aside = self.path.with_name(f"{self.path.name}.broken-{datetime.now().strftime('%Y%m%d-%H%M%S')}")
        try:
            os.rename(self.path, aside)
            for suffix in ("-wal", "-shm"):  # SQLite's companions of the broken file would confuse the new one
                companion = self.path.with_name(self.path.name + suffix)
                if companion.exists():
                    os.replace(companion, aside.with_name(aside.name + suffix))
            conn = self._open()
        except (sqlite3.Error, OSError, _BrokenMemory) as again:
            _warn_once(
                self.path,
                f"translation memory {self.path} is broken ({error}) and cannot be replaced ({again}); "
                "continuing without it (delete the file to start a new one)",
            )
            return None
        log.log(NOTICE, "translation memory %s was broken (%s): moved to %s, starting an empty one", self.path, error, aside)
        return conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: autocommit; writes use explicit BEGIN IMMEDIATE transactions.
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
        while True:  # switching to WAL needs a moment of exclusive access; another process may hold it
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute(_SCHEMA)
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    conn.close()
                    raise
                time.sleep(0.05)
        conn.execute("PRAGMA synchronous = NORMAL")
        columns = {row[1] for row in conn.execute("PRAGMA table_info(translations)")}
        if columns != _COLUMNS:
            conn.close()
            raise _BrokenMemory(f"table translations has columns {sorted(columns)}")
        return conn

    @property
    def available(self) -> bool:
        return self._conn is not None

    def lookup(self, sources: Iterable[str]) -> dict[str, str]:
        """The stored translation of each source sentence that has one."""
        wanted = list(dict.fromkeys(sources))
        if self._conn is None or not wanted:
            return {}
        found: dict[str, str] = {}
        try:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT source, target FROM translations WHERE model_key = ? AND source IN ({marks})",
                    [self.model_key, *chunk],
                )
                found.update(rows.fetchall())
        except sqlite3.Error as error:
            log.warning("translation memory lookup failed, translating instead: %s", error)
            return {}
        return found

    def store(self, mapping: Mapping[str, str]) -> None:
        """Remember translations (replacing older ones for the same source and model key).

        Empty targets are not stored: a failed translation should be tried again next time, not pinned.
        """
        if self._conn is None or not mapping:
            return
        created = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        rows = [(self.model_key, source, target, created) for source, target in mapping.items() if target.strip()]
        if not rows:
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO translations (model_key, source, target, created) VALUES (?, ?, ?, ?)",
                    rows,
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as error:
            log.warning("translation memory could not be updated: %s", error)
            return

    def count(self) -> int:
        """Translations stored under this model key. (Not `__len__`: callers test `if memory:`.)"""
        if self._conn is None:
            return 0
        return self._conn.execute("SELECT COUNT(*) FROM translations WHERE model_key = ?", [self.model_key]).fetchone()[0]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
