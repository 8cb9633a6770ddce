"""Turn article text into an `Article`: metadata, paragraphs and subheadings, in order.

Dutch news exports put metadata on the first line (` date 2021-09`) directly before the first paragraph,
separate paragraphs by blank lines and mark subheadings as short lines without final punctuation.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .data import Article, Block, BlockKind

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


def parse_article(text: str, path: Path, *, encoding: str = "utf-8", language: str = "nl") -> Article:
    """Split normalised article text into blocks; keeps every character of content, drops only layout."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    date = None
    match = _METADATA.match(text)
    if match:
        date = match.group("date")
        text = text[match.end() :]
    body = text.strip()
    # Without any blank line, each line is taken as its own paragraph (a common export format).
    chunks = _BLANK_LINE.split(body) if _BLANK_LINE.search(body) else body.splitlines()
    blocks = []
    for chunk in chunks:
        lines = [" ".join(line.split()) for line in chunk.splitlines()]
        joined = " ".join(line for line in lines if line)
        if not joined:
            continue
        kind = BlockKind.SUBHEADING if is_subheading(joined) and len(lines) == 1 else BlockKind.PARAGRAPH
        blocks.append(Block(kind, joined))
    # A lone block that looks like a heading is still the article's text, not a heading.
    if len(blocks) == 1 and blocks[0].kind is BlockKind.SUBHEADING:
        blocks[0] = Block(BlockKind.PARAGRAPH, blocks[0].text)
    return Article(
        path=path,
        name=path.name,
        blocks=tuple(blocks),
        date=date,
        encoding=encoding,
        language=language,
        sha256=digest,
    )
