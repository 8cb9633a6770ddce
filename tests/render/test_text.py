"""Plain-text renderer: layout, wrapping, inert text, and no text lost for any Unicode input."""

from __future__ import annotations

import re

from hypothesis import given, settings

from translate_summarize.data import Check, Failure, RunStatus
from translate_summarize.render.text import WIDTH, clean_text, render_text, render_text_digest

from ..briefs import NASTY, NASTY_LINES, brief_strategy, brief_texts, make_brief, nasty_brief, words


def test_sections_in_markdown_order_english_first():
    text = render_text(make_brief())
    titles = [
        "Musk praises Chinese carmakers",
        "Source:  tesla-china.txt",
        "Date:    2021-09-15",
        "Briefed: 2024-05-01T09:30:00+00:00",
        "Summary (English)",
        "Elon Musk called Chinese automakers",
        "Samenvatting (Nederlands)",
        "Elon Musk noemde Chinese autobouwers",
        "Checks",
        "1 of 2 checks flagged: names missing in 1 sentence.",
        "! name “Xpeng” in the summary is not in the article",
        "Full text (English / Nederlands)",
        "EN  § Extensive support from Beijing",
        "NL  § Omvangrijke steun Peking",
        "Models",
    ]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_english_above_its_dutch_and_non_ascii_kept():
    text = render_text(make_brief())
    assert "één volledig" in text
    assert "‘grote potentieel’" in words(text)
    en = text.index("EN  Chinese automakers are")
    nl = text.index("NL  Chinese automakers zijn")
    assert en < nl


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
    assert "All 2 checks passed." in passed and "fine" not in passed
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


def test_digest_is_status_contents_summaries_then_every_full_text():
    briefs = [make_brief(headline=f"Kop nummer {n}", article={"name": f"a{n}.txt"}) for n in (1, 2, 3)]
    status = RunStatus(2, 1, (Failure("in/leeg.txt", "is empty"),))
    text = render_text_digest(briefs, status)
    assert text.startswith("Briefs: 3 articles\n")
    order = [
        "2 briefed, 1 unchanged, 1 failed\n\n1 input failed:\nFAILED  in/leeg.txt: is empty",
        "Contents\n--------\n1. Kop nummer 1 (a1.txt)\n2. Kop nummer 2 (a2.txt)\n3. Kop nummer 3 (a3.txt)\n",
        "About the checks:",
        "1. Kop nummer 1\n===",
        "a1.txt · 2021-09-15\n\nEN  Elon Musk called",
        "NL  Elon Musk noemde",
        "\n\nChecks: 1 of 2 checks flagged: names missing in 1 sentence\n",
        "2. Kop nummer 2\n===",
        "3. Kop nummer 3\n===",
        "#" * WIDTH,
        "1. Kop nummer 1\n===",
        "! name “Xpeng” in the summary is not in the article",
        "Full text (English / Nederlands)",
        "EN  Chinese automakers are",
        "NL  Chinese automakers zijn",
    ]
    positions = [text.index(item) for item in order[:3]]
    for item in order[3:]:
        positions.append(text.index(item, positions[-1] + 1))
    assert positions == sorted(positions)
    # The text part is never clipped: every full text is in it (attachments are only for the HTML part).
    assert text.count("Full text (English / Nederlands)") == 3 and text.count("#" * WIDTH) == 3
    assert text.count("! name “Xpeng”") == 3 and text.count("Models\n") == 1
    assert "! " not in text[: text.index("#" * WIDTH)]  # a failure is never shown like a check warning


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
