"""The `names` check: proper names survive translation.

Names are capitalised words not at the start of a sentence, and capitalised quoted titles, compared
case-sensitively; Dutch exonyms, demonyms and institutions whose English differs (Peking/Beijing,
Duitse/German, Tweede Kamer/House) are data: data/exonyms.tsv.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right, insort
from collections import defaultdict
from functools import lru_cache

from ..data import Check
from .base import NAMES, excerpt, join_items, read_table
from .numbers import MONTHS

# Dutch exonyms, demonyms and institutions whose English differs; matched without regard to case.
# Multi-word keys are looked up before single words.
EXONYMS: dict[str, tuple[str, ...]] = {dutch: tuple(english.split("|")) for dutch, english in read_table("exonyms.tsv")}
_PHRASES = sorted((key for key in EXONYMS if " " in key), key=len, reverse=True)
_PHRASE_PATTERNS = [(phrase, re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")) for phrase in _PHRASES]

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
_GENITIVE = re.compile(r"['’]s$")
_QUOTED = re.compile(r"[‘“\"'«]([^‘’“”\"'«»]{2,60})[’”\"'»]")
_RUN = re.compile(r"\w+")
_FIRST_RUN = re.compile(r"\w+")
_INDEX_FROM = 2000  # characters: a shorter target is searched, a longer one indexed by its words


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def _word_pattern(word: str, ignore_case: bool) -> re.Pattern[str]:
    if ignore_case and word[:1].isupper():
        body = rf"{re.escape(word[0])}(?i:{re.escape(word[1:])})"
        flags = 0
    else:
        body, flags = re.escape(word), re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


class _Side:
    """One text (the target or its accent-free form) with its words' offsets, built on first use.

    A whole-word match of a needle that starts with a word character starts where a word (a \\w+ run)
    of the text starts, and that word is the needle's first word: the needle goes on with a non-word
    character or ends, and so does the text there. So the needle is tried only at those offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[str, list[int]] | None = None
        self._found: dict[str, bool] = {}

    def contains(self, needle: str) -> bool:
        found = self._found.get(needle)
        if found is None:
            found = self._found[needle] = self._search(needle)
        return found

    def _search(self, needle: str) -> bool:
        pattern = _word_pattern(needle, False)
        first = _FIRST_RUN.match(needle)
        if first is None or len(self.text) < _INDEX_FROM:  # a sentence, or no word character first
            return pattern.search(self.text) is not None
        if self._starts is None:
            self._starts = defaultdict(list)
            for match in _RUN.finditer(self.text):
                self._starts[match.group(0)].append(match.start())
        return any(pattern.match(self.text, start) for start in self._starts.get(first.group(0), ()))


class Target:
    """A translation read once for many `contains_word` / `name_survives` questions: its accent-free
    form, its words' offsets and its capitalised words' prefixes are built on first use, not per name."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.exact = _Side(text)
        self._plain: _Side | None = None
        self._prefixes: set[str] | None = None

    @property
    def plain(self) -> _Side:
        if self._plain is None:
            self._plain = _Side(_strip_accents(self.text))
        return self._plain

    def has_word_prefix(self, prefix: str) -> bool:
        """Some capitalised word of the accent-free text starts with `prefix` (4+ characters)."""
        if self._prefixes is None:
            self._prefixes = set()
            for word in set(_RUN.findall(self.plain.text)):
                if word[:1].isupper():
                    self._prefixes.update(word[:k] for k in range(4, len(word) + 1))
        return prefix in self._prefixes


def _target(target: str | Target) -> Target:
    return target if isinstance(target, Target) else Target(target)


def contains_word(target: str | Target, word: str, *, ignore_case: bool = False) -> bool:
    """`word` occurs in `target` as a whole word; accents aside (Zurich for Zürich). With `ignore_case`, a
    capitalised word must still start with its capital (Dutch Central Bank for Dutch central bank).

    `target` may be a `Target`, for many questions about one text."""
    target = _target(target)
    if not ignore_case:
        return target.exact.contains(word) or target.plain.contains(_strip_accents(word))
    # Case-insensitive: only for the exonyms of a name (a bounded number per target), a plain search.
    if _word_pattern(word, True).search(target.text):
        return True
    return _word_pattern(_strip_accents(word), True).search(target.plain.text) is not None


def name_survives(name: str, target: str | Target) -> bool:
    """True when `target` contains `name` (case-sensitive), one of its exonyms, or its English form.

    `target` may be a `Target`, for many names of one text."""
    target = _target(target)
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
    # A capitalised word of the target that shares `need` first characters with the name, or starts with
    # the whole name (4+ characters: then need <= len(plain), so the same test). With fewer than 4
    # characters neither can hold. One set lookup instead of a pass over the target per name.
    return len(plain) >= 4 and target.has_word_prefix(plain[:need])


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def _starts_clause(text: str, start: int) -> bool:
    """True at the start of the text, after an opening quote, or after a sentence end inside `text`."""
    # The last character before `start` that is not white space (what text[:start].rstrip() ends with),
    # found without copying the text before it: that made a long sentence quadratic in its names.
    index = start - 1
    while index >= 0 and text[index].isspace():
        index -= 1
    if index < 0:
        return True
    # A quotation starts with a capital whatever its first word is: ‘Ik heb ...’, “We gaan ...”.
    return text[index] in _OPENING or text[index] in ".!?:"


def extract_names(text: str, language: str = "nl") -> list[str]:
    """Capitalised words that are not at a sentence start, and capitalised quoted titles, in text order.

    A hyphenated word counts by its capitalised parts (Tesla-baas: Tesla) unless all its parts are
    capitalised (Willem-Alexander, Zuid-Holland); Dutch multi-word exonyms (Den Haag) count whole.
    """
    stopwords = _DUTCH_STOPWORDS if language == "nl" else _ENGLISH_STOPWORDS
    found: list[tuple[int, str]] = []
    # Spans of the phrases found: disjoint, kept sorted by start (so their ends are sorted too) for a
    # bisect instead of a pass over all of them per word.
    consumed: list[tuple[int, int]] = []
    if language == "nl":
        for phrase, pattern in _PHRASE_PATTERNS:
            for match in pattern.finditer(text):
                start, end = match.span()
                # The span starting last before `end` is the only one that can overlap [start, end).
                index = bisect_right(consumed, (end, -1)) - 1
                if index < 0 or consumed[index][1] <= start:
                    insort(consumed, (start, end))
                    found.append((start, phrase))
    titles = _quoted_titles(text, stopwords)
    for match in _WORD.finditer(text):
        index = bisect_right(consumed, (match.start(), len(text) + 1)) - 1
        if index >= 0 and match.start() < consumed[index][1]:
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
            if lower in stopwords or _GENITIVE.sub("", lower) in stopwords:
                continue
            if language == "nl" and lower in MONTHS:
                continue
            acronym = piece.isupper()
            at_start = index == 0 and _starts_clause(text, start)
            if at_start and not acronym and start not in titles:
                continue
            found.append((start, piece))
    names: dict[str, None] = {}  # in text order, each once
    for _start, name in sorted(found):
        names.setdefault(name)
    return list(names)


def _quoted_titles(text: str, stopwords: frozenset[str]) -> set[int]:
    """Start offsets of words in short quoted spans whose words are all capitalised (a title or name)."""
    starts: set[int] = set()
    for match in _QUOTED.finditer(text):
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
    read = Target(target)  # read once for all names
    return [name for name in extract_names(source, source_language) if not name_survives(name, read)]


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
