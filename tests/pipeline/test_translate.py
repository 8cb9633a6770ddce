"""Translator logic with a fake engine: order, deduplication, batching, long-sentence splitting."""

from __future__ import annotations

from translate_summarize.pipeline.translate import TranslationOptions, Translator
from translate_summarize.text.spans import cut_at_whitespace

from ..doubles import UpperEngine


def test_every_sentence_translated_once_in_order():
    engine = UpperEngine()
    sentences = ["een twee drie.", "vier.", "een twee drie.", "vijf zes zeven acht negen."]
    assert Translator(engine).translate(sentences) == [s.upper() for s in sentences]
    sent = [text for texts, _ in engine.calls for text in texts]
    assert sorted(sent) == sorted(set(sentences)), "duplicates are translated once"


def test_batches_are_length_sorted_and_bounded():
    engine = UpperEngine()
    sentences = [" ".join(["w"] * n) + "." for n in (30, 2, 15, 5, 2, 30)]
    Translator(engine, TranslationOptions(max_batch_tokens=70, max_batch_size=3)).translate(sentences)
    for texts, _ in engine.calls:
        lengths = engine.count_tokens(texts)
        assert len(texts) <= 3 and max(lengths) * len(texts) <= 70
    flat = [n for texts, _ in engine.calls for n in engine.count_tokens(texts)]
    assert flat == sorted(flat)


def test_max_new_tokens_scales_with_input():
    engine = UpperEngine()
    Translator(engine, TranslationOptions(max_batch_size=1)).translate(["kort.", " ".join(["lang"] * 40) + "."])
    short, long = (overrides["max_new_tokens"] for _, overrides in engine.calls)
    assert short < long <= engine.default_max_length


def test_long_sentence_split_at_clauses_and_nothing_lost():
    engine = UpperEngine(limit=12)
    clauses = [f"deel {i} van de zin met woorden" for i in range(10)]
    sentence = ", ".join(clauses) + "."
    (translation,) = Translator(engine).translate([sentence])
    assert translation.split() == sentence.upper().split()
    for texts, _ in engine.calls:
        assert max(engine.count_tokens(texts)) <= 10


def test_clause_without_commas_is_split_between_words():
    count = lambda text: len(text.split())  # noqa: E731
    sentence = " ".join(f"w{i}" for i in range(50))
    pieces = cut_at_whitespace(sentence, count, 8)
    assert all(count(piece.text) <= 8 for piece in pieces)
    assert "".join(piece.text for piece in pieces) == sentence


def test_empty_sentences_stay_empty():
    assert Translator(UpperEngine()).translate(["", "ja."]) == ["", "JA."]
