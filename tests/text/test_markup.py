"""Markup decoded once and only as much as needed (issue #21): character references in plain text,
double escapes, tags escaped in an export, and text that merely contains an ampersand."""

from __future__ import annotations

import pytest

from translate_summarize.text.markup import strip_markup, unescape_entities


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        ("C&amp;A opent een winkel.", "C&A opent een winkel."),  # one reference is enough
        ("Hij zei &quot;nee&quot;.", 'Hij zei "nee".'),
        ("Het is &#39;t beste &#x27;idee&#x27;.", "Het is 't beste 'idee'."),
        ("Prijs:&nbsp;5&nbsp;euro", "Prijs:\u00a05\u00a0euro"),
        ("Hij zei &amp;quot;nee&amp;quot; tegen C&amp;amp;A.", 'Hij zei "nee" tegen C&A.'),  # escaped twice
        ("&amp;amp;lt;", "<"),  # three times
    ],
)
def test_references_are_decoded_as_often_as_the_escape_is_evident(escaped, plain):
    assert unescape_entities(escaped) == plain


@pytest.mark.parametrize(
    "text", ["R&D en AT&T", "Van Dijk & Zn.", "&foo; en &bar", "A&B;C", "5 & 6", "&#0; &#xD800; &#x110000; &#1114112;"]
)
def test_an_ampersand_that_is_no_reference_stays(text):
    assert unescape_entities(text) == text
    assert strip_markup(text) == (text, "text")


def test_a_plain_export_with_escaped_tags_is_read_as_html():
    text, markup = strip_markup("&lt;p&gt;Eerste alinea.&lt;/p&gt;&lt;p&gt;Tweede &amp;amp; laatste.&lt;/p&gt;")
    assert (text, markup) == ("Eerste alinea.\n\nTweede & laatste.", "html")


def test_html_whose_text_is_escaped_once_more_loses_every_tag():
    html = "<html><body><p>&lt;p&gt;Een.&lt;/p&gt;&lt;p&gt;Twee &amp;amp; drie.&lt;/p&gt;</p></body></html>"
    assert strip_markup(html) == ("Een.\n\nTwee & drie.", "html")


def test_html_lists_keep_their_items_and_numbers():
    html = "<p>De eisen:</p><ol start='3'><li>meer loon</li><li>minder uren</li></ol><ul><li>pensioen</li></ul>"
    assert strip_markup(html)[0] == "De eisen:\n\n3. meer loon\n4. minder uren\n\n- pensioen"


def test_tags_escaped_inside_a_plain_article_lose_their_tags_and_keep_the_layout():
    text = "Tom &amp; Jerry winnen\n\nOntsnapt &lt;p&gt;paragraaf&lt;/p&gt; en &lt;b&gt;vet&lt;/b&gt; klaar.\n\nTweede alinea."
    assert strip_markup(text) == ("Tom & Jerry winnen\n\nOntsnapt paragraaf en vet klaar.\n\nTweede alinea.", "text")
