"""The `names` check: proper names survive translation.

Names are capitalised words not at the start of a sentence, and capitalised quoted titles, compared
case-sensitively; Dutch exonyms, demonyms and institutions whose English differs (Peking/Beijing,
Duitse/German, Tweede Kamer/House) are data: data/exonyms.tsv.
"""

from __future__ import annotations

import math
import re
import unicodedata

from ..data import Check
from .base import NAMES, excerpt, join_items, read_table
from .numbers import MONTHS

# Dutch exonyms, demonyms and institutions whose English differs; matched without regard to case.
# Multi-word keys are looked up before single words.
EXONYMS: dict[str, tuple[str, ...]] = {dutch: tuple(english.split("|")) for dutch, english in read_table("exonyms.tsv")}
_PHRASES = sorted((key for key in EXONYMS if " " in key), key=len, reverse=True)

# Capitalised function words are not names ("Van", "De" in a surname are optional in English).
_DUTCH_STOPWORDS = frozenset(
    """
    de het een en of maar dat die dit deze wie wat waar wanneer hoe waarom van der den ten ter te in op aan
    bij met voor na naar uit over onder door tot om als dan ook niet geen nog al er hier daar hij zij ze
    wij we jij je u ik hem haar hun ons mijn zijn is was werd wordt worden heeft had hebben kan kon zal
    zou moet mag volgens zo toen nu want dus omdat terwijl alle elk ieder veel weinig meer minder t 's
    """.split()
)
_ENGLISH_STOPWORDS = frozenset(
    """
    the a an and or but that this these those who what where when how why of in on at by for with from to
    as than also not no he she it they we you i his her its their our my is was were be been has had have
    can could will would should may might must do does did so then now there here according after before
    while because if mr mrs ms dr prof
    """.split()
)
_OPENING = "‘“\"'«(["
_WORD = re.compile(r"[^\W\d_][\w]*(?:[-'’.][^\W\d_][\w]*)*(?:['’]s\b)?")
_DUTCH_DERIVED = re.compile(r"(?:isch|ische|sche|se|e|s|ers|er|en|aan|ees)$")


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def contains_word(target: str, word: str, *, ignore_case: bool = False) -> bool:
    """`word` occurs in `target` as a whole word; accents aside (Zurich for Zürich). With `ignore_case`, a
    capitalised word must still start with its capital (Dutch Central Bank for Dutch central bank)."""
    for needle, haystack in ((word, target), (_strip_accents(word), _strip_accents(target))):
        if ignore_case and needle[:1].isupper():
            body = rf"{re.escape(needle[0])}(?i:{re.escape(needle[1:])})"
            flags = 0
        else:
            body, flags = re.escape(needle), re.IGNORECASE if ignore_case else 0
        if re.search(rf"(?<!\w){body}(?!\w)", haystack, flags):
            return True
    return False


def name_survives(name: str, target: str) -> bool:
    """True when `target` contains `name` (case-sensitive), one of its exonyms, or its English form."""
    if name in EXONYMS and any(contains_word(target, alt, ignore_case=True) for alt in EXONYMS[name]):
        return True
    candidates = [name]
    if name.endswith(("'s", "’s")):
        candidates.append(name[:-2])
    elif name.endswith("s") and len(name) > 3:
        candidates.append(name[:-1])  # Dutch genitive: Musks -> Musk('s)
    if any(contains_word(target, candidate) for candidate in candidates):
        return True
    if "-" in name and all(
        name_survives(part, target) for part in name.split("-") if part[:1].isupper() and len(part) > 1
    ):
        return True
    # Demonyms and adjectives share a stem with their English (Amerikaanse/American, Groningse/Groningen),
    # so do many institutions and compounds (Instituut/Institute); English derives from names (Japan/Japanese).
    plain = _strip_accents(name)
    share = 0.4 if _DUTCH_DERIVED.search(name) else 0.6
    need = max(4, math.ceil(len(plain) * share))
    for word in re.findall(r"\w+", _strip_accents(target)):
        if not word[:1].isupper():
            continue
        if _common_prefix(word, plain) >= need or (len(plain) >= 4 and word.startswith(plain)):
            return True
    return False


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def _starts_clause(text: str, start: int) -> bool:
    """True at the start of the text, after an opening quote, or after a sentence end inside `text`."""
    before = text[:start].rstrip()
    if not before:
        return True
    # A quotation starts with a capital whatever its first word is: ‘Ik heb ...’, “We gaan ...”.
    return before[-1] in _OPENING or before[-1] in ".!?:"


