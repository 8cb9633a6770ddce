"""Checks of the summary: `hallucination` (its numbers and names are in the translation), `summary-cut`,
and `repaired` (sentences the translator repaired from the n-best list).

`unsupported` is the hallucination check's test on its own: the summarizer uses it to choose, among a
chunk summary's beam hypotheses, one whose facts are all in its chunk (`pipeline.summarize`)."""

from __future__ import annotations

from collections.abc import Mapping

from ..data import Check
from ..text.sentences import split_sentences
from .base import HALLUCINATION, REPAIRED, SUMMARY_CUT, excerpt, join_items
from .names import Target, contains_word, extract_names
from .numbers import extract_facts, number_keys


def unsupported(summary: str, source: str) -> list[str]:
    """Numbers, amounts, dates and names of `summary` (English text) that `source` (the English text it was
    made from) does not contain, as `summary` writes them, each once, in order; [] for an empty summary.

    The `hallucination` check's own tests (`check_summary` flags a summary sentence exactly when this
    finds something in it), so a summary chosen for having none passes that check. Never raises.
    """
    found, read = number_keys(source), Target(source)
    items = [item for sentence in _sentences(summary) for item in _unsupported_in(sentence, found, read)]
    return list(dict.fromkeys(items))


def check_summary(summary: str, translation: str, where: str = "summary") -> list[Check]:
    """Numbers and names of the English summary that the English translation does not contain: one
    `hallucination` warning per summary sentence that has any (`unsupported`)."""
    warnings = []
    found = number_keys(translation)
    # Read once for every name of the summary (it was read whole again for each of them: quadratic in
    # the article, since a long article's summary has a sentence or so per chunk).
    read = Target(translation)
    for sentence in _sentences(summary):
        items = _unsupported_in(sentence, found, read)
        if items:
            verb = "is" if len(items) == 1 else "are"
            message = f"summary {excerpt(sentence)}: {join_items(items)} {verb} not in the translation"
            message += " (possible hallucination)"
            warnings.append(Check(HALLUCINATION, False, message, where))
    return warnings


def _sentences(summary: str) -> list[str]:
    return split_sentences(summary, "en") if summary.strip() else []


def _unsupported_in(sentence: str, found: set[str], read: Target) -> list[str]:
    """Numbers (no key of theirs in `found`, the source's `number_keys`) and names (not in `read`) of one
    summary sentence, each once, in order."""
    facts = [fact.text for fact in extract_facts(sentence, "en") if not fact.keys & found]
    names = [name for name in extract_names(sentence, "en") if not _summary_name_found(name, read)]
    return list(dict.fromkeys(facts + names))


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
