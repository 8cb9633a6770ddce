"""Whether a page is one article: front pages, search pages, cookie walls and menus are not."""

from __future__ import annotations

import pytest

from tests.httpserver import WEB
from translate_summarize.errors import InputError
from translate_summarize.sources import NO_ARTICLE, extract_page
from translate_summarize.sources.article_page import is_article_page

SENTENCE = "Het kabinet heeft dinsdag besloten de belasting op benzine volgend jaar niet te verhogen, zo maakte de minister bekend. "


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>T</title>{head}</head><body>{body}</body></html>'


NOT_ARTICLES = {
    "search page": page(
        "<form><input name=q value=benzine></form><h1>Zoekresultaten voor benzine</h1><ul>"
        + "".join(f"<li><a href='/n/{n}'>Kabinet verhoogt benzinebelasting niet, deel {n}</a> <span>27 november</span></li>" for n in range(12))
        + "</ul>"
    ),
    "cookie wall": page(
        "<div class='cookiewall'><h1>Wij vragen uw toestemming</h1><p>NieuwsNL en partners gebruiken cookies en"
        " vergelijkbare technieken voor advertenties en statistieken.</p><button>Akkoord</button><button>Instellen</button></div>"
    ),
    "menu only": page("<nav>" + " ".join(f"<a href='/{n}'>Rubriek {n}</a>" for n in range(50)) + "</nav>"),
    "teasers with links": page(
        "".join(f"<div class='teaser'><a href='/n/{n}'>{SENTENCE * 2}</a></div>" for n in range(6))
    ),
    "empty": "",
}
ARTICLES = {
    "og:type article": page("<p>De brug is weer open.</p>", '<meta property="og:type" content="article">'),
    "published time": page("<p>De brug is weer open.</p>", '<meta property="article:published_time" content="2026-11-27">'),
    "json-ld in a graph": page(
        "<p>De brug is weer open.</p>",
        '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": ["NewsArticle"]}]}</script>',
    ),
    "one article element": page("<article><h1>Kort</h1><p>De brug is weer open.</p></article>"),
    "paragraphs": page("".join(f"<p>{SENTENCE * 2}</p>" for _ in range(5))),
    "short paragraphs": page("<div class='body'><h1>Brug open</h1>" + "<p>De brug over het Van Starkenborghkanaal is weer open voor verkeer.</p>" * 3 + "</div>"),
    "text in divs": page("".join(f"<div class='para'>{SENTENCE * 2}</div>" for _ in range(5))),
}


@pytest.mark.parametrize("name", NOT_ARTICLES)
def test_not_one_article(name):
    assert not is_article_page(NOT_ARTICLES[name])


@pytest.mark.parametrize("name", ARTICLES)
def test_one_article(name):
    assert is_article_page(ARTICLES[name])


def test_a_front_page_with_a_teaser_per_article_is_no_article():
    data = (WEB / "voorpagina.html").read_bytes()
    with pytest.raises(InputError) as caught:
        extract_page(data, "https://www.noorderbode.example/")
    assert str(caught.value) == f"https://www.noorderbode.example/: {NO_ARTICLE}"


@pytest.mark.parametrize("name", ["fietsenstalling.html", "woningbouw.html", "duits.html"])
def test_the_news_pages_are_articles(name):
    assert extract_page((WEB / name).read_bytes(), "https://x.example/a").blocks
