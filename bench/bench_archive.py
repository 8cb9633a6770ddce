"""What a nightly run costs the archive (issue #24): `python bench/bench_archive.py [--briefs 10000]`.

An out-dir with an archive of N briefs over 100 days (records of the sample brief's size, their day
pages and one search bundle a month, built once as earlier runs would have), then a run that adds
20 briefs: the seconds `Archive.finish` takes (days, search, index, feed), and how many files of the
archive it wrote. Ratios against the full build of the same archive, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.briefs import make_brief  # noqa: E402
from translate_summarize.publish import Archive, ArchiveOptions  # noqa: E402
from translate_summarize.render.json_format import brief_to_dict  # noqa: E402


def _store(archive, state: Path, stem: str, brief, new: bool) -> None:
    """Write `brief`'s record as a run does and add it to `archive` (`new`: made in this run)."""
    (state / f"{stem}.json").write_text(json.dumps({"brief": brief_to_dict(brief)}), encoding="utf-8")
    archive.add(stem, brief, new)


def files(root: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--briefs", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=20)
    args = parser.parse_args()
    base = make_brief()
    first = date(2026, 8, 29)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        state = out / ".brief"
        state.mkdir(parents=True)
        archive = Archive(out, state, ArchiveOptions())
        for n in range(args.briefs):
            day = first + timedelta(days=n % 100)
            brief = replace(base, headline=f"Brief {n}", created=f"{day.isoformat()}T06:{n % 60:02d}:00+01:00")
            brief.article = replace(base.article, name=f"b{n:05d}.txt")
            _store(archive, state, f"b{n:05d}", brief, False)
        started = time.perf_counter()
        archive.finish()
        full = time.perf_counter() - started
        before = files(out)
        time.sleep(0.05)
        archive = Archive(out, state, ArchiveOptions())
        today = first + timedelta(days=100)
        for n in range(args.new):
            brief = replace(base, headline=f"New {n}", created=f"{today.isoformat()}T06:{n:02d}:00+01:00")
            _store(archive, state, f"new{n:02d}", brief, True)
        started = time.perf_counter()
        archive.finish()
        incremental = time.perf_counter() - started
        after = files(out)
        rewritten = [path for path, mtime in before.items() if path in after and after[path] != mtime]
        added = [path for path in after if path not in before]
        kept = len(before) - len(rewritten)
        print(f"# Archive: {args.new} new briefs on an archive of {args.briefs} ({date.today().isoformat()})")
        print(f"full build of the archive            {full:7.2f} s")
        print(f"a run adding {args.new} briefs               {incremental:7.2f} s   ({incremental / full:.3f} of the full build)")
        print(f"archive files before the run         {len(before):7d}")
        print(f"  rewritten by the run               {len(rewritten):7d}   {sorted(str(p.relative_to(out)) for p in rewritten if 'pagefind' not in p.parts)[:6]}")
        print(f"  left as they were                  {kept:7d}")
        print(f"  new files                          {len(added):7d}")


if __name__ == "__main__":
    main()
