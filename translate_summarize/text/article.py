"""Turn article text into an `Article`: metadata, title, paragraphs and subheadings, in order.

Dutch news exports put metadata on the first line (` date 2021-09`) directly before the first paragraph,
often a title line first, separate paragraphs by blank lines and mark subheadings as short lines
without final punctuation.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..data import Article, Block, BlockKind
from .sentences import starts_sentence

# ` date 2021-09 Chinese automakers ...`: the prefix ends where the date ends.
_METADATA = re.compile(r"^\s*date\s+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s+|$)", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n+")
_FINAL_PUNCTUATION = tuple(".!?:;…,\"'”’»)]")
SUBHEADING_MAX_CHARS = 80
SUBHEADING_MAX_WORDS = 10


def is_subheading(text: str) -> bool:
    """A one-line block, short, without final punctuation: how the sources mark section headings."""
    return (
        "\n" not in text
        and len(text) <= SUBHEADING_MAX_CHARS
        and len(text.split()) <= SUBHEADING_MAX_WORDS
        and not text.endswith(_FINAL_PUNCTUATION)
    )


def _heading_line(line: str, following: str, width: int) -> bool:
    """A heading line set directly above its text (no blank line between): short, unpunctuated, and
    followed by a line that starts a sentence. Hard-wrapped prose has lines near the chunk's full
    `width`, so a heading must also be well short of it."""
    return is_subheading(line) and starts_sentence(following) and len(line) <= 0.7 * width


def _blocks(chunk: str) -> list[Block]:
    """One chunk between blank lines as blocks: leading heading lines apart, the rest one paragraph."""
    lines = [" ".join(line.split()) for line in chunk.splitlines()]
    lines = [line for line in lines if line]
    blocks = []
    width = max((len(line) for line in lines), default=0)
    while len(lines) > 1 and _heading_line(lines[0], lines[1], width):
        blocks.append(Block(BlockKind.SUBHEADING, lines.pop(0)))
    if lines:
        joined = " ".join(lines)
        kind = BlockKind.SUBHEADING if len(lines) == 1 and is_subheading(joined) else BlockKind.PARAGRAPH
        blocks.append(Block(kind, joined))
    return blocks


def parse_article(text: str, path: Path, *, encoding: str = "utf-8", language: str = "nl") -> Article:
    """Split normalised article text into blocks; keeps every character of content, drops only layout.

    A leading heading-like line followed by more text is the article's title (`BlockKind.TITLE`);
    later heading-like lines are subheadings, whether a blank line or only a line break separates
    them from their text.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    date = None
    match = _METADATA.match(text)
    if match:
        date = match.group("date")
        text = text[match.end() :]
    body = text.strip()
    # Without any blank line, each line is taken as its own paragraph (a common export format).
    chunks = _BLANK_LINE.split(body) if _BLANK_LINE.search(body) else body.splitlines()
    blocks = [block for chunk in chunks for block in _blocks(chunk)]
    # A lone block that looks like a heading is still the article's text, not a heading.
    if len(blocks) == 1 and blocks[0].kind is BlockKind.SUBHEADING:
        blocks[0] = Block(BlockKind.PARAGRAPH, blocks[0].text)
    elif len(blocks) > 1 and blocks[0].kind is BlockKind.SUBHEADING:
        blocks[0] = Block(BlockKind.TITLE, blocks[0].text)
    return Article(
        path=path,
        name=path.name,
        blocks=tuple(blocks),
        date=date,
        encoding=encoding,
        language=language,
        sha256=digest,
    )
