"""How well stories are grouped, and what grouping saves: `python bench/bench_stories.py`.

1. Quality. On each corpus of story folders (`tests/data/stories/dev`, `hard` and `heldout`: one
   folder per event, one file per outlet's version of it; events of one topic share people and places), every
   pair of articles is a same-story pair when both files are in one folder. The articles are read
   by the real reader and grouped by `stories.grouping.group` as a run groups them; pairwise
   precision and recall are printed for a grid of thresholds (the precision/recall curve) and for
   the defaults. The defaults were chosen on `dev` and `hard`; `heldout` was not used to choose them.
2. Model time. A night of 10 copies of one wire story against a night of 10 different stories,
   each briefed by `brief` with the tiny test models (the real generate() path), grouping on (the
   default) and off: the seconds the models ran (the briefs' own stage stats), the articles
   summarized and the sentences translated.

Prints a table and writes it to bench/results/stories-<date>.txt with --save.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.base import FIXTURES, REPO  # noqa: E402
from translate_summarize.pipeline.briefer import Briefer  # noqa: E402
from translate_summarize.stories.fingerprint import fingerprint  # noqa: E402
from translate_summarize.stories.grouping import DEFAULT, Thresholds, Tonight, group  # noqa: E402

CORPORA = REPO / "tests" / "data" / "stories"


def load(corpus: Path) -> list[tuple[str, str, Tonight]]:
    """(story folder, file, Tonight) for every article of a corpus, read by the real reader."""
    briefer = Briefer()
    items = []
    for path in sorted(corpus.glob("*/*.txt")):
        article = briefer.read(path)
        items.append((path.parent.name, path.name, Tonight(f"{path.parent.name}/{path.stem}", article.sha256, fingerprint(article))))
    return items


def pairwise(items: list[tuple[str, str, Tonight]], thresholds: Thresholds = DEFAULT) -> tuple[float, float, int, int, int]:
    """(precision, recall, true pairs found, pairs found, true pairs) of `group` on `items`."""
    placed = group({n: item for n, (_, _, item) in enumerate(items)}, (), thresholds)
    found = true_found = truth = 0
    for a, b in itertools.combinations(range(len(items)), 2):
        same = items[a][0] == items[b][0]
        grouped = placed[a].story == placed[b].story
        truth += same
        found += grouped
        true_found += same and grouped
    precision = true_found / found if found else 1.0
    return precision, true_found / truth if truth else 1.0, true_found, found, truth


def quality(lines: list[str], names: list[str] | None = None) -> None:
    for corpus in sorted(path for path in CORPORA.iterdir() if path.is_dir() and (not names or path.name in names)):
        items = load(corpus)
        stories = len({folder for folder, _, _ in items})
        lines.append(f"\n## {corpus.relative_to(REPO)}: {len(items)} articles, {stories} stories")
        lines.append(f"{'containment':>11} {'shared':>6} {'facts':>5} {'numbers':>7} {'precision':>9} {'recall':>6}  pairs (true found / found / true)")
        d = DEFAULT
        grid = [replace(d, containment=c) for c in (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8)]
        grid += [replace(d, shared=n) for n in (1, 4, 16, 32)]
        grid += [replace(d, facts=f) for f in (0.0, 0.3, 0.5, 0.7, 0.8, 0.9)]
        grid += [replace(d, numbers=n) for n in (0.0, 0.5, 0.8, 0.9)]
        grid += [replace(d, facts=0.0, numbers=0.0)]  # word runs alone
        for thresholds in sorted(set(grid), key=lambda t: (t.containment, t.shared, t.facts, t.numbers)):
            p, r, tf, f, t = pairwise(items, thresholds)
            mark = "  <- default" if thresholds == DEFAULT else ""
            row = f"{thresholds.containment:>11.2f} {thresholds.shared:>6} {thresholds.facts:>5.2f} {thresholds.numbers:>7.2f}"
            lines.append(f"{row} {p:>9.3f} {r:>6.3f}  {tf} / {f} / {t}{mark}")
        p, r, *_ = pairwise(items)
        lines.append(f"default {DEFAULT}: precision {p:.3f}, recall {r:.3f}")
        misses = _errors(items)
        lines += [f"  {line}" for line in misses[:20]]


def _errors(items: list[tuple[str, str, Tonight]]) -> list[str]:
    """The pairs the defaults get wrong: `split` (one story in two groups) and `joined` (two stories in one)."""
    placed = group({n: item for n, (_, _, item) in enumerate(items)})
    said = []
    for a, b in itertools.combinations(range(len(items)), 2):
        same, grouped = items[a][0] == items[b][0], placed[a].story == placed[b].story
        if same != grouped:
            x, y = items[a][2].print, items[b][2].print
            kind = "split " if same else "joined"
            said.append(f"{kind} {items[a][0]}/{items[a][1]} ~ {items[b][0]}/{items[b][1]}: J {x.jaccard(y):.2f} C {x.containment(y):.2f}")
    return said


def model_time(lines: list[str]) -> None:
    """Model seconds (the briefs' translate, summarize and back-translate stage stats, summed) and
    summarizer inputs of `brief` on 10 copies of one story and on 10 different stories, grouping on
    and off, with the tiny test models (the real generate() path; model loading not counted)."""
    folders = sorted(path for path in (CORPORA / "dev").iterdir() if path.is_dir())
    richest = max(folders, key=lambda folder: len(list(folder.glob("*.txt"))))
    versions = sorted(richest.glob("*.txt"))
    copies = [versions[n % len(versions)] for n in range(10)]
    distinct = [sorted(folder.glob("*.txt"))[0] for folder in folders[:10]]
    models = [f"--{role}-model={FIXTURES / name}" for role, name in (("translation", "tiny-marian-copy"), ("summarization", "tiny-bart-lead"), ("back-translation", "tiny-marian-copy"))]
    lines.append("\n## model time: `brief` on 10 articles (fixture models, engine torch, cpu, fresh caches)")
    lines.append(f"{'night':<24} {'':<10} {'model s':>7} {'summarized':>10} {'sentences translated':>20}")
    brief = str(Path(sys.executable).with_name("brief"))
    for name, paths in (("10 copies of one story", copies), ("10 different stories", distinct)):
        for grouping in ("--group", "--no-group"):
            with tempfile.TemporaryDirectory() as folder:
                inputs = []
                for n, path in enumerate(paths):  # one file per outlet: copies get names of their own
                    target = Path(folder) / f"{n:02d}-{path.name}"
                    shutil.copy(path, target)
                    inputs.append(str(target))
                env = {**os.environ, "BRIEF_CACHE_DIR": str(Path(folder) / "cache")}
                command = [brief, *inputs, "-o", str(Path(folder) / "out"), "-q", "--engine=torch", "--device=cpu", "--format=json", "--digest", grouping, *models]
                digest = json.loads(subprocess.run(command, check=True, env=env, capture_output=True).stdout)
                stats = [brief["stats"] for brief in digest["briefs"]]
                seconds = sum(stage["seconds"] for one in stats for name_, stage in one.items() if name_ in ("translate", "summarize", "back_translate"))
                summarized = sum(1 for one in stats if not one["summarize"]["cached"])
                translated = sum(one["translate"]["items"] - one["translate"]["cached"] for one in stats)
                lines.append(f"{name:<24} {grouping:<10} {seconds:7.2f} {summarized:>10} {translated:>20}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-time", action="store_true", help="quality only")
    parser.add_argument("--corpus", action="append", help="only this corpus (dev, heldout); repeatable")
    parser.add_argument("--save", action="store_true", help="write bench/results/stories-<date>.txt")
    args = parser.parse_args()
    lines = [f"# Stories: grouping quality and model time ({date.today().isoformat()})"]
    quality(lines, args.corpus)
    if not args.no_time:
        model_time(lines)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.save:
        (REPO / "bench" / "results" / f"stories-{date.today().isoformat()}.txt").write_text(text)


if __name__ == "__main__":
    main()
