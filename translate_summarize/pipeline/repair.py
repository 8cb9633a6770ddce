"""Repair from the n-best list: when a translation loses a number or a name, look further down the beam.

Beam search keeps several hypotheses; the best-scoring one is not always the most faithful. A
translation that drops "3,5" or "Peking" often has a slightly lower-scoring sibling in the same beam
that keeps it. `Translator` asks the engine for the n-best list of such a piece only (both engines
return it: `generate(..., num_hypotheses=n)`), and `choose_hypothesis` takes the best-scoring
hypothesis that keeps every number and name of the source and is not degenerate. The checks then
record that the sentence was repaired, and what it first said (`checks.check_repaired`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..checks.degenerate import degenerate_reason
from ..checks.names import missing_names
from ..checks.numbers import missing_numbers
from ..engines.base import Hypothesis
from ..text.glossary import Glossary, credited


def lost_facts(source: str, target: str, source_language: str = "nl", glossary: Glossary | None = None) -> list[str]:
    """Numbers (as the source wrote them) and names of `source` that `target` lacks; [] for empty output.

    The same tests as the `numbers` and `names` checks, so a repaired sentence passes them: with a
    `glossary`, a term whose English `target` has counts as there (`text.glossary.credited`).
    """
    if not target.strip():
        return []  # empty output is the degenerate retry's job
    if glossary is not None:
        target = credited(glossary, source, target)
    numbers = [fact.text for fact in missing_numbers(source, target, source_language)]
    return list(dict.fromkeys(numbers + missing_names(source, target, source_language)))


def choose_hypothesis(
    source: str,
    hypotheses: Sequence[Hypothesis],
    source_language: str = "nl",
    accept: Callable[[str], bool] | None = None,
    glossary: Glossary | None = None,
) -> tuple[int, str] | None:
    """(rank, text) of the best-scoring hypothesis that keeps every number and name, or None.

    `rank` is the hypothesis' 0-based place in the list sorted by score, best first. Hypotheses that
    are empty, loop or are far too long or short (`checks.degenerate_reason`) are passed over, and
    so are those `accept` (when given: e.g. "honours the glossary") says no to. `glossary`: as
    `lost_facts` reads it.
    """
    ranked = sorted(hypotheses, key=lambda hypothesis: hypothesis.score, reverse=True)
    for rank, hypothesis in enumerate(ranked):
        text = hypothesis.text.strip()
        if (
            text
            and degenerate_reason(source, text) is None
            and not lost_facts(source, text, source_language, glossary)
            and (accept is None or accept(text))
        ):
            return rank, text
    return None
