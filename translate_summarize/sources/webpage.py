"""Saved or fetched web pages: the article's title, paragraphs and subheadings, and where it came from.

`looks_like_web_page(data)` tells a whole HTML document from plain text, Markdown, an HTML fragment
or a feed, by content (not by file name). `extract_page(html, url)` runs trafilatura on it in its
precision mode (navigation, cookie banners, related links, ads, share buttons, comments and footers
left out; tables and images too) and returns a `Page`:

- `blocks`: the title (`BlockKind.TITLE`, from the page's metadata: og:title, JSON-LD headline, <h1>
  or <title> without the site's suffix), then paragraphs and subheadings in page order. Headings are
  subheadings because the page marks them (<h2>...<h6>), whatever their length or punctuation, so
  nothing depends on `text.article.is_subheading` guessing. List items and quotes are paragraphs.
  Paragraphs led by "Lees ook:" / "Bekijk ook:" and the like, and a "Lees ook" heading with the list
  under it, are dropped: trafilatura keeps such lines when they sit inside the article's body.
- `source`: `data.Source` with the canonical URL (<link rel=canonical> or og:url, else the URL the page
  was fetched from), the site's name, the author and the publication date (ISO 8601, `YYYY-MM-DD`).
- `text`: the blocks as the project's article text (title line, blank-line separated blocks), for
  language detection and hashing; `article(path, language)` the `data.Article` built from the blocks.

Raises `errors.InputError(name, "has no article text that could be extracted")` for a page that is
not one article (`article_page.is_article_page`: a search page, a front page, a cookie wall, a menu)
or where trafilatura finds no article, and InputError for bytes that cannot be decoded.

Deeply nested pages (issue #19) are flattened first (`nesting.flatten_wrappers`). Sizes are in
characters unless they say bytes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..data import Article, Block, BlockKind, Source
from ..errors import InputError
from ..text.reader import decode, normalise
from .article_page import is_article_page
from .nesting import flatten_wrappers

NO_ARTICLE = "has no article text that could be extracted"
SNIFF_CHARS = 4096  # a document's start: where <!DOCTYPE>, <html> and <meta charset> must be
_DOCUMENT_START = re.compile(
    r"^(?:\ufeff)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html\b|html\b)", re.IGNORECASE | re.DOTALL
)
_PAGE_BODY = re.compile(r"<(?:body|article|main|p)\b", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# "Lees ook: <link>", "Bekijk ook >", "Read more:": a pointer to another article, not this one's text.
_POINTER = re.compile(
    r"^(?:lees|bekijk|kijk|luister|zie|check)\s+(?:ook|meer|hier|verder|de\s+video)\b\s*(?:[:>»|\-–—]|$)"
    r"|^(?:ook\s+interessant|meer\s+(?:nieuws|lezen|over\s+dit\s+onderwerp)|gerelateerd\w*|related|read\s+(?:more|also)"
    r"|see\s+also)\b\s*(?:[:>»|\-–—]|$)",
    re.IGNORECASE,
)
_HEADING_TAGS = frozenset({"head", "h1", "h2", "h3", "h4", "h5", "h6"})
_ITEM_TAGS = frozenset({"item", "li", "dd", "dt"})
_LIST_ITEM_TAGS = frozenset({"item", "li"})  # a list's items; a definition list's dd/dt stay paragraphs
_PARAGRAPH_TAGS = frozenset({"p", "code", "pre", "summary"}) | _ITEM_TAGS
# Containers: their blocks are walked; one that holds only text is a paragraph of its own.
_CONTAINER_TAGS = frozenset("body div section article main quote blockquote list ul ol dl".split())
_SKIP_TAGS = frozenset(
    """graphic img figure table script style noscript template iframe object embed svg canvas form button
    input select textarea nav aside footer header video audio source picture map""".split()
)
_BREAK_TAGS = frozenset({"lb", "br"})


_ADJACENT_BREAKS = re.compile(r"(<br\s*/?>)(?=<br\b)", re.IGNORECASE)
_LINE = "\u2028"  # a line break while an element's text is gathered (Unicode's LINE SEPARATOR)


@dataclass(frozen=True)
class Page:
    """An extracted article: its blocks (title first, when there is one) and its `Source`."""

    blocks: tuple[Block, ...]
    source: Source
    encoding: str = "utf-8"

    @property
    def title(self) -> str | None:
        return self.blocks[0].text if self.blocks and self.blocks[0].kind is BlockKind.TITLE else None

    @property
    def text(self) -> str:
        """The article text in the project's convention: one block per blank-line separated chunk, a
        list item after its marker (`• meer loon`, `2. kortere werkweken`)."""
        return "\n\n".join(f"{block.marker} {block.text}" if block.marker else block.text for block in self.blocks)

    def article(self, path: Path, *, language: str = "nl") -> Article:
        """The `Article` of this page: its own blocks (no re-guessing of headings), date and source."""
        return Article(
            path=path,
            name=path.name,
            blocks=self.blocks,
            date=self.source.published[:10] if self.source.published else None,
            encoding=self.encoding,
            language=language,
            sha256=hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
            source=self.source,
        )


def looks_like_web_page(data: str | bytes) -> bool:
    """A whole HTML document: it starts with <!DOCTYPE html> or <html> (after a BOM, an XML
    declaration or comments) and has a <body>, <article>, <main> or <p>. An HTML fragment, a feed,
    Markdown or plain text is not a web page (the reader strips a fragment's tags itself)."""
    head = data[: 200_000]
    if isinstance(head, bytes):
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", errors="replace")
        else:
            head = head.decode("utf-8", errors="replace")
    return bool(_DOCUMENT_START.match(head[:SNIFF_CHARS]) and _PAGE_BODY.search(head))


def decode_html(data: bytes, name: object, charset: str | None = None) -> tuple[str, str]:
    """(text, encoding) of an HTML document's bytes: the HTTP charset if given and valid, else the
    document's <meta charset>, else the reader's detection (BOM, UTF-8, charset-normalizer)."""
    for candidate in (charset, _meta_charset(data)):
        if candidate:
            try:
                return data.decode(candidate), candidate.lower()
            except (LookupError, UnicodeDecodeError):
                continue
    return decode(data, name)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:SNIFF_CHARS])
    return match.group(1).decode("ascii").strip() if match else None


