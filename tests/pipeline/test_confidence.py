"""Per-sentence confidence (`pipeline/confidence.py`): the score, the marks, re-ranking from the beam,
and every sentence of a real brief scored on both engines."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from tests.conftest import MODEL_ARGS, SAMPLE, fixture_options
from tests.doubles import ScoringEngine
from translate_summarize.cli import app
from translate_summarize.pipeline.briefer import Briefer
from translate_summarize.pipeline.confidence import (
    ConfidenceOptions,
    ConfidenceScorer,
    dual_confidence,
    low_confidence,
    rerank,
)
from translate_summarize.pipeline.summarize import Summarizer
from translate_summarize.pipeline.translate import Translator
from translate_summarize.text.article import parse_article


def test_the_score_is_the_papers_formula_and_monotone():
    assert dual_confidence(0.0, 0.0) == 1.0
    assert dual_confidence(-0.5, -0.5) == pytest.approx(math.exp(-0.5))
    assert dual_confidence(-0.2, -1.0) == pytest.approx(math.exp(-(0.8 + 0.6)))
    both = [dual_confidence(-h, -h) for h in (0.1, 0.4, 0.8, 1.6, 3.2)]
    assert both == sorted(both, reverse=True) and len(set(both)) == 5  # both models less sure: lower
    for side in (lambda h: dual_confidence(-h, -0.4), lambda h: dual_confidence(-0.4, -h)):
        values = [side(h) for h in (0.1, 0.4, 0.8, 1.6, 3.2)]
        # Worse past agreement is lower; better than the other model but disagreeing is lower too.
        assert values[1] == max(values) and values[1:] == sorted(values[1:], reverse=True) and values[0] < values[1]
    assert 0 < dual_confidence(-40.0, -40.0) < 1e-10


def test_marks_below_the_floor_or_far_below_the_articles_median():
    options = ConfidenceOptions(floor=0.2, relative=0.5, min_sentences=3)
    assert low_confidence([0.8, 0.7, 0.3, 0.75], options) == [False, False, True, False]
    assert low_confidence([0.8, 0.19], options) == [False, True]  # too few for the median: the floor only
    assert low_confidence([0.8, 0.3], options) == [False, False]
    assert low_confidence([0.1, 0.1, 0.1], options) == [True, True, True]  # a bad article is all marked
    assert low_confidence([None, 0.8, 0.7, 0.75], options) == [False] * 4


def test_the_scorer_uses_both_models_and_scores_each_pair_once():
    forward = ScoringEngine(log_probs={"Good.": -0.1, "Bad.": -2.0})
    backward = ScoringEngine(log_probs={"Good.": -0.2, "Bad.": -0.3})
    scorer = ConfidenceScorer(forward, backward)
    scores = scorer.scores([("Goed.", "Good."), ("Slecht.", "Bad."), ("Goed.", "Good."), ("Leeg.", "")])
    assert scores == [round(dual_confidence(-0.1, -0.2), 3), round(dual_confidence(-2.0, -0.3), 3), scores[0], None]
    assert forward.scored == [("Goed.", "Good."), ("Slecht.", "Bad.")]  # forward: the English given the Dutch
    assert backward.scored == [("Good.", "Goed."), ("Bad.", "Slecht.")]  # backward: the Dutch given the English
    scorer.scores([("Goed.", "Good.")])
    assert len(forward.scored) == 2


def test_rerank_takes_the_most_confident_alternative_only_when_it_beats_the_first():
    engine = ScoringEngine(log_probs={"A.": -3.0, "B.": -0.5, "C.": -0.2, "D.": -4.0})
    scorer = ConfidenceScorer(engine, engine)
    first = scorer.scores([("x", "A.")])[0]
    better = rerank(scorer, {"x": ("A.", first), "y": ("C.", 0.8)}, {"x": ["A.", "B.", "C."], "y": ["D."]})
    assert list(better) == ["x"] and better["x"].text == "C." and better["x"].rank == 3 and better["x"].of == 3
    assert "beam hypothesis 3 of 3 scores" in better["x"].why


PARAGRAPH = "De zon scheen. Het regende hard. De wind woei. Het was koud."
ARTICLE = f"Het weer\n\n{PARAGRAPH}\n"


def _briefer(forward: ScoringEngine, backward: ScoringEngine) -> Briefer:
    briefer = Briefer(fixture_options(translation_memory=False))
    briefer.__dict__["translator"] = Translator(forward)
    briefer.__dict__["back_translator"] = Translator(backward, source_language="en")
    briefer.__dict__["summarizer"] = Summarizer(ScoringEngine())
    return briefer


def test_the_least_confident_sentence_is_marked_and_counted_among_the_checks(tmp_path):
    forward = ScoringEngine(log_probs={"Het regende hard.": -3.0})  # copies; one sentence scores badly
    brief = _briefer(forward, ScoringEngine()).brief(parse_article(ARTICLE, tmp_path / "weer.txt"))
    pairs = [pair for block in brief.blocks for pair in block.sentences]
    assert all(pair.confidence is not None for pair in pairs)
    assert [pair.source for pair in pairs if pair.low_confidence] == ["Het regende hard."]
    (check,) = [c for c in brief.checks if c.name == "confidence"]
    assert not check.ok and check.where == "paragraph 1, sentence 2" and "check this sentence" in check.message


def test_a_marked_sentence_is_replaced_by_a_more_confident_hypothesis(tmp_path):
    beams = {"Het regende hard.": ["Het regende hard.", "It rained hard.", "It was raining."]}
    forward = ScoringEngine(beams, log_probs={"Het regende hard.": -3.0, "It rained hard.": -0.2, "It was raining.": -0.6})
    brief = _briefer(forward, ScoringEngine()).brief(parse_article(ARTICLE, tmp_path / "weer.txt"))
    pairs = {pair.source: pair for block in brief.blocks for pair in block.sentences}
    assert pairs["Het regende hard."].target == "It rained hard." and not pairs["Het regende hard."].low_confidence
    (repaired,) = [c for c in brief.checks if c.name == "repaired"]
    assert "beam hypothesis 2 of 3" in repaired.message and "‘Het regende hard.’" in repaired.message
    assert all(c.ok for c in brief.checks if c.name == "confidence")


def test_english_input_has_no_confidence(tmp_path):
    briefer = _briefer(ScoringEngine(), ScoringEngine())
    article = parse_article("The weather\n\nThe sun shone. It rained.\n", tmp_path / "en.txt", language="en")
    brief = briefer.brief(article)
    assert all(pair.confidence is None for block in brief.blocks for pair in block.sentences)
    assert "confidence" not in [c.name for c in brief.checks]


@pytest.mark.parametrize("engine", ["torch", "ctranslate2"])
def test_every_sentence_of_a_real_brief_has_a_confidence(engine, tmp_path):
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    args = [str(SAMPLE), *MODEL_ARGS, "-f", "json", "-o", str(tmp_path / "out")]
    args[args.index("--engine") + 1] = engine
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    sentences = [s for block in json.loads(result.stdout)["blocks"] for s in block["sentences"]]
    assert sentences and all(0 < s["confidence"] <= 1 for s in sentences)
    assert not any(s["low_confidence"] for s in sentences)  # the copying model is sure of every copy
