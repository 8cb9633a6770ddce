"""Delivering briefs to `--out-dir`: atomic files, one run at a time, and nothing redone needlessly.

- Every file is written to a temporary file in the same folder and renamed over the target, so a
  crash or SIGKILL never leaves half a brief.
- A lock file keeps two runs on one folder from interleaving (filelock: portable, and released by
  the OS when a killed run dies).
- Each brief's key (article content, models, revisions, output options) and its JSON form are kept in
  `.brief/`, so an unchanged article is re-rendered from there without loading a model.
- The last mails sent (`--sendmail`) are kept in `.brief/mail/` (`deliver.keep_sent`), for `--resend`.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from ..common.files import atomic_write, safe_stem
from ..common.logs import NOTICE
from ..errors import LockedError, storage_error

log = logging.getLogger(__name__)

STATE_DIR = ".brief"
LOCK_NAME = ".brief.lock"
SENT_DIR = "mail"  # in STATE_DIR: the digests --sendmail sent, one .eml each


def remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files left by a killed run are never valid output; clear them under the lock."""
    for folder in (out_dir, out_dir / STATE_DIR, out_dir / STATE_DIR / SENT_DIR):
        if folder.is_dir():
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)


def output_names(paths: list[Path]) -> list[str]:
    """One unique stem per input: inputs sharing a stem get a short hash of their full path."""
    stems = [safe_stem(path.name) for path in paths]
    seen: dict[str, int] = {}
    for stem in stems:
        seen[stem] = seen.get(stem, 0) + 1
    names = []
    for path, stem in zip(paths, stems):
        if seen[stem] > 1:
            # realpath, not resolve(): a symlink loop is the reader's one-line error, not a crash here;
            # fsencode: a name that is not valid UTF-8 (a Samba share) hashes as the bytes it is.
            digest = hashlib.sha256(os.fsencode(os.path.realpath(path))).hexdigest()[:8]
            stem = f"{stem}-{digest}"
        names.append(stem)
    return names


def sent_folder(out_dir: Path) -> Path:
    """Where the mails sent for `out_dir` are kept: `<out_dir>/.brief/mail`."""
    return out_dir / STATE_DIR / SENT_DIR


class OutputFolder:
    """The out-dir and its bookkeeping; use as a context manager to hold the run lock."""

    def __init__(self, root: Path, *, wait: bool = True, timeout: float = -1):
        self.root = root
        self.state = root / STATE_DIR
        self.sent = sent_folder(root)
        self.wait = wait
        self.timeout = timeout
        self._lock = None

    def __enter__(self) -> OutputFolder:
        """Create the out-dir and take its lock. Raises LockedError (another run holds it, no wait)
        or StorageError (one line: the folder cannot be made or locked). A read-only out-dir is
        entered without a lock: nothing can write there, so there is nothing to keep apart, and a
        run whose briefs are all current needs to write nothing."""
        from filelock import FileLock, Timeout

        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise storage_error(OSError(errno.ENOTDIR, "not a folder"), self.root) from None
        except OSError as error:
            raise storage_error(error, self.root) from None
        if not self.root.is_dir():
            raise storage_error(OSError(errno.ENOTDIR, "not a folder"), self.root)
        self._lock = FileLock(str(self.root / LOCK_NAME))
        try:
            self._lock.acquire(timeout=self.timeout if self.wait else 0)
        except Timeout:
            raise LockedError(f"{self.root}: another brief run is using this output folder") from None
        except OSError as error:
            self._lock = None
            if error.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise storage_error(error, self.root / LOCK_NAME) from None
            log.debug("%s: read-only, run without the lock (%s)", self.root, error)
        try:
            remove_stale_temporaries(self.root)
        except OSError as error:
            log.debug("%s: stale temporaries not removed: %s", self.root, error)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()

    def cached(self, stem: str, key: str) -> dict | None:
        """The stored record for `stem` if it was made with this key and is whole, else None.

        A record is whole when it is a JSON object of the shape `store` writes (`key` str,
        `written` {ext: key}, `brief` object, optional `mailed` str) and its `sha256` matches the
        brief it holds. One that is not (hand-edited, truncated, of another shape, from before
        records had checksums) counts as absent, so the article is briefed again; a broken one gets
        one notice naming the file. A record that no longer parses as a brief is caught where it is
        read (`Run`), with the same effect."""
        path = self.state / f"{stem}.json"
        data, problem = _load_record(path)
        if problem is not None:
            log.log(NOTICE, "%s: brief record %s, briefing again", path, problem)
        return data if data is not None and data["key"] == key else None

    def records(self) -> Iterator[tuple[str, dict]]:
        """(stem, record) of every whole record in the state folder, in name order; broken ones are
        left out quietly (the run that meets their input names them)."""
        try:
            paths = sorted(self.state.glob("*.json"))
        except OSError:
            return
        for path in paths:
            data, _ = _load_record(path)
            if data is not None:
                yield path.stem, data

    def store(self, stem: str, record: dict) -> None:
        """Write `stem`'s record (key, written, brief, mailed) with the checksum of its brief.
        Raises StorageError with one line when it cannot be written."""
        record = {**record, "sha256": brief_checksum(record["brief"])}
        path = self.state / f"{stem}.json"
        try:
            atomic_write(path, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8", "surrogateescape"))
        except OSError as error:
            raise storage_error(error, path) from None

    def write(self, filename: str, data: bytes) -> Path:
        """Write one brief file atomically. Raises StorageError with one line when it cannot be."""
        target = self.root / filename
        if os.path.dirname(os.path.realpath(target)) != os.path.realpath(self.root):
            raise ValueError(f"refusing to write outside {self.root}: {filename}")
        try:
            atomic_write(target, data)
        except OSError as error:
            raise storage_error(error, target) from None
        return target


def _load_record(path: Path) -> tuple[dict | None, str | None]:
    """(the whole record at `path`, None) or (None, why it is not whole; None when it is missing)."""
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")  # as `store` wrote it
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as error:
        return None, f"is unreadable ({getattr(error, 'strerror', None) or error})"
    try:
        data = json.loads(text)
    except ValueError:
        return None, "is not JSON"
    problem = record_problem(data)
    return (None, problem) if problem is not None else (data, None)


def brief_checksum(brief: object) -> str:
    """SHA-256 (hex) of a record's brief, as canonical JSON (sorted keys, ASCII): what `cached` checks."""
    canonical = json.dumps(brief, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def record_problem(data: object) -> str | None:
    """Why `data` is not a whole brief record (a short phrase), or None when it is."""
    if not isinstance(data, dict):
        return "is not a JSON object"
    if not isinstance(data.get("key"), str):
        return "has no key"
    written = data.get("written")
    if not isinstance(written, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in written.items()):
        return "has a broken 'written' field"
    if not isinstance(data.get("brief"), dict):
        return "has no brief"
    for optional in ("mailed", "feed"):
        if optional in data and not isinstance(data[optional], str):
            return f"has a broken '{optional}' field"
    if data.get("sha256") != brief_checksum(data["brief"]):
        return "does not match its checksum (edited or from an older brief)"
    return None
