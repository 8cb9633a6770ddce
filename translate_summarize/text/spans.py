"""What of a sentence the model sees: protected spans kept away from it, long sentences cut at whitespace.

A sentence becomes a list of `Span`s whose texts, concatenated, give the sentence back byte for byte.
Spans with `translate=True` go to the model; the others are copied into the translation as they are:

- **protected spans**: URLs, e-mail addresses, @handles and #hashtags (`PROTECTED`). The sentence is
  split around them and the text either side is translated on its own, so a link can never come back
  changed. Placeholders were the other choice; a MarianMT model may drop, translate or move a
  placeholder, and then the span is lost, while a split costs some fluency at the seam only.
- **separators**: the whitespace around protected spans and between the pieces of a sentence longer
  than the model window, and pieces with no letters or digits (a lone "." after a URL).
- **over-long words**: a run of non-whitespace longer than the model window on its own is copied; a
  sentence is only ever cut at whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Top-level domains recognised in bare domain names (nos.nl/artikel/1, rijksoverheid.nl): the common
# ones in Dutch news; with a scheme or www. any domain is recognised.
_TLDS = "nl|be|com|org|net|eu|de|fr|uk|io|info|gov|edu|tv|nu|app|ai"
_TRAILING = ".,;:!?’”»'\"…"
_OPENING = {")": "(", "]": "["}
PROTECTED = re.compile(
    r"(?P<url>(?:https?://|ftp://|www\.)[^\s<>‘’“”«»\"]+"
    rf"|(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![\w-])(?:/[^\s<>‘’“”«»\"]*)?)"
    r"|(?P<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<handle>(?<![\w@])@\w{1,30})"
    r"|(?P<hashtag>(?<![\w#&])#[^\W\d_][\w]*)",
    re.IGNORECASE,
)
_HAS_WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Span:
    """A slice of a sentence and whether the model translates it (False: copied verbatim)."""

    text: str
    translate: bool


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of URLs, e-mail addresses, @handles and #hashtags in `text`.

    Sentence punctuation after a URL (`… zie nos.nl.`) is not part of it; a closing bracket is only
    when the URL has the opening one (`…/Hilversum_(stad)`).
    """
    spans = []
    for match in PROTECTED.finditer(text):
        start, end = match.span()
        if match.group("url"):
            while end > start and text[end - 1] in _TRAILING + ")]":
                closer = text[end - 1]
                if closer in _OPENING and text.count(_OPENING[closer], start, end) >= text.count(closer, start, end):
                    break  # the URL's own bracket: …/Hilversum_(stad)
                end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _whitespace_split(text: str, translate: bool) -> list[Span]:
    """`text` as spans with its leading and trailing whitespace apart (never translated)."""
    core = text.strip()
    if not core:
        return [Span(text, False)] if text else []
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    spans = [Span(lead, False)] if lead else []
    spans.append(Span(core, translate and bool(_HAS_WORD.search(core))))
    if trail:
        spans.append(Span(trail, False))
    return spans


def cut_at_whitespace(text: str, count: Callable[[str], int], limit: int) -> list[Span]:
    """`text` (no outer whitespace) as pieces of at most `limit` tokens, cut only at whitespace.

    Cuts prefer clause ends (after , ; : – —), then any whitespace; the whitespace at each cut is its
    own untranslated span, so joining all spans gives `text` back exactly. A word over `limit` on its
    own is copied, untranslated.
    """
    if count(text) <= limit:
        return [Span(text, True)]
    words = re.split(r"(\s+)", text)  # words at even indexes, the whitespace between at odd ones
    pieces: list[Span] = []
    start = 0
    while start < len(words):
        if count(words[start]) > limit:
            pieces.append(Span(words[start], False))
            end = start + 1
        else:
            end = start + 1
            best = end
            while end + 2 <= len(words) and count("".join(words[start : end + 2])) <= limit:
                end += 2
                if re.search(r"[,;:–—]$", words[end - 1]):
                    best = end
            # Cut at the last clause end that keeps the piece at least half full, else at the last word.
            if end < len(words) and best != end and len("".join(words[start:best])) * 2 >= len("".join(words[start:end])):
                end = best
            pieces.append(Span("".join(words[start:end]), True))
        if end < len(words):
            pieces.append(Span(words[end], False))
        start = end + 1
    return pieces


def plan(sentence: str, count: Callable[[str], int], limit: int) -> list[Span]:
    """The spans of `sentence`: protected ones copied, the rest cut to fit `limit` tokens.

    `"".join(span.text for span in plan(...)) == sentence` always holds.
    """
    out: list[Span] = []
    position = 0
    for start, end in [*protected_spans(sentence), (len(sentence), len(sentence))]:
        for span in _whitespace_split(sentence[position:start], True):
            out.extend(cut_at_whitespace(span.text, count, limit) if span.translate else [span])
        if end > start:
            out.append(Span(sentence[start:end], False))
        position = end
    return out
