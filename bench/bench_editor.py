"""What the editor's controls cost: `python bench/bench_editor.py [--engine ctranslate2|torch] [--save]`.

With the real opus-mt-nl-en shapes and random weights (`shapes.py`), on the sample article's
sentences (`--articles` copies, each with one number changed so none repeats):

- **translate**: the translator's beam search, output lengths pinned as in the throughput bench
  (`inputs.FixedLength`: 1.2x the source tokens), translation memory off: the baseline;
- **confidence**: scoring every (Dutch, English) pair with both models by forced decoding
  (`ConfidenceScorer`: a forward and a backward `score` call per batch; the en->nl model is the same
  shapes). Its ratio to `translate` is what confidence adds to the translation stage;
- **glossary**: finding the terms of a 20,000-entry glossary in every sentence (`Glossary.occurrences`),
  against `translate` too.

Each is timed `--repeat` times (the median is printed) in this one process, so the ratios compare
like with like. Writes bench/results/editor-<engine>-<date>.txt with --save.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import shapes  # noqa: E402
from base import MARIAN_DIR, REPO, SAMPLE  # noqa: E402
from inputs import FixedLength  # noqa: E402

from translate_summarize.engines.registry import create_engine  # noqa: E402
from translate_summarize.pipeline.confidence import ConfidenceScorer  # noqa: E402
from translate_summarize.pipeline.translate import Translator  # noqa: E402
from translate_summarize.text.article import parse_article  # noqa: E402
from translate_summarize.text.glossary import Entry, Glossary  # noqa: E402
from translate_summarize.text.sentences import split_sentences  # noqa: E402


def sentences(articles: int) -> list[str]:
    """The sample's sentences, `articles` times, each copy with one number changed."""
    text = SAMPLE.read_text(encoding="utf-8")
    out = []
    for n in range(articles):
        article = parse_article(text.replace("drie minuten", f"{n + 2} minuten"), SAMPLE)
        out += [s for block in article.blocks for s in split_sentences(block.text, "nl")]
    return out


def timed(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="ctranslate2", choices=["ctranslate2", "torch"])
    parser.add_argument("--articles", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()

    shapes.ensure_models()
    engine = create_engine(args.engine, MARIAN_DIR, None, device="cpu")
    source = sentences(args.articles)
    translator = Translator(FixedLength(engine))
    english = translator.translate(source)  # a warm-up, and the text that is scored
    pairs = list(zip(source, english))
    glossary = Glossary([Entry(f"term{i}", f"word{i}") for i in range(20_000)] + [Entry("Tweede Kamer", "House of Representatives")])
    glossary.occurrences("warm")  # builds the index once, as a run does

    translate = timed(lambda: Translator(FixedLength(engine)).translate(source), args.repeat)
    confidence = timed(lambda: ConfidenceScorer(engine, engine).scores(pairs), args.repeat)
    terms = timed(lambda: [glossary.occurrences(s) for s in source], args.repeat)

    lines = [
        (
            f"bench_editor: {len(source)} sentences ({args.articles} articles), opus-mt-nl-en shapes, random weights, "
            f"{args.engine} on CPU, median of {args.repeat}"
        ),
        "",
        "| stage | seconds | ratio to translate |",
        "|---|---|---|",
        f"| translate (beam {getattr(engine.generation_config, 'num_beams', '?')}, pinned lengths) | {translate:.2f} | 1.00 |",
        f"| confidence (forward + backward scoring) | {confidence:.2f} | {confidence / translate:.3f} |",
        f"| glossary, 20,000 terms | {terms:.4f} | {terms / translate:.5f} |",
    ]
    print("\n".join(lines))
    if args.save:
        out = REPO / "bench" / "results" / f"editor-{args.engine}-{date.today().isoformat()}.txt"
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\nwritten to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
