"""The checks made linear for long articles (#19) report what they did before.

Each rewritten step is compared with the code it replaced (kept here, verbatim but for names, as the
reference) on crafted and random inputs, and on long texts where the new paths (word index, byte map,
run counts) take over. No timings: `bench/bench_checks.py` measures those.
"""

from __future__ import annotations

import math
import random
import re
from difflib import SequenceMatcher

import pytest

from translate_summarize.checks import degenerate, names, numbers
from translate_summarize.checks.names import EXONYMS, Target, contains_word, extract_names, name_survives
from translate_summarize.checks.numbers import _IN_CHAIN, _PATTERNS, extract_facts, missing_numbers, number_keys
from translate_summarize.eval.harness import load_pairs

PAIRS = load_pairs()
ENGLISH = " ".join(en for _, en in PAIRS)  # ~17 KB: long enough for the indexed path of Target
DUTCH = " ".join(nl for nl, _ in PAIRS)


# --- the replaced code ---------------------------------------------------------------------------


def old_longest_repeat(text: str, max_n: int = 8) -> tuple[str, int]:
    tokens = [token.lower() for token in re.findall(r"\w+", text)]
    best = ("", 1)
    best_score = 0
    for n in range(1, max_n + 1):
        for start in range(len(tokens) - n):
            gram = tokens[start : start + n]
            count = 1
            while tokens[start + count * n : start + (count + 1) * n] == gram:
                count += 1
            if count > 1 and count * n > best_score:
                best, best_score = (" ".join(gram), count), count * n
    return best


def old_contains_word(target: str, word: str, *, ignore_case: bool = False) -> bool:
    for needle, haystack in ((word, target), (names._strip_accents(word), names._strip_accents(target))):
        if ignore_case and needle[:1].isupper():
            body = rf"{re.escape(needle[0])}(?i:{re.escape(needle[1:])})"
            flags = 0
        else:
            body, flags = re.escape(needle), re.IGNORECASE if ignore_case else 0
        if re.search(rf"(?<!\w){body}(?!\w)", haystack, flags):
            return True
    return False


def old_name_survives(name: str, target: str) -> bool:
    if name in EXONYMS and any(old_contains_word(target, alt, ignore_case=True) for alt in EXONYMS[name]):
        return True
    candidates = [name]
    if name.endswith(("'s", "’s")):
        candidates.append(name[:-2])
    elif name.endswith("s") and len(name) > 3:
        candidates.append(name[:-1])
    if any(old_contains_word(target, candidate) for candidate in candidates):
        return True
    if "-" in name and all(
        old_name_survives(part, target) for part in name.split("-") if part[:1].isupper() and len(part) > 1
    ):
        return True
    plain = names._strip_accents(name)
    share = 0.4 if names._DUTCH_DERIVED.search(name) else 0.6
    need = max(4, math.ceil(len(plain) * share))
    for word in re.findall(r"\w+", names._strip_accents(target)):
        if not word[:1].isupper():
            continue
        if names._common_prefix(word, plain) >= need or (len(plain) >= 4 and word.startswith(plain)):
            return True
    return False


def old_starts_clause(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    if not before:
        return True
    return before[-1] in names._OPENING or before[-1] in ".!?:"


def old_extract_names(text: str, language: str = "nl") -> list[str]:
    stopwords = names._DUTCH_STOPWORDS if language == "nl" else names._ENGLISH_STOPWORDS
    found: list[tuple[int, str]] = []
    consumed: list[tuple[int, int]] = []
    if language == "nl":
        for phrase in names._PHRASES:
            for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
                if not any(s < match.end() and match.start() < e for s, e in consumed):
                    consumed.append(match.span())
                    found.append((match.start(), phrase))
    titles = names._quoted_titles(text, stopwords)
    for match in names._WORD.finditer(text):
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
            if language == "nl" and lower in numbers.MONTHS:
                continue
            acronym = piece.isupper()
            at_start = index == 0 and old_starts_clause(text, start)
            if at_start and not acronym and start not in titles:
                continue
            found.append((start, piece))
    result: list[str] = []
    for _start, name in sorted(found):
        if name not in result:
            result.append(name)
    return result


# The spaced-thousands pattern as it was: the new one only adds the chain guard in front.
OLD_SPACED = re.compile(_PATTERNS["spaced"].pattern.replace(f"(?!{_IN_CHAIN}\\d{{3}})", "", 1), re.IGNORECASE)


# --- degenerate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no",
        "no, no, no, no, no",
        "nee nee nee nee nee nee de kat de kat de kat de kat",
        "a b a b a b c c c c c c c c c",
        "the cat sat the cat sat the cat sat on the mat on the mat",
        "een twee drie een twee drie een twee drie een twee drie een",
        " ".join(["nee"] * 300),
        " ".join(["de kat zat"] * 40 + ["op de mat"] * 41),
        ENGLISH[:3000],
    ],
)
def test_longest_repeat_as_before(text):
    assert degenerate.longest_repeat(text) == old_longest_repeat(text)
    assert degenerate.longest_repeat(text, max_n=3) == old_longest_repeat(text, max_n=3)


