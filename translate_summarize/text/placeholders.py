"""Placeholders for glossary terms through decoding: `protect` puts one in each term's place, `restore`
puts the term's English in the placeholder's place in the model's output.

A MarianMT model has no lexically constrained decoding (nor has CTranslate2: its issue #739), but it
copies an unknown capitalised token as it copies a name; a placeholder of capitals (`ZXQA`) rides
through and the English goes back in after. A model may space or lower-case one (`ZXQ A`, `zxqa`),
so `restore` reads them leniently, and `protect` never picks one that reads like text already there.
"""

from __future__ import annotations

import re

from .glossary import Occurrence

# Capitals only, no digit (which the numbers check would read), distinct per occurrence.
_PLACEHOLDER = "ZXQ{}"
_LETTERS = "ABCDEFGHJKLMNPRSTUVW"


def protect(text: str, occurrences: list[Occurrence]) -> tuple[str, dict[str, Occurrence]]:
    """`text` with each occurrence replaced by a placeholder, and the placeholders' occurrences.

    Placeholders (`ZXQA`, `ZXQB`, …) are chosen so that none is in `text` or in an English to put
    in, in any case or spacing (`restore` reads them that leniently)."""
    taken = re.sub(r"\s", "", text + "".join(o.english for o in occurrences)).upper()
    mapping: dict[str, Occurrence] = {}
    pieces, position = [], 0
    letters = (letter for letter in _letters() if _PLACEHOLDER.format(letter) not in taken)
    for occurrence in occurrences:
        placeholder = _PLACEHOLDER.format(next(letters))
        mapping[placeholder] = occurrence
        pieces += [text[position : occurrence.start], placeholder]
        position = occurrence.end
    pieces.append(text[position:])
    return "".join(pieces), mapping


def _letters():
    """A, B, …, W, then AA, AB, …: as many distinct placeholder suffixes as a sentence needs."""
    yield from _LETTERS
    for first in _LETTERS:
        for second in _LETTERS:
            yield first + second


def restore(output: str, mapping: dict[str, Occurrence], opens: bool = True) -> str | None:
    """`output` with each placeholder replaced by its occurrence's English, or None when a placeholder
    is missing or repeated. A model may space or lower-case a placeholder (`ZXQ A`, `zxqa`): read
    leniently. The English gets a capital first letter where its placeholder opens a sentence: after
    a sentence end, or at the very start when `opens` (the text starts its sentence)."""
    found = []
    for placeholder, occurrence in mapping.items():
        spaced = r"\s?".join(re.escape(char) for char in placeholder)
        matches = list(re.finditer(rf"(?<![\w])(?i:{spaced})(?![\w])", output))
        if len(matches) != 1:
            return None
        found.append((matches[0].start(), matches[0].end(), occurrence.english))
    for start, end, english in sorted(found, reverse=True):  # from the end: earlier offsets stay right
        before = output[:start]
        starts = (opens and not before.strip(" \"'“‘«(")) or re.search(r"[.!?:]['’”»\"]?\s+$", before)
        if starts and english[:1].islower():
            english = english[0].upper() + english[1:]
        output = before + english + output[end:]
    return output
