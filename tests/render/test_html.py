"""HTML renderer: a well-formed, self-contained page; all article text escaped and inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings

from translate_summarize.data import Check, Failure, RunStatus
from translate_summarize.render.html import render_html, render_html_digest

from translate_summarize.data import BlockKind

from ..briefs import NASTY, NASTY_LINES, P, SAMPLE_BLOCKS, brief_strategy, brief_texts, make_brief, nasty_brief, words

T = BlockKind.TITLE

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
    assert html.index('<meta charset="utf-8">') < 1024 - 30  # within HTML's encoding prescan, for a saved page
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.named("meta")
    assert {"name": "color-scheme", "content": "light dark"} in page.named("meta")
    assert page.named("html") == [{"lang": "en"}]
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert "src" not in attrs
        assert (attrs.get("href") or "#").startswith("#")
        assert "url(" not in (attrs.get("style") or "")
    styles = page.named("style")
    assert len(styles) == 1
    style_block = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert style_block.startswith(":root{color-scheme:light dark}") and "@media screen and (max-width:640px)" in style_block
    assert "@import" not in style_block and "url(" not in style_block


def test_page_is_well_formed_and_self_contained():
    html = render_html(make_brief())
    assert_self_contained(html, Page(html))


def test_sections_in_order_english_summary_first():
    html = render_html(make_brief())
    text = Page(html).all_text
    order = [
        "Musk praises Chinese carmakers",
        "Sourcetesla-china.txt",  # a label cell, then its value cell
        "Date2021-09-15",
        "Briefed2024-05-01T09:30:00+00:00",
        "Summary",
        "EN Elon Musk called Chinese automakers",  # the label, then the text
        "NL Elon Musk noemde Chinese autobouwers",
        "Checks",
        "1 of 2 checks flagged: names missing in 1 sentence",
        "name “Xpeng” in the summary is not in the article",
        "Full text",
        "EnglishNederlands",
        "Extensive support from Beijing",
        "Omvangrijke steun Peking",
        "Models",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert len(Page(html).named("h1")) == 1


def test_inline_styles_only_where_a_page_has_one_element():
    """The elements a page has once carry their style (for clients that drop <style>); a full-text
    row carries none (its rules are added to <style> after css-inline has run)."""
    brief = make_brief()
    page = Page(render_html(brief))
    for tag in ("body", "h1"):
        assert all(attrs.get("style") for attrs in page.named(tag)), tag
    assert page.named("div")[0]["class"] == "page" and page.named("div")[0].get("style")
    for tag in ("tr", "td", "th", "b", "p", "li", "ul", "h3", "table", "tbody"):
        assert not any(attrs.get("style") for attrs in page.named(tag)), tag
    assert "class=" in render_html(brief)


def test_full_text_dutch_left_english_right_english_first_on_a_phone():
    """English cell first in the markup of a dir=rtl table (body dir=ltr): Dutch left on a wide
    screen; the phone rule makes each cell a block, so the English comes first, the Dutch under it."""
    brief = make_brief()
    html = render_html(brief)
    page = Page(html)
    cells = [attrs for attrs in page.named("td") if attrs.get("lang")]
    assert [attrs["lang"] for attrs in cells] == ["en", "nl"] * len(brief.blocks)
    [table] = [attrs for attrs in page.named("table") if attrs.get("class") == "ft"]
    assert table["dir"] == "rtl" and {"dir": "ltr", "valign": "top"} in page.named("tbody")
    assert [attrs["lang"] for attrs in page.named("th") if attrs.get("lang")] == ["en", "nl"]
    labels = [attrs for attrs in page.named("b") if attrs.get("class") == "l"]
    assert len(labels) == len(cells)
    assert ".l{display:none}" in html and ".ft,.ft tbody,.ft tr,.ft td{display:block;width:auto}" in html
    assert re.search(r"@media screen and \(max-width:640px\)\{[^@]*\.l\{display:inline-block\}", html)
    for block in brief.blocks:
        assert words(block.source) in page.lang_text("nl")
        assert words(block.target) in page.lang_text("en")
        assert words(block.target) not in page.lang_text("nl")
    assert words(brief.summary_nl) in page.lang_text("nl")
    assert words(brief.summary_en) in page.lang_text("en")
    assert "één volledig" in html


def test_dark_mode():
    html = render_html(make_brief())
    assert "color-scheme:light dark" in html
    dark = re.search(r"@media \(prefers-color-scheme:dark\)\{(.*?)\}\s*</style>", html, re.S)
    assert dark and "body,.page{background:#161616!important;color:#e6e6e6!important}" in dark.group(1)


def full_text_html(html: str) -> str:
    start = html.index('<table class="ft"')
    return html[start : html.index("</table>", start)]


def test_title_is_the_headline_not_a_subheading_of_the_full_text():
    title = (T, [("Musk prijst Chinese automakers", "Musk praises Chinese carmakers")])
    brief = make_brief(blocks=[title, *SAMPLE_BLOCKS], headline="Musk praises Chinese carmakers")
    html = render_html(brief)
    full = full_text_html(html)
    assert "Musk prijst" not in full and "Musk praises" not in full
    assert full.count('<td lang="en">') == len(brief.blocks) - 1
    text = Page(html).all_text
    assert text.count("Musk praises Chinese carmakers") == 2  # the page's <title> and the headline
    assert "Dutch titleMusk prijst Chinese automakers" in text and "English title" not in text
    # A headline that had to be shortened: the whole English title is shown with the Dutch one.
    shortened = render_html(make_brief(blocks=[title, *SAMPLE_BLOCKS], headline="Musk praises…"))
    assert "English titleMusk praises Chinese carmakers" in Page(shortened).all_text


def test_checks_section_says_what_was_flagged_in_words():
    html = render_html(make_brief())
    assert '<p class="chk warn">⚠ 1 of 2 checks flagged: names missing in 1 sentence</p>' in html
    assert '<ul class="warns">\n<li>name “Xpeng” in the summary is not in the article</li>' in html
    assert "all numbers in the summary" not in html
    passed = render_html(make_brief(checks=(Check("numbers", True, "fine"), Check("names", True, "fine"))))
    assert '<p class="chk ok">✓ All 2 checks passed</p>' in passed and "fine" not in passed
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


def in_order(text: str, items: list[str]) -> None:
    """Each of `items` occurs in `text` after the one before it."""
    at = 0
    for item in items:
        found = text.find(item, at)
        assert found >= 0, f"{item!r} not after position {at}: {text[at:at + 200]!r}"
        at = found + len(item)


def test_digest_is_status_contents_entries_then_full_texts():
    briefs = [make_brief(headline=f"Kop {n} <i>", article={"name": f"a{n}.txt"}) for n in (1, 2, 3)]
    status = RunStatus(2, 1, (Failure("in/leeg.txt", "is empty"),))
    html = render_html_digest(briefs, status, {1: "a2.html"})
    page = Page(html)
    assert_self_contained(html, page)
    assert html.count("<!DOCTYPE html>") == 1 and html.count("<body") == 1
    assert page.named("title") and page.named("h1") and "Briefs: 3 articles" in page.all_text
    in_order(page.all_text, [
        "2 briefed, 1 unchanged, 1 failed", "1 input failed:", "✗ in/leeg.txt: is empty",
        "Kop 1 <i> · a1.txt", "Kop 2 <i> · a2.txt", "Kop 3 <i> · a3.txt",  # the contents: headline and source
        "About the checks:", "“2 of 7 checks flagged” means",
        "1. Kop 1 <i>", "a1.txt · 2021-09-15", "EN Elon Musk called", "NL Elon Musk noemde",
        "⚠ 1 of 2 checks flagged: names missing in 1 sentence", "Full text below",
        "2. Kop 2 <i>", "Full text: attached as a2.html", "3. Kop 3 <i>", "Full text below",
        "1. Kop 1 <i>", "name “Xpeng” in the summary is not in the article", "EnglishNederlands",
        "3. Kop 3 <i>", "EnglishNederlands", "Models",
    ])
    assert [attrs["href"] for attrs in page.named("a")] == ["#brief-1", "#brief-2", "#brief-3", "#text-1", "#text-3"]
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert ids == ["brief-1", "brief-2", "brief-3", "text-1", "text-3"]
    assert len(page.named("h2")) == 5 and page.all_text.count("Models") == 1
    assert "Kop 3 &lt;i&gt;" in html


def test_digest_failures_stand_apart_from_check_warnings():
    status = RunStatus(1, 0, (Failure("in/leeg.txt", "is empty"),))
    html = render_html_digest([make_brief()], status)
    box = re.search(r'<div class="status failed" style="([^"]*)">(.*?)</div>', html, re.S)
    assert box and "background:#fdecea" in box.group(1) and "border-left-color:#b3261e" in box.group(1)
    assert re.search(r'<ul class="fails" style="[^"]*color:#8c1d18">\n<li>✗ in/leeg.txt: is empty</li>', box.group(2))
    assert '<p class="chk warn">' in html and "chk warn" not in box.group(2) and "fails" not in html[box.end():]
    calm = render_html_digest([make_brief()], RunStatus(1, 0))
    assert '<div class="status" style="' in calm and "failed:" not in calm and "fdecea" not in calm


@settings(max_examples=60, deadline=None)
@given(brief_strategy())
def test_never_crashes_never_loses_text(brief):
    for html in (render_html(brief), render_html_digest([brief, brief])):
        page = Page(html)
        assert_self_contained(html, page)
        html.encode("utf-8")
        for piece in brief_texts(brief):
            assert words(piece) in page.all_text
