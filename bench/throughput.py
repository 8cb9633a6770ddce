"""The throughput worker: N articles through `brief`'s own `Run`, one at a time or several together.

Real model shapes, random weights (`shapes.py`). Random weights never stop early, so, as in the
per-stage rows of `run.py`, output lengths are pinned (`inputs.FixedLength`): a translation is
ceil(1.2 x its source tokens), each sentence ending at its own length as in a real CTranslate2 batch;
a summary chunk is 100 tokens. What the engine returns as text is a stand-in: a translation is its
source, a chunk summary is the chunk's leading sentences worth about 100 tokens (what the back-
translation then gets, as it would from a real 100-token summary). Without the pinning, every sentence
ran to opus-mt's 512-token limit and was then retried and repaired, which no trained model does, and
the run measured that instead of batching (60 s an article, bench/results/throughput-cpu-2026-11-30.txt).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import base
from base import BACK_TRANSLATION_SOURCE_TOKENS, BART_DIR, MARIAN_DIR, SUMMARY_TOKENS, peak_rss_mb
from inputs import FixedLength, _fillers_and_ends
from workers import edited_copies


class StandInSummary(FixedLength):
    """`FixedLength(fixed=SUMMARY_TOKENS)` whose text is the chunk's first sentences worth ~100 tokens."""

    def __init__(self, engine):
        super().__init__(engine, fixed=SUMMARY_TOKENS)

    def generate(self, texts, **overrides):
        from translate_summarize.text.sentences import split_sentences

        results = super().generate(texts, **overrides)
        out = []
        for result, text in zip(results, texts):
            sentences = split_sentences(text, "en")
            lengths = self.engine.count_tokens(sentences)
            chosen, total = [], 0
            for sentence, length in zip(sentences, lengths):
                if total >= BACK_TRANSLATION_SOURCE_TOKENS:
                    break
                chosen.append(sentence)
                total += length
            out.append(replace(result, text=" ".join(chosen)))
        return out


def pinned_briefer(options, articles_at_once: int):
    """A `Briefer` whose engines decode the bench's pinned lengths (see module doc)."""
    from translate_summarize.pipeline.briefer import Briefer

    briefer = Briefer(options, articles_at_once=articles_at_once)
    load = briefer._engine

    def engine(spec, workers=None):
        loaded = load(spec, workers=workers)
        if spec.role == "summarization":
            return StandInSummary(loaded)
        rows_finish = hasattr(loaded, "run_batch")  # CTranslate2 drops an ended sentence from its batch
        wrapped = FixedLength(loaded, rows_finish=rows_finish)
        if rows_finish:
            wrapped._rows = _fillers_and_ends(loaded)  # once, outside the timed work
        return wrapped

    briefer._engine = engine
    return briefer


def throughput_worker(count: int, batch: int) -> dict:
    """`count` edited copies of the sample through `Run`, `batch` articles at a time (1: one at a
    time), translation memory off so every sentence is decoded; models loaded before the clock starts."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")  # the same `Briefed` time in both runs' briefs
    from translate_summarize.run.options import RunSettings
    from translate_summarize.run.runner import Run
    from translate_summarize.settings import resolve

    work = Path(tempfile.mkdtemp(prefix="brief-bench-throughput-"))
    try:
        inputs = edited_copies(work / "in", count)
        given = {"translation_model": str(MARIAN_DIR), "summarization_model": str(BART_DIR), "back_translation_model": str(MARIAN_DIR)}
        options = resolve({**given, "device": base.DEVICE, "translation_memory": False, "batch_articles": batch}).brief_options()
        briefer = pinned_briefer(options, batch)
        began = time.perf_counter()
        _ = briefer.translator, briefer.summarizer, briefer.back_translator
        load_s = time.perf_counter() - began
        settings = RunSettings(out_dir=work / "out", format="markdown", batch_articles=batch, brief=options)
        with open(os.devnull, "wb") as sink:
            began = time.perf_counter()
            report = Run(settings, briefer).execute(inputs, sink)
            seconds = time.perf_counter() - began
        outputs = hashlib.sha256(b"".join(path.read_bytes() for path in sorted((work / "out").glob("*.md")))).hexdigest()
        return {"config": f"throughput-{batch}", "engine": options.engine, "batch": batch, "load_s": load_s,
                "seconds": seconds, "made": report.made, "failed": len(report.failures), "outputs_sha256": outputs,
                "peak_rss_mb": peak_rss_mb(), "load_average": os.getloadavg()[0]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
