"""Whether a web page is one article, and not a front page, a search page, a cookie wall or a menu.

trafilatura extracts *something* from almost any page: the teasers of a front page, the hits of a
search, the text of a cookie wall. `is_article_page(html)` is asked first, and is true when either

- the page says it is one article: `og:type` `article` (the Open Graph protocol, ogp.me),
  an `article:published_time` meta, a schema.org `*Article` / `BlogPosting` / `Report` JSON-LD
  object at its top level or in its `@graph`, or exactly one `<article>` element outside menus,
  asides and footers (front pages carry one per teaser); or
- its text reads like an article by Mozilla Readability's `isProbablyReaderable` (paragraphs of
  140 characters or more, scored by the square root of their length past 140, until a score of 20;
  trafilatura ships the port, `trafilatura.readability_lxml`), counting as paragraphs also the
  `<div>`s that hold only text, so a page written in `<div>`s is still an article; or
- it has a body of short paragraphs: three sibling `<p>`s of 60 characters or more, not mostly
  links (a front page's teasers each sit in a box of their own, a search page's hits in a list).

Sizes are in characters.
"""

from __future__ import annotations

import json
import math

ARTICLE_TYPES = frozenset(
    """article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle backgroundnewsarticle
    reviewnewsarticle askpublicnewsarticle satiricalarticle blogposting liveblogposting report""".split()
)
MIN_PARAGRAPH_CHARS = 140  # Readability's minContentLength
MIN_SCORE = 20.0  # Readability's minScore
MAX_LINK_SHARE = 0.5  # a "paragraph" that is mostly link text is a teaser or a menu
RUN_PARAGRAPHS = 3  # sibling paragraphs that make an article body, however short (news paragraphs are)
RUN_PARAGRAPH_CHARS = 60
_OUTSIDE = "ancestor::nav | ancestor::footer | ancestor::aside | ancestor::form | ancestor::header"


def _json_ld_types(tree) -> set[str]:
    types: set[str] = set()
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except ValueError:
            continue
        objects = data if isinstance(data, list) else [data]
        for item in list(objects):
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                objects.extend(item["@graph"])
        for item in objects:
            if isinstance(item, dict):
                kind = item.get("@type")
                for name in kind if isinstance(kind, list) else [kind]:
                    if isinstance(name, str):
                        types.add(name.rsplit("/", 1)[-1].lower())
    return types


def _says_article(tree) -> bool:
    og_type = tree.xpath('string(//meta[@property="og:type"]/@content)').strip().lower()
    if og_type == "article" or tree.xpath('//meta[@property="article:published_time"]'):
        return True
    if _json_ld_types(tree) & ARTICLE_TYPES:
        return True
    return len([article for article in tree.xpath("//article") if not article.xpath(_OUTSIDE)]) == 1


_TEXT_DIVS = "//div[not(./*[not(self::br or self::b or self::i or self::em or self::strong or self::a or self::span)])]"


def _own_text(element) -> str:
    """The element's text, or "" when it sits in a menu, footer, aside or form, or is mostly links."""
    if element.xpath(_OUTSIDE):
        return ""
    text = " ".join(element.text_content().split())
    linked = sum(len(" ".join(link.text_content().split())) for link in element.xpath(".//a"))
    return "" if linked > MAX_LINK_SHARE * len(text) else text


def _has_paragraph_run(tree) -> bool:
    """`RUN_PARAGRAPHS` sibling `<p>`s of `RUN_PARAGRAPH_CHARS` or more: an article body. A front
    page's teasers each sit in their own box, a search page's hits in list items."""
    for parent in {id(p.getparent()): p.getparent() for p in tree.xpath("//p")}.values():
        long_ones = [p for p in parent.findall("p") if len(_own_text(p)) >= RUN_PARAGRAPH_CHARS]
        if len(long_ones) >= RUN_PARAGRAPHS:
            return True
    return False


def _text_divs_read_like_article(tree) -> bool:
    """Readability's score over the `<div>`s that hold only text and inline markup (which
    `isProbablyReaderable` does not count), leaving out menus, footers, asides, forms and link lists."""
    score = 0.0
    for element in tree.xpath(_TEXT_DIVS):
        text = _own_text(element)
        if len(text) < MIN_PARAGRAPH_CHARS:
            continue
        score += math.sqrt(len(text) - MIN_PARAGRAPH_CHARS)
        if score > MIN_SCORE:
            return True
    return False


def is_article_page(html: str) -> bool:
    """True when the page is one article (see the module's docstring); False for an empty page."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml's ParserError on an empty or unparsable document
        return False
    for junk in tree.xpath("//script[not(@type='application/ld+json')] | //style | //noscript | //template"):
        junk.drop_tree()
    from trafilatura.readability_lxml import is_probably_readerable

    return (
        _says_article(tree)
        or is_probably_readerable(tree)
        or _has_paragraph_run(tree)
        or _text_divs_read_like_article(tree)
    )
