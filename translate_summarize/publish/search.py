"""Search in the archive: one Pagefind bundle a month, `pagefind/<YYYY-MM>/` in the out-dir.

Pagefind (its PyPI package ships the binary) builds a static index that the browser searches with
no server code. A bundle is built from records, not by crawling pages: each brief is one record of
its English headline and summary, its Dutch summary and its full text in both languages, indexed
as one language (English stemming; Dutch words are found as written and by prefix), with its
outlet and date as metadata. Pagefind has no incremental build, so the archive is cut in months:
a run rebuilds only the months whose briefs it changed (a month of 1,000 briefs in about a second
here), and the index page merges the months in the browser (`mergeIndex`).

A bundle is written to a temporary folder beside it and swapped in with two renames, so a reader
never sees half a bundle; a crash between the two renames leaves the month without a bundle, which
the next run notices and builds again.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterable, Sequence
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


async def _build(folder: Path, records: Sequence[tuple[Listing, str]]) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(folder), force_language="en")
    async with PagefindIndex(config=config) as index:
        for listing, text in records:
            meta = {"title": listing.headline, "outlet": listing.outlet, "date": (listing.published or listing.created)[:10]}
            await index.add_custom_record(url=f"{listing.stem}.html", content=text, language="en", meta=meta)


def build_month(out_dir: Path, month: str, records: Sequence[tuple[Listing, str]]) -> None:
    """Build the bundle of `month` from (listing, searchable text) and swap it in. Raises OSError,
    or RuntimeError when Pagefind cannot run (its binary missing)."""
    root = out_dir / BUNDLES
    root.mkdir(parents=True, exist_ok=True)
    fresh, old, target = root / f".{month}.new", root / f".{month}.old", root / month
    for stale in (fresh, old):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        asyncio.run(_build(fresh, records))
    except (FileNotFoundError, ImportError) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise RuntimeError(f"Pagefind cannot run ({error}): pip install 'pagefind[bin]'") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if not (fresh / "pagefind.js").is_file():
        raise RuntimeError("Pagefind wrote no bundle")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


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
