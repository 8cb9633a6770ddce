"""Protected spans and whitespace-exact cuts: what of a sentence the model sees (spans.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_summarize.text.spans import cut_at_whitespace, plan, protected_spans

LONG_URL = "https://www.example.nl/zoeken?" + "&".join(f"p{i}=w{i}" for i in range(40))
WORDS = lambda text: len(text.split())  # noqa: E731  a "tokenizer" that counts words


@pytest.mark.parametrize(
    ("sentence", "protected"),
    [
        ("Lees meer op https://www.rijksoverheid.nl/onderwerpen/zorg?x=1&y=2.", ["https://www.rijksoverheid.nl/onderwerpen/zorg?x=1&y=2"]),
        ("Mail naar info@gemeente-utrecht.nl of bel.", ["info@gemeente-utrecht.nl"]),
        ("Volg @NOS en #Ajax voor updates.", ["@NOS", "#Ajax"]),
        ("Het stond op nos.nl/artikel/123 en www.nu.nl.", ["nos.nl/artikel/123", "www.nu.nl"]),
        ("Zie https://nl.wikipedia.org/wiki/Hilversum_(stad) voor meer.", ["https://nl.wikipedia.org/wiki/Hilversum_(stad)"]),
        ("(zie https://example.org/a).", ["https://example.org/a"]),
        ("Er kwamen m.n. drie ministers; 3,5 mld. euro, Ajax–PSV 2-1.", []),
    ],
)
def test_protected_spans(sentence, protected):
    assert [sentence[start:end] for start, end in protected_spans(sentence)] == protected


def test_protected_spans_are_never_translated_and_the_plan_gives_the_sentence_back():
    sentence = f"Volgens @gemeente staat alles op {LONG_URL} , mail vragen@gemeente.nl #wonen."
    spans = plan(sentence, WORDS, 5)
    assert "".join(span.text for span in spans) == sentence
    copied = [span.text for span in spans if not span.translate]
    for item in (LONG_URL, "@gemeente", "vragen@gemeente.nl", "#wonen"):
        assert item in copied
    assert all(WORDS(span.text) <= 5 for span in spans if span.translate)


def test_long_sentence_cut_only_at_whitespace_with_its_exact_separators():
    sentence = "Het  plan,\tzo zegt de wethouder,  kost veel geld en  tijd, maar levert op termijn ook veel op."
    pieces = cut_at_whitespace(sentence, WORDS, 4)
    assert "".join(piece.text for piece in pieces) == sentence
    assert all(piece.text.isspace() for piece in pieces if not piece.translate)
    assert all(WORDS(piece.text) <= 4 and piece.text == piece.text.strip() for piece in pieces if piece.translate)


def test_a_word_longer_than_the_window_is_copied_whole():
    word = "x" * 300
    pieces = cut_at_whitespace(f"kijk {word} hier", lambda text: len(text), 50)
    assert [piece.text for piece in pieces] == ["kijk", " ", word, " ", "hier"]
    assert [piece.translate for piece in pieces] == [True, False, False, False, True]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab .,@#/:?&=()\t\n") + ["https://", "www.", ".nl", "é"]), max_size=60), st.integers(1, 6))
def test_any_plan_joins_back_exactly(parts, limit):
    sentence = "".join(parts)
    assert "".join(span.text for span in plan(sentence, WORDS, limit)) == sentence