def extract_names(text: str, language: str = "nl") -> list[str]:
    """Capitalised words that are not at a sentence start, and capitalised quoted titles, in text order.

    A hyphenated word counts by its capitalised parts (Tesla-baas: Tesla) unless all its parts are
    capitalised (Willem-Alexander, Zuid-Holland); Dutch multi-word exonyms (Den Haag) count whole.
    """
    stopwords = _DUTCH_STOPWORDS if language == "nl" else _ENGLISH_STOPWORDS
    found: list[tuple[int, str]] = []
    consumed: list[tuple[int, int]] = []
    if language == "nl":
        for phrase in _PHRASES:
            for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
                if not any(s < match.end() and match.start() < e for s, e in consumed):
                    consumed.append(match.span())
                    found.append((match.start(), phrase))
    titles = _quoted_titles(text, stopwords)
    for match in _WORD.finditer(text):
        if any(s <= match.start() < e for s, e in consumed):
            continue
        word = match.group(0).rstrip(".")
        parts = word.split("-")
        if len(parts) > 1 and word not in EXONYMS and not all(part[:1].isupper() for part in parts):
            offset = match.start()
            pieces = []
            for part in parts:
                pieces.append((offset, part))
                offset += len(part) + 1
        else:
            pieces = [(match.start(), word)]
        for index, (start, piece) in enumerate(pieces):
            if len(piece) < 2 or not piece[0].isupper():
                continue
            lower = piece.lower()
            if lower in stopwords or re.sub(r"['’]s$", "", lower) in stopwords:
                continue
            if language == "nl" and lower in MONTHS:
                continue
            acronym = piece.isupper()
            at_start = index == 0 and _starts_clause(text, start)
            if at_start and not acronym and start not in titles:
                continue
            found.append((start, piece))
    names: list[str] = []
    for _start, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


def _quoted_titles(text: str, stopwords: frozenset[str]) -> set[int]:
    """Start offsets of words in short quoted spans whose words are all capitalised (a title or name)."""
    starts: set[int] = set()
    for match in re.finditer(r"[‘“\"'«]([^‘’“”\"'«»]{2,60})[’”\"'»]", text):
        inner = match.group(1)
        words = list(_WORD.finditer(inner))
        if not 1 <= len(words) <= 5:
            continue
        content = [w for w in words if w.group(0).lower() not in stopwords]
        if content and all(w.group(0)[0].isupper() for w in content):
            starts.update(match.start(1) + w.start() for w in content)
    return starts


def missing_names(source: str, target: str, source_language: str = "nl") -> list[str]:
    """Names of `source` that `target` does not contain (nor an accepted English form of)."""
    return [name for name in extract_names(source, source_language) if not name_survives(name, target)]


def check_names(pairs: list[tuple[str, str, str]], language: str = "nl") -> list[Check]:
    warnings = []
    for where, source, target in pairs:
        if not target.strip():
            continue
        missing = missing_names(source, target, language)
        if missing:
            noun = "name" if len(missing) == 1 else "names"
            verb = "is" if len(missing) == 1 else "are"
            message = f"{excerpt(source)}: {noun} {join_items(missing)} {verb} missing from the translation"
            warnings.append(Check(NAMES, False, message, where))
    return warnings
