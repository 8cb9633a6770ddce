"""Sentence splitting, kept apart from translation (as argos-translate does).

pysbd does the work; on Dutch news it over-splits after initials ("A. Jansen"), titles ("Dhr. Jansen"),
abbreviations before lowercase words ("3,5 mld. euro") and month abbreviations before a year
("3 sept. 2021"). Over-splitting hurts a translation as much as a missed boundary, so the spans it
returns are merged back where those patterns match. Text between spans is never lost: every
sentence is a slice of the paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

# Titles always precede a name, so a split after them is always wrong.
TITLES = frozenset("dhr mevr mw mr dr drs ir ing prof ds mgr st burg wethr gen".split())
# Abbreviations that are wrong to split after when a lowercase word or a number follows.
ABBREVIATIONS = frozenset(
    """
    bijv bv bijvoorbeeld jl j.l ca cf mld mln mrd resp incl excl max min nr nrs blz art afd ong zgn
    z.g.n evt gem tel jr sr vnl nl i.p.v m.b.t t.o.v e.d enz etc o.a a.s d.w.z m.u.v v.d vs vz wnd plv
    co kg km cm mm ml gr ha pag pt ct sec min apr
    """.split()
)
MONTHS = frozenset("jan feb mrt apr jun jul aug sep sept okt nov dec".split())

_LAST_WORD = re.compile(r"(?:^|[\s(‘“'\"])(?P<word>[\w.]+)\.$")
_INITIAL = re.compile(r"(?:^|[\s(‘“'\"])(?:[A-Z]\.)*[A-Z]\.$")
_STARTS_LOWER_OR_DIGIT = re.compile(r"^[\s‘“'\"(]*[a-z0-9à-ÿ]")
_STARTS_YEAR = re.compile(r"^\s*\d{2,4}\b")


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


# A span that starts with closing punctuation continues the sentence before it: ‘Is dit het einde?’, vroeg hij.
# (’s and ’t start a new sentence: they are the elided articles of ’s Avonds, ’t Is.)
_CONTINUES = re.compile(r"^\s*(?:[”»)\]},;:]|[’'\"](?![stn]\b))")


def _wrongly_split(before: str, after: str) -> bool:
    """True when the boundary between `before` and `after` is an abbreviation, not a sentence end."""
    before = before.rstrip()
    if _CONTINUES.match(after):
        return True
    if before.endswith(("?", "!", "?’", "!’", "?”", "!”", "?'", "!'", '?"', '!"')):
        # ‘Waarom nu?’ vroeg hij: a lowercase word after ?/! continues the sentence.
        return bool(re.match(r"^\s*[a-zà-ÿ]", after))
    if not before.endswith("."):
        return False
    if _INITIAL.search(before):
        return True
    match = _LAST_WORD.search(before)
    word = match.group("word").lower() if match else ""
    if word in TITLES:
        return True
    if word in MONTHS and _STARTS_YEAR.match(after):
        return True
    if (word in ABBREVIATIONS or word in MONTHS) and _STARTS_LOWER_OR_DIGIT.match(after):
        return True
    # Dutch sentences do not start with a lowercase word ('s-Hertogenbosch and 't start with an apostrophe).
    return bool(re.match(r"^\s*[a-zà-ÿ]", after))


def split_sentences(text: str, language: str = "nl") -> list[str]:
    """Split one paragraph into sentences; joining them with spaces gives the paragraph back."""
    text = text.strip()
    if not text:
        return []
    # Only pysbd's span starts are used, and only where they fall at whitespace: a boundary inside
    # "0?0" or "nu.nl" would add a space when the sentences are joined again.
    starts = sorted(
        {
            span.start
            for span in _segmenter(language).segment(text)
            if 0 < span.start < len(text) and (text[span.start - 1].isspace() or text[span.start].isspace())
        }
    )
    bounds = [0, *starts, len(text)]
    merged: list[tuple[int, int]] = []
    for start, stop in zip(bounds, bounds[1:]):
        if merged and _wrongly_split(text[merged[-1][0] : merged[-1][1]], text[start:stop]):
            merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    sentences = [text[start:stop].strip() for start, stop in merged]
    return [sentence for sentence in sentences if sentence]
