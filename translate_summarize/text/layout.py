"""Line structure of plain text: which line breaks are layout (a hard wrap) and which are structure.

A paragraph is what blank lines separate. Inside such a chunk (or in a file without any blank line,
the whole text) each single line break is decided from the text itself:

- **structure** when the line above is a heading (short, unpunctuated, above a line that starts a
  sentence), when either line is a list item, when the next line is indented as a new paragraph is,
  or when the line ends a sentence and is *short*: had the writer's wrapping ended the paragraph
  there, the next line's first word would have fit on it (the fit test reflow tools such as `par`
  and `fmt` rely on: a line shorter than the wrap width by more than the next word ends a paragraph);
- **layout** when the line ends mid-sentence (`text/sentences.is_boundary` says no sentence ends
  there: no final punctuation, or an abbreviation), or ends a sentence but is as long as the wrap
  width allows. The wrap width is the longest line that ends mid-sentence, so a file with one
  paragraph per line (every line ends a sentence) keeps one paragraph per line.

Lines joined by a hard wrap get one space, except after a hyphen that joins a compound
(`Noord-⏎Holland` is `Noord-Holland`; `Noord-⏎en Zuid-Holland` keeps its space). A soft hyphen at a
line end (`voetbal\\u00ad⏎velden`) is joined earlier, by `reader.normalise`.

List items start with a bullet (`•`, `-`, `*`, `–`, …), a number (`1.`, `2)`) or a letter (`a)`),
after a line that ends a sentence or an intro ending in `:` (never in mid-sentence, where a wrapped
line may start with a dash); an item's wrapped lines are those indented under it or continuing its
unfinished sentence in lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..data import Block, BlockKind
from .sentences import is_boundary, starts_sentence

SUBHEADING_MAX_CHARS = 80
SUBHEADING_MAX_WORDS = 10
# The share of a chunk's line breaks that must fall mid-sentence before its lines count as hard-wrapped.
WRAP_EVIDENCE = 0.3
_FINAL_PUNCTUATION = tuple(".!?:;…,\"'”’»)]")
_CLOSERS = "’”»\"')]"
# A list item's marker, then at least one space and the item's text.
_MARKER = r"(?P<marker>[•·▪◦‣●○■□►✓✔*+\-–—]|\d{1,3}[.)]|[a-zA-Z]\))"
_ITEM = re.compile(_MARKER + r"[ ]+(?P<text>\S.*)$")
_EMPTY_ITEM = re.compile(_MARKER + r"$")  # a marker without text (`- `): an empty item, left out
# A hyphen that joins a compound across a line end, unless the next word coordinates (Noord- en Zuid-).
_COMPOUND_BREAK = re.compile(r"\w-$")
_COORDINATOR = re.compile(r"^(?:en|of|tot|noch|and|or)\b")


def is_subheading(text: str) -> bool:
    """A one-line block, short, without final punctuation: how the sources mark section headings."""
    return (
        "\n" not in text
        and len(text) <= SUBHEADING_MAX_CHARS
        and len(text.split()) <= SUBHEADING_MAX_WORDS
        and not text.endswith(_FINAL_PUNCTUATION)
    )


@dataclass(frozen=True)
class Line:
    """One non-blank line of a chunk: its text without surrounding spaces and its indent (characters)."""

    text: str
    indent: int

    @property
    def item(self) -> re.Match[str] | None:
        return _ITEM.match(self.text)


def _lines(chunk: str) -> list[Line]:
    raw = [line.rstrip() for line in chunk.split("\n")]
    lines = [Line(" ".join(line.split()), len(line) - len(line.lstrip())) for line in raw if line.strip()]
    base = min((line.indent for line in lines), default=0)
    return [Line(line.text, line.indent - base) for line in lines]


def _ends_open(text: str) -> bool:
    """A line that leaves its sentence unfinished: no final punctuation, not even a colon."""
    return not text.rstrip(_CLOSERS).endswith((".", "!", "?", "…", ":", ";"))


def _heading(line: Line, following: Line, width: int) -> bool:
    """A heading line set directly above its text: short, unpunctuated, followed by a line that
    starts a sentence, and well short of the chunk's `width` (hard-wrapped prose fills it)."""
    return (
        is_subheading(line.text)
        and not line.text.endswith("-")
        and following.item is None
        and starts_sentence(following.text)
        and len(line.text) <= 0.7 * width
    )