def test_longest_repeat_as_before_on_random_runs():
    rng = random.Random(19)
    for _ in range(400):
        words = []
        while len(words) < rng.randrange(1, 80):
            gram = [rng.choice("a b c d".split()) for _ in range(rng.randrange(1, 5))]
            words.extend(gram * rng.randrange(1, 6))
        text = " ".join(words)
        assert degenerate.longest_repeat(text) == old_longest_repeat(text), text


def test_is_copy_as_before():
    def old_is_copy(source, target):
        words_source = [w.lower() for w in re.findall(r"\w+", source) if not w.isdigit()]
        words_target = [w.lower() for w in re.findall(r"\w+", target) if not w.isdigit()]
        if len(words_source) < 3 or not words_target:
            return False
        if words_source == words_target:
            return True
        return len(words_source) >= 6 and SequenceMatcher(None, words_source, words_target).ratio() >= 0.9

    rng = random.Random(7)
    cases = [(nl, en) for nl, en in PAIRS[:40]] + [(nl, nl) for nl, _ in PAIRS[:10]]
    for nl, _ in PAIRS[:60]:
        words = nl.split()
        for _ in range(3):  # near copies: a word or two changed, dropped or added
            edited = list(words)
            for _ in range(rng.randrange(1, 3)):
                edited[rng.randrange(len(edited))] = rng.choice(["de", "the", "xyz", ""])
            cases.append((nl, " ".join(edited)))
    for source, target in cases:
        assert degenerate.is_copy(source, target) == old_is_copy(source, target), (source, target)


# --- numbers -------------------------------------------------------------------------------------


def test_spaced_pattern_as_before_on_random_text():
    rng = random.Random(3)
    alphabet = ["0", "1", "2", "5", " ", " ", " ", ".", ",", "a", "%", "\n", "(", " miljoen", " procent", "000", "000 "]
    new = _PATTERNS["spaced"]
    assert new.pattern != OLD_SPACED.pattern
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        old = [(m.span(), m.groupdict()) for m in OLD_SPACED.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in new.finditer(text)] == old, repr(text)
    chain = "1 " + "000 " * 300 + "12, 9999 12 345 en ,123 456 789 en 5 12 345"
    assert [m.span() for m in new.finditer(chain)] == [m.span() for m in OLD_SPACED.finditer(chain)]


def _facts(text, language):
    return [(fact.text, fact.label, sorted(fact.keys)) for fact in extract_facts(text, language)]


