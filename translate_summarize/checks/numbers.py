"""The `numbers` check: numbers, amounts, percentages, dates, times and years survive translation.

Both sides are reduced to comparable keys first: Dutch ``3,5`` -> 3.5, ``1.000`` -> 1000, ``12 procent``
-> 12%, ``3,5 miljard`` -> 3500000000, ``3 september`` -> the date 9-3, ``14.30 uur`` -> 2:30. The
English side is read leniently (both decimal conventions, written numbers such as "three", Dutch words
a copying model left in), so a warning means the value is really absent. Month names and number scales
are data: data/months.tsv, data/scales.tsv.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..data import Check
from .base import NUMBERS, excerpt, join_items, read_table

# Month names and abbreviations (Dutch and English) -> month number, from data/months.tsv.
MONTHS: dict[str, int] = {name: int(number) for number, names in read_table("months.tsv") for name in names.split()}
# Abbreviations and English month names that are also ordinary words count only in unambiguous places.
_MONTH_ABBREVIATIONS = frozenset(
    name for name in MONTHS if len(name) <= 4 and name not in ("mei", "may", "juni", "juli", "june", "july")
)
_ENGLISH_ONLY_MONTHS = frozenset("january february march may june july august october".split())
_MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))

_SCALES = {word: 10 ** int(power) for word, power in read_table("scales.tsv")}
_SCALE_ALTERNATION = "|".join(sorted(_SCALES, key=len, reverse=True))
_PERCENT = r"%|procentpunt(?:en)?\b|procent\b|percentage[- ]points?\b|per ?cent\b"

_WRITTEN: dict[str, int] = {}
for _value, _word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split()
):
    _WRITTEN[_word] = _value
for _value, _word in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
    start=1,
):
    _WRITTEN[_word] = _value
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WRITTEN.update(_TENS)
_WRITTEN.update({"hundred": 100, "dozen": 12, "twentieth": 20, "thirtieth": 30, "hundredth": 100})
_WRITTEN_ALTERNATION = "|".join(sorted(_WRITTEN, key=len, reverse=True))

_NUMERAL = r"\d+(?:[.,]\d+)*"
# After the head of a spaced-thousands chain: 1-3 digits that start a number, and a space.
_IN_CHAIN = "(?:" + "|".join(rf"(?<=(?<![\w.,])\d{{{n}}} )" for n in (1, 2, 3)) + ")"
_PATTERNS = {
    # 3 september, 3 sept., 3rd of September
    "date_dm": re.compile(
        rf"(?<![\w.,])(?P<day>\d{{1,2}})(?:e|de|ste|st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_ALTERNATION})\b\.?",
        re.IGNORECASE,
    ),
    # September 3, Sept. 3rd
    "date_md": re.compile(
        rf"\b(?P<month>{_MONTH_ALTERNATION})\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d\w]|[.,:]\d)",
        re.IGNORECASE,
    ),
    # 14.30 uur, 9 uur, 14:30, 2.30pm, 9 a.m., 9 o'clock
    "time": re.compile(
        r"(?<![\w.,:])(?P<hour>\d{1,2})(?:(?P<sep>[.:])(?P<minute>\d{2}))?"
        r"(?:\s*(?P<marker>uur\b|u\b|a\.m\.|p\.m\.|am\b|pm\b|o['’]clock\b|hrs?\b))?(?![\w]|[.,:]\d)",
        re.IGNORECASE,
    ),
    # 10 000 (thin-space or nbsp thousands, spaces once read): one number, not two
    # The guard skips a start inside a chain ("1 000 000": the second 000) whose head was already tried:
    # its match would end where the head's does, so it fails when the head's fails; without it a long
    # chain that fails at its end ("1 000 000 … 000 12") is read again from each of its groups (quadratic).
    "spaced": re.compile(
        rf"(?<![\w.,])(?!{_IN_CHAIN}\d{{3}})(?P<num>\d{{1,3}}(?: \d{{3}})+)(?![\w.,]\d|\s\d)"
        rf"(?:\s?(?P<scale>{_SCALE_ALTERNATION})\b\.?)?(?:\s?(?P<percent>{_PERCENT}))?",
        re.IGNORECASE,
    ),
    # jaren '80, the '90s
    "short_year": re.compile(r"(?<![\w])['’](?P<year>\d\d)(?:s\b)?(?!\d)"),
    "number": re.compile(
        rf"(?<![\w.,])(?P<num>{_NUMERAL})(?P<suffix>[^\W\d_]{{0,4}})(?!\w)"
        rf"(?:\s?(?P<scale>{_SCALE_ALTERNATION})\b\.?)?(?:\s?(?P<percent>{_PERCENT}))?",
        re.IGNORECASE,
    ),
    "written": re.compile(
        rf"\b(?P<tens>{'|'.join(_TENS)})-(?P<unit>one|two|three|four|five|six|seven|eight|nine)\b"
        rf"|\b(?P<word>{_WRITTEN_ALTERNATION})\b(?:\s(?P<scale>{_SCALE_ALTERNATION})\b)?(?:\s(?P<percent>{_PERCENT}))?",
        re.IGNORECASE,
    ),
}


_MONTH_WORD = re.compile(rf"\b(?P<month>{_MONTH_ALTERNATION})\b(?P<dot>\.)?", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"\s*\d{4}\b")
_DOTTED_TIME = re.compile(r"\d{1,2}\.\d{2}")
_SEPARATORS = re.compile(r"[.,]")


@dataclass(frozen=True)
class Fact:
    """A number-like item as the source wrote it, and the keys any faithful rendering would produce."""

    text: str
    label: str
    keys: frozenset[str]

    def describe(self) -> str:
        return self.text if self.label == self.text else f"{self.text} ({self.label})"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def numeral_values(numeral: str, convention: str = "nl") -> list[Decimal]:
    """What a written numeral means: `nl` reads 3,5 and 1.000 the Dutch way, `en` the English way,
    `any` gives every reading (for the side that is searched, not the side that is checked)."""
    separators = [char for char in numeral if char in ".,"]
    if not separators:
        return [Decimal(numeral)]
    groups = _SEPARATORS.split(numeral)
    kinds = set(separators)
    if len(kinds) == 2:  # 1.234,56 or 1,234.56: the last separator is the decimal one
        decimal_sep = separators[-1]
        whole, fraction = numeral.rsplit(decimal_sep, 1)
        return [Decimal(_SEPARATORS.sub("", whole) + "." + fraction)]
    sep = separators[0]
    grouped = len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:]) and groups[0] != "0"
    thousands = Decimal("".join(groups)) if grouped else None
    decimal = Decimal(groups[0] + "." + groups[1]) if len(groups) == 2 else None
    if convention == "any":
        return [value for value in (thousands, decimal) if value is not None]
    decimal_char = "," if convention == "nl" else "."
    if sep == decimal_char:
        first, second = decimal, thousands
    else:
        first, second = thousands, decimal
    for value in (first, second):
        if value is not None:
            return [value]
    return []


def _number_keys(values: Iterable[Decimal], scale: int | None, percent: bool) -> set[str]:
    keys = set()
    for value in values:
        if percent:
            keys.add(f"p:{_plain(value)}")
        elif scale:
            keys.add(f"n:{_plain(value * scale)}")
        else:
            keys.add(f"n:{_plain(value)}")
    return keys


def _label(values: list[Decimal], scale: int | None, percent: bool) -> str:
    if not values:
        return ""
    value = values[0]
    if percent:
        return f"{_plain(value)}%"
    if scale:
        total = value * scale
        return f"{int(total):,}" if total == int(total) else _plain(total)
    return f"{int(value):,}" if value == int(value) and value >= 10000 else _plain(value)


def _month(word: str, lenient: bool) -> int | None:
    """The month a word names; "may", "march", "august" are words too, so English months need a capital."""
    lower = word.lower()
    if lower in _ENGLISH_ONLY_MONTHS and not word[0].isupper() and not lenient:
        return None
    return MONTHS.get(lower)


def _hour_keys(hour: int, minute: int) -> set[str]:
    return {f"t:{hour % 12}:{minute:02d}"}


def _scan(text: str, convention: str) -> list[tuple[int, int, str, set[str], str]]:
    """(start, end, source text, keys, label) for each number-like item, longest constructs first."""
    lenient = convention == "any"
    # One byte per character, 1 where an item was taken: `free` costs the span's length, not the number
    # of items so far (a list of spans made a long text with many numbers quadratic). Every span is
    # non-empty, so "no taken character in [start, end)" is "overlaps no taken span".
    taken = bytearray(len(text))
    items: list[tuple[int, int, str, set[str], str]] = []

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) < 0

    def add(start: int, end: int, keys: set[str], label: str) -> None:
        taken[start:end] = b"\x01" * (end - start)
        items.append((start, end, text[start:end].strip(), keys, label))

    for name in ("date_dm", "date_md"):
        for match in _PATTERNS[name].finditer(text):
            month = _month(match.group("month"), lenient)
            day = int(match.group("day"))
            word = match.group("month").lower()
            if month is None or not 1 <= day <= 31 or not free(*match.span()):
                continue
            if name == "date_md" and word in ("jan", "mar", "apr", "jun", "jul") and "." not in match.group(0):
                continue  # "Jan 3" is the name Jan; "Jan. 3" is a date
            keys = {f"d:{month}-{day}"}
            if lenient:
                keys |= {f"m:{month}", f"n:{day}"}
            add(*match.span(), keys, f"{day} {_english_month(month)}")
    for match in _PATTERNS["time"].finditer(text):
        hour = int(match.group("hour"))
        minute = int(match.group("minute") or 0)
        marker = (match.group("marker") or "").lower()
        sep = match.group("sep")
        if not free(*match.span()) or hour > 24 or minute > 59:
            continue
        if not marker and sep != ":":
            continue  # 14.30 alone is a number here; the number scan adds its time reading
        if marker.startswith("p") and hour < 12:
            hour += 12
        keys = _hour_keys(hour, minute)
        if not match.group("minute") or minute == 0:
            keys |= {f"n:{hour}", f"n:{hour % 12 or 12}"}
        add(*match.span(), keys, f"{hour}:{minute:02d}")
    for match in _PATTERNS["short_year"].finditer(text):
        if free(*match.span()):
            year = match.group("year")
            add(*match.span(), {f"n:{int(year)}", f"n:19{year}", f"n:20{year}"}, f"’{year}")
    for match in _PATTERNS["spaced"].finditer(text):
        if not free(*match.span()):
            continue
        values = [Decimal(match.group("num").replace(" ", ""))]
        scale = _SCALES.get((match.group("scale") or "").lower())
        percent = bool(match.group("percent"))
        keys = _number_keys(values, scale, percent)
        if lenient:  # "in 2021 100 people" is two numbers after all
            keys |= {f"n:{int(group)}" for group in match.group("num").split()}
        add(*match.span(), keys, _label(values, scale, percent))
    for match in _PATTERNS["number"].finditer(text):
        if not free(*match.span()):
            continue
        numeral = match.group("num")
        suffix = (match.group("suffix") or "").lower()
        scale_word = (match.group("scale") or "").lower()
        if not scale_word and suffix in _SCALES:
            scale_word = suffix
        scale = _SCALES.get(scale_word)
        percent = bool(match.group("percent"))
        values = numeral_values(numeral, convention)
        if not values:
            keys = {f"r:{numeral}"}
            add(*match.span(), keys, numeral)
            continue
        keys = _number_keys(values, scale, percent)
        if lenient:
            # A searched text counts a number however it is dressed: 12% also holds 12, €5m also 5.
            keys |= _number_keys(values, None, False)
            if suffix == "m":
                keys |= _number_keys(values, 10**6, False)
        if (lenient or convention == "nl") and not scale and not percent and _DOTTED_TIME.fullmatch(numeral):
            # 14.30 is often a time (Dutch writes times with a dot): 2:30 pm renders it faithfully.
            hour, minute = (int(part) for part in numeral.split("."))
            if hour <= 24 and minute < 60:
                keys |= _hour_keys(hour, minute)
        add(*match.span(), keys, _label(values, scale, percent))
    if lenient:
        for match in _PATTERNS["written"].finditer(text):
            if match.group("tens"):
                value = _TENS[match.group("tens").lower()] + _WRITTEN[match.group("unit").lower()]
                keys = {f"n:{value}"}
            else:
                value = _WRITTEN[match.group("word").lower()]
                scale = _SCALES.get((match.group("scale") or "").lower())
                keys = _number_keys([Decimal(value)], scale, bool(match.group("percent")))
                keys |= {f"n:{value}"}
            add(*match.span(), keys, str(value))
    # Month names on their own (in september; in the autumn of 2021: no).
    for match in _MONTH_WORD.finditer(text):
        word = match.group("month")
        lower = word.lower()
        if lower in _MONTH_ABBREVIATIONS:
            # An abbreviation is a month only as "sept. 2021"; "Jan" and "mar" are other words.
            if not (match.group("dot") and _YEAR_AFTER.match(text, match.end())):
                continue
        month = _month(word, lenient=False)
        if month is None:
            continue
        if not free(*match.span()):
            continue
        add(*match.span(), {f"m:{month}"}, _english_month(month))
    items.sort()
    return items


def _english_month(month: int) -> str:
    return (
        "January February March April May June July August September October November December".split()[month - 1]
    )


def extract_facts(text: str, language: str = "nl") -> list[Fact]:
    """Number-like items of `text` read with the decimal convention of `language` (nl or en)."""
    convention = "nl" if language == "nl" else "en"
    facts = []
    for _start, _end, source, keys, label in _scan(text, convention):
        facts.append(Fact(source, label or source, frozenset(keys)))
    return facts


def number_keys(text: str) -> set[str]:
    """Every key any reading of `text` produces: the lenient side of a comparison."""
    keys: set[str] = set()
    for _start, _end, _source, item_keys, _label in _scan(text, "any"):
        keys |= item_keys
    return keys


def missing_numbers(source: str, target: str, source_language: str = "nl") -> list[Fact]:
    """Number-like items of `source` that no reading of `target` contains."""
    found = number_keys(target)
    missing: dict[Fact, None] = {}  # in order, each once
    for fact in extract_facts(source, source_language):
        if not fact.keys & found:
            missing.setdefault(fact)
    return list(missing)


def check_numbers(pairs: list[tuple[str, str, str]], language: str = "nl") -> list[Check]:
    warnings = []
    for where, source, target in pairs:
        if not target.strip():
            continue  # reported as degenerate
        missing = missing_numbers(source, target, language)
        if missing:
            items = join_items([fact.describe() for fact in missing])
            verb = "is" if len(missing) == 1 else "are"
            message = f"{excerpt(source)}: {items} {verb} missing from the translation"
            warnings.append(Check(NUMBERS, False, message, where))
    return warnings
