"""Where a web article came from, in every format: link, outlet, author, published (issue #13 stage 2)."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

import pytest

from translate_summarize.data import Source
from translate_summarize.render import FORMATS
from translate_summarize.render.json_format import brief_from_dict, brief_to_dict

from ..briefs import make_brief

URL = "https://www.noorderbode.example/groningen/2026/11/28/fietsenstalling?x=1&y=2"
SOURCE = Source(url=URL, outlet="De Noorderbode", author="Sanne de Vries", published="2026-11-28T06:15:00+00:00")


def web_brief(**source):
    return make_brief(article={"source": Source(**{**vars(SOURCE), **source}), "date": "2026-11-28"})


def test_markdown_text_and_html_show_the_source():
    brief = web_brief()
    markdown = FORMATS["markdown"].document([brief], digest=False, mail={})
    assert f"- **Link:** <{URL}>" in markdown.decode()
    assert "- **Outlet:** De Noorderbode" in markdown.decode() and "- **Author:** Sanne de Vries" in markdown.decode()
    assert "- **Published:** 2026-11-28T06:15:00+00:00" in markdown.decode()
    text = FORMATS["text"].document([brief], digest=False, mail={}).decode()
    assert f"Link:    {URL}" in text and "Outlet:  De Noorderbode" in text and "Author:  Sanne de Vries" in text
    html = FORMATS["html"].document([brief], digest=False, mail={}).decode()
    assert f'<a href="{URL.replace("&", "&amp;")}"' in html and "De Noorderbode" in html and "Sanne de Vries" in html


def test_a_plain_file_shows_no_source_lines():
    brief = make_brief()
    for name in ("markdown", "text", "html"):
        out = FORMATS[name].document([brief], digest=False, mail={}).decode()
        assert "Link:" not in out and "Outlet:" not in out, name


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "https://x.example/a b"])
def test_only_http_links_become_links(url):
    brief = web_brief(url=url)
    for name in ("markdown", "text", "html"):
        out = FORMATS[name].document([brief], digest=False, mail={}).decode()
        assert "javascript:" not in out and "Link:" not in out and "De Noorderbode" in out, name


def test_json_has_the_source_object_and_reads_it_back():
    brief = web_brief(author=None)
    data = json.loads(FORMATS["json"].document([brief], digest=False, mail={}))
    assert data["schema_version"] == 4
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
