"""Where a web article came from, in every format: link, outlet, author, published (issue #13 stage 2)."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

import pytest

from translate_summarize.data import BlockKind, Source
from translate_summarize.render import FORMATS
from translate_summarize.render.json_format import brief_from_dict, brief_to_dict

from ..briefs import aligned, make_brief

URL = "https://www.noorderbode.example/groningen/2026/11/28/fietsenstalling?x=1&y=2"
SOURCE = Source(url=URL, outlet="De Noorderbode", author="Sanne de Vries", published="2026-11-28T06:15:00+00:00")


def web_brief(**source):
    return make_brief(article={"source": Source(**{**vars(SOURCE), **source}), "date": "2026-11-28"})


def test_source_is_the_outlet_and_link_and_the_date_is_one():
    """A web or feed brief: "Source" is the outlet with its link (not the file name the run made up),
    one date (when it was published), in every format (issue #22)."""
    brief = web_brief()
    markdown = FORMATS["markdown"].document([brief], digest=False, mail={}).decode()
    assert f"- **Source:** De Noorderbode, <{URL}>" in markdown
    assert "- **Author:** Sanne de Vries" in markdown and "- **Date:** 2026-11-28 06:15 +00:00" in markdown
    text = FORMATS["text"].document([brief], digest=False, mail={}).decode()
    assert f"Source:  De Noorderbode\n         {URL}\n" in text and "Author:  Sanne de Vries" in text
    assert "Date:    2026-11-28 06:15 +00:00" in text
    html = FORMATS["html"].document([brief], digest=False, mail={}).decode()
    assert f'<tr><th>Source</th><td>De Noorderbode, <a href="{URL.replace("&", "&amp;")}">' in html
    assert "<tr><th>Date</th><td>2026-11-28 06:15 +00:00</td></tr>" in html and "Sanne de Vries" in html
    for out in (markdown, text, html):
        assert "tesla-china.txt" not in out  # the made-up file name
        assert "Published" not in out and "Link" not in out and "Outlet" not in out and "2026-11-28T06" not in out
        assert out.count("Date") == 1


def test_digest_entries_and_contents_name_the_outlet():
    briefs = [web_brief(), make_brief()]
    for name in ("text", "html", "markdown"):
        out = " ".join(FORMATS[name].document(briefs, digest=True, mail={}).decode().split())
        assert "De Noorderbode" in out and "tesla-china.txt" in out, name  # the web brief's outlet, the file's name
        assert out.index("De Noorderbode") < out.index("tesla-china.txt"), name
    text = FORMATS["text"].document(briefs, digest=True, mail={}).decode()
    assert "1. Musk praises Chinese carmakers as the most competitive in the world (De\n   Noorderbode)" in text
    assert "De Noorderbode · 2026-11-28 06:15 +00:00\n" + URL in text


def test_without_an_outlet_the_source_is_the_links_host_and_without_a_time_the_date():
    brief = web_brief(outlet=None, published=None)
    text = FORMATS["text"].document([brief], digest=False, mail={}).decode()
    assert f"Source:  www.noorderbode.example\n         {URL}" in text and "Date:    2026-11-28\n" in text
    dated = web_brief(published="2026-11-27")
    assert "Date:    2026-11-27\n" in FORMATS["text"].document([dated], digest=False, mail={}).decode()


def test_a_plain_file_shows_its_name_as_the_source():
    brief = make_brief()
    for name in ("markdown", "text", "html"):
        out = FORMATS[name].document([brief], digest=False, mail={}).decode()
        assert "tesla-china.txt" in out and "Link:" not in out and "Outlet" not in out, name


def test_the_title_is_not_repeated_in_the_full_text():
    """The TITLE block is the headline (English); the Dutch title is shown once, as metadata."""
    title = aligned(BlockKind.TITLE, [("Fietsenstalling vol", "Bicycle shed full")])
    brief = make_brief(headline="Bicycle shed full", blocks=[title, aligned(BlockKind.PARAGRAPH, [("Het is vol.", "It is full.")])])
    for name, start in (("markdown", "## Full text"), ("text", "Full text"), ("html", '<table class="ft"')):
        out = FORMATS[name].document([brief], digest=False, mail={}).decode()
        full = out[out.index(start) :]
        assert "Fietsenstalling" not in full and "Bicycle shed" not in full and "Het is vol." in full, name
        assert out.count("Fietsenstalling vol") == 1 and "Dutch title" in out, name
    digest = FORMATS["text"].document([brief, brief], digest=True, mail={}).decode()
    assert digest.count("Dutch title: Fietsenstalling vol") == 2 and "§ Bicycle" not in digest


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "https://x.example/a b"])
def test_only_http_links_become_links(url):
    brief = web_brief(url=url)
    for name in ("markdown", "text", "html"):
        out = FORMATS[name].document([brief], digest=False, mail={}).decode()
        assert "javascript:" not in out and "ftp:" not in out and "De Noorderbode" in out, name


def test_json_has_the_source_object_and_reads_it_back():
    brief = web_brief(author=None)
    data = json.loads(FORMATS["json"].document([brief], digest=False, mail={}))
    assert data["schema_version"] == 6
    assert data["article"]["source"] == {"url": URL, "outlet": "De Noorderbode", "author": None, "published": SOURCE.published}
    assert brief_from_dict(brief_to_dict(brief)) == brief
    assert brief_to_dict(make_brief())["article"]["source"] is None
    with pytest.raises(ValueError, match="article.source"):
        bad = brief_to_dict(brief)
        bad["article"]["source"] = {"url": 3, "outlet": None, "author": None, "published": None}
        brief_from_dict(bad)


def test_both_parts_of_a_mail_link_to_the_page():
    for digest in (False, True):
        raw = FORMATS["email"].document([web_brief()], digest=digest, mail={"to": "me@example.org", "sender": "brief@example.org"})
        message = message_from_bytes(raw, policy=policy.default)
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert URL in plain and f'href="{URL.replace("&", "&amp;")}"' in html and "De Noorderbode" in plain


def test_the_ray_executors_json_keeps_the_source():
    pytest.importorskip("ray")
    from translate_summarize.executors.ray_executor import article_from_json, article_to_json

    article = web_brief().article
    assert article_from_json(article_to_json(article)) == article


def test_credentials_in_a_url_never_reach_the_brief():
    assert Source(url="https://jan:geheim@www.noorderbode.example/a?x=1").url == "https://www.noorderbode.example/a?x=1"
    assert Source(url="https://www.noorderbode.example/@redactie").url == "https://www.noorderbode.example/@redactie"
