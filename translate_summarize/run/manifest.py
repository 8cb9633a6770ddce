"""The run's manifest: one JSON line per input, appended as each brief completes (`--manifest FILE`).

For archive-scale runs: the manifest indexes what a run made (input, key, output files, headline,
checks, per-stage seconds, status) and, read back, tells which inputs are done. A line is written and
flushed as soon as its input is finished, so a run that is killed leaves every finished line whole
(at most the last line is partial; readers should skip a line that does not parse). Appending
across runs is intended: the newest line for an input wins.

Fields (JSON Lines, UTF-8, one object per line, keys in this order):
`input` (str), `status` ("briefed", "unchanged" or "failed"), `reason` (str, failed only),
`key` (the idempotency key, str), `outputs` (paths of the files written for it, list of str),
`headline` (str), `checks` (total, int), `flagged` (checks that fired, int),
`seconds` (per stage: split, translate, summarize, back_translate, check; float, seconds),
`time` (RFC 3339, local time with offset).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import IO

from ..data import Brief
from ..errors import storage_error


class Manifest:
    """Appends manifest lines to `path`; does nothing when `path` is None. Use as a context manager."""

    def __init__(self, path: Path | None):
        self.path = path
        self._file: IO[str] | None = None

    def __enter__(self) -> Manifest:
        """Open the manifest for appending. A last line left partial (a full disk, a kill) is ended
        first, so this run's first line starts a line of its own. Raises StorageError (one line)
        when the file cannot be opened."""
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8", errors="replace")
                if self._file.tell() > 0 and not _ends_with_newline(self.path):
                    self._file.write("\n")
            except OSError as error:
                raise storage_error(error, self.path) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            file, self._file = self._file, None
            try:
                file.close()
            except OSError as error:  # the last flush met a full disk: said, the run's end is not hidden
                if exc[0] is None:
                    raise storage_error(error, self.path) from None

    def _write(self, entry: dict) -> None:
        if self._file is None:
            return
        entry["time"] = datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._file.flush()
        except OSError as error:
            file, self._file = self._file, None
            try:
                file.close()
            except OSError:
                pass
            raise storage_error(error, self.path) from None

    def done(self, item: str, status: str, brief: Brief, outputs: list[str]) -> None:
        """A brief made (`briefed`) or reused (`unchanged`) for `item`."""
        self._write(
            {
                "input": str(item),
                "status": status,
                "key": brief.key,
                "outputs": outputs,
                "headline": brief.headline,
                "checks": len(brief.checks),
                "flagged": len(brief.warnings),
                "seconds": {stage: round(stats.seconds, 4) for stage, stats in brief.stats.items()},
            }
        )

    def failed(self, item: str, reason: str) -> None:
        """`item` got no brief, for `reason` (the one line the log gave)."""
        self._write({"input": str(item), "status": "failed", "reason": reason})


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) == b"\n"
