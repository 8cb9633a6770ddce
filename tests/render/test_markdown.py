"""Markdown renderer (and the format registry): section order, digest, inert text."""

from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_summarize.data import Check
from translate_summarize.render import FORMATS, Format
from translate_summarize.render.markdown import escape, field, render_markdown, render_markdown_digest

from ..briefs import S, brief_strategy, brief_texts, make_brief, nasty_brief


def test_sections_in_order():
    text = render_markdown(make_brief())
    order = [
        "# Musk praises Chinese carmakers",
        "- **Source:** tesla-china.txt",
        "- **Date:** 2021-09-15",
        "- **Briefed:** 2024-05-01T09:30:00+00:00",
        "## Summary (English)",
        "## Samenvatting (Nederlands)",
        "## Checks",
        "1 of 2 checks flagged: names missing in 1 sentence.",
        "- ⚠ name “Xpeng” in the summary is not in the article",
        "## Full text (English / Nederlands)",
        "**EN** Chinese automakers are",
        "**NL** Chinese automakers zijn",
        "### Extensive support from Beijing",
        "*Omvangrijke steun Peking*",
        "## Models",
        "| translation | Helsinki-NLP/opus-mt-nl-en | 9c0a7b1 | torch |",
        "| summarization | /models/local-bart | local | ctranslate2 |",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert "één volledig" in text


def test_checks_passed_and_absent():
    passed = render_markdown(make_brief(checks=(Check("a", True, "fine"),)))
    assert "\nThe 1 check passed.\n" in passed and "fine" not in passed
    assert "## Checks" not in render_markdown(make_brief(checks=()))


def test_digest_is_contents_then_briefs_separated_by_rules():
    briefs = [make_brief(headline=f"Kop {n}", article={"name": f"a{n}.txt"}) for n in (1, 2, 3)]
    text = render_markdown_digest(briefs)
    contents, *parts = text.split("\n---\n\n")
    assert contents.startswith("# Briefs\n\n1. Kop 1 (a1.txt)\n2. Kop 2 (a2.txt)\n3. Kop 3 (a3.txt)\n\nAbout the checks: ")
    assert parts == [render_markdown(brief) for brief in briefs]
    assert text.endswith("\n")


def test_nasty_text_is_escaped():
    text = render_markdown(nasty_brief())
    # Every "<" that could open a tag is escaped; a ">" alone means nothing mid-line.
    assert "\\<script>alert('x')\\</script>" in text and "\\</td>\\</tr>" in text
    assert not re.search(r"(?<!\\)<[A-Za-z/!?]", text)
    assert "{{ 7\\*7 }}" in text  # Markdown has no templates: shown as is (the * escaped)
    assert "a\\&amp;b" in text  # an entity would be decoded: escaped


def test_nasty_text_renders_inert_as_html():
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(render_markdown(nasty_brief()))
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


@settings(max_examples=60, deadline=None)
@given(brief_strategy())
def test_never_crashes_never_loses_text(brief):
    # CommonMark: a backslash escapes ASCII punctuation only; before anything else it is literal.
    unescape = lambda rendered: re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", rendered)  # noqa: E731
    text = unescape(render_markdown(brief))
    digest = unescape(render_markdown_digest([brief, brief]))
    for piece in brief_texts(brief):
        assert unescape(field(piece)) in text
        assert unescape(field(piece)) in digest


def test_registry():
    brief = make_brief()
    assert list(FORMATS) == ["markdown", "text", "html", "json", "email"]
    assert {name: fmt.ext for name, fmt in FORMATS.items()} == {
        "markdown": ".md",
        "text": ".txt",
        "html": ".html",
        "json": ".json",
        "email": ".eml",
    }
    for name, fmt in FORMATS.items():
        assert isinstance(fmt, Format) and fmt.name == name
        assert fmt.one_document == (name in ("html", "email"))  # one mail, one HTML page per run
        if name == "email":
            continue
        assert not fmt.mail
        assert isinstance(fmt.render(brief), str) and isinstance(fmt.digest([brief, brief]), str)
        assert fmt.document([brief, brief], digest=False) == (fmt.render(brief) * 2).encode()
        assert fmt.document([brief, brief], digest=True) == fmt.digest([brief, brief]).encode()
    assert json.loads(FORMATS["json"].render(brief))["headline"] == brief.headline
    with pytest.raises(AttributeError):
        FORMATS["text"].ext = ".md"  # type: ignore[misc]


def test_plain_text_readers_see_no_needless_escapes():
    text = render_markdown(make_brief(article={"name": "000_5456_nos-nieuws.txt"}, summary_en="R&D grew 5 < 6 > 4 ~ #1 | a-b."))
    assert "000_5456_nos-nieuws.txt" in text
    assert "R&D grew 5 < 6 > 4 ~ #1 | a-b." in text
    assert "\\" not in render_markdown(make_brief(checks=()))


# Article text dense in what Markdown reads as syntax: words, emphasis, code, links, tags, entities.
_TOKENS = ["a", "woord", "é", "1", "2.", " ", " ", "_", "__", "*", "`", "[", "]", "(", ")", "<", ">", "</", "b", "!",
           "&", "amp;", "&amp;", "&#39;", "<b>", "<br/>", "#", "\\", "-", "+", "=", "|", "~", ".", ":", "/", "http", "x@y.nl", "\t"]
_INLINE = st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=14).map("".join).map(str.strip).filter(bool)


@settings(max_examples=400, deadline=None)
@given(_INLINE)
def test_escaped_text_renders_back_to_itself(text):
    """CommonMark (markdown-it) turns the escaped text back into exactly the text: nothing became markup."""
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark", {"html": True}).render(escape(text))
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    inner = rendered[3:-5]
    assert "<" not in inner and html.unescape(inner) == text


@pytest.mark.parametrize(
    "overrides, shown",
    [
        ({"blocks": [(S, [("Kop", ""), ("Kop twee", "Heading")])]}, "<em>Kop Kop twee</em>"),  # no stray "*" or list
        ({"blocks": [(S, [("", "Heading")])]}, "<h3>Heading</h3>"),
        ({"headline": "Coding in C #"}, "<h1>Coding in C #</h1>"),  # not a closing sequence
        ({"blocks": [(S, [("Wie is nummer #", "Who is number #")])]}, "<h3>Who is number #</h3>"),
        ({"summary_en": "\tIndented *star*"}, "<p>Indented *star*</p>"),  # no code block
        ({"summary_en": "foo  \nbar\\\nbaz"}, "<p>foo bar\\ baz</p>"),  # no hard line breaks
        ({"summary_en": "Een\r# Kop\r- lijst\r1. een"}, "<p>Een # Kop - lijst 1. een</p>"),
        ({"summary_en": "red \x1b[31m \ud800"}, "<p>red \ufffd[31m \ufffd</p>"),  # no terminal escapes
    ],
)
def test_article_text_never_breaks_our_own_markup(overrides, shown):
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark", {"html": True}).render(render_markdown(make_brief(**overrides)))
    assert shown in rendered, rendered
    assert "<pre>" not in rendered and "<br" not in rendered and "<li>Heading" not in rendered


def test_metadata_values_are_not_escaped_as_if_they_began_a_line():
    brief = make_brief(article={"name": "127.0.0.1_brand-haven.html", "date": "2026-11-27"})
    markdown = render_markdown(brief)
    assert "- **Source:** 127.0.0.1_brand-haven.html" in markdown  # "127." after "Source:" is no list
    assert field("1. eerste punt") == "1\\. eerste punt"  # where a line begins, still escaped
