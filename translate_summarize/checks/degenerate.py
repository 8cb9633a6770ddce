"""The `degenerate` and `untranslated` checks: empty, looping, far too long or short, or copied output.

`degenerate_reason` is also what the translator uses to decide to retry a piece with safer settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import SequenceMatcher

from ..data import Check
from .base import DEFAULT_OPTIONS, DEGENERATE, UNTRANSLATED, CheckOptions, excerpt

_TOKEN = re.compile(r"\w+")
_CHAR_LOOP = re.compile(r"([^\W\d_]{1,4}?)\1{3,}", re.IGNORECASE)


def longest_repeat(text: str, max_n: int = 8) -> tuple[str, int]:
    """The n-gram (words) repeated back to back most often, and how often: ("no", 6) for "no, no, ..."."""
    tokens = [token.lower() for token in _TOKEN.findall(text)]
    best = ("", 1)
    best_score = 0
    size = len(tokens)
    for n in range(1, max_n + 1):
        # runs[i]: how many times the n-gram at i is repeated right after itself (0: not at all), from the
        # end backwards, so every start costs O(n) and not the length of its run (a 100 KB "nee nee nee ..."
        # was quadratic when each start walked its run again).
        runs = [0] * (size + n)
        for start in range(size - 2 * n, -1, -1):
            if tokens[start : start + n] == tokens[start + n : start + 2 * n]:
                runs[start] = runs[start + n] + 1
        for start in range(size - n):
            count = runs[start] + 1
            if count > 1 and count * n > best_score:
                best, best_score = (" ".join(tokens[start : start + n]), count), count * n
    return best


def _is_loop(gram: str, count: int) -> bool:
    words = len(gram.split())
    return count >= (4 if words == 1 else 3)


def length_ratio(source: str, target: str) -> float:
    """len(target)/len(source) in characters, smoothed so a few characters do not swing it."""
    return (len(target.strip()) + 10) / (len(source.strip()) + 10)


def is_copy(source: str, target: str) -> bool:
    """The target repeats the source (case, spacing and punctuation aside) and it has 3+ words to copy."""
    words_source = [w.lower() for w in _TOKEN.findall(source) if not w.isdigit()]
    words_target = [w.lower() for w in _TOKEN.findall(target) if not w.isdigit()]
    if len(words_source) < 3 or not words_target:
        return False
    if words_source == words_target:
        return True
    if len(words_source) < 6:
        return False
    # real_quick_ratio and quick_ratio are upper bounds of ratio (linear); only a near copy pays for ratio.
    matcher = SequenceMatcher(None, words_source, words_target)
    return matcher.real_quick_ratio() >= 0.9 and matcher.quick_ratio() >= 0.9 and matcher.ratio() >= 0.9


def degenerate_reason(
    source: str,
    target: str,
    *,
    copied: bool = False,
    min_ratio: float = DEFAULT_OPTIONS.min_length_ratio,
    max_ratio: float = DEFAULT_OPTIONS.max_length_ratio,
) -> str | None:
    """Why `target` is not a usable translation of `source`, or None.

    Reasons: empty, a repeated n-gram loop the source does not have, a repeated character run inside
    words ("onononon"), far longer or shorter than the source; with `copied=True` also a copy of the
    source (off by default: the translator must not retry every sentence of a copying test model).
    """
    if not _TOKEN.search(source):
        return None
    if not _TOKEN.search(target):
        return "is empty"
    gram, count = longest_repeat(target)
    if _is_loop(gram, count) and longest_repeat(source)[1] < count:
        return f"repeats ‘{gram}’ {count} times"
    loop = _CHAR_LOOP.search(target)
    if loop and not _CHAR_LOOP.search(source):
        return f"repeats ‘{loop.group(1)}’ in ‘{_word_around(target, loop.start())}’"
    ratio = length_ratio(source, target)
    if ratio > max_ratio:
        return f"is {ratio:.1f}× as long as its source"
    if ratio < min_ratio:
        return f"is only {ratio:.1f}× as long as its source"
    if copied and is_copy(source, target):
        return "is a copy of its source (not translated)"
    return None


def _word_around(text: str, index: int) -> str:
    start = text.rfind(" ", 0, index) + 1
    end = text.find(" ", index)
    word = text[start : end if end >= 0 else len(text)]
    return word if len(word) <= 30 else word[:29] + "…"


def check_degenerate(
    pairs: list[tuple[str, str, str]], options: CheckOptions = DEFAULT_OPTIONS, flagged: Mapping[str, str] | None = None
) -> list[Check]:
    warnings = []
    flagged = flagged or {}
    for where, source, target in pairs:
        reason = degenerate_reason(
            source, target, min_ratio=options.min_length_ratio, max_ratio=options.max_length_ratio
        )
        if reason:
            warnings.append(Check(DEGENERATE, False, f"{excerpt(source)}: the translation {reason}", where))
        elif source in flagged:
            warnings.append(
                Check(
                    DEGENERATE,
                    False,
                    f"{excerpt(source)}: the first translation {flagged[source]}; "
                    "it was translated again with safer settings, check it",
                    where,
                )
            )
    return warnings


def check_untranslated(pairs: list[tuple[str, str, str]]) -> list[Check]:
    message = "{}: the translation is a copy of the source (not translated)"
    return [
        Check(UNTRANSLATED, False, message.format(excerpt(source)), where)
        for where, source, target in pairs
        if is_copy(source, target)
    ]
