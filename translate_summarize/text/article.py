"""Turn article text into an `Article`: metadata, title, paragraphs, subheadings and list items, in order.

Dutch news exports put metadata on the first line (` date 2021-09`) directly before the first paragraph,
often a title line first, separate paragraphs by blank lines and mark subheadings as short lines
without final punctuation.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..data import Article, Block, BlockKind
from .layout import chunk_blocks, is_subheading

__all__ = ["parse_article", "is_subheading"]

# ` date 2021-09 Chinese automakers ...`: the prefix ends where the date ends.
_METADATA = re.compile(r"^\s*date\s+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s+|$)", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n+")
HEADLINE_MAX_WORDS = 20
# A headline may end in ? ! … or a closing quote, never in a full stop, and never in what continues.
_CONTINUES = tuple(",;:-–—(")


def _is_headline(text: str, rest: list[Block]) -> bool:
    """A first line set apart by a blank line is the title when it reads as one: at most
    `HEADLINE_MAX_WORDS` words, no final full stop (`Wie betaalt de sluis?`, `Burgemeester: ‘Nooit
    meer’` are titles; a lead ending in `.` is not), nothing that continues into the next block, and
    short beside the body (under half its text)."""
    core = text.rstrip("’”»\"')")
    body = sum(len(block.text) for block in rest)
    return (
        bool(rest)
        and len(text.split()) <= HEADLINE_MAX_WORDS
        and not (core.endswith(".") and not core.endswith(".."))
        and not core.endswith(_CONTINUES)
        and not rest[0].text[:1].islower()
        and len(text) * 2 <= body
    )


def parse_article(text: str, path: Path, *, encoding: str = "utf-8", language: str = "nl") -> Article:
    """Split normalised article text into blocks; keeps every character of content, drops only layout.

    Blank lines separate chunks; inside a chunk (the whole text when it has no blank line) hard-wrapped
    lines are reflowed and list items, headings and paragraph ends kept apart (`layout.chunk_blocks`).
    A leading heading-like line followed by more text is the article's title (`BlockKind.TITLE`), and so
    is a first line on its own that reads as a headline (`_is_headline`: a question, a quote, up to 20
    words); later heading-like lines are subheadings.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    date = None
    match = _METADATA.match(text)
    if match:
        date = match.group("date")
        text = text[match.end() :]
    body = text.strip()
    found = [found for chunk in _BLANK_LINE.split(body) for found in chunk_blocks(chunk)]
    blocks = [block for block, _ in found]
    # A lone block that looks like a heading is still the article's text, not a heading.
    if len(blocks) == 1 and blocks[0].kind is BlockKind.SUBHEADING:
        blocks[0] = Block(BlockKind.PARAGRAPH, blocks[0].text)
    elif len(blocks) > 1 and blocks[0].kind is BlockKind.SUBHEADING:
        # `Volgens de brandweer` ⏎⏎ `was het …` and `… GEMEENTEN BOOS -` continue into what follows.
        continues = blocks[1].text[:1].islower() or blocks[0].text.endswith(_CONTINUES)
        blocks[0] = Block(BlockKind.PARAGRAPH if continues else BlockKind.TITLE, blocks[0].text)
    elif blocks and blocks[0].kind is BlockKind.PARAGRAPH and found[0][1] == 1 and _is_headline(blocks[0].text, blocks[1:]):
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
