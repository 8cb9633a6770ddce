"""What every seq2seq engine shares: the `Seq2SeqEngine` protocol and its `Generated` results.

Translation and summary code sees only this interface, never torch or ctranslate2. An engine takes a
batch of source texts (strings) and gives one `Generated` per text, in order; token counts are the
model's own subword tokens. Imports nothing from the rest of the package but `errors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

# Tokenizers report a huge sentinel when a model has no length limit of its own.
_NO_LIMIT = 1_000_000


@dataclass(frozen=True)
class Hypothesis:
    """One entry of a beam's n-best list: decoded text and the engine's length-normalised log-probability."""

    text: str
    score: float


@dataclass(frozen=True)
class Generated:
    """One input's output. `text` is the best hypothesis; token counts include the end token.

    `finished` is False when decoding stopped at the length limit instead of at the end token (the
    text may then end mid-sentence or mid-word). `hypotheses` is the n-best list, best first, when
    `generate(..., num_hypotheses=n)` asked for it; else empty. It may hold fewer than n where the beam
    reached the length limit (CTranslate2: several last tokens of one beam there are one hypothesis).
    """

    text: str
    input_tokens: int
    output_tokens: int
    finished: bool = True
    hypotheses: tuple[Hypothesis, ...] = ()

    @property
    def texts(self) -> list[str]:
        """`text`, then the n-best list's texts by score, best first: each stripped, each once."""
        ranked = sorted(self.hypotheses, key=lambda hypothesis: hypothesis.score, reverse=True)
        return list(dict.fromkeys([self.text.strip(), *(hypothesis.text.strip() for hypothesis in ranked)]))


class Seq2SeqEngine(Protocol):
    name: str
    max_input_tokens: int
    default_max_length: int

    def count_tokens(self, texts: list[str]) -> list[int]: ...

    def generate(self, texts: list[str], *, num_hypotheses: int = 1, **overrides: Any) -> list[Generated]: ...

    def score(self, sources: list[str], targets: list[str]) -> list[float]: ...


def mean_log_prob(log_probs: list[float]) -> float:
    """The length-normalised log-probability of a target: the mean of its tokens' log-probabilities
    (natural log, end token included); 0.0 for no tokens."""
    return sum(log_probs) / len(log_probs) if log_probs else 0.0


REPLACEMENT_CHARACTER = "\ufffd"


def clean_decoded(text: str, source: str) -> str:
    """Decoded model output without U+FFFD the source did not have.

    Byte-level tokenizers (BART's BPE, sentencepiece byte fallback) decode a sequence cut inside a
    multi-byte UTF-8 character, or an invalid byte run the model made up, as U+FFFD; such a partial
    character is dropped rather than written into a brief.
    """
    text = text.strip()
    if REPLACEMENT_CHARACTER in text and REPLACEMENT_CHARACTER not in source:
        text = re.sub(r"[ \t]{2,}", " ", text.replace(REPLACEMENT_CHARACTER, "")).strip()
    return text


def input_limit(tokenizer: Any, config: Any) -> int:
    """The longest input the model was built for: the tighter of the tokenizer's and the positions'."""
    limits = [getattr(config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None)]
    usable = [int(limit) for limit in limits if limit and int(limit) < _NO_LIMIT]
    return min(usable) if usable else 512


