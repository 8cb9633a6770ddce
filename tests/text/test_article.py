from pathlib import Path

from translate_summarize.data import BlockKind
from translate_summarize.text.article import is_subheading, parse_article

from ..conftest import SAMPLE


def test_sample_keeps_metadata_paragraphs_and_subheadings():
    article = parse_article(SAMPLE.read_text(encoding="utf-8"), SAMPLE)
    assert article.date == "2021-09"
    kinds = [block.kind for block in article.blocks]
    assert kinds.count(BlockKind.PARAGRAPH) == 7
    assert [b.text for b in article.blocks if b.kind is BlockKind.SUBHEADING] == [
        "Omvangrijke steun Peking",
        "Chiptekorten",
    ]
    assert article.blocks[0].text.startswith("Chinese automakers zijn de meest concurrerende")
    assert article.blocks[-1].text.endswith("op te zullen zetten.")


def test_curly_quotes_and_dashes_are_kept():
    article = parse_article("Hij zei: ‘Dat is – zo te zien – “goed”.’", Path("a.txt"))
    assert article.blocks[0].text == "Hij zei: ‘Dat is – zo te zien – “goed”.’"


def test_lines_of_a_paragraph_are_joined_and_no_blank_lines_means_one_paragraph_per_line():
    article = parse_article("Eerste regel\nloopt door.\n\nTweede alinea.", Path("a.txt"))
    assert [b.text for b in article.blocks] == ["Eerste regel loopt door.", "Tweede alinea."]
    article = parse_article("Eerste alinea.\nTweede alinea.\nDerde alinea.", Path("a.txt"))
    assert len(article.blocks) == 3


def test_subheading_rules():
    assert is_subheading("Chiptekorten")
    assert not is_subheading("Dit is een zin.")
    assert not is_subheading("Een heel lange regel " * 10)


def test_content_hash_changes_with_content():
    one = parse_article(" date 2021-09 Tekst.", Path("a.txt"))
    two = parse_article(" date 2021-10 Tekst.", Path("a.txt"))
    assert one.sha256 != two.sha256
