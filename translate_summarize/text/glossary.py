"""A newsroom glossary: fixed English renderings of Dutch terms, and where they occur in a text.

The file is UTF-8 TSV, one `Dutch<TAB>English` pair per line; blank lines and lines starting with `#`
are skipped. An entry whose English is the Dutch itself, or `=`, is "keep as is" (`Rijkswaterstaat`,
a party's name). Matching rules, as a newsroom's style guide reads:

- **case**: a term matches case-insensitively, unless it is written all in capitals (`VVD`, `NOS`),
  then only as written. The English must appear as the entry writes it, but for its first letter,
  which may be a capital (`Cabinet` opens a sentence);
- **whole words**: `kabinet` is not found in `kabinetsbesluit`; a hyphenated compound
  (`Tweede Kamer-debat`) holds the term;
- **inflections**: the term's head word (its last) is also found as a plural (`-en`, `-s`, `-'s`, with
  the spelling changes of `kabinetten`, `raden`, `brieven`, `huizen`), a diminutive (`-je`, `-tje`,
  `-pje`, `-etje`, plural `-s`) and with adjective `-e`. A plural's English may be the English plural
  (`cabinets`);
- **overlaps**: at each place the longest term wins (`Tweede Kamer` before `Kamer`); occurrences never
  overlap, and none is found inside a URL, e-mail address, @handle or #hashtag (`spans.protected_spans`).

`Glossary.occurrences(text)` finds them; `unhonoured(occurrences, target)` tells which a translation
misses; `text/placeholders.py` puts placeholders in their place for decoding and the English back after.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import ConfigError
from .spans import protected_spans

log = logging.getLogger(__name__)

# The most entries and bytes a glossary may have: a style guide, not a dictionary.
MAX_ENTRIES = 20_000
MAX_BYTES = 4 * 1024 * 1024
MAX_TERM_CHARS = 300
# English plurals no rule gives (a word ending in one of them too: `chairwoman`, `policeman`).
_IRREGULAR = {
    "man": "men", "woman": "women", "child": "children", "person": "people", "foot": "feet",
    "tooth": "teeth", "mouse": "mice", "goose": "geese", "criterion": "criteria", "phenomenon": "phenomena",
    "medium": "media", "datum": "data", "sheep": "sheep", "fish": "fish", "series": "series", "species": "species",
    "chairman": "chairmen", "spokesman": "spokesmen", "policeman": "policemen", "businessman": "businessmen",
    "congressman": "congressmen", "alderman": "aldermen", "ombudsman": "ombudsmen", "fisherman": "fishermen",
}
_COMMENT = re.compile(r"(?:^|(?<=\s))#.*$")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
KEEP = "="
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    """One glossary line: the Dutch term, its English (equal to it for "keep as is") and its line."""

    dutch: str
    english: str
    line: int = 0

    @property
    def keep(self) -> bool:
        return self.english == self.dutch

    @property
    def case_sensitive(self) -> bool:
        """Written all in capitals (`VVD`, `D66`): matched only as written."""
        letters = [char for char in self.dutch if char.isalpha()]
        return bool(letters) and all(char.isupper() for char in letters)


@dataclass(frozen=True)
class Occurrence:
    """An entry found in a text: `start`/`end` character offsets, the text as written there, and
    whether it is a plural form of the term."""

    entry: Entry
    start: int
    end: int
    text: str
    plural: bool = False

    @property
    def english(self) -> str:
        """What the translation must say here: "keep as is" the text as written, else the English
        (made plural for a plural form)."""
        if self.entry.keep:
            return self.text
        return english_plural(self.entry.english) if self.plural else self.entry.english


def english_plural(english: str) -> str:
    """A simple English plural of the last word (`cabinet` -> `cabinets`, `party` -> `parties`, `bus`
    -> `buses`, `crisis` -> `crises`, `wife` -> `wives`, the common irregulars: `woman` -> `women`,
    `child` -> `children`); a last word already ending in s stays."""
    head, _, last = english.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR or any(lower.endswith(word) and len(word) > 3 for word in _IRREGULAR):
        word = next(word for word in sorted(_IRREGULAR, key=len, reverse=True) if lower.endswith(word))
        plural = last[: len(last) - len(word)] + _IRREGULAR[word]
        plural = plural[0].upper() + plural[1:] if last[:1].isupper() else plural
    elif lower.endswith("is") and len(lower) > 3:
        plural = last[:-2] + "es"
    elif lower.endswith(("fe", "lf")) and len(lower) > 3:
        plural = last[:-2] + "ves" if lower.endswith("fe") else last[:-1] + "ves"
    elif last.endswith("s") or not last[-1:].isalpha():
        plural = last
    elif re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    elif last.endswith(("x", "z", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def inflections(word: str) -> dict[str, bool]:
    """The Dutch forms of `word` a glossary matches, each with whether it is plural: the word itself,
    plurals, diminutives and adjective -e, with the spelling changes of Dutch inflection (a short
    vowel's consonant doubled, a long vowel's undoubled, f/s voiced to v/z)."""
    forms: dict[str, bool] = {word: False, word + "e": False}
    stems = [word]
    if re.search(r"[^aeiou][aeiou][bdfgklmnprst]$", word, re.IGNORECASE):  # kabinet -> kabinett-en
        stems.append(word + word[-1])
    long_vowel = re.search(r"(aa|ee|oo|uu)([^aeiou])$", word, re.IGNORECASE)
    if long_vowel:  # raad -> rad-en
        stems.append(word[: long_vowel.start()] + long_vowel.group(1)[0] + long_vowel.group(2))
    for stem in list(stems):
        if stem[-1:].lower() in "fs" and len(stem) > 2:  # brief -> briev-en, huis -> huiz-en
            stems.append(stem[:-1] + ("v" if stem[-1].lower() == "f" else "z"))
    for stem in stems:
        forms.setdefault(stem + "en", True)
        forms.setdefault(stem + "e", False)
    if word.endswith("e"):
        forms.setdefault(word + "n", True)
    forms.setdefault(word + "s", True)  # `'s` after any form is read by `Glossary._match`
    for stem in stems:
        for ending in ("je", "tje", "pje", "etje", "kje"):
            forms.setdefault(stem + ending, False)
            forms.setdefault(stem + ending + "s", True)
    return forms


class Glossary:
    """The entries of one glossary file, matched as the module doc says. `digest` (sha256 of the
    entries) is what the cache keys hold."""

    def __init__(self, entries: list[Entry], name: str = "glossary"):
        self.entries = tuple(entries)
        self.name = name

    def __len__(self) -> int:
        return len(self.entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Glossary) and other.entries == self.entries

    def __hash__(self) -> int:
        return hash(self.entries)

    def __getstate__(self) -> dict:  # a compiled pattern is rebuilt, not pickled (Ray actors)
        return {"entries": self.entries, "name": self.name}

    def __setstate__(self, state: dict) -> None:
        self.entries, self.name = state["entries"], state["name"]

    @property
    def digest(self) -> str:
        text = "\n".join(f"{entry.dutch}\t{entry.english}" for entry in self.entries)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @cached_property
    def _index(self) -> dict[str, list[int]]:
        """Entry indexes by the lower-cased forms of their first word (every inflection of a one-word
        term, whose first word is its head)."""
        index: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            words = _WORD.findall(entry.dutch)
            for form in inflections(words[0]) if len(words) == 1 else [words[0]]:
                index.setdefault(form.lower(), []).append(i)
        return index

    def _match(self, i: int, words: list[re.Match[str]], k: int, text: str) -> tuple[int, int, bool] | None:
        """(start, end, plural) of entry `i` matched at the text's word `k`, or None. Words before the
        head match as written (lower-cased unless the entry is all capitals), the separators between
        them and the term's own leading and trailing punctuation as written (any whitespace for a
        space), the head in any of its forms; never inside a number or a dotted name (`3.000`, `x.nl`)."""
        entry = self.entries[i]
        parts = _WORD.findall(entry.dutch)
        separators = _WORD.split(entry.dutch)[1:-1]
        if k + len(parts) > len(words):
            return None
        same = (lambda a, b: a == b) if entry.case_sensitive else (lambda a, b: a.lower() == b.lower())
        for j, part in enumerate(parts):
            word = words[k + j].group()
            if j:
                between = text[words[k + j - 1].end() : words[k + j].start()]
                wanted = separators[j - 1]
                if not (between == wanted or (wanted.isspace() and between.isspace() and between.count("\n") < 2)):
                    return None
            if j < len(parts) - 1:
                if not same(word, part):
                    return None
            elif _edges(entry.dutch)[1]:  # `C++`, `a.s.r.`: as written, no inflection
                if not same(word, part):
                    return None
                found_plural = False
            else:
                found_plural = _form_of(part, word, entry.case_sensitive)
                if found_plural is None:
                    return None
        start, end = words[k].start(), words[k + len(parts) - 1].end()
        lead, trail = _edges(entry.dutch)
        if text[max(0, start - len(lead)) : start] != lead or (trail and text[end : end + len(trail)] != trail):
            return None  # `C++` is not the C of `vitamine C`; `a.s.r.` keeps its last dot
        start, end = start - len(lead), end + len(trail)
        if _continues(text, start, end, any(char.isdigit() for char in entry.dutch)):
            return None
        genitive = re.match(r"['’]s(?!\w)", text[end:])
        return (start, end + genitive.end(), True) if genitive else (start, end, found_plural)

    def occurrences(self, text: str) -> list[Occurrence]:
        """Every glossary term in `text` (characters), in order: at each word the longest term that
        starts there, never overlapping, never inside a protected span (URL, e-mail, @handle, #hashtag).
        Linear in the text's words, whatever the glossary's size."""
        if not self.entries or not text:
            return []
        protected = protected_spans(text)
        words = list(_WORD.finditer(text))
        found: list[Occurrence] = []
        free = 0
        for k, word in enumerate(words):
            if word.start() < free or (word.start() and text[word.start() - 1] in "@#"):
                continue
            best: tuple[int, int, bool, int] | None = None
            for i in self._index.get(word.group().lower(), ()):
                matched = self._match(i, words, k, text)
                if matched and matched[0] >= free and (best is None or matched[1] - matched[0] > best[1] - best[0]):
                    best = (*matched, i)
            if best is None:
                continue
            start, end, plural, i = best
            if any(start < p_end and p_start < end for p_start, p_end in protected):
                continue
            found.append(Occurrence(self.entries[i], start, end, text[start:end], plural))
            free = end
        return found


def credited(glossary: Glossary, source: str, target: str) -> str:
    """`target` with the Dutch of each glossary occurrence of `source` it honours added at its end:
    what the numbers and names checks read, so that a name the glossary renders (`Tweede Kamer` as
    `House of Representatives`) is not reported lost, and their messages still quote the Dutch."""
    occurrences = glossary.occurrences(source)
    missing = unhonoured(occurrences, target)
    honoured = [occurrence.text for occurrence in occurrences if occurrence not in missing]
    return " ".join([target, *honoured]) if honoured else target


def _edges(term: str) -> tuple[str, str]:
    """The punctuation a term starts and ends with (`'s-Hertogenbosch`: "'", `C++`: "++")."""
    return re.match(r"\W*", term).group(), re.search(r"\W*$", term).group()


def _continues(text: str, start: int, end: int, numeric: bool) -> bool:
    """Whether the match `text[start:end]` is part of a longer token: a number (`3` of `3.000`, `3,5`,
    `3-4-2024`), a dotted name (`kabinet` of `kabinet.nl`), or for a term with digits any hyphen
    compound."""
    joiners = ".,:/-" if numeric else ".,:/"
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] in joiners and after[1].isalnum()) or (
        len(before) == 2 and before[1] in joiners and before[0].isalnum()
    )


def _form_of(head: str, word: str, case_sensitive: bool) -> bool | None:
    """Whether `word` is a plural form of `head` (False: another form), or None when it is no form
    of it. An all-capitals term's forms keep its capitals (`VVD`, `VVD's`); others any case. A head
    with a digit, of one letter, or followed by punctuation in the term (`C++`) has only itself."""
    if len(head) < 2 or any(char.isdigit() for char in head):
        return False if ((word == head) if case_sensitive else (word.lower() == head.lower())) else None
    for form, plural in inflections(head).items():
        if (word == form) if case_sensitive else (word.lower() == form.lower()):
            return plural
    return None


def _wanted(occurrence: Occurrence) -> tuple[str, ...]:
    """The Englishes that honour an occurrence: its own, and for a translated term both the base and
    the plural (a plural's English may be either, and a singular's may be made plural)."""
    if occurrence.entry.keep:
        return (occurrence.english,)
    return tuple(sorted({occurrence.english, occurrence.entry.english, english_plural(occurrence.entry.english)}))


@lru_cache(maxsize=4096)
def _english_pattern(wanted: tuple[str, ...], case_sensitive: bool) -> re.Pattern[str]:
    """A whole-word pattern for any of `wanted`: the first letter either case (unless
    `case_sensitive`), any whitespace between words, an optional `'s`."""
    alternatives = []
    for text in sorted(wanted, key=len, reverse=True):
        rest = r"\s+".join(re.escape(word) for word in text[1:].split(" "))
        first = text[0]
        head = re.escape(first) if case_sensitive else f"[{re.escape(first.lower())}{re.escape(first.upper())}]"
        alternatives.append(head + rest)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?:['’]s)?(?!\w)")


def unhonoured(occurrences: list[Occurrence], target: str) -> list[Occurrence]:
    """The occurrences a translation `target` does not honour: for each entry, as many of its
    occurrences as the target has too few matches of its English (counted, so a term twice in the
    Dutch needs its English twice)."""
    missing: list[Occurrence] = []
    by_entry: dict[Entry, list[Occurrence]] = {}
    for occurrence in occurrences:
        by_entry.setdefault(occurrence.entry, []).append(occurrence)
    for group in by_entry.values():
        found = len(_english_pattern(_wanted(group[0]), group[0].entry.case_sensitive).findall(target))
        missing.extend(group[found:] if found < len(group) else [])
    return sorted(missing, key=lambda occurrence: occurrence.start)


def load_glossary(path: Path) -> Glossary:
    """The glossary in the TSV file `path`. Raises ConfigError (one line naming the file and line)
    for a missing or unreadable file, text that is not UTF-8, a line without a tab, an empty side,
    a term listed twice with two Englishes, or a file over `MAX_ENTRIES` entries or `MAX_BYTES`."""
    path = path.expanduser()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(f"{path}: glossary is over {MAX_BYTES // (1024 * 1024)} MB; a glossary is a list of terms")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: glossary file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: the glossary is a folder, not a TSV file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the glossary ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: the glossary is not UTF-8 text") from None
    entries: dict[str, Entry] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", line)  # `#` at the start or after whitespace starts a comment (`C#` is a term)
        if not line.strip():
            continue
        if "\t" not in line:
            raise ConfigError(f"{path}:{number}: no tab between the Dutch and the English ({line.strip()[:40]!r})")
        if line.count("\t") > 1:
            raise ConfigError(f"{path}:{number}: more than one tab; a line is Dutch<TAB>English")
        # Invisible format characters (zero-width spaces, BOMs, bidi marks) are no part of a term.
        dutch, english = (" ".join(_INVISIBLE.sub("", side).split()) for side in line.split("\t", 1))
        english = dutch if english == KEEP else english
        if not dutch or not english:
            raise ConfigError(f"{path}:{number}: the {'Dutch' if not dutch else 'English'} side is empty")
        if len(dutch) > MAX_TERM_CHARS or len(english) > MAX_TERM_CHARS:
            raise ConfigError(f"{path}:{number}: a term of over {MAX_TERM_CHARS} characters; a glossary is a list of terms")
        if not any(char.isalnum() for char in dutch):
            raise ConfigError(f"{path}:{number}: the Dutch term {dutch!r} has no letter or digit")
        entry = Entry(dutch, english, number)
        # Two lines that match the same text are one term (`kabinet.` and `kabinet`, a zero-width space).
        key = " ".join(_WORD.findall(dutch)) + "|" + "".join(_edges(dutch))
        key = key.lower()  # `KABINET` and `kabinet` both match "KABINET"
        if key in entries and entries[key].english != english:
            raise ConfigError(f"{path}:{number}: {dutch!r} is also on line {entries[key].line} with another English")
        entries.setdefault(key, entry)
        if len(entries) > MAX_ENTRIES:
            raise ConfigError(f"{path}:{number}: more than {MAX_ENTRIES} glossary entries")
    if not entries:
        log.warning("%s: the glossary has no terms", path)
    return Glossary(list(entries.values()), path.name)
