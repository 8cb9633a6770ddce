"""The checks of what the editor controls: `glossary` (every term honoured) and `confidence` (the
sentences the models are least sure of, marked for the reader).

Both read what the pipeline already decided: the glossary's occurrences in each Dutch sentence
(`text/glossary.py`) against its English, and each sentence's `SentencePair.confidence` and
`low_confidence` (`pipeline/confidence.py`).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping

from ..data import Brief, Check
from ..text.glossary import Glossary, unhonoured
from .base import CONFIDENCE, GLOSSARY, excerpt, join_items


def check_glossary(
    pairs: list[tuple[str, str, str]], glossary: Glossary, honoured_by: Mapping[str, str] | None = None
) -> tuple[list[Check], str]:
    """(warnings, ok message): one warning per sentence with a glossary term its English does not
    honour, naming the terms and the English each needs; the ok message counts the terms and how
    many needed the n-best list or a placeholder (`Translator.honoured_by`)."""
    warnings, total, ways = [], 0, {"n-best": 0, "placeholder": 0}
    for where, source, target in pairs:
        occurrences = glossary.occurrences(source)
        total += len(occurrences)
        missing = unhonoured(occurrences, target)
        if missing:
            terms = join_items([f"‘{o.text}’ as ‘{o.english}’" for o in missing])
            warnings.append(Check(GLOSSARY, False, f"{excerpt(source)}: the glossary wants {terms}; the translation does not say so", where))
        elif occurrences and (honoured_by or {}).get(source) in ways:
            ways[(honoured_by or {})[source]] += len(occurrences)
    if not total:
        terms = f"{len(glossary)} term{'s' if len(glossary) != 1 else ''}"
        return warnings, f"the article has no term of the glossary {glossary.name} ({terms})"
    how = [f"{n} chosen from the beam" if way == "n-best" else f"{n} put in through a placeholder" for way, n in ways.items() if n]
    said = f" ({join_items(how)})" if how else ""
    return warnings, f"all {total} glossary term{'s' if total != 1 else ''} of the article are honoured{said}"


def check_confidence(pairs: list[tuple[str, str, str]], brief: Brief) -> tuple[list[Check], str]:
    """(warnings, ok message): one warning per low-confidence sentence (`SentencePair.low_confidence`),
    with its confidence and the article's median."""
    sentences = [pair for block in brief.blocks for pair in block.sentences]
    values = [pair.confidence for pair in sentences if pair.confidence is not None]
    if not values:
        return [], "no sentence was translated, so none has a confidence"
    median = statistics.median(values)
    warnings = [
        Check(
            CONFIDENCE,
            False,
            f"{excerpt(source)}: confidence {pair.confidence:.2f} (the article's median is {median:.2f}); check this sentence",
            where,
        )
        for (where, source, _), pair in zip(pairs, sentences)
        if pair.low_confidence and pair.confidence is not None
    ]
    return warnings, f"no sentence stands out as one to check (lowest confidence {min(values):.2f}, median {median:.2f})"
