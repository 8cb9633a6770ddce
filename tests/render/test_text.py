"""Plain-text renderer: layout, wrapping, inert text, and no text lost for any Unicode input."""

from __future__ import annotations

import re

from hypothesis import given, settings

from translate_summarize.data import Check, Failure, RunStatus
from translate_summarize.render.text import WIDTH, clean_text, render_text, render_text_digest

from ..briefs import NASTY, NASTY_LINES, brief_strategy, brief_texts, make_brief, nasty_brief, words


def test_sections_in_markdown_order():
    text = render_text(make_brief())
    titles = [
        "Musk praises Chinese carmakers",
        "Source:  tesla-china.txt",
        "Date:    2021-09-15",
        "Briefed: 2024-05-01T09:30:00+00:00",
        "Samenvatting (Nederlands)",
        "Summary (English)",
        "Checks",
        "Full text (Nederlands / English)",
        "NL  § Omvangrijke steun Peking",
        "EN  § Extensive support from Beijing",
        "Models",
    ]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_dutch_before_english_and_non_ascii_kept():
    text = render_text(make_brief())
    assert "één volledig" in text
    assert "‘grote potentieel’" in words(text)
    nl = text.index("NL  Chinese automakers zijn")
    en = text.index("EN  Chinese automakers are")
    assert nl < en


def test_lines_wrapped_at_78_columns():
    long = " ".join(["woord"] * 200)
    text = render_text(make_brief(summary_en=long, blocks=[("paragraph", [(long, long)])]))
    assert max(len(line) for line in text.splitlines()) <= WIDTH


def test_long_words_are_never_split():
    url = "https://example.org/" + "x" * 120
    text = render_text(make_brief(summary_en=f"Zie {url} voor meer."))
    assert url in text


def test_checks_warnings_listed_else_passed_else_absent():
    assert "! name “Xpeng” in the summary is not in the article" in render_text(make_brief())
    passed = render_text(make_brief(checks=(Check("a", True, "fine"), Check("b", True, "fine"))))
    assert "All 2 faithfulness checks passed." in passed and "fine" not in passed
    assert "Checks\n" not in render_text(make_brief(checks=()))


def test_empty_summaries_and_unknown_date():
    text = render_text(make_brief(summary_en="", summary_nl=" ", article={"date": None}))
    assert "(no summary)" in text and "(geen samenvatting)" in text
    assert "Date:    unknown" in text


def test_models_listed():
    text = render_text(make_brief())
    assert "- translation: Helsinki-NLP/opus-mt-nl-en (revision 9c0a7b1, engine torch)" in text
    assert "summarization: /models/local-bart (revision local, engine ctranslate2)" in text


def test_nasty_text_is_plain_and_cannot_break_lines_or_control_a_terminal():
    brief = nasty_brief()
    text = render_text(brief)
    assert "\r" not in text
    # CR/LF inside article text is reflowed like any space: in the full text every line still
    # carries its NL/EN label or the hanging indent, so text cannot fake a line of its own.
    body = text[text.index("Full text") : text.index("Models\n")].splitlines()[2:]
    assert all(line[:4] in ("NL  ", "EN  ", "    ") for line in body if line)
    assert "NL  Eerste regel Bcc: victim@example.org nog één regel X-Injected: yes" in text
    assert words(NASTY) in words(text)  # shown literally: plain text needs no escaping
    assert words(NASTY_LINES) in words(text)
    escape = render_text(make_brief(summary_en="red \x1b[31m alert \x00 \x7f \x9b end"))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", escape)
    assert "red \ufffd[31m alert \ufffd \ufffd \ufffd end" in escape


def test_clean_text():
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean_text("a\x0bb\x0cc\u2028d\u2029e\x85f") == "a b c d e f"
    assert clean_text("a\x00b\x1bc\ud800d") == "a\ufffdb\ufffdc\ufffdd"
    assert clean_text("één ‘x’ \t tab") == "één ‘x’ \t tab"


def test_digest_is_status_then_every_summary_then_the_full_texts():
    briefs = [make_brief(headline=f"Kop nummer {n}", article={"name": f"a{n}.txt"}) for n in (1, 2, 3)]
    status = RunStatus(2, 1, (Failure("in/leeg.txt", "is empty"),))
    text = render_text_digest(briefs, status, {1: "a2.html"})
    assert text.startswith("Briefs: 3 articles\n")
    assert text.index("2 briefed, 1 unchanged, 1 failed") < text.index("x in/leeg.txt: is empty") < text.index("1. Kop")
    heads = [text.index(f"{n}. Kop nummer {n}\n=") for n in (1, 2, 3)]
    assert heads == sorted(heads)
    assert "a1.txt · 2021-09-15 · 1 of 2 checks flagged" in text
    # The flagged checks themselves are listed with the full text (articles 1 and 3 here).
    assert text.count("! name “Xpeng” in the summary is not in the article") == 2
    assert text.index("! name “Xpeng”") > text.index("#" * WIDTH)
    summaries = [m.start() for m in re.finditer("Samenvatting \\(Nederlands\\)", text)]
    full_texts = [m.start() for m in re.finditer("Full text \\(Nederlands / English\\)", text)]
    assert len(summaries) == 3 and len(full_texts) == 2  # the second article's full text is attached
    assert max(summaries) < min(full_texts)
    assert "Full text: attached as a2.html" in text and text.count("Full text: below") == 2
    assert text.count("#" * WIDTH) == 2
    assert text.count("Models\n") == 1


def test_digest_without_status_or_briefs():
    text = render_text_digest([make_brief()])
    assert "briefed" not in text and text.startswith("Briefs: 1 article\n")
    empty = render_text_digest([], RunStatus(0, 4))
    assert empty.startswith("Briefs: no new articles\n") and "0 briefed, 4 unchanged, 0 failed" in empty


@settings(max_examples=80, deadline=None)
@given(brief_strategy())
def test_never_crashes_never_loses_text(brief):
    for text in (render_text(brief), render_text_digest([brief, brief])):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\r\ud800-\udfff]", text)
        text.encode("utf-8")
        flat = words(text)
        for piece in brief_texts(brief):
            assert words(piece) in flat
