"""Whether a page is an article: front pages, search pages, cookie walls and menus are not, while a
short news flash or a page without any article markup still is."""

from __future__ import annotations

import pytest

from tests.httpserver import WEB
from translate_summarize.errors import InputError
from translate_summarize.sources import NO_ARTICLE, extract_page

NAV = "<header><a href='/'>NieuwsNL</a><nav>" + " ".join(f"<a href='/{s}'>{s}</a>" for s in ("Binnenland", "Sport", "Economie")) + "</nav></header>"
FOOTER = "<footer><p>© 2026 NieuwsNL. <a href='/privacy'>Privacy</a> | <a href='/contact'>Contact</a></p></footer>"
STORY = [
    "Het KNMI heeft voor zaterdag code oranje afgegeven voor de kustprovincies vanwege zware windstoten.",
    "Volgens de weerdienst kan de storm schade veroorzaken aan bomen en gebouwen in het westen van het land.",
    "Rijkswaterstaat raadt weggebruikers aan om zaterdagmiddag niet de weg op te gaan.",
]


def page(title: str, main: str) -> str:
    return f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title></head><body>{NAV}<main>{main}</main>{FOOTER}</body></html>"


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


ARTICLES = {
    "a news flash of two short paragraphs, no markup": page("Storm - NieuwsNL", "<h1>Code oranje</h1>" + paragraphs(STORY[:2])),
    "short paragraphs in wrappers": page("Storm", "<h1>Code oranje</h1>" + "".join(f"<div class='block'><p>{t}</p></div>" for t in STORY)),
    "a story with related cards under it": page(
        "Storm",
        "<article><h1>Code oranje</h1>" + paragraphs(STORY) + "</article><section class='related'>"
        + "".join(f"<article class='card'><a href='/n/{n}'><h3>Gerelateerd {n}</h3><p>Een teaser.</p></a></article>" for n in range(3))
        + "</section>",
    ),
    "comments as articles": page(
        "Storm",
        "<article class='post'><h1>Code oranje</h1>" + paragraphs(STORY) + "</article>"
        + "".join(f"<article class='comment'><p>Reactie {n}: eindelijk eens duidelijkheid.</p></article>" for n in range(3)),
    ),
    "text in divs with line breaks": page("Storm", "<div class='content'>" + "<br><br>".join(STORY) + "</div>"),
    "an article about cookies": page("Cookiewet", "<h1>Nieuwe cookiewet</h1>" + paragraphs([*STORY, "De nieuwe regels voor cookies gaan in 2027 in; partners van websites moeten toestemming vragen."] * 4)),
}
NOT_ARTICLES = {
    "a front page of teasers": page(
        "NieuwsNL - Voorpagina",
        "<h1>Het laatste nieuws</h1>" + "".join(f"<h3><a href='/n/{n}'>Kop van bericht {n}</a></h3><p>{STORY[n % 3]}</p>" for n in range(6)),
    ),
    "a lead story and a list of headlines": page(
        "NieuwsNL",
        f"<article class='lead'><h2><a href='/n/0'>Kabinet valt</a></h2><p>{STORY[0]}</p></article><ul>"
        + "".join(f"<li><a href='/n/{n}'>Nieuwsbericht {n}: kop van een ander bericht op de voorpagina</a></li>" for n in range(1, 6))
        + "</ul>",
    ),
    "a search page": page("Zoeken - NieuwsNL", "<h1>Zoekresultaten voor benzine</h1>" + "".join(f"<p class='result'><a href='/n/{n}'>Benzineprijs daalt</a> — {STORY[0]}</p>" for n in range(4))),
    "a 404 page": page("Pagina niet gevonden", f"<h1>Oeps, deze pagina bestaat niet (meer)</h1><p>{STORY[1]}</p>"),
    "a login page": page("Inloggen - NieuwsNL", "<h1>Inloggen</h1><p>Log in met uw e-mailadres om verder te lezen.</p>"),
    "a cookie wall": page(
        "NieuwsNL",
        "<div class='consent'><h1>Wij vragen uw toestemming</h1><p>NieuwsNL en onze 142 partners gebruiken cookies en"
        " vergelijkbare technieken.</p><p>Met uw toestemming plaatsen wij cookies voor advertenties.</p><button>Akkoord</button></div>",
    ),
    "a menu": "<!DOCTYPE html><html><head><title>Home</title></head><body><nav>" + " ".join(f"<a href='/{n}'>Rubriek {n}</a>" for n in range(50)) + "</nav></body></html>",
    "an empty body": "<!DOCTYPE html><html><head><title>Leeg</title></head><body></body></html>",
}


@pytest.mark.parametrize("name", ARTICLES)
def test_an_article(name):
    assert extract_page(ARTICLES[name], "https://x.example/a").blocks


@pytest.mark.parametrize("name", NOT_ARTICLES)
def test_not_an_article(name):
    with pytest.raises(InputError) as caught:
        extract_page(NOT_ARTICLES[name], "https://x.example/a")
    assert str(caught.value) == f"https://x.example/a: {NO_ARTICLE}"


@pytest.mark.parametrize("name", ["voorpagina.html", "geen-artikel.html"])
def test_the_fixture_front_and_search_pages(name):
    with pytest.raises(InputError, match=NO_ARTICLE):
        extract_page((WEB / name).read_bytes(), "https://www.noorderbode.example/")


@pytest.mark.parametrize("name", ["fietsenstalling.html", "woningbouw.html", "duits.html"])
def test_the_news_pages_are_articles(name):
    assert extract_page((WEB / name).read_bytes(), "https://x.example/a").blocks
