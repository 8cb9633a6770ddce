"""Web pages: only the article reaches the text, with its title, subheadings, paragraphs and source."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.httpserver import WEB
from translate_summarize.data import BlockKind, Source
from translate_summarize.errors import InputError
from translate_summarize.sources import WebText, open_input, to_article, url_path
from translate_summarize.sources.fetch import Fetcher, FetchSettings
from translate_summarize.sources.webpage import extract_page, looks_like_web_page
from translate_summarize.text.article import is_subheading, parse_article
from translate_summarize.text.language import decide_language
from translate_summarize.text.reader import SourceText, read_source

T, P, S = BlockKind.TITLE, BlockKind.PARAGRAPH, BlockKind.SUBHEADING

# Strings of the pages' clutter: none may reach the article text.
CLUTTER = [
    "cookies", "Akkoord", "Alles accepteren", "Home", "Voorpagina", "Word abonnee", "Inloggen",  # consent, menus
    "Lees ook", "fietsendieven", "busbaan", "Huurprijzen stijgen", "Meer over dit onderwerp", "Starters kansloos",
    "Meest gelezen", "ADVERTENTIE", "Advertentie", "Proefabonnement", "Hypotheek nodig",  # related links, ads
    "Deel op Facebook", "Tags:", "nieuwsbrief",  # share buttons, tags, newsletter
    "Reacties", "reacties", "Eindelijk!", "Belachelijk", "fietsenmaker", "Eerst zien", "elf jaar",  # comments
    "Alle rechten voorbehouden", "Privacyverklaring", "Colofon", "KvK",  # footers
    "Foto: ANP", "window.dataLayer", "display:none",  # captions, scripts, styles
]


def page(name: str, url: str | None = None):
    return extract_page((WEB / name).read_bytes(), url)


def blocks(extracted) -> list[tuple[BlockKind, str]]:
    return [(block.kind, block.text) for block in extracted.blocks]


def test_the_article_in_order_and_nothing_else():
    extracted = page("fietsenstalling.html")
    kinds = [kind for kind, _ in blocks(extracted)]
    assert kinds == [T, P, P, P, S, P, P]
    texts = [text for _, text in blocks(extracted)]
    assert texts[0] == "Groningen bouwt grootste fietsenstalling van het Noorden onder het station"
    assert texts[1].startswith("Onder het hoofdstation van Groningen komt een ondergrondse fietsenstalling")
    assert texts[2].endswith('langs," zei hij tijdens het debat.')
    assert texts[3].startswith("De bouw begint in het voorjaar van 2027")
    assert texts[4] == "Zorgen over de kosten"
    assert texts[6].endswith("de eerste 24 uur parkeren blijft gratis.")
    for clutter in CLUTTER:
        assert clutter not in extracted.text, clutter


def test_metadata_and_canonical_url():
    extracted = page("fietsenstalling.html", url="http://127.0.0.1:1/saved.html")
    assert extracted.source == Source(
        url="https://www.noorderbode.example/groningen/2026/11/28/grootste-fietsenstalling-onder-station",
        outlet="De Noorderbode",
        author="Sanne de Vries",
        published="2026-11-28",
    )
    assert extracted.title == "Groningen bouwt grootste fietsenstalling van het Noorden onder het station"


def test_headings_are_subheadings_because_the_page_says_so():
    extracted = page("woningbouw.html")
    title = "Kabinet wil dat gemeenten vanaf volgend jaar twee keer zoveel woningen voor starters bouwen"
    assert blocks(extracted)[0] == (T, title)
    subheadings = [text for kind, text in blocks(extracted) if kind is S]
    assert subheadings == ["Wat verandert er voor gemeenten?", "Kritiek van de VNG"]
    # The text convention alone would not know: a question is not a subheading to article.py, nor is a long title.
    assert not is_subheading("Wat verandert er voor gemeenten?")
    assert not is_subheading(extracted.title)
    article = extracted.article(Path("woningbouw.html"))
    assert [(block.kind, block.text) for block in article.blocks] == blocks(extracted)
    assert article.source == extracted.source and article.date == "2026-11-29"
    assert article.name == "woningbouw.html" and len(article.sha256) == 64


def test_lists_quotes_and_lees_ook_inside_the_body():
    extracted = page("woningbouw.html")
    texts = [text for _, text in blocks(extracted)]
    assert "Amsterdam moet jaarlijks 4.200 starterswoningen bouwen." in texts  # list items: paragraphs of their own
    assert "Kleinere gemeenten krijgen een lager quotum." in texts
    assert "op een eigen woning. In 2019 was dat nog vijf jaar." in texts[2]  # a <br> is a space
    assert '"Je kunt geen huizen bouwen met een quotum. Geef ons de mensen en de grond, dan bouwen we."' in texts
    assert texts.index("Wat verandert er voor gemeenten?") < texts.index("Kritiek van de VNG")
    assert texts[-1].startswith("De Tweede Kamer debatteert in januari")
    for clutter in CLUTTER:
        assert clutter not in extracted.text, clutter
    assert extracted.source.author == "Ahmed El Amrani" and extracted.source.outlet == "Het Stadsblad"
    assert extracted.source.url == "https://stadsblad.example/nieuws/binnenland/kabinet-woningen-starters"


def test_the_text_convention_round_trips_the_blocks():
    for name in ("fietsenstalling.html", "woningbouw.html"):
        extracted = page(name)
        parsed = parse_article(extracted.text, Path(name))
        assert [block.text for block in parsed.blocks] == [block.text for block in extracted.blocks]


def test_a_page_without_an_article():
    with pytest.raises(InputError) as caught:
        extract_page((WEB / "geen-artikel.html").read_bytes(), name="zoeken.html")
    assert str(caught.value) == "zoeken.html: has no article text that could be extracted"


def test_the_page_charset_is_used_for_bytes():
    html = (WEB / "fietsenstalling.html").read_text(encoding="utf-8")
    html = html.replace('charset="utf-8"', 'charset="windows-1252"').replace("·", "-")
    html = html.replace("wethouder Jan Bakker is", "wethouder Jan Bakker, vaste gast van café ’t Pakhuis, is")
    extracted = extract_page(html.encode("cp1252"))
    assert extracted.encoding == "windows-1252"
    assert "vaste gast van café ’t Pakhuis" in extracted.text


@pytest.mark.parametrize("name", ["fietsenstalling.html", "woningbouw.html", "english.html", "geen-artikel.html"])
def test_web_pages_are_recognised_by_content(name):
    data = (WEB / name).read_bytes()
    assert looks_like_web_page(data) and looks_like_web_page(data.decode("utf-8"))
    assert looks_like_web_page(b"\xef\xbb\xbf<!-- saved -->\n" + data)


@pytest.mark.parametrize(
    "text",
    [
        "<p>Een fragment.</p><p>Twee.</p>",
        "Gewone tekst over <b>iets</b>.\n\nNog een alinea.",
        "# Kop\n\n**Vet** en [een link](https://example.org).",
        (WEB / "rss.xml").read_text(encoding="utf-8"),
        "<html><head><title>Leeg</title></head></html>",
    ],
)
def test_other_inputs_are_not_web_pages(text):
    assert not looks_like_web_page(text)


def test_open_input_on_a_saved_page(tmp_path):
    saved = tmp_path / "opgeslagen.htm"
    saved.write_bytes((WEB / "woningbouw.html").read_bytes())
    text = open_input(str(saved))
    assert isinstance(text, WebText) and text.markup == "web page" and text.path == saved
    assert text.source.url == "https://stadsblad.example/nieuws/binnenland/kabinet-woningen-starters"
    assert text.text.startswith("Kabinet wil dat gemeenten vanaf volgend jaar twee keer zoveel woningen")
    article = to_article(text)
    assert article.blocks[0].kind is T and article.source == text.source


def test_open_input_on_plain_files_reads_as_before(tmp_path):
    plain = tmp_path / "artikel.txt"
    plain.write_text("Kop van het stuk\n\nEen alinea. En nog een zin.\n\n<p>Geen pagina</p>", encoding="utf-8")
    text = open_input(str(plain))
    assert type(text) is SourceText and text == read_source(plain)
    assert to_article(text) == parse_article(text.text, plain)


def test_open_input_refuses_a_feed_as_an_article(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes((WEB / "rss.xml").read_bytes())
    with pytest.raises(InputError) as caught:
        open_input(str(feed))
    assert str(caught.value) == f"{feed}: is an RSS or Atom feed; pass it with --feed"


def test_open_input_on_a_url(web_site):
    url = web_site.url("/pages/fietsenstalling.html")
    with Fetcher(FetchSettings(retries=0)) as fetcher:
        text = open_input(url, fetcher)
    assert isinstance(text, WebText) and text.page.blocks == page("fietsenstalling.html").blocks
    assert text.source.url.startswith("https://www.noorderbode.example/")  # canonical, not where it was fetched
    assert text.path == Path("127.0.0.1_fietsenstalling.html")


def test_a_page_without_canonical_link_keeps_its_fetch_url():
    html = (WEB / "fietsenstalling.html").read_text(encoding="utf-8")
    html = html.replace('<link rel="canonical"', '<link rel="x-none"').replace('"mainEntityOfPage"', '"x"')
    extracted = extract_page(html, "http://127.0.0.1:8/pages/zonder-canonical.html")
    assert extracted.source.url == "http://127.0.0.1:8/pages/zonder-canonical.html"


def test_bad_urls_are_one_line(web_site):
    with Fetcher(FetchSettings(retries=0, timeout=2)) as fetcher:
        for path, reason in [
            ("/missing", "HTTP 404 Not Found"),
            ("/pages/geen-artikel.html", "has no article text that could be extracted"),
            ("/feeds/rss.xml", "is an RSS or Atom feed; pass it with --feed"),
            ("/pages/not-a-feed.json", "is application/json, not a web page or text"),
            ("/loop", "redirect loop (more than 10 redirects)"),
        ]:
            with pytest.raises(InputError) as caught:
                open_input(web_site.url(path), fetcher)
            assert str(caught.value) == f"{web_site.url(path)}: {reason}"


def test_the_language_rule_applies_to_pages(web_site):
    with Fetcher(FetchSettings(retries=0)) as fetcher:
        english = open_input(web_site.url("/pages/english.html"), fetcher)
        german_url = web_site.url("/pages/duits.html")
        german = open_input(german_url, fetcher)
    assert english.source.outlet == "The Lowlands Times" and "cookies" not in english.text
    assert decide_language(english.text, "english").language == "en"
    with pytest.raises(InputError) as caught:
        decide_language(german.text, german_url)
    assert str(caught.value).startswith(f"{german_url}: looks like German (de, p=")


def test_a_plain_text_url_is_read_as_a_file_is(web_site):
    url = web_site.url("/pages/artikel.txt")
    with Fetcher(FetchSettings(retries=0)) as fetcher:
        text = open_input(url, fetcher)
    assert isinstance(text, WebText) and text.page is None and text.markup == "text"
    assert text.text == read_source(WEB / "artikel.txt").text and text.source == Source(url=url)
    article = to_article(text)
    assert article.source == text.source and article.blocks[0].kind is T


def test_url_paths_name_outputs():
    assert url_path("https://www.nos.nl/artikel/2512345-kabinet") == Path("nos.nl_2512345-kabinet.html")
    assert url_path("https://nu.nl/") == Path("nu.nl_index.html")
    assert url_path("https://example.org/a/index.php?id=7") == Path("example.org_index_id_7.html")
    assert url_path("https://example.org/a/index.php?id=8") != url_path("https://example.org/a/index.php?id=7")


def test_paragraphs_marked_by_two_line_breaks_are_paragraphs():
    sentences = [
        "Het kabinet heeft dinsdag besloten de belasting op benzine volgend jaar niet te verhogen, meldt de minister.",
        "Volgens de minister is de maatregel nodig omdat veel huishoudens het financieel zwaar hebben dit jaar.",
        "De maatregel kost de schatkist ongeveer 450 miljoen euro per jaar, zo staat in een brief aan de Kamer.",
    ]
    body = "<br><br>\n".join(sentences[:2]) + "<br>\n<br> " + sentences[2] + "<br>Een regel erbij."
    html = f'<!DOCTYPE html><html><head><title>Benzine</title><meta property="og:type" content="article"></head><body><div class="content">{body}</div></body></html>'
    page = extract_page(html, "https://x.example/a")
    texts = [block.text for block in page.blocks if block.kind is BlockKind.PARAGRAPH]
    assert texts == [*sentences[:2], sentences[2] + " Een regel erbij."]  # one break is a space
    inside = html.replace('<div class="content">', "<article><p>").replace("</div>", "</p></article>").replace("<br><br>\n", "<br><br>")
    texts = [block.text for block in extract_page(inside, "https://x.example/a").blocks if block.kind is BlockKind.PARAGRAPH]
    assert texts[:2] == sentences[:2]  # also <br><br> inside a <p>, with nothing between


def test_no_publication_date_is_made_up_from_a_copyright_year():
    body = "".join(f"<p>Het kabinet heeft dinsdag besloten de benzinebelasting niet te verhogen, deel {n}.</p>" for n in range(4))
    html = f"<!DOCTYPE html><html><head><title>Benzine</title></head><body><article><h1>Benzine</h1>{body}</article><footer><p>© 2019 NieuwsNL</p></footer></body></html>"
    assert extract_page(html, "https://x.example/a").source.published is None
    dated = html.replace("<head>", '<head><meta property="article:published_time" content="2026-11-27T08:00:00+01:00">')
    assert extract_page(dated, "https://x.example/a").source.published == "2026-11-27"


def test_a_pages_lists_are_list_items_with_their_markers_and_round_trip_as_text():
    body = "Dit is een lange alinea over de haven van Vlissingen en de brand die daar woedde. " * 4
    html = (
        "<!DOCTYPE html><html><head><title>Bond stelt eisen</title></head><body><article><h1>Bond stelt eisen</h1>"
        f"<p>{body}</p><p>De bond eist:</p><ol><li>meer loon</li><li>kortere werkweken</li></ol>"
        f"<ul><li>een beter pensioen</li><li>minder overuren</li></ul><p>{body}</p></article></body></html>"
    )
    extracted = extract_page(html)
    items = [(block.text, block.marker) for block in extracted.blocks if block.kind is BlockKind.LIST_ITEM]
    assert items == [("meer loon", "1."), ("kortere werkweken", "2."), ("een beter pensioen", "•"), ("minder overuren", "•")]
    parsed = parse_article(extracted.text, Path("bond.html"))
    assert [(block.kind, block.text, block.marker) for block in parsed.blocks][1:] == [
        (block.kind, block.text, block.marker) for block in extracted.blocks
    ][1:]
