"""`check_brief`: every check over one brief, in the order and shape the renderers show them."""

from __future__ import annotations

from collections.abc import Mapping

from ..data import BlockKind, Brief, Check
from ..text.glossary import Glossary, credited
from ..text.sentences import split_sentences
from .base import (
    CONFIDENCE,
    DEFAULT_OPTIONS,
    DEGENERATE,
    GLOSSARY,
    HALLUCINATION,
    NAMES,
    NUMBERS,
    SUMMARY_CUT,
    UNTRANSLATED,
    CheckOptions,
    excerpt,
)
from .degenerate import check_degenerate, check_untranslated, degenerate_reason
from .editor import check_confidence, check_glossary
from .names import check_names, extract_names
from .numbers import check_numbers, extract_facts
from .summary import check_repaired, check_summary, check_summary_cut


def _pairs(brief: Brief) -> list[tuple[str, str, str]]:
    """(where, source, target) for every sentence of the article, in order."""
    pairs = []
    paragraph = heading = item = 0
    for block in brief.blocks:
        if block.kind is BlockKind.TITLE:
            label = "title"
        elif block.kind is BlockKind.SUBHEADING:
            heading += 1
            label = f"heading {heading}"
        elif block.kind is BlockKind.LIST_ITEM:
            item += 1
            label = f"list item {item}"
        else:
            paragraph += 1
            label = f"paragraph {paragraph}"
        for index, pair in enumerate(block.sentences, start=1):
            where = label if block.kind.is_heading else f"{label}, sentence {index}"
            pairs.append((where, pair.source, pair.target))
    return pairs


def _cap(kind: str, warnings: list[Check], limit: int) -> list[Check]:
    if len(warnings) <= limit:
        return warnings
    rest = warnings[limit - 1 :]
    places = "; ".join(check.where for check in rest[:3] if check.where)
    more = f" ({places}; …)" if places else ""
    return warnings[: limit - 1] + [
        Check(kind, False, f"{len(rest)} more sentences have the same problem{more}", rest[0].where)
    ]


def _ok_message(kind: str, count: int) -> str:
    if kind == NUMBERS:
        if not count:
            return "the source has no numbers, amounts or dates to check"
        return f"all {count} numbers, amounts and dates of the source are in the translation" if count > 1 else (
            "the one number, amount or date of the source is in the translation"
        )
    if kind == NAMES:
        if not count:
            return "the source has no names to check"
        return f"all {count} names of the source are in the translation" if count > 1 else (
            "the one name of the source is in the translation"
        )
    return {
        HALLUCINATION: "every number and name of the summary is in the translation",
        DEGENERATE: "no empty, looping, far too long or too short translations",
        UNTRANSLATED: "no sentence was left untranslated",
        SUMMARY_CUT: "the summary ends with a complete sentence",
    }[kind]


def check_brief(
    brief: Brief,
    *,
    options: CheckOptions = DEFAULT_OPTIONS,
    flagged: Mapping[str, str] | None = None,
    summary_cut: bool = False,
    repaired: Mapping[str, tuple[str, str]] | None = None,
    glossary: Glossary | None = None,
    honoured_by: Mapping[str, str] | None = None,
    summary_chosen: tuple[str, ...] = (),
) -> tuple[Check, ...]:
    """All checks for one brief: warnings first-come per kind, one `ok` record per kind that found nothing.

    `flagged` maps source sentences the translator had to re-generate to the reason (the union of
    `Translator.flagged` of the translator and the back-translator is fine: unknown sentences are ignored).
    `summary_cut`: the summarizer stopped at its length limit with no complete sentence (`Summary.cut`).
    `repaired` maps source sentences to (first translation, why it was replaced) from the translator's
    n-best repair (`Translator.repaired`); each becomes a `repaired` warning. `glossary` (the run's,
    for a translated article) adds the `glossary` check, `honoured_by` counting how its terms were
    honoured (`Translator.honoured_by`); a glossary term's English counts as its Dutch in the names
    check. `summary_chosen`: notes of chunk summaries chosen from the beam for their facts
    (`Summary.chosen`), said in the hallucination check. Translated articles get the `confidence` check.
    """
    language = brief.article.language
    english_input = language == "en"
    pairs = _pairs(brief)
    translation = " ".join(target for _, _, target in pairs)
    results: list[Check] = []

    def add(kind: str, enabled: bool, run, count: int | None = None) -> None:
        if not enabled:
            return
        warnings = run()
        if warnings:
            results.extend(_cap(kind, warnings, options.max_warnings_per_kind))
        else:
            results.append(Check(kind, True, _ok_message(kind, count or 0)))

    checked = not english_input
    # What a glossary term's English honours counts as its Dutch for the numbers and names checks.
    named = [(where, source, credited(glossary, source, target)) for where, source, target in pairs] if glossary else pairs
    add(
        NUMBERS,
        options.numbers and checked,
        lambda: check_numbers(named, language),
        sum(len(extract_facts(source, language)) for _, source, _ in pairs),
    )
    add(
        NAMES,
        options.names and checked,
        lambda: check_names(named, language),
        sum(len(extract_names(source, language)) for _, source, _ in pairs),
    )
    if brief.summary_of and options.hallucination:  # a story's shared summary: its facts are its lead's
        results.append(Check(HALLUCINATION, True, f"the summary is {brief.summary_of}'s, checked against that article"))
    else:
        add(HALLUCINATION, options.hallucination, lambda: check_summary(brief.summary_en, translation, "summary_en"))
        if summary_chosen and results and results[-1].name == HALLUCINATION and results[-1].ok:
            results[-1] = Check(HALLUCINATION, True, f"{results[-1].message}; " + "; ".join(summary_chosen))

    def degenerate() -> list[Check]:
        warnings = check_degenerate(pairs if checked else [], options, flagged)
        # The Dutch summary is a translation of the English one: it can loop or come back empty too.
        if brief.summary_en.strip():
            reason = degenerate_reason(
                brief.summary_en,
                brief.summary_nl,
                min_ratio=options.min_length_ratio,
                max_ratio=options.max_length_ratio,
            )
            if reason:
                message = f"Dutch summary {excerpt(brief.summary_nl or brief.summary_en)}: {reason}"
                warnings.append(Check(DEGENERATE, False, message, "summary_nl"))
        summary_sentences = split_sentences(brief.summary_en, "en") if flagged and brief.summary_en.strip() else []
        flagged_summary = [sentence for sentence in summary_sentences if sentence in flagged]
        for sentence in flagged_summary:
            warnings.append(
                Check(
                    DEGENERATE,
                    False,
                    f"{excerpt(sentence)}: its first Dutch translation {flagged[sentence]}; it was translated again "
                    "with safer settings, check it",
                    "summary_nl",
                )
            )
        return warnings

    add(DEGENERATE, options.degenerate, degenerate)
    add(UNTRANSLATED, options.untranslated and checked, lambda: check_untranslated(pairs))
    add(SUMMARY_CUT, True, lambda: check_summary_cut(summary_cut))
    if checked:
        for kind, (warnings, ok) in [
            *([(GLOSSARY, check_glossary(pairs, glossary, honoured_by))] if glossary is not None else []),
            (CONFIDENCE, check_confidence(pairs, brief)),
        ]:
            results.extend(_cap(kind, warnings, options.max_warnings_per_kind) if warnings else [Check(kind, True, ok)])
    results.extend(check_repaired(pairs, repaired or {}))
    return tuple(results)