# (text, number_keys, extract_facts nl, extract_facts en) of the code before #19: overlapping
# constructs (the lenient reading adds written numbers over spans already taken), abbreviated months
# before a year or not, a spaced chain that fails at its end.
NUMBER_GOLDEN = [('Op 3 sept. 2021 om 14.30 uur kwamen 1 000 000 mensen, twenty-one procent, en op 3 maart nog eens 12,5 '
  'miljoen.',
  ['d:3-3',
   'd:9-3',
   'm:3',
   'm:9',
   'n:0',
   'n:1',
   'n:1000000',
   'n:12.5',
   'n:12500000',
   'n:2021',
   'n:21',
   'n:3',
   't:2:30'],
  [('3 sept.', '3 September', ['d:9-3']),
   ('2021', '2021', ['n:2021']),
   ('14.30 uur', '14:30', ['t:2:30']),
   ('1 000 000', '1,000,000', ['n:1000000']),
   ('3 maart', '3 March', ['d:3-3']),
   ('12,5 miljoen.', '12,500,000', ['n:12500000'])],
  [('3 sept.', '3 September', ['d:9-3']),
   ('2021', '2021', ['n:2021']),
   ('14.30 uur', '14:30', ['t:2:30']),
   ('1 000 000', '1,000,000', ['n:1000000']),
   ('3 maart', '3 March', ['d:3-3']),
   ('12,5 miljoen.', '12,500,000', ['n:12500000'])]),
 ('In the ’90s, on March 3rd at 9 a.m., three hundred people paid €5m; Jan. 2020 and jan 3 and Sept. 2021 '
  'and dec.',
  ['d:3-3',
   'm:1',
   'm:3',
   'm:9',
   'n:100',
   'n:1990',
   'n:2020',
   'n:2021',
   'n:2090',
   'n:3',
   'n:5',
   'n:5000000',
   'n:9',
   'n:90',
   't:9:00'],
  [('’90s', '’90', ['n:1990', 'n:2090', 'n:90']),
   ('March 3rd', '3 March', ['d:3-3']),
   ('9 a.m.', '9:00', ['n:9', 't:9:00']),
   ('5m', '5', ['n:5']),
   ('Jan.', 'January', ['m:1']),
   ('2020', '2020', ['n:2020']),
   ('3', '3', ['n:3']),
   ('Sept.', 'September', ['m:9']),
   ('2021', '2021', ['n:2021'])],
  [('’90s', '’90', ['n:1990', 'n:2090', 'n:90']),
   ('March 3rd', '3 March', ['d:3-3']),
   ('9 a.m.', '9:00', ['n:9', 't:9:00']),
   ('5m', '5', ['n:5']),
   ('Jan.', 'January', ['m:1']),
   ('2020', '2020', ['n:2020']),
   ('3', '3', ['n:3']),
   ('Sept.', 'September', ['m:9']),
   ('2021', '2021', ['n:2021'])]),
 ('1 000 000 000 12 en 5 000 en 10 000 procent en 1.234,56 en 2.30pm',
  ['n:0', 'n:1', 'n:10', 'n:12', 'n:1234.56', 'n:5', 'n:5000', 'p:10000', 't:2:30'],
  [('1', '1', ['n:1']),
   ('000', '0', ['n:0']),
   ('000', '0', ['n:0']),
   ('000', '0', ['n:0']),
   ('12', '12', ['n:12']),
   ('5 000', '5000', ['n:5000']),
   ('10 000 procent', '10000%', ['p:10000']),
   ('1.234,56', '1234.56', ['n:1234.56']),
   ('2.30pm', '14:30', ['t:2:30'])],
  [('1', '1', ['n:1']),
   ('000', '0', ['n:0']),
   ('000', '0', ['n:0']),
   ('000', '0', ['n:0']),
   ('12', '12', ['n:12']),
   ('5 000', '5000', ['n:5000']),
   ('10 000 procent', '10000%', ['p:10000']),
   ('1.234,56', '1234.56', ['n:1234.56']),
   ('2.30pm', '14:30', ['t:2:30'])]),
 ('twenty twenty-one first 3 september 4th of July 2021 100 200',
  ['d:7-4',
   'd:9-3',
   'm:7',
   'm:9',
   'n:1',
   'n:100',
   'n:100200',
   'n:20',
   'n:200',
   'n:2021',
   'n:21',
   'n:3',
   'n:4'],
  [('3 september', '3 September', ['d:9-3']),
   ('4th of July', '4 July', ['d:7-4']),
   ('2021', '2021', ['n:2021']),
   ('100 200', '100,200', ['n:100200'])],
  [('3 september', '3 September', ['d:9-3']),
   ('4th of July', '4 July', ['d:7-4']),
   ('2021', '2021', ['n:2021']),
   ('100 200', '100,200', ['n:100200'])])]


@pytest.mark.parametrize("case", range(len(NUMBER_GOLDEN)))
def test_numbers_as_before(case):
    text, keys, facts_nl, facts_en = NUMBER_GOLDEN[case]
    assert sorted(number_keys(text)) == keys
    assert _facts(text, "nl") == facts_nl
    assert _facts(text, "en") == facts_en


def test_missing_numbers_in_order_once():
    source = "Zij betaalde 12 euro, toen 12 euro en daarna 7 euro en 12 euro."
    missing = missing_numbers(source, "She paid.")
    assert [fact.text for fact in missing] == ["12", "7"]


# --- names ---------------------------------------------------------------------------------------


def _names_of(text, language):
    return old_extract_names(text, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_extract_names_as_before(language):
    texts = [nl for nl, _ in PAIRS] if language == "nl" else [en for _, en in PAIRS]
    long_text = DUTCH if language == "nl" else ENGLISH
    for text in texts + [long_text, "Den Haag Den Haag in Den Haag. ‘Den Haag’ en Tweede Kamer   Tweede Kamer", "  ‘Ik’ en Musk"]:
        assert extract_names(text, language) == _names_of(text, language), text


def test_name_survives_and_contains_word_as_before():
    english = ENGLISH + " Zürich Musk’s Tesla-baas U.S. Willem-Alexander"
    read = Target(english)
    candidates = set()
    for nl, en in PAIRS:
        candidates.update(old_extract_names(nl, "nl"))
        candidates.update(old_extract_names(en, "en"))
    candidates.update(["Zurich", "Zürich", "Musks", "Musk", "Tesla", "Tes", "Amerikaanse", "Groningse", "U.S", "Xyzzy", "’s", "Willem-Alexander"])
    candidates.update(EXONYMS)
    for name in sorted(candidates):
        expected = old_name_survives(name, english)
        assert name_survives(name, read) == expected, name
        assert name_survives(name, english) == expected, name
        assert contains_word(read, name) == old_contains_word(english, name), name
        assert contains_word(read, name, ignore_case=True) == old_contains_word(english, name, ignore_case=True), name
    for nl, en in PAIRS:  # sentence-sized targets: the plain search path
        for name in old_extract_names(nl, "nl"):
            assert name_survives(name, en) == old_name_survives(name, en), (name, en)
