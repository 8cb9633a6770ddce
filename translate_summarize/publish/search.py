"""Search in the archive: one Pagefind bundle a month, `pagefind/<YYYY-MM>/` in the out-dir.

Pagefind (its PyPI package ships the binary) builds a static index that the browser searches with
no server code. A bundle is built from one small page per brief, not from the brief pages
themselves: its English headline and summary, its Dutch summary and its full text in both
languages, indexed as one language (English stemming; Dutch words are found as written and by
prefix), with its outlet and date as metadata. Pagefind has no incremental build, so the archive is cut in months:
a run rebuilds only the months whose briefs it changed (a month of 1,000 briefs in about a second
here), and the index page merges the months in the browser (`mergeIndex`).

A bundle is written to a temporary folder beside it and swapped in with two renames, so a reader
never sees half a bundle; a crash between the two renames leaves the month without a bundle, which
the next run notices and builds again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from .catalogue import Listing

BUNDLES = "pagefind"


def record_text(brief: dict) -> str:
    """The searchable text of a brief record's `brief` (JSON form): headline, both summaries, the
    full text in English and Dutch."""
    summary = brief.get("summary") or {}
    parts = [brief.get("headline") or "", summary.get("en") or "", summary.get("nl") or ""]
    for block in brief.get("blocks") or []:
        parts += [block.get("en") or "", block.get("nl") or ""]
    return "\n".join(part for part in parts if isinstance(part, str) and part)


def missing_months(out_dir: Path, months: Iterable[str]) -> set[str]:
    """The months without a bundle in `out_dir` (never built, or lost in a crash)."""
    return {month for month in months if not (out_dir / BUNDLES / month / "pagefind.js").is_file()}


def _document(listing: Listing, text: str) -> str:
    """The page Pagefind indexes for one brief: its text, and its title, outlet and date as metadata."""
    date = (listing.published or listing.created)[:10]
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(listing.headline)}</title></head><body>'
        f'<h1 data-pagefind-meta="title">{escape(listing.headline)}</h1>'
        f'<p data-pagefind-meta="outlet">{escape(listing.outlet)}</p><p data-pagefind-meta="date">{escape(date)}</p>'
        + "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
        + "</body></html>"
    )


def build_month(out_dir: Path, month: str, records: Sequence[tuple[Listing, str]]) -> None:
    """Build the bundle of `month` from (listing, searchable text) and swap it in: one small page per
    brief is written to a temporary folder and indexed by the Pagefind binary (about 1,000 pages a
    second here; its Python API answers one record at a time, 0.1 s each). Raises OSError, or
    RuntimeError when Pagefind cannot run (its binary missing) or fails."""
    try:
        from pagefind.service import get_executable

        binary = get_executable()
    except ImportError:
        binary = None
    if binary is None:
        raise RuntimeError("Pagefind cannot run (its binary is not installed): pip install 'pagefind[bin]'")
    root = out_dir / BUNDLES
    root.mkdir(parents=True, exist_ok=True)
    pages, fresh, old, target = root / f".{month}.pages", root / f".{month}.new", root / f".{month}.old", root / month
    for stale in (pages, fresh, old):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        pages.mkdir()
        for listing, text in records:
            (pages / f"{listing.stem}.html").write_text(_document(listing, text), encoding="utf-8", errors="surrogateescape")
        command = [str(binary), "--site", str(pages), "--output-path", str(fresh), "--force-language", "en", "--silent"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (FileNotFoundError, PermissionError) as error:
            raise RuntimeError(f"Pagefind cannot run ({binary}: {error.strerror}): pip install 'pagefind[bin]'") from None
        if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
            raise RuntimeError(f"Pagefind failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-300:]}")
        _check_bundle(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    try:
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _check_bundle(folder: Path) -> None:
    """RuntimeError when a bundle is not whole: an empty file, or an entry file that is not JSON
    (Pagefind exits 0 on a full disk, having written what it could)."""
    empty = [path.name for path in folder.rglob("*") if path.is_file() and path.stat().st_size == 0]
    try:
        json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        empty.append("pagefind-entry.json")
    if empty:
        raise RuntimeError(f"Pagefind wrote a broken bundle ({', '.join(sorted(empty)[:3])}: empty or unreadable); the old one is kept")


def drop_month(out_dir: Path, month: str) -> None:
    """Remove the bundle of a month that has no briefs any more."""
    shutil.rmtree(out_dir / BUNDLES / month, ignore_errors=True)


def read_record(path: Path) -> dict | None:
    """A brief record's `brief` object, or None when the record cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("brief") if isinstance(data, dict) and isinstance(data.get("brief"), dict) else None
