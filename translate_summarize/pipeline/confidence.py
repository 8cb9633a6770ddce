"""A confidence for every translated sentence, the least confident marked, and re-ranked from the beam.

The number is the dual conditional cross-entropy of Junczys-Dowmunt (WMT 2018, "Dual conditional
cross-entropy filtering of noisy parallel corpora"): with H_fwd the translation model's cross-entropy
of the English given the Dutch and H_bwd the back-translation model's of the Dutch given the English
(each the negative mean log-probability per subword token, end token included, `Seq2SeqEngine.score`),

    confidence = exp(-(|H_fwd - H_bwd| + (H_fwd + H_bwd) / 2))

in (0, 1]: high when both models find the pair likely and agree. It is **not** a calibrated
probability that the sentence is right: it ranks the sentences of one article for one pair of models,
and where to draw the line depends on the models, so the thresholds are settings
(`ConfidenceOptions`; their defaults are a first guess for opus-mt, to be tuned on real output).

A sentence is marked low-confidence when it is below `floor`, or, in an article of at least
`min_sentences` translated sentences, below `relative` times the article's median. A marked sentence is
decoded again for the beam's n-best list (`Translator.alternatives`: hypotheses that keep every number,
name and glossary term), each is scored the same way, and the most confident replaces it when it beats
the first translation (n-best re-ranking; the `repaired` check says so and quotes the first one).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..engines.base import Seq2SeqEngine

# Sentences per `score` call: they are short; the batch bounds the memory of one forward pass.
SCORE_BATCH = 32


@dataclass(frozen=True)
class ConfidenceOptions:
    """When a sentence is marked (see the module doc). `floor`: marked below this confidence, whatever
    the article; `relative`: marked below this fraction of the article's median confidence, in an
    article of at least `min_sentences` translated sentences; `repair`: try the n-best list for a
    marked sentence."""

    floor: float = 0.2
    relative: float = 0.5
    min_sentences: int = 3
    repair: bool = True


def dual_confidence(forward: float, backward: float) -> float:
    """The confidence (0, 1] of a pair from the two mean log-probabilities (nats per token, <= 0)."""
    h_forward, h_backward = max(0.0, -forward), max(0.0, -backward)
    return math.exp(-(abs(h_forward - h_backward) + (h_forward + h_backward) / 2))


def low_confidence(confidences: Sequence[float | None], options: ConfidenceOptions) -> list[bool]:
    """Which of an article's sentences are marked (None: not translated, never marked)."""
    scored = [value for value in confidences if value is not None]
    median = statistics.median(scored) if len(scored) >= options.min_sentences else None
    return [
        value is not None and (value < options.floor or (median is not None and value < options.relative * median))
        for value in confidences
    ]


class ConfidenceScorer:
    """Scores (Dutch, English) pairs with the translation engine (`forward`: nl -> en) and the
    back-translation engine (`backward`: en -> nl); each distinct pair is scored once per scorer."""

    def __init__(self, forward: Seq2SeqEngine, backward: Seq2SeqEngine):
        self.forward = forward
        self.backward = backward
        self._known: dict[tuple[str, str], float] = {}

    @property
    def able(self) -> bool:
        """Whether both engines can score (an engine registered by a plugin may have no `score`)."""
        return callable(getattr(self.forward, "score", None)) and callable(getattr(self.backward, "score", None))

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float | None]:
        """One confidence per (source, target) pair; None where either side is empty, or for every
        pair where an engine cannot score (`able`)."""
        if not self.able:
            return [None] * len(pairs)
        todo = list(dict.fromkeys(pair for pair in pairs if pair[0].strip() and pair[1].strip() and pair not in self._known))
        todo.sort(key=lambda pair: len(pair[0]) + len(pair[1]))  # like lengths together: less padding
        for start in range(0, len(todo), SCORE_BATCH):
            batch = todo[start : start + SCORE_BATCH]
            sources = [source for source, _ in batch]
            targets = [target for _, target in batch]
            forward = self.forward.score(sources, targets)
            backward = self.backward.score(targets, sources)
            for pair, f, b in zip(batch, forward, backward):
                self._known[pair] = round(dual_confidence(f, b), 3)  # as JSON keeps it: a cached brief is the same
        return [self._known.get(pair) for pair in pairs]


@dataclass(frozen=True)
class Rescored:
    """A marked sentence's better translation: the text, its confidence, the first one's, and the
    hypothesis' place (1-based) among the `of` alternatives scored."""

    text: str
    confidence: float
    first: float
    rank: int
    of: int

    @property
    def why(self) -> str:
        return (
            f"its confidence {self.first:.2f} was among the lowest of the article; "
            f"beam hypothesis {self.rank} of {self.of} scores {self.confidence:.2f}"
        )


def rerank(
    scorer: ConfidenceScorer, current: dict[str, tuple[str, float]], alternatives: dict[str, list[str]]
) -> dict[str, Rescored]:
    """For each source sentence of `current` (source -> (translation, confidence)), the alternative
    of `alternatives` (source -> hypotheses, best-scoring first) with the highest confidence, where it
    is higher than the current one's."""
    pairs = [(source, text) for source, texts in alternatives.items() if source in current for text in texts]
    scored = dict(zip(pairs, scorer.scores(pairs)))
    better: dict[str, Rescored] = {}
    for source, texts in alternatives.items():
        if source not in current:
            continue
        first_text, first = current[source]
        ranked = [(scored.get((source, text)), rank, text) for rank, text in enumerate(texts, start=1)]
        candidates = [(value, rank, text) for value, rank, text in ranked if value is not None and text != first_text]
        if not candidates:
            continue
        value, rank, text = max(candidates, key=lambda item: (item[0], -item[1]))
        if value > first:
            better[source] = Rescored(text, value, first, rank, len(texts))
    return better


def measure_confidence(
    scorer: ConfidenceScorer,
    translator: Any,
    options: ConfidenceOptions,
    sources: Mapping[int, list[str]],
    translations: list[list[str]],
) -> dict[int, tuple[list[float | None], list[bool]]]:
    """(confidences, marks) of each article's sentences: `sources` maps an article's index to its
    source sentences, `translations[index]` holds their translations (same order). Marked sentences
    are first re-ranked from `translator.alternatives` (a `Translator`); a better hypothesis replaces
    the translation in `translations` and in the translator's memory, and is recorded in
    `translator.repaired` with why."""

    def measure() -> dict[int, tuple[list[float | None], list[bool]]]:
        values = {i: scorer.scores(list(zip(sentences, translations[i]))) for i, sentences in sources.items()}
        return {i: (values[i], low_confidence(values[i], options)) for i in sources}

    measured = measure()
    current = {
        sources[i][k]: (translations[i][k], value)
        for i in sources
        for k, (value, low) in enumerate(zip(*measured[i]))
        if low and value is not None
    }
    if not options.repair or not current:
        return measured
    better = rerank(scorer, current, translator.alternatives(list(current)))
    if not better:
        return measured
    for source, found in better.items():
        translator.repaired[source] = (current[source][0], found.why)
    if translator.memory is not None:
        translator.memory.store({source: found.text for source, found in better.items()})
    for i, sentences in sources.items():
        translations[i] = [better[s].text if s in better else t for s, t in zip(sentences, translations[i])]
    return measure()
