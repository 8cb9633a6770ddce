"""Sentence splitting, kept apart from translation (as argos-translate does).

A sentence unit is what one translation call gets: two sentences sent together are where MarianMT drops
text (marian-nmt #389), one sentence cut in two loses its meaning. Every unit is a slice of the paragraph,
so joining the units with the whitespace between them gives the paragraph back.

How a boundary is found:

1. Candidates: the sentence starts pysbd proposes, plus every run of sentence-final punctuation (``.``,
   ``!``, ``?``, ``…``, ``...``) followed by closing quotes or brackets (’ ” » ' " ) ]) and whitespace:
   pysbd misses ``zei: ‘We gaan door.’ Daarna``, ``riep: «Eindelijk!» De`` and ``stil… Toen``.
2. Each candidate is a boundary only when the next word starts a sentence (a capital, a digit, an
   opening quote, ’s/’t) and the text before it ends one. A final period after a known abbreviation
   ends a sentence only before a capital, and not even then for abbreviations that stand before names
   and numbers (``Ajax vs. PSV``, ``Gem. Rotterdam``, ``afb. 3``, ``wo. 3 maart``, ``m.n. drie``).

The abbreviation lexicon is the Dutch list pysbd ships (1,656 entries, pysbd.lang.dutch, ported from
pragmatic_segmenter's dutch.rb, the same list spaCy's Dutch tokenizer exceptions copy), plus the few
news abbreviations it lacks (`NEWS_ABBREVIATIONS`). bench/splitters.py compares this splitter with
pysbd alone, sentencex and spaCy's sentencizer on tests/data/nl_sentences_gold.txt.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
from pysbd.lang.dutch import Dutch

# Abbreviations Dutch news uses that pysbd's (mostly legal) Dutch list lacks.
NEWS_ABBREVIATIONS = frozenset(
    """
    afb mevr mw ds burg wethr weth kon mld mln mrd incl excl ong z.g.n tel jr sr m.u.v v.d km cm mm ml
    ha pt ct sec tv ned herv ma di wo do vr za zo jan feb mrt apr jun jul aug sep sept okt nov dec
    """.split()
)
# Titles and words that stand before a name: a capital after them never starts a new sentence.
PREPOSITIVE = frozenset(
    """
    dhr mevr mw mr dr drs ir ing prof ds mgr st burg wethr weth vs bijv bv zgn z.g.n vgl
    """.split()
)
# Before a name when written with a capital (Gem. Rotterdam, Prov. Utrecht, Ned. Herv. Kerk, Kon.
# Philips), or lowercase when no number precedes them (min. De Jonge, but 5 min. De rest …).
CAPITALISED_PREPOSITIVE = frozenset("gem prov min ned herv kon univ".split())
# Abbreviations that close enumerations and dates, so they may end a sentence before a capital.
SENTENCE_FINAL = frozenset("enz etc e.a e.d e.v e.o c.s jl j.l a.s m.m".split())
MONTHS = frozenset("jan feb mrt apr jun jul aug sep sept okt nov dec".split())


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Lowercase abbreviations without their final period: pysbd's Dutch lexicon + `NEWS_ABBREVIATIONS`."""
    lexicon = {entry.lower() for entry in Dutch.Abbreviation.ABBREVIATIONS if " " not in entry}
    return frozenset(lexicon | NEWS_ABBREVIATIONS | PREPOSITIVE | CAPITALISED_PREPOSITIVE | SENTENCE_FINAL)


