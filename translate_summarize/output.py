"""Delivering briefs to `--out-dir`: atomic files, one run at a time, and nothing redone needlessly.

- Every file is written to a temporary file in the same folder and renamed over the target, so a
  crash or SIGKILL never leaves half a brief.
- A lock file keeps two runs on one folder from interleaving (filelock: portable, and released by
  the OS when a killed run dies).
- Each brief's key (article content, models, revisions, output options) and its JSON form are kept in
  `.brief/`, so an unchanged article is re-rendered from there without loading a model.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from .errors import LockedError

STATE_DIR = ".brief"
LOCK_NAME = ".brief.lock"
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; a brief gets the mode any new file gets under the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files left by a killed run are never valid output; clear them under the lock."""
    for folder in (out_dir, out_dir / STATE_DIR):
        if folder.is_dir():
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)


def safe_stem(name: str) -> str:
    """A file stem that cannot leave the output folder or hide itself: no separators, no leading dots."""
    stem = _UNSAFE.sub("_", Path(name).stem).strip("._") or "article"
    return stem[:120]


def output_names(paths: list[Path]) -> list[str]:
    """One unique stem per input: inputs sharing a stem get a short hash of their full path."""
    stems = [safe_stem(path.name) for path in paths]
    seen: dict[str, int] = {}
    for stem in stems:
        seen[stem] = seen.get(stem, 0) + 1
    names = []
    for path, stem in zip(paths, stems):
        if seen[stem] > 1:
            digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
            stem = f"{stem}-{digest}"
        names.append(stem)
    return names


class OutputFolder:
    """The out-dir and its bookkeeping; use as a context manager to hold the run lock."""

    def __init__(self, root: Path, *, wait: bool = True, timeout: float = -1):
        self.root = root
        self.state = root / STATE_DIR
        self.wait = wait
        self.timeout = timeout
        self._lock = None

    def __enter__(self) -> OutputFolder:
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.root / LOCK_NAME))
        try:
            self._lock.acquire(timeout=self.timeout if self.wait else 0)
        except Timeout:
            raise LockedError(f"{self.root}: another brief run is using this output folder") from None
        remove_stale_temporaries(self.root)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()

    def cached(self, stem: str, key: str) -> dict | None:
        """The stored brief (JSON form) for `stem` if it was made with this key, else None."""
        record = self.state / f"{stem}.json"
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if data.get("key") == key else None

    def store(self, stem: str, record: dict) -> None:
        atomic_write(
            self.state / f"{stem}.json",
            (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        )

    def write(self, filename: str, data: bytes) -> Path:
        target = self.root / filename
        if target.resolve().parent != self.root.resolve():
            raise ValueError(f"refusing to write outside {self.root}: {filename}")
        atomic_write(target, data)
        return target
