"""Markup to text: an input's HTML tags, Markdown formatting and character references, removed.

`strip_markup` is what the reader applies to every plain input (a file or stdin): an HTML document or
fragment becomes its text (blocks as paragraphs, list items on their own lines with their marker), a
Markdown file its text, and character references (`&amp;`, `&quot;`, `&#39;`, `&nbsp;`) are decoded
where the text shows them, again while a double escape is evident (`&amp;quot;`), never touching text
that merely contains an ampersand (`R&D`, `C&A`).
"""

from __future__ import annotations

import html
import re
from html.entities import html5
from html.parser import HTMLParser

_BLANK_LINES = re.compile(r"\n[ ]*\n(?:[ ]*\n)+")

_HTML_TAG = re.compile(
    r"<\s*/?\s*(?:!doctype|html|head|body|p|div|br|hr|h[1-6]|article|section|header|footer|main|span|a|ul|ol|li"
    r"|strong|em|b|i|u|table|tr|td|th|title|meta|link|script|style|blockquote|figure|figcaption|img|time)\b[^<>]*>",
    re.IGNORECASE,
)
_FIRST_TAG = re.compile(r"\s*<\s*(?:!doctype|[a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_HTML_DOCUMENT = re.compile(r"^\s*<\s*(?:!doctype\s+html|html|body)\b", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z][a-zA-Z0-9]{1,9});")


