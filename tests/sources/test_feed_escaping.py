"""Feeds that escape their HTML once too often (issue #21): briefed as the article, paragraph by paragraph.

Each feed is written here and served by the tests' own site on 127.0.0.1. Every kind is read by
`feed_items` (several ways of getting it wrong each, no models), and briefed by the CLI with the
fixture models. The article speaks of `R&D` and `< 200`: unescaping must not touch what is text.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.data import BlockKind, Source
from translate_summarize.sources import FeedState, feed_items
from translate_summarize.sources.feed_html import entry_html
from translate_summarize.sources.fetch import Fetcher, FetchSettings
from translate_summarize.sources.webpage import page_from_fragment

from ..conftest import MODEL_ARGS

runner = CliRunner()

PARAGRAPHS = [
    "De gemeenteraad van Zwolle heeft dinsdagavond ingestemd met de bouw van driehonderd woningen aan de rand "
    "van de binnenstad, waarvan de helft betaalbare huurwoningen worden.",
    "Wethouder Jansen zei dat de R&D-afdeling van het bouwbedrijf een nieuwe methode heeft bedacht, waardoor de "
    "bouwtijd korter wordt en de kosten lager uitvallen dan eerder gedacht.",
    "Omwonenden zijn minder enthousiast: zij vrezen dat het aantal parkeerplekken < 200 blijft en dat de drukte "
    "in de smalle straten van de wijk de komende jaren verder toeneemt.",
]
ARTICLE = "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in PARAGRAPHS)  # R&amp;D, &lt; 200
LOOSE = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)  # its text not escaped: R&D, < 200, as browsers take it
BROKEN = "".join(f"{html.escape(text, quote=False)}<br /><br />" for text in PARAGRAPHS)  # a CMS without <p>
RSS_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
ATOM_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'


def escaped(markup: str, times: int = 1) -> str:
    """`markup` entity-encoded `times` times, as a CMS that escapes what was escaped already writes it."""
    for _ in range(times):
        markup = html.escape(markup, quote=False)
    return markup


def cdata(markup: str) -> str:
    return f"<![CDATA[{markup}]]>"


def numeric(markup: str) -> str:
    """`markup` escaped once with numeric character references for its tags: `&#60;p&#62;`."""
    return markup.replace("&", "&amp;").replace("<", "&#60;").replace(">", "&#62;")


def rss(items: dict[str, tuple[str, str]]) -> str:
    """An RSS 2.0 feed: per title (element, its raw XML text); `description` items have no link."""
    body = []
    for number, (title, (element, text)) in enumerate(items.items()):
        link = "" if element == "description" else f"<link>https://nieuws.example/zwolle/{number}</link>"
        guid = f"<guid isPermaLink='false'>zwolle-{number}</guid>"
        body.append(f"<item>{guid}<title>{title}</title>{link}<{element}>{text}</{element}></item>")
    return f"{RSS_HEAD}<channel><title>Zwolse Courant</title>{''.join(body)}</channel></rss>"


def atom(entries: dict[str, tuple[str, str, str]]) -> str:
    """An Atom 1.0 feed: per title (element, type, raw XML text); `summary` entries have no link."""
    body = []
    for number, (title, (element, kind, text)) in enumerate(entries.items()):
        link = "" if element == "summary" else f"<link href='https://nieuws.example/zwolle/a{number}'/>"
        body.append(
            f"<entry><id>urn:zwolle:{number}</id><title>{title}</title><updated>2026-11-30T10:00:00Z</updated>"
            f"{link}<{element} type='{kind}'>{text}</{element}></entry>"
        )
    head = "<title>Zwolse Courant</title><id>urn:zwolle</id><updated>2026-11-30T10:00:00Z</updated>"
    return f"{ATOM_HEAD}{head}{''.join(body)}</feed>"


# Per kind of feed: per entry title, how the feed writes the article. RSS items (element, raw XML text)
# have a link, but a `description` item has none; Atom entries are (element, type, raw XML text), and a
# `summary` entry has no link.
RSS_CONTENT = {
    "Twee keer gecodeerd": ("content:encoded", escaped(ARTICLE, 2)),
    "Drie keer gecodeerd": ("content:encoded", escaped(ARTICLE, 3)),
    "Numeriek gecodeerd": ("content:encoded", escaped(numeric(ARTICLE))),
    "Sectie met gecodeerde HTML": ("content:encoded", cdata(escaped(ARTICLE))),
    "Losse HTML twee keer gecodeerd": ("content:encoded", escaped(LOOSE, 2)),
}
RSS_DESCRIPTION = {
    "Ontsnapte sectie": ("description", escaped(cdata(ARTICLE))),  # the entry
    "Ontsnapte sectie zonder alinea-tags": ("description", escaped(cdata(BROKEN))),
    "Twee keer ontsnapte sectie": ("description", escaped(cdata(ARTICLE), 2)),
    "Sectie om ontsnapte sectie": ("description", cdata(escaped(cdata(ARTICLE)))),
    "Beschrijving twee keer gecodeerd": ("description", escaped(ARTICLE, 2)),
}
ATOM_CONTENT = {
    "HTML twee keer gecodeerd": ("content", "html", escaped(ARTICLE, 2)),
    "Tekst met tags": ("content", "text", escaped(ARTICLE)),
    "Tekst met gecodeerde tags": ("content", "text", escaped(ARTICLE, 2)),
    "HTML om gecodeerde HTML": ("content", "html", escaped(f"<div>{escaped(ARTICLE)}</div>")),
}
ATOM_SUMMARY = {
    "Samenvatting in ontsnapte sectie": ("summary", "html", escaped(cdata(ARTICLE))),
    "Samenvatting twee keer gecodeerd": ("summary", "html", escaped(ARTICLE, 2)),
    "Samenvatting als tekst met tags": ("summary", "text", escaped(ARTICLE)),
}
FEEDS = {
    "content.xml": rss(RSS_CONTENT),
    "zonder-link.xml": rss(RSS_DESCRIPTION),
    "atom.xml": atom(ATOM_CONTENT),
    "atom-samenvatting.xml": atom(ATOM_SUMMARY),
}


# What the CLI test briefs (each brief costs seconds of CPU): two entries of each kind.
def _two(entries: dict, *titles: str) -> dict:
    return {title: entries[title] for title in titles}


BRIEFED = {
    "cli-content.xml": rss(_two(RSS_CONTENT, "Numeriek gecodeerd", "Losse HTML twee keer gecodeerd")),
    "cli-zonder-link.xml": rss(_two(RSS_DESCRIPTION, "Ontsnapte sectie", "Ontsnapte sectie zonder alinea-tags")),
    "cli-atom.xml": atom(_two(ATOM_CONTENT, "HTML twee keer gecodeerd", "Tekst met tags")),
    "cli-atom-samenvatting.xml": atom(
        _two(ATOM_SUMMARY, "Samenvatting in ontsnapte sectie", "Samenvatting als tekst met tags")
    ),
}


def serve(web_site, tmp_path, name: str) -> str:
    """Serve `FEEDS[name]` (or `BRIEFED[name]`) at /feeds/`name` on the local site; its URL."""
    path = tmp_path / name
    path.write_text({**FEEDS, **BRIEFED}[name], encoding="utf-8")
    web_site.files[f"/feeds/{name}"] = str(path)  # an absolute path: the site serves this file there
    return web_site.url(f"/feeds/{name}")


def assert_clean(text: str) -> None:
    for markup in ("<p", "</p", "<br", "&lt;", "&gt;", "&amp;", "&#", "CDATA"):
        assert markup not in text, (markup, text)


@pytest.mark.parametrize("name", list(FEEDS))
def test_each_entry_is_the_article_paragraph_by_paragraph(web_site, tmp_path, name):
    settings = FetchSettings(timeout=2, retries=0, cache_dir=tmp_path / "pages")
    with Fetcher(settings) as fetcher:
        items = list(feed_items(serve(web_site, tmp_path, name), fetcher, FeedState(tmp_path / ".brief")))
    assert [str(item.error) for item in items if item.error] == []  # not "has no link and no full text"
    assert len(items) == FEEDS[name].count("<item>") + FEEDS[name].count("<entry>")
    for item in items:
        blocks = item.text.page.blocks
        assert [block.kind for block in blocks] == [BlockKind.TITLE] + [BlockKind.PARAGRAPH] * 3, item.name
        assert [block.text for block in blocks[1:]] == PARAGRAPHS, item.name
        assert_clean(item.text.text)
    assert [path for path, _ in web_site.requests if path.startswith("/feeds/")] == [f"/feeds/{name}"]
    assert not [path for path, _ in web_site.requests if path.startswith("/pages/")]  # the feed's text, no page


def test_the_brief_of_each_kind_is_the_article_and_so_is_its_summary(web_site, tmp_path):
    """One CLI run over a feed of each kind, with the fixture models: every entry briefed, none failed."""
    feeds = [arg for name in BRIEFED for arg in ("--feed", serve(web_site, tmp_path, name))]
    out = tmp_path / "out"
    result = runner.invoke(app, [*feeds, "--out-dir", str(out), "--format", "json", *MODEL_ARGS])
    titles = [title for feed in BRIEFED.values() for title in re.findall(r"<title>([^<]+)</title>", feed)[1:]]
    assert result.exit_code == 0 and f"{len(titles)} briefed, 0 unchanged, 0 failed" in result.output, result.output
    briefs = {
        brief["headline"]: brief for brief in (json.loads(path.read_text("utf-8")) for path in out.glob("*.json"))
    }
    assert sorted(briefs) == sorted(titles)
    for brief in briefs.values():
        texts = [block["nl"] for block in brief["blocks"]]
        assert texts[1:] == PARAGRAPHS, texts  # three paragraphs, three blocks; R&D and < 200 as written
        for text in [
            *texts,
            *(block["en"] for block in brief["blocks"]),
            brief["summary"]["nl"],
            brief["summary"]["en"],
        ]:
            assert_clean(text)


def test_only_escaping_is_taken_off_never_text():
    """Prose that speaks of `&`, `<` or a tag stays as written; escaped markup beside it is taken off."""
    cases = [
        ("<p>R&amp;D en a &lt; b</p>", "text/html", ["R&D en a < b"]),
        (
            "<p>Zet de &lt;p&gt;-tag om elke alinea.</p><p>Tweede.</p>",
            "text/html",
            ["Zet de <p>-tag om elke alinea.", "Tweede."],
        ),
        ("AT&amp;T &lt;3 KPN", None, ["AT&T <3 KPN"]),
        ("R&D en a < b &amp; c\n\nTweede.", "text/plain", ["R&D en a < b &amp; c", "Tweede."]),
        ("Tom &amp;amp; Jerry&amp;nbsp;!", "text/html", ["Tom & Jerry !"]),  # its text still held references
        ("&lt;p&gt;Een &amp;amp; twee.&lt;/p&gt;&lt;p&gt;Drie.&lt;/p&gt;", "text/html", ["Een & twee.", "Drie."]),
        ("<p>Een.</p><p>Twee &amp; drie.</p>", "text/plain", ["Een.", "Twee & drie."]),
    ]
    for value, kind, texts in cases:
        page = page_from_fragment(entry_html(value, kind), None, Source(), "feed.xml")
        assert [block.text for block in page.blocks] == texts, value
