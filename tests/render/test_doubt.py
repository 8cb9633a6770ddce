"""Low-confidence sentences (issue #25): marked wherever the full text is shown, in every format, and
the mark explained once; confidence and mark kept in JSON; the confidence and glossary checks in words."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import markdown_it
import pytest

from translate_summarize.data import BlockKind, Brief, Check
from translate_summarize.render.email_format import build_message
from translate_summarize.render.fields import (
    CHECKS_LEGEND,
    DOUBT_LEGEND,
    Segment,
    check_line,
    doubt_note,
    english_segments,
    has_doubts,
)
from translate_summarize.render.html import render_html, render_html_digest
from translate_summarize.render.json_format import brief_from_dict, brief_to_dict, render_json, render_json_digest
from translate_summarize.render.markdown import render_markdown, render_markdown_digest
from translate_summarize.render.text import render_text, render_text_digest

from ..briefs import make_brief, words
from .test_email_format import DATE, MAIL, parse, parts
from .test_html import Page, assert_self_contained

SURE = "Tesla is so far the only foreign carmaker with one fully owned factory."
DOUBT = "“I have a lot of respect for the many Chinese automakers,” said Musk."
NASTY_DOUBT = "“I have <b>a lot</b> of *x* respect_ for the many <script>alert(1)</script> carmakers,” said Musk."
SAID = "‘“Ik heb veel…’: confidence 0.12 (the article's median is 0.55); check this sentence"
CHECK = Check("confidence", False, SAID, "paragraph 2, sentence 2")
TAG = '<mark class="doubt" title="Low confidence (0.12): check this sentence">'
OTHER = {"headline": "Other", "article": {"name": "b.txt"}}


def marked_brief(doubt: str = DOUBT, confidence: float | None = 0.123, **overrides) -> Brief:
    """The sample brief with the second sentence of its two-sentence paragraph (its last block) marked."""
    brief = make_brief(**overrides)
    block = brief.blocks[-1]
    assert block.kind is BlockKind.PARAGRAPH and [pair.target for pair in block.sentences][0] == SURE
    first = replace(block.sentences[0], confidence=0.61)
    second = replace(block.sentences[1], target=doubt, confidence=confidence, low_confidence=True)
    block = replace(block, target=f"{SURE} {doubt}", sentences=(first, second))
    return replace(brief, blocks=(*brief.blocks[:-1], block), checks=(*brief.checks, CHECK))


def full_text(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


# --- fields: the mark decided once -----------------------------------------------------------------


def test_segments_are_the_whole_english_unless_a_sentence_is_marked():
    brief = marked_brief()
    assert english_segments(make_brief().blocks[-1]) == (Segment(f"{SURE} {DOUBT}", False),)
    assert english_segments(brief.blocks[-1]) == (Segment(SURE, False, 0.61), Segment(DOUBT, True, 0.123))
    for block in brief.blocks[:-1]:
        assert english_segments(block) == (Segment(block.target, False),)
    assert doubt_note(Segment(DOUBT, True, 0.123)) == "Low confidence (0.12): check this sentence"
    assert doubt_note(Segment(DOUBT, True)) == "Low confidence: check this sentence"
    assert has_doubts([make_brief(), brief]) and not has_doubts([make_brief()])


def test_the_new_check_kinds_in_words_and_in_the_legend():
    two = Check("confidence", False, "b", "paragraph 3, sentence 1")
    unhonoured = "paragraph 1, sentence 2 ‘Het kabinet…’: ‘kabinet’ is not rendered as ‘cabinet’"
    glossary = Check("glossary", False, unhonoured)
    brief = make_brief(checks=(Check("numbers", True, "fine"), CHECK, two, glossary))
    assert check_line(brief) == (
        "2 of 3 checks flagged: 2 sentences to check (low confidence), glossary terms not honoured in 1 sentence"
    )
    assert check_line(make_brief(checks=(CHECK,))) == "1 of 1 check flagged: 1 sentence to check (low confidence)"
    assert "low-confidence sentences" in CHECKS_LEGEND and "when a glossary is given" in CHECKS_LEGEND


# --- each format: the mark on that one sentence, and what it means said once -------------------------


def test_markdown_marks_the_sentence_and_says_once_what_the_mark_means():
    text = render_markdown(marked_brief())
    body = full_text(text, "## Full text", "## Models")
    assert f"**EN** {SURE} ⚠ “I have a lot of respect for the many Chinese automakers,” said Musk." in body
    assert body.count("⚠") == 2 and text.count(DOUBT_LEGEND) == 1  # the legend, and the one sentence
    assert body.index(DOUBT_LEGEND) < body.index("**EN**")
    assert "**NL** Tesla is vooralsnog" in body and "⚠" not in body.split("**NL** Tesla is vooralsnog", 1)[1]
    assert DOUBT_LEGEND not in render_markdown(make_brief())


def test_markdown_escapes_a_marked_sentence():
    text = render_markdown(marked_brief(NASTY_DOUBT))
    assert "⚠ “I have \\<b>a lot\\</b> of \\*x\\* respect\\_ for the many \\<script>alert(1)\\</script>" in text
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).render(text)
    assert "<b>" not in html and "<script" not in html and "<em>x</em>" not in html
    assert "⚠ “I have &lt;b&gt;a lot&lt;/b&gt; of *x* respect_ for the many" in html


def test_markdown_digest_says_it_once_at_the_top():
    text = render_markdown_digest([marked_brief(), make_brief(**OTHER)])
    assert text.count(DOUBT_LEGEND) == 1 and text.index(DOUBT_LEGEND) < text.index("\n---\n")
    assert text.index("About the checks") < text.index(DOUBT_LEGEND)
    assert text.count(f"{SURE} ⚠ “I have") == 1
    assert DOUBT_LEGEND not in render_markdown_digest([make_brief()])


def test_text_marks_the_sentence_and_says_once_what_the_mark_means():
    text = render_text(marked_brief())
    body = full_text(text, "Full text (English", "Models")
    assert f"{SURE} ⚠ “I have a lot of respect for the many Chinese automakers,” said Musk." in words(body)
    assert body.count("⚠") == 2 and words(text).count(DOUBT_LEGEND) == 1
    assert body.index("⚠ marks") < body.index("EN  ")
    assert "\u00a0" not in text and "⚠" not in body.split("NL  Tesla is vooralsnog", 1)[1]
    assert "⚠ marks" not in render_text(make_brief())


@pytest.mark.parametrize("pad", range(0, 24))
def test_text_never_leaves_the_mark_alone_at_the_end_of_a_line(pad):
    brief = marked_brief()
    block = brief.blocks[-1]
    first = replace(block.sentences[0], target=SURE + " x" * pad)
    brief = replace(brief, blocks=(*brief.blocks[:-1], replace(block, sentences=(first, block.sentences[1]))))
    lines = render_text(brief).splitlines()
    assert not any(line.rstrip().endswith("⚠") for line in lines)
    assert any("⚠ “I" in line for line in lines) and all(len(line) <= 78 for line in lines)


def test_text_digest_says_it_once_after_the_checks_legend():
    text = render_text_digest([marked_brief(), make_brief(**OTHER)])
    said = words(text)
    assert said.count(DOUBT_LEGEND) == 1 and said.index("About the checks") < said.index(DOUBT_LEGEND)
    assert f"{SURE} ⚠ “I have a lot" in words(text)


def doubt_marks(page: Page) -> list[dict[str, str | None]]:
    return page.named("mark")


def test_html_marks_the_sentence_with_a_class_and_a_tooltip():
    html = render_html(marked_brief())
    page = Page(html)
    assert_self_contained(html, page)
    assert doubt_marks(page) == [{"class": "doubt", "title": "Low confidence (0.12): check this sentence"}]
    cells = re.findall(r'<td lang="en"><b class="l">EN </b>(.*?)</td>', html)
    assert [cell for cell in cells if "<mark" in cell] == [cells[-1]] and cells[-1] == (
        f"{SURE} {TAG}⚠ “I have a lot of respect for the many Chinese automakers,” said Musk.</mark>"
    )
    assert page.all_text.count(DOUBT_LEGEND) == 1 and html.index(DOUBT_LEGEND) > html.index("<h3>Full text</h3>")
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert ".doubt{background:#ffe58f;color:#1a1a1a" in style
    assert "@media (prefers-color-scheme:dark){.doubt{background:#5c4700!important;color:#ffeab0!important}}" in style
    plain = render_html(make_brief())
    assert ".doubt" not in plain and "<mark" not in plain and DOUBT_LEGEND not in plain


def test_html_mark_is_styled_by_a_class_rule_not_an_attribute():
    """The digest's budget relies on full-text rows carrying no style attribute (bench/bench_digest.py)."""
    for html in (render_html(marked_brief()), render_html_digest([marked_brief(), make_brief(headline="Other")])):
        marks = Page(html).named("mark")
        assert marks and not any("style" in attrs for attrs in marks)