def _clean(text: str) -> str:
    return " ".join(normalise(text).split())


def _text(element) -> str:
    """An element's text: tags dropped, a line break (<lb/>, <br>) a space, whitespace collapsed."""
    return " ".join(_paragraphs(element))


def _paragraphs(element) -> list[str]:
    """An element's text as paragraphs: two line breaks in a row (`<br><br>`, trafilatura's
    `<lb/><lb/>`) end one, as pages without `<p>` mark them; a single break is a space."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BREAK_TAGS:
            parts.append(_LINE)
        elif tag not in _SKIP_TAGS and tag:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    chunks = re.split(f"{_LINE}\\s*{_LINE}[\\s{_LINE}]*", "".join(parts))
    return [text for text in (_clean(chunk.replace(_LINE, " ")) for chunk in chunks) if text]


def _has_blocks(element) -> bool:
    return any(
        isinstance(child.tag, str) and (child.tag in _HEADING_TAGS | _PARAGRAPH_TAGS or _has_blocks(child))
        for child in element
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS
    )


def _ordered(container) -> bool:
    """An ordered list: HTML's <ol>, trafilatura's <list rend="ol">."""
    return container.tag == "ol" or (container.tag == "list" and container.get("rend") == "ol")


def tree_blocks(root) -> list[tuple[Block, bool]]:
    """(block, is an item) for each block under `root`, in order: trafilatura's XML (head, p,
    list/item, quote) and plain HTML (h1-h6, p, ul/li, blockquote, div) alike. Loose text directly
    in a container becomes a paragraph. A list's items (<li>, <item>) are LIST_ITEM blocks with their
    marker (`1.` in an ordered list, else `•`); a definition list's dd/dt are items that stay paragraphs."""
    blocks: list[tuple[Block, bool]] = []
    loose: list[str] = []

    def flush() -> None:
        text = _clean(" ".join(loose))
        loose.clear()
        if text:
            blocks.append((Block(BlockKind.PARAGRAPH, text), False))

    def walk(container) -> None:
        if container.text and container.text.strip():
            loose.append(container.text)
        number = 0
        for child in container:
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag or tag in _SKIP_TAGS:
                pass
            elif tag in _HEADING_TAGS:
                flush()
                text = _text(child)
                if text:
                    blocks.append((Block(BlockKind.SUBHEADING, text), False))
            elif tag in _LIST_ITEM_TAGS and not _has_blocks(child):
                flush()
                number += 1
                marker = f"{number}." if _ordered(container) else "•"
                text = " ".join(_paragraphs(child))
                if text:
                    blocks.append((Block(BlockKind.LIST_ITEM, text, marker), True))
            elif tag in _PARAGRAPH_TAGS | _CONTAINER_TAGS and not _has_blocks(child):
                flush()
                for text in _paragraphs(child):
                    blocks.append((Block(BlockKind.PARAGRAPH, text), tag in _ITEM_TAGS))
            elif _has_blocks(child):
                flush()
                walk(child)
                flush()
            else:  # inline markup: hi, ref, b, a, span
                loose.append(_text(child))
            if child.tail and child.tail.strip():
                loose.append(child.tail)

    walk(root)
    flush()
    return blocks


