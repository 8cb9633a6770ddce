"""What the fixture builders share: paths, the seed article's location, model limits, offline settings."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
MARIAN_DIR = FIXTURES / "tiny-marian-copy"
BART_DIR = FIXTURES / "tiny-bart-lead"
SEED_NAME = "000_5456f33a95982729.txt"
SEED_CANDIDATES = [
    REPO / "seeds" / SEED_NAME,
    REPO / "shared" / "seeds" / SEED_NAME,
    Path("/work/shared/seeds") / SEED_NAME,
]

MARIAN_MAX_POS = 128
BART_MAX_POS = 256
