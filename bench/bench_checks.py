"""Time the faithfulness checks (`check_brief`) per KB of article: the sample vs a 1 MB article, and a
110 KB article that repeats one word back to back (issue 19: a time and size budget per article).

No models run: each brief is built the way `Briefer` builds it (`parse_article`, `split_sentences` per
block, one `SentencePair` per sentence), with translations and a summary that stand in for the models':

* the sample unit: the sample article `seeds/000_5456f33a95982729.txt` copied as its own translation
  (what the `tiny-marian-copy` fixture model does), plus the 126 reference pairs of
  `eval/data/nl_en_news.tsv` in paragraphs of five (real Dutch and real English), ~20 KB;
* the 1 MB article: that unit repeated with its paragraphs in a different order each time and its
  numbers changed (so no two copies are the same text);
* the repeated-word article: ``nee nee nee …`` (110 KB, one paragraph) copied as its translation.

The summary stands in for `Summarizer.summaries`: the first three sentences of every ~4 KB chunk of
the English (the `tiny-bart-lead` fixture writes the lead), joined in article order; the Dutch summary
is the same text (the copy fixture's back-translation).

    .venv/bin/python bench/bench_checks.py            # sample vs 1 MB per KB, and the repeated word
    .venv/bin/python bench/bench_checks.py --quick    # a 256 KB article instead of 1 MB
    .venv/bin/python bench/bench_checks.py --profile big    # cProfile of one input (sample|big|repeat)

It ends with ``checks: 1 MB per-KB cost <X>x the sample's (target < 2x); repeated word 110 KB <S> s``.
The per-KB ratio is measured in the same run (the sample is the baseline); each timing is the best of
`--repeats` runs (of 10 at least for the sample, whose runs are short and noisy).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from translate_summarize.checks import check_brief  # noqa: E402
from translate_summarize.data import AlignedBlock, Article, BlockKind, Brief, SentencePair  # noqa: E402
from translate_summarize.eval.harness import load_pairs  # noqa: E402
from translate_summarize.text.article import parse_article  # noqa: E402
from translate_summarize.text.sentences import split_sentences  # noqa: E402

SAMPLE = REPO / "seeds" / "000_5456f33a95982729.txt"
CHUNK_CHARS = 4000  # ~1,000 BART tokens of English: one summarizer chunk
LEAD_SENTENCES = 3


def _paragraphs() -> list[tuple[BlockKind, list[tuple[str, str]]]]:
    """The sample unit: (kind, [(Dutch, English)]) per block."""
    article = parse_article(SAMPLE.read_text(encoding="utf-8"), SAMPLE)
    blocks = []
    for block in article.blocks:
        sentences = split_sentences(block.text, article.language)
        blocks.append((block.kind, [(s, s) for s in sentences]))
    pairs = load_pairs()
    for start in range(0, len(pairs), 5):
        blocks.append((BlockKind.PARAGRAPH, pairs[start : start + 5]))
    return blocks


def _vary(text: str, rng: random.Random) -> str:
    """The same text with its digits changed (one consistent change per copy)."""
    shift = rng.randrange(1, 9)
    return re.sub(r"\d", lambda m: str((int(m.group(0)) + shift) % 10), text)


def _brief(blocks: list[tuple[BlockKind, list[tuple[str, str]]]], language: str = "nl") -> Brief:
    aligned = []
    for kind, pairs in blocks:
        sentences = tuple(SentencePair(nl, en) for nl, en in pairs)
        aligned.append(AlignedBlock(kind, " ".join(nl for nl, _ in pairs), " ".join(en for _, en in pairs), sentences))
    english = [pair.target for block in aligned if not block.kind.is_heading for pair in block.sentences]
    summary, chunk, size = [], [], 0
    for sentence in english + [None]:
        if sentence is None or (size + len(sentence) > CHUNK_CHARS and chunk):
            summary.extend(chunk[:LEAD_SENTENCES])
            chunk, size = [], 0
        if sentence is not None:
            chunk.append(sentence)
            size += len(sentence) + 1
    summary_en = " ".join(summary)
    article = Article(SAMPLE, SAMPLE.name, (), language=language)
    return Brief(article, "headline", summary_en, summary_en, tuple(aligned), (), "2021-09-01T00:00:00+00:00")


def size_kb(brief: Brief) -> float:
    return sum(len(block.source.encode("utf-8")) for block in brief.blocks) / 1024


def sample_brief() -> Brief:
    return _brief(_paragraphs())


def big_brief(target_kb: float = 1024) -> Brief:
    unit = _paragraphs()
    rng = random.Random(19)
    blocks = list(unit)
    unit_kb = size_kb(_brief(unit))
    copies = max(1, round(target_kb / unit_kb))
    for _ in range(copies - 1):
        order = unit[:]
        rng.shuffle(order)
        for kind, pairs in order:
            blocks.append((kind, [(_vary(nl, rng), _vary(en, rng)) for nl, en in pairs]))
    return _brief(blocks)


def repeat_brief(word: str = "nee", target_kb: float = 110) -> Brief:
    text = " ".join([word] * int(target_kb * 1024 / (len(word) + 1))) + "."
    article = parse_article(text, Path("repeat.txt"))
    blocks = []
    for block in article.blocks:
        sentences = split_sentences(block.text, article.language)
        blocks.append((block.kind, [(s, s) for s in sentences]))
    return _brief(blocks)


def time_checks(brief: Brief, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        check_brief(brief)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 256 KB article instead of 1 MB")
    parser.add_argument("--size-kb", type=float, default=None, help="size of the big article (default 1024)")
    parser.add_argument("--repeat-kb", type=float, default=110, help="size of the repeated-word article")
    parser.add_argument("--word", default="nee", help="the repeated word")
    parser.add_argument("--repeats", type=int, default=3, help="best of N timings (default 3)")
    parser.add_argument("--profile", choices=("sample", "big", "repeat"), help="cProfile one input and stop")
    args = parser.parse_args(argv)
    big_kb = args.size_kb or (256 if args.quick else 1024)

    if args.profile:
        brief = {"sample": sample_brief, "big": lambda: big_brief(big_kb), "repeat": lambda: repeat_brief(args.word, args.repeat_kb)}[
            args.profile
        ]()
        profile = cProfile.Profile()
        profile.enable()
        check_brief(brief)
        profile.disable()
        print(f"{args.profile}: {size_kb(brief):.0f} KB")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return 0

    sample = sample_brief()
    check_brief(sample)  # warm-up: compiled regexes, data tables
    rows = []
    for label, brief, repeats in (
        ("sample", sample, max(args.repeats, 10)),
        (f"big ({big_kb:.0f} KB target)", big_brief(big_kb), args.repeats),
        (f"repeated ‘{args.word}’", repeat_brief(args.word, args.repeat_kb), args.repeats),
    ):
        kb = size_kb(brief)
        sentences = sum(len(block.sentences) for block in brief.blocks)
        seconds = time_checks(brief, repeats)
        started = time.perf_counter()
        split_sentences(brief.summary_en, "en")  # what check_summary spends in sentences.py (pysbd)
        rows.append((label, kb, sentences, seconds, time.perf_counter() - started))
    print(f"{'input':<24} {'KB':>8} {'sentences':>10} {'seconds':>9} {'ms/KB':>8} {'vs sample':>10} {'summary split s':>16}")
    base = rows[0][3] / rows[0][1]
    for label, kb, sentences, seconds, split in rows:
        per_kb = seconds / kb
        print(
            f"{label:<24} {kb:>8.1f} {sentences:>10} {seconds:>9.3f} {per_kb * 1000:>8.3f} {per_kb / base:>9.2f}x"
            f" {split:>16.3f}"
        )
    print(
        "(summary split: split_sentences of the English summary, once; check_summary calls it, and its "
        "cost grows faster than the summary: sentences.py/pysbd, not the checks)"
    )
    ratio = (rows[1][3] / rows[1][1]) / base
    print(
        f"checks: {rows[1][1] / 1024:.2f} MB per-KB cost {ratio:.2f}x the sample's (target < 2x); "
        f"repeated word {rows[2][1]:.0f} KB {rows[2][3]:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