def looks_like_html(text: str) -> bool:
    """A document start (<!DOCTYPE html>, <html>, <body>) or at least two known tags."""
    if _HTML_DOCUMENT.search(text):
        return True
    tags = _HTML_TAG.findall(text[:200_000])
    return len(tags) >= 2


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML document: blocks become paragraphs, everything else runs on."""

    SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "iframe", "object", "canvas"})
    BLOCKS = frozenset(
        """p div article section header footer main aside nav blockquote figure figcaption table tr ul ol dl dd dt
        pre address form fieldset details summary h1 h2 h3 h4 h5 h6 hr body html""".split()
    )
    VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.pre = 0
        self.lists: list[int | None] = []  # open lists: an <ol>'s last item number, None for a <ul>

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skipping:
            if tag in self.SKIP and tag not in self.VOID:
                self.skipping.append(tag)
            return
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":  # its own line with its marker, so the article parser reads it as a list item
            if self.lists and self.lists[-1] is not None:
                self.lists[-1] += 1
                self.parts.append(f"\n{self.lists[-1]}. ")
            else:
                self.parts.append("\n- ")
        elif tag in self.BLOCKS:
            if tag in ("ul", "ol"):  # an <ol> counts its items from its `start`
                start = dict(attrs).get("start") or "1"
                self.lists.append(int(start) - 1 if tag == "ol" and start.strip().isdigit() else None)
            self.parts.append("\n\n")
            if tag == "pre":
                self.pre += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.skipping and tag in ("br", "hr"):
            self.parts.append("\n" if tag == "br" else "\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            elif tag in self.skipping:  # a missing end tag inside: close up to this one
                del self.skipping[self.skipping.index(tag) :]
            return
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)  # HTML collapses whitespace; only tags make line breaks
        self.parts.append(data)

    def text(self) -> str:
        text = "".join(self.parts)
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n ")


def html_to_text(html: str) -> str:
    """The readable text of an HTML document or fragment (tags dropped, entities unescaped)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ ]+(?P<text>.+?)(?:[ ]+#+)?[ ]*$", re.MULTILINE)
_MD_SETEXT = re.compile(r"^(?P<text>[^\n]*\S[^\n]*)\n[ ]{0,3}(?:=+|-{2,})[ ]*$", re.MULTILINE)
_MD_RULE = re.compile(r"^[ ]{0,3}(?:(?:-[ ]*){3,}|(?:\*[ ]*){3,}|(?:_[ ]*){3,})$", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(?P<text>[^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_IMAGE_OR_LINK = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")
_MD_CODE = re.compile(r"`(?P<text>[^`\n]+)`")
_MD_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?", re.MULTILINE)
_MD_BULLET = re.compile(r"^(?P<indent>[ ]*)[*+](?=[ ]+\S)", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!>])")


def looks_like_markdown(text: str) -> bool:
    """An ATX heading line, bold text or a link: enough to tell Markdown from plain prose."""
    return bool(_MD_HEADING.search(text) or _MD_BOLD.search(text) or _MD_IMAGE_OR_LINK.search(text))


def markdown_to_text(text: str) -> str:
    """Markdown's text: headings become their own paragraphs, emphasis/link/code markers go.

    List items keep their "- " marker on their own line; what counts as a paragraph is left to the
    article parser, as for plain text.
    """
    text = _MD_HEADING.sub(lambda m: f"\n\n{m.group('text').strip()}\n\n", text)
    text = _MD_SETEXT.sub(lambda m: f"\n\n{m.group('text').strip()}\n\n", text)
    text = _MD_RULE.sub("\n", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_BULLET.sub(lambda m: f"{m.group('indent')}-", text)
    text = _MD_IMAGE_OR_LINK.sub(lambda m: m.group("text"), text)
    text = _MD_CODE.sub(lambda m: m.group("text"), text)
    text = _MD_BOLD.sub(lambda m: m.group("text"), text)
    text = _MD_ITALIC.sub(lambda m: m.group("text"), text)
    text = _MD_ESCAPE.sub(lambda m: m.group("char"), text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


def _known(reference: str) -> bool:
    """A named reference HTML5 defines (`&amp;`, not `&foo;`), or a numeric one of a character that
    may stand in text: not NUL, not a surrogate, not past U+10FFFF (`&#0;`, `&#xD800;` stay as written
    rather than become U+FFFD)."""
    if reference[1] != "#":
        return reference[1:] in html5
    digits = reference[2:-1]
    code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
    return 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


def _starts_with_markup(text: str) -> bool:
    """Whether a text opens with a tag, as an escaped HTML export (`<p>Eerste …`) does."""
    return bool(_FIRST_TAG.match(text))


def unescape_entities(text: str, passes: int = 3) -> str:
    """`text` with its well-formed character references decoded (`C&amp;A` -> `C&A`, `&#39;` -> `'`).

    Only complete references HTML5 knows are touched, so `R&D`, `AT&T` and `&foo;` stay as they are.
    A pass that decoded an `&amp;` may have uncovered another reference (`&amp;quot;` -> `&quot;`): the
    next pass decodes that one, up to `passes` in all.
    """
    for _ in range(passes):
        found = [match.group(0) for match in _ENTITY.finditer(text) if _known(match.group(0))]
        if not found:
            break
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)) if _known(m.group(0)) else m.group(0), text)
        if "&amp;" not in found:
            break
    return text


def strip_markup(text: str) -> tuple[str, str]:
    """(plain text, what was removed: "html", "markdown" or "text").

    Character references are decoded where the text shows them (`unescape_entities`). HTML becomes
    its text; what is still markup after that, or after decoding (an export that escaped its tags once
    or twice: `&lt;p&gt;`, `&amp;lt;p&amp;gt;`), is extracted once more, up to three rounds.
    """
    markup = "text"
    for _ in range(3):
        if looks_like_html(text):
            text, markup = html_to_text(text), "html"
        decoded = unescape_entities(text)
        if markup == "text" and looks_like_html(decoded) and not _starts_with_markup(decoded):
            # Tags escaped inside a plain article (`… &lt;b&gt;vet&lt;/b&gt; …`): their text stays
            # where it is, in the article's own lines; only a text that *is* escaped HTML is read as HTML.
            decoded = _HTML_TAG.sub("", decoded)
        text = decoded
        if not looks_like_html(text):
            break
    if markup == "html":
        return text, markup
    if looks_like_markdown(text):
        return markdown_to_text(text), "markdown"
    return text, "text"