def test_html_escapes_a_marked_sentence():
    html = render_html(marked_brief(NASTY_DOUBT, confidence=None))
    page = Page(html)
    assert_self_contained(html, page)
    assert "⚠ “I have &lt;b&gt;a lot&lt;/b&gt; of *x* respect_ for the many &lt;script&gt;alert(1)" in html
    assert doubt_marks(page) == [{"class": "doubt", "title": "Low confidence: check this sentence"}]
    assert words(f"{SURE} ⚠ {NASTY_DOUBT}") in page.lang_text("en")


def test_html_digest_says_it_once_after_the_checks_legend():
    briefs = [marked_brief(), make_brief(**OTHER)]
    html = render_html_digest(briefs)
    page = Page(html)
    assert_self_contained(html, page)
    assert len(doubt_marks(page)) == 1 and page.all_text.count(DOUBT_LEGEND) == 1
    assert html.index("About the checks") < html.index(DOUBT_LEGEND) < html.index("<mark")
    # The full text attached instead: the attachment (a page of its own) explains its mark itself.
    attached = render_html_digest(briefs, attached={0: "tesla-china.html"})
    assert "<mark" not in attached and ".doubt{" in attached


def test_email_marks_the_sentence_in_both_parts():
    single = parts(parse(build_message(marked_brief(), **MAIL, date=DATE).as_bytes()))
    assert "⚠ “I have a lot" in words(single["text/plain"]) and words(DOUBT_LEGEND) in words(single["text/plain"])
    assert f"{TAG}⚠ “I have a lot" in single["text/html"]
    assert ".doubt{" in single["text/html"]
    both = parts(parse(build_message([marked_brief(), make_brief(**OTHER)], **MAIL, date=DATE).as_bytes()))
    plain = words(both["text/plain"])
    assert f"{SURE} ⚠ “I have a lot" in plain and plain.count(DOUBT_LEGEND) == 1
    assert both["text/html"].count('<mark class="doubt"') == 1 and both["text/html"].count(DOUBT_LEGEND) == 1


