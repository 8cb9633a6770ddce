"""Checks of the summary: `hallucination` (its numbers and names are in the translation), `summary-cut`,
and `repaired` (sentences the translator repaired from the n-best list)."""

from __future__ import annotations

from collections.abc import Mapping

from ..data import Check
from ..text.sentences import split_sentences
from .base import HALLUCINATION, REPAIRED, SUMMARY_CUT, excerpt, join_items
from .names import Target, contains_word, extract_names
from .numbers import extract_facts, number_keys


def check_summary(summary: str, translation: str, where: str = "summary") -> list[Check]:
    """Numbers and names of the English summary that the English translation does not contain."""
    warnings = []
    found = number_keys(translation)
    # Read once for every name of the summary (it was read whole again for each of them: quadratic in
    # the article, since a long article's summary has a sentence or so per chunk).
    read = Target(translation)
    for sentence in split_sentences(summary, "en") if summary.strip() else []:
        facts = [fact.text for fact in extract_facts(sentence, "en") if not fact.keys & found]
        names = [name for name in extract_names(sentence, "en") if not _summary_name_found(name, read)]
        items = list(dict.fromkeys(facts + names))
        if items:
            verb = "is" if len(items) == 1 else "are"
            message = f"summary {excerpt(sentence)}: {join_items(items)} {verb} not in the translation"
            message += " (possible hallucination)"
            warnings.append(Check(HALLUCINATION, False, message, where))
    return warnings


def _summary_name_found(name: str, translation: Target) -> bool:
    candidates = [name]
    if name.endswith(("'s", "’s")):
        candidates.append(name[:-2])
    return any(contains_word(translation, candidate) for candidate in candidates) or (
        "-" in name and all(contains_word(translation, part) for part in name.split("-") if part[:1].isupper())
    )



def check_summary_cut(summary_cut: bool) -> list[Check]:
    """One `summary-cut` warning when the summary of the article, or of one of its chunks, ended
    before its first sentence did (`Summary.cut`)."""
    message = (
        "a summary sentence is incomplete: the summarizer stopped before its end (at the model's length limit, "
        "even when decoded again with more room, on a number cut short, or without final punctuation); "
        "it keeps its whole words and ends in …"
    )
    return [Check(SUMMARY_CUT, False, message, "summary_en")] if summary_cut else []


def check_repaired(pairs: list[tuple[str, str, str]], repaired: Mapping[str, tuple[str, str]]) -> list[Check]:
    """One `repaired` warning per sentence whose translation the n-best repair replaced, naming the first one."""
    return [
        Check(REPAIRED, False, f"{excerpt(source)}: {repaired[source][1]}; replaced “{excerpt(repaired[source][0])}”", where)
        for where, source, _ in pairs
        if source in repaired
    ]
