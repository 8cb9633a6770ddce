"""Compare Dutch sentence splitters on the gold boundary set in tests/data/nl_sentences_gold.txt.

What it measures: for every paragraph of the gold file, the character offsets where a new sentence
starts (offset 0 and the end excluded). Each candidate's sentences are located in the paragraph text in
order (``text.find(sentence.strip(), position)``, falling back to a whitespace-insensitive search), and
its boundaries are compared with the gold ones: boundary precision, recall and F1 summed over all
paragraphs, the share of paragraphs whose boundaries are exactly the gold ones, and the seconds spent
splitting every paragraph once (after one warm-up call, so imports and model set-up are not counted).

Run it from the repository root, in a venv that has the comparison packages (kept out of the project venv):

    python3 -m venv /tmp/splitvenv
    /tmp/splitvenv/bin/pip install torch==2.13.0
    /tmp/splitvenv/bin/pip install -e . sentencex spacy blingfire sentence-splitter
    /tmp/splitvenv/bin/python bench/splitters.py [--gold tests/data/nl_sentences_gold.txt]

A candidate whose package is missing is skipped with a note on stderr. The output is a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "nl_sentences_gold.txt"

Split = Callable[[str], list[str]]


def load_gold(path: str | Path = GOLD) -> list[tuple[str, list[str]]]:
    """(paragraph text, gold sentences) in file order; `@@ ` category labels are skipped."""
    blocks = Path(path).read_text(encoding="utf-8").strip("\n").split("\n\n")
    items = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines or lines[0].startswith("@@ "):
            continue
        items.append((" ".join(lines), lines))
    return items


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and for each of its characters the offset in `text`."""
    offsets = [i for i, char in enumerate(text) if not char.isspace()]
    return "".join(text[i] for i in offsets), offsets


def boundaries(text: str, sentences: Iterable[str]) -> tuple[set[int], int]:
    """Start offsets (0 < offset < len(text)) of the sentences in `text`, and how many could not be found."""
    compact, offsets = _compact(text)
    starts, position, missing = set(), 0, 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        start = text.find(sentence, position)
        if start >= 0:
            end = start + len(sentence)
        else:  # whitespace-only differences (a splitter that joins lines or collapses spaces)
            needle = "".join(sentence.split())
            cpos = next((k for k, offset in enumerate(offsets) if offset >= position), len(compact))
            found = compact.find(needle, cpos)
            if found < 0:
                missing += 1
                continue
            start, end = offsets[found], offsets[found + len(needle) - 1] + 1
        if 0 < start < len(text):
            starts.add(start)
        position = end
    return starts, missing


def score(split: Split, gold: list[tuple[str, list[str]]]) -> dict:
    """Boundary precision/recall/F1, exact paragraphs and seconds of `split` on `gold`."""
    if gold:
        split(gold[0][0])  # warm-up: lazy imports, compiled regexes, pipelines
    tp = fp = fn = exact = missing = 0
    seconds = 0.0
    for text, sentences in gold:
        expected, _ = boundaries(text, sentences)
        started = time.perf_counter()
        predicted_sentences = list(split(text))
        seconds += time.perf_counter() - started
        predicted, lost = boundaries(text, predicted_sentences)
        missing += lost
        tp += len(predicted & expected)
        fp += len(predicted - expected)
        fn += len(expected - predicted)
        exact += predicted == expected
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
        "exact": exact, "paragraphs": len(gold), "seconds": seconds, "unlocated": missing,
    }


def _ours() -> Split:
    from translate_summarize.text.sentences import split_sentences

    return lambda text: split_sentences(text, "nl")


def _pysbd() -> Split:
    import pysbd

    segmenter = pysbd.Segmenter(language="nl", clean=False)
    return segmenter.segment


def _sentencex() -> Split:
    from sentencex import segment

    return lambda text: list(segment("nl", text))


def _spacy() -> Split:
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return lambda text: [sent.text for sent in nlp(text).sents]


def _blingfire() -> Split:
    from blingfire import text_to_sentences

    return lambda text: text_to_sentences(text).split("\n")


def _moses() -> Split:
    from sentence_splitter import SentenceSplitter

    return SentenceSplitter(language="nl").split


CANDIDATES: list[tuple[str, Callable[[], Split]]] = [
    ("pysbd + layer (ours)", _ours),
    ("pysbd (nl)", _pysbd),
    ("sentencex", _sentencex),
    ("spaCy nl sentencizer", _spacy),
    ("blingfire", _blingfire),
    ("sentence-splitter (Moses nl prefixes)", _moses),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(GOLD), help="gold file (default: %(default)s)")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    n_boundaries = sum(len(sentences) - 1 for _, sentences in gold)
    print(f"{len(gold)} paragraphs, {sum(len(s) for _, s in gold)} sentences, {n_boundaries} gold boundaries\n")
    print("| splitter | boundary precision | boundary recall | boundary F1 | paragraphs exactly right | seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, make in CANDIDATES:
        try:
            split = make()
        except ImportError as error:
            print(f"skipped {name}: {error}", file=sys.stderr)
            continue
        try:
            result = score(split, gold)
        except Exception as error:  # noqa: BLE001 - one broken candidate must not hide the others
            print(f"skipped {name}: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        if result["unlocated"]:
            print(f"note {name}: {result['unlocated']} sentences not found in the paragraph text", file=sys.stderr)
        print(
            f"| {name} | {result['precision']:.3f} | {result['recall']:.3f} | {result['f1']:.3f} "
            f"| {100 * result['exact'] / result['paragraphs']:.1f}% ({result['exact']}/{result['paragraphs']}) "
            f"| {result['seconds']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