@pytest.mark.parametrize("kind", [BlockKind.SUBHEADING, BlockKind.LIST_ITEM])
def test_a_heading_or_a_list_item_is_marked_too(kind):
    brief = marked_brief()
    block = replace(brief.blocks[-1], kind=kind, marker="3." if kind is BlockKind.LIST_ITEM else None)
    brief = replace(brief, blocks=(*brief.blocks[:-1], block))
    markdown = render_markdown(brief)
    start = "### " if kind is BlockKind.SUBHEADING else "3. **EN** "
    assert f"\n{start}{SURE} ⚠ “I have a lot" in markdown
    text = words(render_text(brief))
    assert f"EN {'§' if kind is BlockKind.SUBHEADING else '3.'} {SURE} ⚠ “I have a lot" in text
    html = render_html(brief)
    assert html.count('<mark class="doubt"') == 1 and f'{SURE} <mark class="doubt"' in html


# --- JSON: the confidence and the mark of every sentence ------------------------------------------


def test_json_writes_confidence_and_mark_after_the_text():
    brief = marked_brief(confidence=0.123456)
    data = brief_to_dict(brief)
    assert data["schema_version"] == 6
    sentences = data["blocks"][-1]["sentences"]
    assert sentences == [
        {"nl": brief.blocks[-1].sentences[0].source, "en": SURE, "confidence": 0.61, "low_confidence": False},
        {"nl": brief.blocks[-1].sentences[1].source, "en": DOUBT, "confidence": 0.123, "low_confidence": True},
    ]
    untranslated = data["blocks"][0]["sentences"][0]
    assert untranslated["confidence"] is None and untranslated["low_confidence"] is False
    assert '"confidence": 0.123,\n' in render_json(brief) and '"low_confidence": true' in render_json(brief)


