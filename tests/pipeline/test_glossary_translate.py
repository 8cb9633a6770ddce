"""The glossary in translation (`pipeline/translate.py`): the n-best path, the placeholder path, the
check that names what is still not honoured, the cache keys, and both engines on the fixture models."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from tests.conftest import MODEL_ARGS, fixture_options
from tests.doubles import ScoringEngine
from translate_summarize.checks import check_brief
from translate_summarize.cli import app
from translate_summarize.data import AlignedBlock, Article, Block, BlockKind, Brief, SentencePair
from translate_summarize.pipeline.keys import cache_key
from translate_summarize.pipeline.translate import Translator
from translate_summarize.text.glossary import load_glossary

TERMS = "Tweede Kamer\tHouse of Representatives\nkabinet\tcabinet\nRijkswaterstaat\t=\n"
SENTENCE = "Het kabinet wil meer geld."


@pytest.fixture
def glossary(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text(TERMS, encoding="utf-8")
    return load_glossary(path)


def test_the_nbest_path_takes_the_best_hypothesis_that_honours_the_term(glossary):
    engine = ScoringEngine({SENTENCE: ["The government wants more money.", "The cabinet wants more money.", "Cabinet."]})
    translator = Translator(engine, glossary=glossary)
    assert translator.translate([SENTENCE]) == ["The cabinet wants more money."]
    assert translator.honoured_by == {SENTENCE: "n-best"}
    assert [n for _, n, _ in engine.calls] == [1, 4]  # one n-best call, no placeholder decoding
    assert translator.repaired == {}  # a glossary choice is no repair of lost facts


def test_the_placeholder_path_when_no_hypothesis_honours_the_term(glossary):
    sentence = "Het kabinet schrijft de Tweede Kamer."
    engine = ScoringEngine()  # copies: no hypothesis says "cabinet"; a placeholder comes through
    translator = Translator(engine, glossary=glossary)
    assert translator.translate([sentence]) == ["Het cabinet schrijft de House of Representatives."]
    assert translator.honoured_by == {sentence: "placeholder"}
    assert engine.calls[-1][0] == ["Het ZXQA schrijft de ZXQB."]


def test_a_placeholder_the_model_drops_leaves_the_translation_and_the_check_names_the_term(glossary):
    beams = {"ZXQA": ["The government wants more money."], SENTENCE: ["The government wants more money."]}
    translator = Translator(ScoringEngine(beams), glossary=glossary)
    (english,) = translator.translate([SENTENCE])
    assert english == "The government wants more money." and translator.honoured_by == {}
    brief = _brief([(SENTENCE, english)])
    (check,) = [c for c in check_brief(brief, glossary=glossary) if c.name == "glossary"]
    assert not check.ok and check.where == "paragraph 1, sentence 1"
    assert "‘kabinet’ as ‘cabinet’" in check.message


def test_a_term_in_a_url_is_left_alone_and_numbers_still_repair(glossary):
    sentence = "Zie rijkswaterstaat.nl/kabinet voor 3,5 miljoen."
    translator = Translator(ScoringEngine(), glossary=glossary)
    assert translator.translate([sentence]) == [sentence]  # copied: nothing to honour, nothing lost
    assert translator.honoured_by == {}


def test_the_check_counts_how_terms_were_honoured(glossary):
    pairs = [("Het kabinet wil geld.", "The cabinet wants money."), ("De Tweede Kamer stemt.", "The House of Representatives votes.")]
    brief = _brief(pairs)
    checks = check_brief(brief, glossary=glossary, honoured_by={"De Tweede Kamer stemt.": "placeholder"})
    (check,) = [c for c in checks if c.name == "glossary"]
    assert check.ok and check.message == "all 2 glossary terms of the article are honoured (1 put in through a placeholder)"
    # The glossary's English is no lost name: "Tweede Kamer" -> "House of Representatives".
    assert all(c.ok for c in checks if c.name == "names")
    assert "glossary" not in [c.name for c in check_brief(brief)]  # no glossary, no glossary check


def test_the_glossary_is_part_of_the_brief_key_and_the_translation_memory_key(glossary, tmp_path):
    options = fixture_options()
    with_terms = replace(options, glossary=glossary)
    assert cache_key(options, article="x") != cache_key(with_terms, article="x")
    assert cache_key(options, model=options.translation) != cache_key(with_terms, model=options.translation)
    assert cache_key(options, model=options.back_translation) == cache_key(with_terms, model=options.back_translation)
    other = tmp_path / "other.tsv"
    other.write_text(TERMS.replace("cabinet", "government"), encoding="utf-8")
    assert cache_key(with_terms, article="x") != cache_key(replace(options, glossary=load_glossary(other)), article="x")


def _brief(pairs: list[tuple[str, str]]) -> Brief:
    sentences = tuple(SentencePair(nl, en, 0.9) for nl, en in pairs)
    block = AlignedBlock(BlockKind.PARAGRAPH, " ".join(nl for nl, _ in pairs), " ".join(en for _, en in pairs), sentences)
    article = Article(path=__import__("pathlib").Path("a.txt"), name="a.txt", blocks=(Block(BlockKind.PARAGRAPH, block.source),))
    return Brief(article, "headline", "", "", (block,), (), "2026-12-07T06:00:00+01:00")


ARTICLE = """Kabinet wil meer geld voor Rijkswaterstaat

