"""The real generate() path on the tiny trained fixture models: content, not just 'it ran'."""

from __future__ import annotations

import re
from pathlib import Path

from sacremoses import MosesPunctNormalizer

from translate_summarize.data import BlockKind
from translate_summarize.pipeline.briefer import Briefer
from translate_summarize.text.article import parse_article
from translate_summarize.text.sentences import split_sentences

from ..conftest import SAMPLE, fixture_options

_normalizer = MosesPunctNormalizer(lang="nl")


def as_copied(text: str) -> str:
    """What the copy model gives back: MarianTokenizer normalises punctuation as opus-mt was trained."""
    return " ".join(_normalizer.normalize(text).split())


def test_sample_every_sentence_translated_once_in_order(briefer):
    article = briefer.read(SAMPLE)
    brief = briefer.brief(article)
    assert [b.kind for b in brief.blocks] == [b.kind for b in article.blocks]
    assert sum(b.kind is BlockKind.PARAGRAPH for b in brief.blocks) == 7
    assert sum(b.kind is BlockKind.SUBHEADING for b in brief.blocks) == 2
    for block, source in zip(brief.blocks, article.blocks):
        assert block.source == source.text
        assert [pair.source for pair in block.sentences] == split_sentences(source.text)
        for pair in block.sentences:
            assert as_copied(pair.target) == as_copied(pair.source)
        assert block.target == " ".join(pair.target for pair in block.sentences)
    assert brief.summary_en and brief.summary_nl
    # The lead-sentence summarizer gives back the first English sentence; the copy model returns it.
    first_english = brief.blocks[0].sentences[0].target
    assert brief.summary_en.startswith(first_english[:30])
    assert as_copied(brief.summary_nl) == as_copied(brief.summary_en)


def _long_article(words: int) -> str:
    sentences = [s for b in parse_article(SAMPLE.read_text(), SAMPLE).blocks for s in split_sentences(b.text)]
    paragraphs, count, n = [], 0, 0
    while count < words:
        paragraph = []
        for _ in range(5):
            sentence = f"{sentences[n % len(sentences)][:-1]} in deel {n}."
            paragraph.append(sentence)
            count += len(sentence.split())
            n += 1
        paragraphs.append(" ".join(paragraph))
    return "\n\n".join(paragraphs)


def test_two_thousand_word_article_is_not_truncated(briefer, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(_long_article(2000), encoding="utf-8")
    article = briefer.read(path)
    brief = briefer.brief(article)
    sources = [pair.source for block in brief.blocks for pair in block.sentences]
    targets = [pair.target for block in brief.blocks for pair in block.sentences]
    assert len(sources) == len([s for b in article.blocks for s in split_sentences(b.text)])
    assert all(targets)
    # The last sentence of the article is translated too: it names its part number.
    assert targets[-1].rstrip(".").endswith(sources[-1].rstrip(".").split()[-1])
    # Longer than the summarizer's limit: summarized in chunks, one lead sentence per chunk, so the
    # summary names parts from the start to the end of the article.
    chunks = briefer.summarizer.chunks(targets)
    assert len(chunks) > 2
    parts = [int(n) for n in re.findall(r"in deel (\d+)\.", brief.summary_en)]
    assert parts == sorted(parts) and parts[0] < 5 and parts[-1] > len(sources) * 3 // 4


def test_sentence_over_512_tokens_survives(briefer):
    clauses = [f"de commissie besprak in ronde {i} het plan van de regering" for i in range(60)]
    sentence = "Volgens de krant " + ", ".join(clauses) + "."
    assert briefer.translator.engine.count_tokens([sentence])[0] > 512
    (translation,) = briefer.translator.translate([sentence])
    for i in (0, 30, 59):
        assert f"ronde {i} " in translation
    assert len(translation.split()) >= 0.9 * len(sentence.split())


def test_models_load_once_for_many_articles(tmp_path, monkeypatch):
    from translate_summarize.pipeline import briefer as pipeline

    loads = []
    real = pipeline.create_engine
    monkeypatch.setattr(pipeline, "create_engine", lambda *args, **kw: loads.append(args[2].role) or real(*args, **kw))
    briefer = Briefer(fixture_options())
    for n in range(3):
        path = tmp_path / f"a{n}.txt"
        path.write_text(f"Dit is artikel {n}. Het gaat over Tesla.", encoding="utf-8")
        briefer.brief(briefer.read(path))
    assert sorted(loads) == ["back-translation", "summarization", "translation"]  # once each, for 3 articles


def test_models_are_recorded(briefer):
    brief = briefer.brief(briefer.read(SAMPLE))
    roles = [model.role for model in brief.models]
    assert roles == ["translation", "summarization", "back-translation"]
    assert all(Path(model.name).is_dir() for model in brief.models)


# --- Titles, headings and summaries that end cleanly (issue #9) -------------------------------------

TITLED = """Provincie investeert in fietspaden

De provincie trekt 12 miljoen euro uit voor nieuwe fietspaden. Dat meldt gedeputeerde Jansen.

Meer geld voor gemeenten

Ook gemeenten krijgen geld. Zij moeten zelf de helft betalen.
"""


def test_title_is_its_own_block_and_the_headline_and_never_glued_into_the_summary(briefer, tmp_path):
    path = tmp_path / "titled.txt"
    path.write_text(TITLED, encoding="utf-8")
    brief = briefer.brief(briefer.read(path))
    assert [block.kind for block in brief.blocks] == [
        BlockKind.TITLE,
        BlockKind.PARAGRAPH,
        BlockKind.SUBHEADING,
        BlockKind.PARAGRAPH,
    ]
    assert brief.headline == "Provincie investeert in fietspaden"  # the title's translation (copy model)
    assert brief.summary_en == "De provincie trekt 12 miljoen euro uit voor nieuwe fietspaden."
    assert "fietspaden De" not in brief.summary_en and "gemeenten Ook" not in brief.summary_en


def test_heading_line_directly_above_its_text_is_split_off(briefer, tmp_path):
    path = tmp_path / "glued.txt"
    path.write_text(TITLED.replace("fietspaden\n\n", "fietspaden\n", 1).replace("gemeenten\n\n", "gemeenten\n"), encoding="utf-8")
    article = briefer.read(path)
    assert [block.text for block in article.blocks if block.kind.is_heading] == [
        "Provincie investeert in fietspaden",
        "Meer geld voor gemeenten",
    ]


def test_sample_summary_cut_at_the_length_limit_is_decoded_again_and_ends_whole(briefer):
    brief = briefer.brief(briefer.read(SAMPLE))
    for text in (brief.summary_en, brief.summary_nl, brief.headline):
        assert "\ufffd" not in text and "gegevensbee" not in text
        assert text.endswith(("…", ".", "!", "?")), text
    assert brief.summary_en.endswith("op het gebied van gegevens.")  # cut at 64 tokens, whole at 96
    assert not [check for check in brief.checks if check.name == "summary-cut" and not check.ok]


def test_a_url_longer_than_the_summarizer_window_is_kept_and_does_not_break_the_summary(briefer, tmp_path):
    url = "https://www.example.nl/zoeken?" + "&".join(f"parameter{i}=waarde{i}" for i in range(40))
    path = tmp_path / "url.txt"
    path.write_text(f"De gemeente publiceerde het plan op {url} vandaag.\n\nHet plan kost veel geld.\n", encoding="utf-8")
    brief = briefer.brief(briefer.read(path))
    assert url in brief.blocks[0].target
    assert brief.summary_en
