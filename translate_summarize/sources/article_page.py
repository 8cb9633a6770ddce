"""Whether a web page is an article, and not a front page, a search page, a cookie wall or a menu.

trafilatura extracts *something* from almost any page: the teasers of a front page, the hits of a
search, the text of a cookie wall. `is_article_page(html, text)` looks at the page and at the text
trafilatura took from it (`text`), and says no only when the page shows it is something else, so a
short news flash or a page without any article markup is still an article:

- **a page of teasers**: three or more headings that are links (`<h2><a>`, `<a><h3>`) outside menus
  and footers, and no article body (two sibling paragraphs that do not each follow such a heading;
  a story with "related" cards under it has one);
- **a page of links**: half or more of the text of its main part, or of the text trafilatura took,
  is link text (a menu, a tag or section page, a front page of headlines);
- **a search, error or login page**: its title or first heading says so (`Zoekresultaten`,
  `Pagina niet gevonden`, `404`, `Inloggen`, ...) and the text is short (`SHORT_CHARS`);
- **a cookie or consent wall**: a short text (`CONSENT_CHARS`) that speaks of cookies, consent or
  partners twice or more.

Sizes are in characters.
"""

from __future__ import annotations

import re

SHORT_CHARS = 1_000  # a search, error or login page says little beyond its title
CONSENT_CHARS = 1_500  # a consent wall is a few paragraphs; an article about cookies is longer
TEASER_HEADINGS = 3
LINK_SHARE = 0.5
LINKS_TEXT_MAX_CHARS = 20_000
_NOT_CONTENT = "ancestor-or-self::nav | ancestor-or-self::header | ancestor-or-self::footer | ancestor-or-self::aside"
_HEADINGS = "//h1 | //h2 | //h3 | //h4"
_NOT_AN_ARTICLE = re.compile(
    r"\bzoekresultat|\bzoeken\b|\bsearch results?\b|\b404\b|\bniet gevonden\b|\bbestaat niet\b|\bnot found\b"
    r"|\binloggen\b|\blog in\b|\baanmelden\b|\bsign in\b",
    re.IGNORECASE,
)
_CONSENT = re.compile(r"\bcookies?\b|\btoestemming\b|\bconsent\b|\bpartners\b|\bprivacyinstellingen\b", re.IGNORECASE)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _linked(heading) -> bool:
    return bool(heading.xpath(".//a | ancestor::a"))


def _teaser_page(tree) -> bool:
    headings = [heading for heading in tree.xpath(_HEADINGS) if not heading.xpath(_NOT_CONTENT)]
    if sum(_linked(heading) for heading in headings) < TEASER_HEADINGS:
        return False
    for parent in {id(p.getparent()): p.getparent() for p in tree.xpath("//p") if p.getparent() is not None}.values():
        body = 0
        for paragraph in parent.findall("p"):
            before = paragraph.getprevious()
            teaser = before is not None and before.tag in ("h1", "h2", "h3", "h4") and _linked(before)
            body += bool(_text(paragraph)) and not teaser and not paragraph.xpath("ancestor::a")
        if body >= 2:
            return False
    return True


def _link_page(tree) -> bool:
    body = tree.find("body")
    if body is None:
        return False
    content = [node for node in body.iter() if isinstance(node.tag, str) and not node.xpath(_NOT_CONTENT)]
    total = sum(len(node.text or "") + len(node.tail or "") for node in content if node is not body) + len(body.text or "")
    linked = sum(len(_text(link)) for link in tree.xpath("//a") if not link.xpath(_NOT_CONTENT) and not link.xpath("ancestor::a"))
    return total > 0 and linked >= LINK_SHARE * total


def _text_of_links(tree, text: str) -> bool:
    """Whether the extracted text is mostly the page's link texts (a menu that trafilatura kept)."""
    if len(text) > LINKS_TEXT_MAX_CHARS:  # a menu that reads like text is short; spare a long article the count
        return False
    anchors = {_text(link) for link in tree.xpath("//a")}
    covered = sum(len(anchor) * text.count(anchor) for anchor in anchors if len(anchor) >= 3)
    return covered >= LINK_SHARE * len(text)


def _labelled_not_article(tree, text: str) -> bool:
    if len(text) > SHORT_CHARS:
        return False
    labels = [tree.findtext(".//title") or ""] + [_text(heading) for heading in tree.xpath("//h1")[:1]]
    return any(_NOT_AN_ARTICLE.search(label) for label in labels)


def _consent_wall(text: str) -> bool:
    return len(text) <= CONSENT_CHARS and len(_CONSENT.findall(text)) >= 2


def is_article_page(html: str, text: str) -> bool:
    """False when the page (`html`) shows it is no article, or `text` (what trafilatura extracted,
    characters) is empty; see the module's docstring."""
    import lxml.html

    if not text.strip():
        return False
    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml's ParserError on an empty or unparsable document
        return False
    for junk in tree.xpath("//script | //style | //noscript | //template"):
        junk.drop_tree()
    return not (
        _teaser_page(tree)
        or _link_page(tree)
        or _text_of_links(tree, text)
        or _labelled_not_article(tree, text)
        or _consent_wall(text)
    )