def _drop_pointers(blocks: list[tuple[Block, bool]]) -> list[Block]:
    """Without "Lees ook: ..." paragraphs, and without a "Lees ook" heading and the items under it."""
    kept = []
    in_pointer_list = False
    for block, item in blocks:
        if block.kind is BlockKind.SUBHEADING:
            in_pointer_list = bool(_POINTER.match(block.text))
            if in_pointer_list:
                continue
        elif in_pointer_list and item:
            continue
        else:
            in_pointer_list = False
        if block.kind is BlockKind.PARAGRAPH and _POINTER.match(block.text):
            continue
        kept.append(block)
    return kept


def page_from_blocks(
    title: str | None, blocks: list[tuple[Block, bool]], source: Source, name: object, encoding: str = "utf-8"
) -> Page:
    """A `Page` from a title and the blocks found under it; InputError(name, NO_ARTICLE) without a paragraph."""
    found = _drop_pointers(blocks)
    title = _clean(title or "") or None
    if title and found and found[0].kind is BlockKind.SUBHEADING and found[0].text.casefold() == title.casefold():
        found = found[1:]  # the page's <h1> repeated as the first heading
    if not any(block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) for block in found):
        raise InputError(name, NO_ARTICLE)
    result = [Block(BlockKind.TITLE, title)] if title else []
    return Page(blocks=tuple(result + found), source=source, encoding=encoding)


def extract_page(
    html: str | bytes,
    url: str | None = None,
    *,
    name: object = None,
    charset: str | None = None,
    outlet: str | None = None,
) -> Page:
    """The article of a whole HTML page (see the module's docstring).

    `url` is where the page was fetched (the source URL when the page names no canonical one);
    `name` what errors call it (default: `url`); `charset` the HTTP header's, for bytes; `outlet`
    the site's name to use when the page has none (a feed's title)."""
    import trafilatura

    name = name if name is not None else url or "<page>"
    if isinstance(html, bytes):
        html, encoding = decode_html(html, name, charset)
    else:
        encoding = "utf-8"
    # trafilatura folds `<br><br>` with nothing between into one line break; a newline between keeps both.
    html = _ADJACENT_BREAKS.sub("\\1\n", html)
    html = flatten_wrappers(html)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=True,
        include_links=False,
        with_metadata=True,
        # Not htmldate's extensive search: it takes a footer's "© 2019" for 2019-01-01. Dates from meta
        # tags, <time>, JSON-LD and the URL only; none is better than a made-up one.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if document is None or document.body is None:
        raise InputError(name, NO_ARTICLE)
    source = Source(
        url=document.url or url,
        outlet=document.sitename or outlet,
        author=document.author or None,
        published=document.date or None,
    )
    blocks = tree_blocks(document.body)
    if not is_article_page(html, " ".join(block.text for block, _ in blocks)):  # not a front page's teasers
        raise InputError(name, NO_ARTICLE)
    return page_from_blocks(document.title, blocks, source, name, encoding)


def page_from_fragment(html: str, title: str | None, source: Source, name: object) -> Page:
    """A `Page` from an HTML fragment that is all article (a feed entry's full text): its <p>, <h2>...,
    <li> and <blockquote> as blocks, scripts, images and tables left out; text without such blocks
    is split into paragraphs at two line breaks (`<br><br>`), as a page's is."""
    import lxml.html

    try:
        # Wrapped twice: a fragment of bare text is then a container of its own, whose breaks end paragraphs.
        root = lxml.html.fragment_fromstring(f"<div>{html}</div>", create_parent="div")
    except Exception:  # lxml's ParserError / XMLSyntaxError on markup it cannot mend
        raise InputError(name, NO_ARTICLE) from None
    return page_from_blocks(title, tree_blocks(root), source, name)
