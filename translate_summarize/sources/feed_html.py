"""A feed entry's HTML as the outlet meant it, when the feed escaped it once too often.

Feeds get their HTML wrong in a few set ways, and feedparser hands each on as it found it:

- **entity-encoded twice** (or more): `&amp;lt;p&amp;gt;` in the XML, so that after feedparser the
  HTML's *text* is `<p>...</p>` (a CMS escaped HTML that was escaped already);
- **an escaped CDATA section**: `&lt;![CDATA[<p>...</p>]]&gt;` in the XML, which feedparser's
  sanitizer hands on as `&lt;![CDATA[<p>...</p>]]>`, or one more level down as `&lt;![CDATA[ ...]]&gt;`;
- **HTML inside a CDATA section, entity-encoded too**: `<![CDATA[&lt;p&gt;...]]>`;
- **HTML wrapped around escaped HTML**: `<p>&lt;p&gt;...&lt;/p&gt;</p>`;
- **markup in plain text**: Atom `type="text"` content (or RSS text feedparser took for plain) whose
  text is HTML, `<p>...</p>`, or escaped HTML, `&lt;p&gt;...`.

`entry_html(value, media_type)` gives the HTML whose text is the article: one level of escaping is
taken off at a time, and only on evidence that the level is escaping, not text:

- a CDATA marker (`<![CDATA[`, escaped or not): never part of an article's text;
- unescaping brings two or more known HTML tags (`<p>`, `<br>`, `<h2>`, `<li>`, `<b>`, `<a ...>`) that
  outnumber the tags already there: escaped markup, not an article mentioning a tag or two;
- the text still holds character references (`&amp;`, `&lt;`, `&#39;`) once its own are resolved:
  `R&amp;amp;D` was encoded twice, while `R&amp;D` and `a &lt; b` are text and stay as they are.

At most `MAX_LEVELS` levels are taken off. Nothing here parses the HTML (that is
`webpage.page_from_fragment`'s): these are string operations on the feed's value.
"""

from __future__ import annotations

import html as html_lib
import re

MAX_LEVELS = 5  # levels of escaping taken off one value: a feed is escaped twice, three times at worst
_KNOWN_TAGS = (
    "p|br|div|span|a|b|i|u|s|em|strong|small|sub|sup|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|q|cite|pre|code"
    "|img|figure|figcaption|picture|source|table|thead|tbody|tr|td|th|section|article|header|footer|aside"
    "|main|hr|iframe|video|audio|time|abbr|mark"
)
# A known tag: `<p>`, `</p>`, `<br/>`, `<a href="...">`; not `a < b`, `<3` or `<tag-like words>`.
_TAG = re.compile(rf"<\s*/?\s*(?:{_KNOWN_TAGS})(?:\s+[^<>]*)?\s*/?\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
# A CDATA section whose markers are on this level: `<![CDATA[ ... ]]>`, or the sanitizer's
# `&lt;![CDATA[ ... ]]>` (feedparser escapes the opening of a real one; its inside is this level's HTML).
_CDATA = re.compile(r"(?:<|&lt;)!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_REAL_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.DOTALL)
_REFERENCE = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_PLAIN_TYPES = frozenset({"text/plain", "text"})


def _tags(text: str) -> int:
    return len(_TAG.findall(text))


def _text(markup: str) -> str:
    """The text of an HTML string, near enough for the evidence: tags out, references resolved."""
    return html_lib.unescape(_ANY_TAG.sub(" ", markup))


def _one_level_down(markup: str) -> str | None:
    """`markup` with one level of escaping taken off, when the evidence says it is escaped; else None."""
    deeper = html_lib.unescape(markup)
    if deeper == markup:
        return None
    if _REAL_CDATA.search(deeper) and not _REAL_CDATA.search(markup):
        return deeper  # `&lt;![CDATA[ ... ]]&gt;`: the whole section was escaped
    before, added = _tags(markup), _tags(deeper) - _tags(markup)
    if added >= 2 and added > before:
        return deeper
    if _REFERENCE.search(_text(markup)):
        return deeper  # its text still holds references: `&amp;amp;`, `&amp;lt;`, `&amp;#39;`
    return None


def unescaped_html(markup: str) -> str:
    """HTML (a str) with the levels of escaping that the evidence shows taken off, and CDATA markers
    dropped (see the module's docstring); HTML that shows no sign of it comes back unchanged."""
    for _ in range(MAX_LEVELS):
        inner = _CDATA.sub(lambda match: match.group(1), markup)
        if inner != markup:
            markup = inner
            continue
        deeper = _one_level_down(markup)
        if deeper is None:
            break
        markup = deeper
    return markup


def entry_html(value: str, media_type: str | None) -> str:
    """A feed entry's content or summary (`value`, as feedparser gives it) as HTML (a str), with its
    escaping taken off (`unescaped_html`). `media_type` is feedparser's `type` (`text/html`,
    `application/xhtml+xml`, `text/plain`; None counts as HTML). Plain text is HTML when it shows
    markup (two known tags, a CDATA marker, or escaped markup); otherwise its characters are escaped
    and each run of text between blank lines is a `<p>`."""
    if (media_type or "text/html") not in _PLAIN_TYPES:
        return unescaped_html(value)
    as_html = unescaped_html(value)
    if as_html != value or _tags(value) >= 2:
        return as_html
    paragraphs = re.split(r"\n\s*\n", html_lib.escape(value, quote=False))
    return "".join(f"<p>{part}</p>" for part in paragraphs if part.strip())
