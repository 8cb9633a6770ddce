"""Test doubles shared by the test modules: engines that need no model, and an engine wrapper.

Each implements `engine.Seq2SeqEngine` (words count as tokens) and records what it was asked.
"""

from __future__ import annotations

from dataclasses import replace

from translate_summarize.engines.base import Generated, Hypothesis


class UpperEngine:
    """'Translates' by upper-casing; records every call as (texts, overrides)."""

    name = "fake"

    def __init__(self, limit: int = 64):
        self.max_input_tokens = limit
        self.default_max_length = 512
        self.calls: list[tuple[list[str], dict]] = []

    @property
    def texts(self) -> list[str]:
        """Every text it was asked to generate from, in order."""
        return [text for texts, _ in self.calls for text in texts]

    def count_tokens(self, texts):
        return [len(text.split()) + 1 for text in texts]

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        self.calls.append((list(texts), overrides))
        return [Generated(text.upper(), len(text.split()) + 1, len(text.split()) + 1) for text in texts]


class LoopingEngine:
    """Loops on a sentence with "nee" at first; answers `fixed` when called with the safer settings."""

    name = "fake"
    max_input_tokens = 64
    default_max_length = 64

    class generation_config:  # noqa: N801 - mimics the HF attribute
        num_beams = 4

    def __init__(self, fixed="He said no."):
        self.fixed = fixed
        self.calls: list[dict] = []

    def count_tokens(self, texts):
        return [len(text.split()) + 1 for text in texts]

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        self.calls.append(overrides)
        safer = "no_repeat_ngram_size" in overrides
        out = []
        for text in texts:
            if "nee" in text.lower():
                result = self.fixed if safer else "No, no, no, no, no, no, no, no."
            else:
                result = text.upper()
            out.append(Generated(result, 3, 3))
        return out


class NBestEngine:
    """Copies its input, but its best hypothesis drops the digits "3,5"; the second keeps them."""

    name = "double"
    max_input_tokens = 512
    default_max_length = 512

    class generation_config:  # noqa: N801
        num_beams = 4

    def __init__(self):
        self.calls: list[int] = []  # num_hypotheses of each call

    def count_tokens(self, texts):
        return [len(text.split()) + 1 for text in texts]

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        self.calls.append(num_hypotheses)
        out = []
        for text in texts:
            dropped = text.replace("3,5", "5")
            hypotheses = (Hypothesis(dropped, -0.1), Hypothesis(text, -0.4), Hypothesis(text + " " + text, -0.9))
            out.append(Generated(dropped, 9, 9, True, hypotheses[:num_hypotheses] if num_hypotheses > 1 else ()))
        return out


class BeamSummaryEngine:
    """Summarizes from a script: a source text that contains a key of `beams` gets that key's summaries
    as its beam, best first (scores -0.1, -0.2, ...); any other text is copied. The first summary is
    `text`; the n-best list comes with `num_hypotheses` > 1 (at most `num_beams`). A first summary
    without final punctuation stopped at the length limit (`finished` False). Words count as tokens;
    every call is recorded as (texts, num_hypotheses, overrides)."""

    name = "double"
    default_max_length = 64

    class generation_config:  # noqa: N801 - mimics the HF attribute
        num_beams = 4
        min_length = 0

    def __init__(self, beams: dict[str, list[str]], limit: int = 512):
        self.beams = beams
        self.max_input_tokens = limit
        self.calls: list[tuple[list[str], int, dict]] = []

    def count_tokens(self, texts):
        return [len(text.split()) + 1 for text in texts]

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        self.calls.append((list(texts), num_hypotheses, overrides))
        n = min(num_hypotheses, overrides.get("num_beams") or self.generation_config.num_beams)
        out = []
        for text in texts:
            beam = next((summaries for key, summaries in self.beams.items() if key in text), [text])
            hypotheses = tuple(Hypothesis(summary, -0.1 * (k + 1)) for k, summary in enumerate(beam[:n]))
            finished = beam[0].rstrip().endswith((".", "!", "?"))
            tokens = len(beam[0].split()) + 1
            out.append(Generated(beam[0], len(text.split()) + 1, tokens, finished, hypotheses if n > 1 else ()))
        return out


class DropFromBest:
    """Wraps a real engine: its best hypothesis loses `lost` (e.g. "2021"), or says `instead` in its
    place (e.g. "54" for "45"), as a model might; the real n-best list follows it."""

    def __init__(self, engine, lost: str, instead: str = ""):
        self.engine = engine
        self.lost = lost
        self.instead = instead

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        out = []
        for result in self.engine.generate(texts, num_hypotheses=num_hypotheses, **overrides):
            broken = result.text.replace(self.lost, self.instead)
            hypotheses = result.hypotheses
            if hypotheses:
                hypotheses = (Hypothesis(broken, hypotheses[0].score + 1.0), *hypotheses)
            out.append(replace(result, text=broken, hypotheses=hypotheses))
        return out


class ScoringEngine(BeamSummaryEngine):
    """`BeamSummaryEngine` that also scores (`Seq2SeqEngine.score`): the mean log-probability of a pair
    is `log_probs[english]` for the English side of the pair (the target when it translates nl -> en,
    the source when it scores back en -> nl), else `default`. Every scored pair is recorded."""

    def __init__(self, beams: dict[str, list[str]] | None = None, log_probs: dict[str, float] | None = None, default: float = -0.1):
        super().__init__(beams or {})
        self.log_probs = log_probs or {}
        self.default = default
        self.scored: list[tuple[str, str]] = []

    def score(self, sources, targets):
        self.scored += list(zip(sources, targets))
        return [self.log_probs.get(target, self.log_probs.get(source, self.default)) for source, target in zip(sources, targets)]