def _wrap_width(lines: list[Line], width: int) -> int | None:
    """The column the text was wrapped at: the longest line that ends mid-sentence (not a heading,
    not a list item). None when the chunk is not hard-wrapped: fewer than `WRAP_EVIDENCE` of its line
    breaks fall mid-sentence (a file of one sentence or paragraph per line has at most a stray one,
    a line without its final full stop; wrapped prose has most of them)."""
    breaks = list(zip(lines, lines[1:]))
    widths = [
        len(line.text)
        for line, following in breaks
        if line.item is None
        and following.item is None
        and not _heading(line, following, width)
        and not is_boundary(line.text, following.text)
    ]
    return max(widths) if widths and len(widths) >= WRAP_EVIDENCE * len(breaks) else None


def _join(parts: list[str]) -> str:
    """Wrapped lines as one line: one space between them, none after a compound's hyphen."""
    pieces = [parts[0]]
    for before, part in zip(parts, parts[1:]):
        pieces.append("" if _COMPOUND_BREAK.search(before[-2:]) and part[:1].isalpha() and not _COORDINATOR.match(part) else " ")
        pieces.append(part)
    return "".join(pieces)


def chunk_blocks(chunk: str) -> list[tuple[Block, int]]:
    """One chunk of text between blank lines as blocks, each with the number of lines it was made of.

    A block of one short unpunctuated line is a SUBHEADING (`parse_article` decides about the title);
    list items are LIST_ITEM blocks with their marker; the rest PARAGRAPH blocks, reflowed.
    """
    lines = _lines(chunk)
    width = max((len(line.text) for line in lines), default=0)
    wrap = _wrap_width(lines, width)
    runs: list[tuple[list[Line], str | None]] = []  # the lines of each block, and a list item's marker
    for line in lines:
        previous = runs[-1][0][-1] if runs else None
        if _EMPTY_ITEM.match(line.text) and (previous is None or runs[-1][1] is not None or not _ends_open(previous.text)):
            continue  # an empty item between items (or after an intro) neither ends the list nor is text
        match = line.item
        if match and (previous is None or not _ends_open(previous.text) or runs[-1][1] is not None):
            runs.append(([Line(match.group("text"), line.indent)], match.group("marker")))
        elif previous is None:
            runs.append(([line], None))
        elif runs[-1][1] is not None:  # the line after a list item: its wrapped text, or the list ends
            first = runs[-1][0][0]
            continues = line.indent > first.indent or (_ends_open(previous.text) and line.text[:1].islower())
            if continues:
                runs[-1][0].append(line)
            else:
                runs.append(([line], None))
        elif _layout_break(previous, line, width, wrap, starts_block=len(runs[-1][0]) == 1):
            runs[-1][0].append(line)
        else:
            runs.append(([line], None))
    blocks = []
    for run, marker in runs:
        text = _join([line.text for line in run])
        if marker is not None:
            blocks.append((Block(BlockKind.LIST_ITEM, text, marker), len(run)))
        else:
            kind = BlockKind.SUBHEADING if len(run) == 1 and is_subheading(text) else BlockKind.PARAGRAPH
            blocks.append((Block(kind, text), len(run)))
    return blocks


def _layout_break(line: Line, following: Line, width: int, wrap: int | None, *, starts_block: bool) -> bool:
    """Whether the break between two text lines is a hard wrap (join them) rather than structure.
    `starts_block`: `line` is the first line of its block (only such a line can be a heading)."""
    if (starts_block and _heading(line, following, width)) or following.indent > line.indent:
        return False
    if not is_boundary(line.text, following.text):
        # Mid-sentence; in a chunk that is not hard-wrapped only a line without final punctuation
        # surely is (`op X.` above `Supporters` may end a sentence of a one-sentence-per-line file).
        return wrap is not None or _ends_open(line.text)
    if wrap is None or len(line.text) > wrap:
        return False
    first_word = following.text.split(" ", 1)[0]
    return len(line.text) + 1 + len(first_word) > wrap