def test_json_round_trips_confidence_and_mark():
    brief = marked_brief()
    assert brief_from_dict(json.loads(render_json(brief))) == brief
    again = brief_from_dict(json.loads(render_json_digest([brief]))["briefs"][0])
    assert again == brief and again.blocks[-1].sentences[1].low_confidence is True
    assert again.blocks[-1].sentences[1].confidence == 0.123 and again.blocks[0].sentences[0].confidence is None
    rounded = brief_from_dict(brief_to_dict(marked_brief(confidence=0.123456)))
    assert rounded.blocks[-1].sentences[1].confidence == 0.123  # kept to 3 decimals
    assert render_html(rounded) == render_html(marked_brief(confidence=0.123456))  # the tooltip says 0.12
    assert brief_from_dict(brief_to_dict(marked_brief(confidence=1.0))).blocks[-1].sentences[1].confidence == 1.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("confidence"), "blocks[2].sentences[1].confidence is missing"),
        (lambda s: s.pop("low_confidence"), "blocks[2].sentences[1].low_confidence is missing"),
        (lambda s: s.update(confidence="0.1"), "blocks[2].sentences[1].confidence has the wrong type"),
        (lambda s: s.update(confidence=True), "blocks[2].sentences[1].confidence has the wrong type"),
        (lambda s: s.update(confidence=1.5), "blocks[2].sentences[1].confidence is not a number from 0 to 1"),
        (lambda s: s.update(confidence=float("nan")), "blocks[2].sentences[1].confidence is not a number from 0 to 1"),
        (lambda s: s.update(low_confidence=1), "blocks[2].sentences[1].low_confidence has the wrong type"),
    ],
)
def test_json_reading_refuses_a_bad_confidence(change, message):
    data = brief_to_dict(marked_brief())
    change(data["blocks"][2]["sentences"][1])
    with pytest.raises(ValueError) as error:
        brief_from_dict(data)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_json_refuses_a_version_5_brief():
    data = brief_to_dict(make_brief())
    for block in data["blocks"]:
        for sentence in block["sentences"]:
            del sentence["confidence"], sentence["low_confidence"]
    data["schema_version"] = 5
    with pytest.raises(ValueError, match="unsupported brief schema version 5"):
        brief_from_dict(data)


def test_a_low_confidence_title_is_marked_beside_the_headline_never_in_it():
    from ..briefs import SAMPLE_BLOCKS, aligned

    title = aligned(BlockKind.TITLE, [("Musk prijst Chinese autobouwers", "Musk praises Chinese carmakers")])
    marked = replace(title, sentences=tuple(replace(pair, confidence=0.05, low_confidence=True) for pair in title.sentences))
    brief = make_brief(blocks=[marked, *SAMPLE_BLOCKS])
    wanted = f"⚠ {title.target} (low confidence: check it against the Dutch)"
    for rendered in (render_markdown(brief), render_text(brief), render_html(brief)):
        flat = " ".join(rendered.split())  # plain text wraps its lines
        assert "⚠" in flat and "low confidence: check it against the Dutch" in flat
    assert wanted in " ".join(render_text(brief).split())
    assert "⚠" not in brief.headline
