"""Line structure of plain text (issue #21): hard wraps reflowed, lists as lists, headlines as titles."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from translate_summarize.data import BlockKind
from translate_summarize.text.article import parse_article
from translate_summarize.text.reader import normalise

from ..conftest import SAMPLE
from ..dutch import BRAND, MAYOR, RIVER, hard_wrapped

PARAGRAPHS = [BRAND, MAYOR, RIVER]


def blocks(text: str) -> list[tuple[str, str, str | None]]:
    article = parse_article(normalise(text), Path("a.txt"))
    return [(block.kind.value, block.text, block.marker) for block in article.blocks]


@pytest.mark.parametrize("width", [60, 64, 72, 80])
def test_hard_wrapped_paragraphs_are_reflowed_into_whole_paragraphs(width):
    text = hard_wrapped(PARAGRAPHS, width)
    assert blocks(text) == [("paragraph", paragraph, None) for paragraph in PARAGRAPHS]


@pytest.mark.parametrize("width", [60, 64, 72, 80])
def test_hard_wrapped_text_without_blank_lines_gives_whole_paragraphs(width):
    """Without blank lines a paragraph ends where a line ends a sentence and the next line's first
    word would have fit on it; where it would not have, nothing tells the two apart, and the two
    paragraphs are read as one. Either way every block is whole paragraphs, never a fragment."""
    found = [text for _, text, _ in blocks(hard_wrapped(PARAGRAPHS, width, "\n"))]
    assert " ".join(found) == " ".join(PARAGRAPHS)
    ends = {len(" ".join(PARAGRAPHS[: n + 1])) for n in range(len(PARAGRAPHS))}
    assert all(len(" ".join(found[: n + 1])) in ends for n in range(len(found)))


def test_a_short_last_line_ends_a_paragraph_in_text_without_blank_lines():
    text = "\n".join(textwrap.wrap(BRAND + " Er vielen geen gewonden.", 64)) + "\n" + textwrap.fill(MAYOR, 64)
    assert [text for _, text, _ in blocks(text)] == [BRAND + " Er vielen geen gewonden.", MAYOR]


@pytest.mark.parametrize("width", [60, 72])
def test_first_line_indent_starts_a_paragraph(width):
    text = "\n".join("   " + textwrap.fill(paragraph, width) for paragraph in PARAGRAPHS)
    assert [text for _, text, _ in blocks(text)] == PARAGRAPHS


def test_one_paragraph_per_line_stays_one_paragraph_per_line():
    assert [text for _, text, _ in blocks("\n".join(PARAGRAPHS))] == PARAGRAPHS
    lines = Path(__file__).resolve().parent.parent.joinpath("data", "parity_nl.txt").read_text(encoding="utf-8")
    assert len(blocks(lines)) == len(lines.splitlines())


def test_a_wrapped_title_and_heading_keep_their_kinds():
    text = "Brand in haven Vlissingen\n\n" + hard_wrapped([BRAND], 64) + "\n\nGeen gewonden\n" + hard_wrapped([MAYOR], 64)
    assert blocks(text) == [
        ("title", "Brand in haven Vlissingen", None),
        ("paragraph", BRAND, None),
        ("subheading", "Geen gewonden", None),
        ("paragraph", MAYOR, None),
    ]


def test_a_soft_hyphen_at_a_line_end_joins_the_word_and_a_real_hyphen_stays():
    text = "Op de voetbal\u00ad\nvelden van Noord-\nHolland en Zuid-\nLimburg, in Noord-\nen Zuid-Holland regent het."
    assert blocks(text) == [
        ("paragraph", "Op de voetbalvelden van Noord-Holland en Zuid-Limburg, in Noord- en Zuid-Holland regent het.", None)
    ]


@pytest.mark.parametrize("bullet", ["•", "-", "*", "–", "▪"])
def test_bulleted_items_are_list_items_and_the_intro_its_own_block(bullet):
    text = f"De bond eist:\n{bullet} meer loon\n{bullet} kortere werkweken\n{bullet} een beter pensioen\n\nDe werkgevers reageren morgen."
    assert blocks(text) == [
        ("paragraph", "De bond eist:", None),
        ("list_item", "meer loon", bullet),
        ("list_item", "kortere werkweken", bullet),
        ("list_item", "een beter pensioen", bullet),
        ("paragraph", "De werkgevers reageren morgen.", None),
    ]


@pytest.mark.parametrize("markers", [("1.", "2.", "3."), ("1)", "2)", "3)"), ("a)", "b)", "c)")])
def test_numbered_items_keep_their_marker_and_their_wrapped_lines(markers):
    one, two, three = markers
    text = (
        f"Het plan in drie stappen:\n{one} De dijk wordt verhoogd.\n{two} De sluis wordt\n   vernieuwd.\n"
        f"{three} Er komt een extra\ngemaal.\nDaarna volgt de evaluatie."
    )
    assert blocks(text) == [
        ("paragraph", "Het plan in drie stappen:", None),
        ("list_item", "De dijk wordt verhoogd.", one),
        ("list_item", "De sluis wordt vernieuwd.", two),
        ("list_item", "Er komt een extra gemaal.", three),
        ("paragraph", "Daarna volgt de evaluatie.", None),
    ]


def test_items_between_blank_lines_are_list_items_too():
    text = "De eisen:\n\n- meer loon\n\n- kortere werkweken\n\nDe werkgevers reageren morgen."
    assert [kind for kind, _, _ in blocks(text)] == ["paragraph", "list_item", "list_item", "paragraph"]


def test_an_empty_item_is_left_out_and_the_list_goes_on():
    text = "Dit zijn de punten:\n- eerste punt\n- \n-\n* derde punt\n\nKlaar."
    assert blocks(text) == [
        ("paragraph", "Dit zijn de punten:", None),
        ("list_item", "eerste punt", "-"),
        ("list_item", "derde punt", "*"),
        ("paragraph", "Klaar.", None),
    ]


def test_a_dash_in_mid_sentence_at_a_line_start_is_no_list_item():
    text = "Het plan is\n– zo te zien – duur en\n- volgens de raad - te laat."
    assert blocks(text) == [("paragraph", "Het plan is – zo te zien – duur en - volgens de raad - te laat.", None)]


@pytest.mark.parametrize(
    "headline",
    [
        "Wie betaalt de nieuwe sluis bij Terneuzen?",
        "Burgemeester: ‘Dit mag nooit meer gebeuren’",
        "Eindelijk vrij!",
        "‘We gaan door’, zegt de bond…",
        "Na een nacht vol vlammen en rook blijft de haven van Vlissingen voorlopig dicht voor alle scheepvaart",
        "Ajax wint van PSV",
    ],
)
def test_a_first_line_set_apart_that_reads_as_a_headline_is_the_title(headline):
    found = blocks(f"{headline}\n\n{BRAND}\n\n{MAYOR}")
    assert found[0] == ("title", headline, None) and [text for _, text, _ in found[1:]] == [BRAND, MAYOR]


@pytest.mark.parametrize(
    "lead",
    [
        "De brandweer rukte uit.",  # a full stop: the lead
        "De brandweer rukte uit,",  # continues into the next paragraph
        "In de haven van Vlissingen brandde vannacht een loods met kunstmest en de rook trok over de stad en ver daarbuiten heen",
    ],
)
def test_a_first_line_that_does_not_read_as_a_headline_stays_a_paragraph(lead):
    found = blocks(f"{lead}\n\n{BRAND}\n\n{MAYOR}")
    assert found[0][0] == "paragraph"


def test_a_first_line_that_continues_is_not_a_title():
    assert blocks(f"Volgens de brandweer\n\nwas het vuur snel onder controle.\n\n{MAYOR}")[0][0] == "paragraph"
    assert blocks(f"WONINGBOUW: KABINET TREKT GELD UIT, GEMEENTEN BOOS -\n\n{BRAND}")[0][0] == "paragraph"


def test_the_sample_is_read_as_before():
    article = parse_article(SAMPLE.read_text(encoding="utf-8"), SAMPLE)
    assert [block.kind for block in article.blocks].count(BlockKind.PARAGRAPH) == 7
    assert BlockKind.TITLE not in [block.kind for block in article.blocks]