Het kabinet schrijft de Tweede Kamer dat de kabinetten van de afgelopen jaren te weinig deden. Zie rijkswaterstaat.nl/kabinet voor de brief.

De Tweede Kamer stemt dinsdag over het plan van het kabinet.
"""


@pytest.mark.parametrize("engine", ["torch", "ctranslate2"])
def test_every_occurrence_is_honoured_through_the_real_pipeline(engine, tmp_path, glossary):
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    article = tmp_path / "kabinet.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    args = [str(article), *MODEL_ARGS, "--glossary", str(tmp_path / "terms.tsv"), "-f", "json", "-o", str(tmp_path / "out")]
    args[args.index("--engine") + 1] = engine
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    english = [s["en"] for block in data["blocks"] for s in block["sentences"]]
    assert english[0] == "Cabinet wil meer geld voor Rijkswaterstaat"
    assert "Het cabinet schrijft de House of Representatives dat de cabinets van" in english[1]
    assert "rijkswaterstaat.nl/kabinet" in english[2]  # the URL is untouched
    assert english[3] == "De House of Representatives stemt dinsdag over het plan van het cabinet."
    checks = {c["name"]: c for c in data["checks"]}
    assert checks["glossary"]["ok"], checks["glossary"]
    assert "put in through a placeholder" in checks["glossary"]["message"]
    assert all(s["confidence"] is not None for block in data["blocks"] for s in block["sentences"])


def test_a_bad_glossary_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("kabinet cabinet\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, [str(article), *MODEL_ARGS, "--glossary", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.tsv:1: no tab between the Dutch and the English" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_the_config_file_names_the_glossary(tmp_path, glossary):
    config = tmp_path / "config.toml"
    config.write_text(f'glossary = "{tmp_path / "terms.tsv"}"\nconfidence_floor = 0.3\n', encoding="utf-8")
    from translate_summarize.settings import resolve

    options = resolve({}, config).brief_options()
    assert options.glossary == glossary and options.confidence.floor == 0.3


@pytest.mark.parametrize("words", ["window", 680])
def test_placeholders_in_a_sentence_at_or_past_the_window_are_cut_again(words, glossary):
    """A placeholder may take more tokens than its term (`ZXQA`: 5 in the fixture, `kabinet` 1), so a
    piece that just fit the window outgrew it: an IndexError in torch, a position error in CTranslate2."""
    from tests.conftest import MARIAN
    from translate_summarize.engines.torch_engine import TorchEngine

    engine = TorchEngine(MARIAN)
    translator = Translator(engine, glossary=glossary)
    filler = ["en", "de", "minister", "zei", "dat", "het", "kabinet", "meer", "wil"]
    sentence_words = ["Het", "kabinet"]
    limit = translator.piece_limit
    while (engine.count_tokens([" ".join(sentence_words + [filler[len(sentence_words) % len(filler)]]) + "."])[0] <= limit
           if words == "window" else len(sentence_words) < words):
        sentence_words.append(filler[len(sentence_words) % len(filler)])
    sentence = " ".join(sentence_words) + "."
    (english,) = translator.translate([sentence])
    assert english.startswith("Het cabinet") and "kabinet" not in english
    assert english.count("cabinet") == sentence.count("kabinet")


def test_a_relative_glossary_in_the_config_is_read_from_the_configs_folder(tmp_path, monkeypatch, glossary):
    from translate_summarize.settings import resolve

    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "terms.tsv").write_text(TERMS, encoding="utf-8")
    (folder / "config.toml").write_text('glossary = "terms.tsv"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert resolve({}, folder / "config.toml").brief_options().glossary == glossary
    # An empty --glossary turns off the config's.
    assert resolve({"glossary": __import__("pathlib").Path("")}, folder / "config.toml").brief_options().glossary is None
