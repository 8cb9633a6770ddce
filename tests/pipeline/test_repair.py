"""Repair from the n-best list (repair.py, Translator._repair_from_nbest), with an engine double and end to end."""

from __future__ import annotations

from translate_summarize.engines.base import Hypothesis
from translate_summarize.pipeline.briefer import Briefer
from translate_summarize.pipeline.repair import choose_hypothesis, lost_facts
from translate_summarize.pipeline.translate import Translator

from ..conftest import fixture_options
from ..doubles import DropFromBest, NBestEngine

SOURCE = "Het kabinet trekt 3,5 miljard euro uit voor Peking."


def test_lost_facts_names_numbers_and_names():
    assert lost_facts(SOURCE, "The cabinet sets aside 5 billion euros for Beijing.") == ["3,5 miljard"]
    assert lost_facts(SOURCE, "The cabinet sets aside 3.5 billion euros.") == ["Peking"]
    assert lost_facts(SOURCE, "The cabinet sets aside 3.5 billion euros for Beijing.") == []


def test_the_best_scoring_hypothesis_that_keeps_everything_wins():
    hypotheses = [
        Hypothesis("The cabinet sets aside 5 billion euros for Beijing.", -0.1),
        Hypothesis("The cabinet sets aside 3.5 billion euros for Beijing.", -0.3),
        Hypothesis("The cabinet sets aside 3.5 billion euros for Beijing, Beijing.", -0.2),
        Hypothesis("The cabinet 3.5 Beijing", -0.05),  # keeps all, but far too short
    ]
    assert choose_hypothesis(SOURCE, hypotheses) == (2, "The cabinet sets aside 3.5 billion euros for Beijing, Beijing.")
    assert choose_hypothesis(SOURCE, hypotheses[:1]) is None


def test_translator_repairs_from_the_n_best_list_and_says_so():
    engine = NBestEngine()
    translator = Translator(engine)
    assert translator.translate([SOURCE, "Er is niets aan de hand."]) == [SOURCE, "Er is niets aan de hand."]
    assert engine.calls == [1, 4]  # one n-best call, for the broken sentence only
    first, why = translator.repaired[SOURCE]
    assert first == "Het kabinet trekt 5 miljard euro uit voor Peking."
    assert "3,5" in why and "hypothesis 2 of 3" in why


def test_end_to_end_a_brief_repaired_from_the_beam(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Het kabinet besloot in 2021 tot de maatregel. De oppositie was boos.\n", encoding="utf-8")
    briefer = Briefer(fixture_options(translation_memory=False))
    briefer.translator.engine = DropFromBest(briefer.translator.engine, "2021")
    brief = briefer.brief(briefer.read(path))
    assert brief.blocks[0].sentences[0].target == "Het kabinet besloot in 2021 tot de maatregel."
    repaired = [check for check in brief.checks if check.name == "repaired"]
    assert len(repaired) == 1 and "2021" in repaired[0].message and repaired[0].where == "paragraph 1, sentence 1"
    assert [check.ok for check in brief.checks if check.name == "numbers"] == [True]
