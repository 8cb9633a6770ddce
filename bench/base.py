"""What every part of the benchmark shares: paths, the real model shapes, forced lengths, run state."""

from __future__ import annotations

import os
import resource
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODELS = REPO / "bench" / "models"
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE = REPO / "seeds" / "000_5456f33a95982729.txt"
EVAL_PAIRS = REPO / "translate_summarize" / "eval" / "data" / "nl_en_news.tsv"
MARIAN_DIR = MODELS / "opus-mt-nl-en-shapes"
BART_DIR = MODELS / "distilbart-cnn-12-6-shapes"

MARIAN_VOCAB = 67_028
BART_VOCAB = 50_264
LENGTH_RATIO = 1.2
SUMMARY_TOKENS = 100
BEAMS = 4
BACK_TRANSLATION_SOURCE_TOKENS = 100  # what a 100-token English summary is, roughly, to the en->nl model
BENCH_MODELS_LAYOUT = 2  # bump when the model building below changes

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# Decoded tokens (sequences x steps, beams aside) of the current stage: the work each path really did.
DECODED = [0]
# Where the models run: "cpu" (the 2-core box) or "cuda" (python bench/run.py --device cuda).
DEVICE = "cpu"
