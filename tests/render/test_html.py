"""HTML renderer: a well-formed, self-contained page; all article text escaped and inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings

from translate_summarize.data import Failure, RunStatus
from translate_summarize.render.html import render_html, render_html_digest

from ..briefs import NASTY, NASTY_LINES, P, brief_strategy, brief_texts, make_brief, nasty_brief, words

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Checks nesting as it parses; records tags, attributes and the text per language."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.by_lang: dict[str, list[str]] = {}
        self.errors: list[str] = []
        self.doctype = ""
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in VOID:
            lang = attributes.get("lang") or (self.stack[-1][1] if self.stack else "")
            self.stack.append((tag, lang))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag for void <{tag}>")
        elif not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> does not close {self.stack[-1:] or 'anything'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        lang = self.stack[-1][1] if self.stack else ""
        self.by_lang.setdefault(lang, []).append(data)

    def lang_text(self, lang: str) -> str:
        return words(" ".join(self.by_lang.get(lang, [])))

    @property
    def all_text(self) -> str:
        return words("".join(self.text))

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def assert_self_contained(html: str, page: Page) -> None:
    assert not page.errors, page.errors
    assert page.doctype.lower() == "doctype html"
    assert not page.named("script") and "<script" not in html.lower()
    for tag in ("link", "img", "iframe", "object", "embed", "base", "form", "input"):
        assert not page.named(tag), tag
    assert page.named("meta")[0] == {"charset": "utf-8"}
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.named("meta")
    assert page.named("html") == [{"lang": "en"}]
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert "src" not in attrs
        assert (attrs.get("href") or "#").startswith("#")
        assert "url(" not in (attrs.get("style") or "")
    styles = page.named("style")
    assert len(styles) == 1
    style_block = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert style_block.startswith("@media") and "@import" not in style_block and "url(" not in style_block


def test_page_is_well_formed_and_self_contained():
    html = render_html(make_brief())
    assert_self_contained(html, Page(html))


def test_sections_in_markdown_order_and_inline_styles():
    html = render_html(make_brief())
    page = Page(html)
    text = page.all_text
    order = [
        "Musk praises Chinese carmakers",
        "Source: tesla-china.txt",
        "Date: 2021-09-15",
        "Briefed: 2024-05-01T09:30:00+00:00",
        "Samenvatting (Nederlands)",
        "Summary (English)",
        "Checks",
        "Full text (Nederlands / English)",
        "Omvangrijke steun Peking",
        "Extensive support from Beijing",
        "Models",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert len(page.named("h1")) == 1
    # Styled by class, inlined by css-inline: every element that shows text carries its style.
    for tag in ("body", "h1", "h3", "p", "td", "th", "span"):
        assert page.named(tag) and all(attrs.get("style") for attrs in page.named(tag)), tag
    assert "<style>" in html and "class=" in html
    assert len([attrs for attrs in page.named("p") if attrs.get("class") == "sub"]) == 2  # the subheading, NL and EN


def test_two_columns_with_lang_attributes_that_stack_on_phones():
    brief = make_brief()
    html = render_html(brief)
    page = Page(html)
    columns = [attrs for attrs in page.named("td") if attrs.get("class") in ("nl", "en")]
    # One column order everywhere, the summaries included: Dutch, then English.
    assert [attrs["lang"] for attrs in columns] == ["nl", "en"] * (1 + len(brief.blocks))
    assert [attrs["class"] for attrs in columns] == [attrs["lang"] for attrs in columns]
    assert ".nl,.en{display:block!important;width:auto!important" in html
    # Each cell starts with a label, hidden on a wide screen and shown by the phone rule.
    labels = [attrs for attrs in page.named("span") if attrs.get("class") == "lab"]
    assert len(labels) == len(columns) and all(attrs["style"] == "display:none" for attrs in labels)
    assert ".lab{display:inline-block!important" in html
    for block in brief.blocks:
        assert words(block.source) in page.lang_text("nl")
        assert words(block.target) in page.lang_text("en")
        assert words(block.target) not in page.lang_text("nl")
    assert words(brief.summary_nl) in page.lang_text("nl")
    assert words(brief.summary_en) in page.lang_text("en")
    assert "één volledig" in html


def test_checks_section():
    html = render_html(make_brief())
    assert "⚠ name “Xpeng” in the summary is not in the article" in html
    assert "all numbers in the summary" not in html
    assert "Checks" not in Page(render_html(make_brief(checks=()))).all_text


def test_nasty_text_is_escaped_and_inert():
    brief = nasty_brief()
    html = render_html(brief)
    page = Page(html)
    assert_self_contained(html, page)
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "&lt;/td&gt;&lt;/tr&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in page.all_text  # data is never evaluated as a template
    assert "{% if 1 %}x{% endif %}" in html
    assert "a&amp;amp;b" in html  # an entity in the text is shown, not decoded
    assert "<b>name</b>" not in html
    assert "\r" not in html
    assert words(NASTY) in page.all_text
    assert words(NASTY_LINES) in page.all_text
    assert len(page.named("td")) == len(Page(render_html(make_brief(blocks=[(P, [("a", "b")])] * 2))).named("td"))


def test_control_characters_are_replaced():
    html = render_html(make_brief(summary_en="a\x00b\x1bc\x7fd\x0be\ud800f"))
    assert "a\ufffdb\ufffdc\ufffdd e\ufffdf" in html
    html.encode("utf-8")


def test_digest_is_one_page_status_then_summaries_then_full_texts():
    briefs = [make_brief(headline=f"Kop {n} <i>", article={"name": f"a{n}.txt"}) for n in (1, 2, 3)]
    status = RunStatus(2, 1, (Failure("in/leeg.txt", "is empty"),))
    html = render_html_digest(briefs, status, {1: "a2.html"})
    page = Page(html)
    assert_self_contained(html, page)
    assert html.count("<!DOCTYPE html>") == 1 and html.count("<body") == 1
    text = page.all_text
    assert page.named("title") and "Briefs: 3 articles" in text
    assert text.index("2 briefed, 1 unchanged, 1 failed") < text.index("in/leeg.txt: is empty") < text.index("Kop 1")
    assert [attrs["href"] for attrs in page.named("a")] == ["#text-1", "#text-3"]
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert ids == ["brief-1", "brief-2", "brief-3", "text-1", "text-3"]
    assert len(page.named("h1")) == 1 and len(page.named("h2")) == 5
    assert "Full text: attached as a2.html" in text
    assert "Kop 3 &lt;i&gt;" in html
    last_summary = text.rindex("Summary (English)")
    assert last_summary < text.index("Full text (Nederlands / English)")
    assert text.count("Full text (Nederlands / English)") == 2 and text.count("Models") == 1


@settings(max_examples=60, deadline=None)
@given(brief_strategy())
def test_never_crashes_never_loses_text(brief):
    for html in (render_html(brief), render_html_digest([brief, brief])):
        page = Page(html)
        assert_self_contained(html, page)
        html.encode("utf-8")
        for piece in brief_texts(brief):
            assert words(piece) in page.all_text