_CLOSERS = "’”»\"')]"
_OPENERS = "‘“«\"'(["
# Sentence-final punctuation and the closing quotes/brackets after it, then whitespace.
_TERMINATOR = re.compile(r"(?:[.!?]+|…)[’”»\"')\]]*(?=\s)")
_LAST_WORD = re.compile(r"(?:^|[\s(‘“'\"«])(?P<word>[^\W\d_][\w.&]*?)\.$")
_AFTER_NUMBER = re.compile(r"\d[\d.,]*\s+\S+\.$")
# Letter-period chains are abbreviations whether or not the lexicon has them: t.h.v., m.b.t., o.i.d.
_LETTER_CHAIN = re.compile(r"^[a-z](?:\.[a-z])+$")
# "1. Denemarken, 2. Finland": a list number after a colon, comma or semicolon, not a sentence end.
_LIST_NUMBER = re.compile(r"(?:[:;,]\s+|^)\d{1,2}\.$")
_INITIALS = re.compile(r"(?:^|[\s(‘“'\"«])(?:[A-Z]\.)*[A-Z]\.$")
_ELISION = re.compile(r"^[’'][stn](?:[\s-]|$)")
_YEAR = re.compile(r"^\d{2,4}\b")
# A unit that starts with closing punctuation continues the one before: ‘Is dit het einde?’, vroeg hij.
# Straight quotes are closing only when no word follows them at once ("We … opens a quote).
_CONTINUES = re.compile(r"^(?:[”»)\]},;:]|’(?![stn]\b)|[\"'](?=[\s,.;:!?]|$))")


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def starts_sentence(after: str) -> bool:
    """Whether text can start a sentence: a capital or digit, after any opening quotes; or ’s / ’t."""
    after = after.lstrip()
    if _ELISION.match(after):
        return True
    stripped = after.lstrip(_OPENERS + " ")
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def _abbreviation_boundary(word: str, after: str, before: str) -> bool:
    """Whether a period after the abbreviation `word` (as written, no final period) ends `before`."""
    key = word.lower()
    if key in SENTENCE_FINAL:
        return starts_sentence(after)
    if after[:1].isdigit():
        return False  # afb. 3, nr. 5, wo. 3 maart, ca. 200, 3 sept. 2021
    if not starts_sentence(after):
        return False
    if key in PREPOSITIVE or "." in key:  # vs. PSV, prof. Smit, o.a. Shell, m.n. Duitsland
        return False
    if key in CAPITALISED_PREPOSITIVE:  # Gem. Rotterdam, min. De Jonge; not 5 min. De …
        return not (word[:1].isupper() or not _AFTER_NUMBER.search(before))
    return True


def is_boundary(before: str, after: str) -> bool:
    """Whether a sentence ends between `before` and `after` (the texts either side of a candidate)."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after or _CONTINUES.match(after):
        return False
    core = before.rstrip(_CLOSERS)
    quoted = len(core) < len(before)  # ‘We gaan door.’ Daarna: the quote closed the sentence
    if core.endswith(("?", "!", "…", "...")):
        return starts_sentence(after)
    if not core.endswith("."):
        return False
    if quoted:
        return starts_sentence(after)
    if _INITIALS.search(core) or _LIST_NUMBER.search(core):  # A. de Vries, J.P. Balkenende; : 1. Denemarken
        return False
    match = _LAST_WORD.search(core)
    word = match.group("word") if match else ""
    if word.lower() in MONTHS and _YEAR.match(after):
        return False
    if word and (word.lower() in abbreviations() or _LETTER_CHAIN.match(word)):
        return _abbreviation_boundary(word, after, core)
    return starts_sentence(after)


def _candidates(text: str, language: str) -> list[int]:
    """Offsets where a sentence might start: pysbd's span starts and ours, at whitespace only.

    A start inside "0?0" or "nu.nl" would add a space when the sentences are joined again.
    """
    starts = {
        span.start
        for span in _segmenter(language).segment(text)
        if 0 < span.start < len(text) and (text[span.start - 1].isspace() or text[span.start].isspace())
    }
    for match in _TERMINATOR.finditer(text):
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
        if start < len(text):
            starts.add(start)
    return sorted(starts)


def sentence_spans(text: str, language: str = "nl") -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of `text`, whitespace around them excluded."""
    if not text.strip():
        return []
    bounds = [0, *_candidates(text, language), len(text)]
    spans: list[tuple[int, int]] = []
    for start, stop in zip(bounds, bounds[1:]):
        if spans and not is_boundary(text[spans[-1][0] : start], text[start:stop]):
            spans[-1] = (spans[-1][0], stop)
        else:
            spans.append((start, stop))
    out = []
    for start, stop in spans:
        piece = text[start:stop]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((start + lead, start + lead + len(piece.strip())))
    return out


def split_sentences(text: str, language: str = "nl") -> list[str]:
    """Split one paragraph into sentences; joining them with the whitespace between gives the paragraph back."""
    return [text[start:stop] for start, stop in sentence_spans(text, language)]
