"""Engine parity on Dutch news text: both engines give the same text, say when output was cut, and
return n-best lists (issue #9). Parity corpus: tests/data/parity_nl.txt, one sentence a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_summarize.engines.base import Generated, clean_decoded
from translate_summarize.pipeline.summarize import ELLIPSIS, Summarizer, end_cleanly
from translate_summarize.pipeline.translate import Translator

from ..conftest import sample_sentences

PARITY = Path(__file__).resolve().parent.parent / "data" / "parity_nl.txt"


def test_parity_corpus_is_large_and_varied():
    lines = PARITY.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 300 and len(set(lines)) == len(lines)
    for needle in ("‘", "“", "«", "…", "...", "http", "@", "#", "m.n.", "vs.", "€"):
        assert sum(needle in line for line in lines) >= 5, needle


@pytest.mark.parametrize("engine_index", [0, 1], ids=["torch", "ctranslate2"])
def test_every_parity_sentence_comes_back_byte_identical(marian, engine_index):
    """The copy fixture through the real Translator: spans, batching, generate() and decoding."""
    lines = PARITY.read_text(encoding="utf-8").splitlines()
    out = Translator(marian[engine_index]).translate(lines)
    differ = [(source, target) for source, target in zip(lines, out) if source != target]
    assert not differ, differ[:5]


def test_early_stopping_maps_to_patience(marian_float32):
    """HF's default early_stopping=False must not end the beam at the first short hypotheses."""
    from translate_summarize.engines.ct2_engine import early_stopping_patience

    assert early_stopping_patience(True) == 1.0
    assert early_stopping_patience(False) > 1.0 and early_stopping_patience("never") > early_stopping_patience(False)
    _, ct2 = marian_float32
    assert ct2.decoding_options()["patience"] == early_stopping_patience(ct2.generation_config.early_stopping)
    assert ct2.decoding_options(early_stopping=True)["patience"] == 1.0
    # With patience 1 CTranslate2 stops at "Zij zei: .." on this sentence; torch copies it.
    for sentence in ("Zij zei: ... en toen was het stil.", "Er kwamen m.n. drie ministers."):
        assert [g.text for g in ct2.generate([sentence])] == [sentence]
        assert ct2.generate([sentence], early_stopping=True)[0].text != sentence


@pytest.mark.parametrize("engine_index", [0, 1], ids=["torch", "ctranslate2"])
def test_cut_output_is_reported(marian, engine_index):
    engine = marian[engine_index]
    sentence = "De gemeente Rotterdam investeert dit jaar 12 miljoen euro in nieuwe fietspaden."
    whole, cut = engine.generate([sentence, sentence[:40]], max_new_tokens=60)
    assert whole.finished and whole.text == sentence
    (short,) = engine.generate([sentence], max_new_tokens=6)
    assert not short.finished and len(short.text) < len(sentence)
    assert cut.finished


@pytest.mark.parametrize("engine_index", [0, 1], ids=["torch", "ctranslate2"])
def test_n_best_lists_agree(marian, engine_index):
    engine = marian[engine_index]
    (result,) = engine.generate(["Het kabinet trekt 3,5 miljard euro uit."], num_hypotheses=4)
    assert len(result.hypotheses) == 4
    assert result.hypotheses[0].text == result.text == "Het kabinet trekt 3,5 miljard euro uit."
    scores = [hypothesis.score for hypothesis in result.hypotheses]
    assert scores == sorted(scores, reverse=True) and len({h.text for h in result.hypotheses}) == 4
    assert not engine.generate(["Ja."])[0].hypotheses  # only when asked


def test_both_engines_give_the_same_n_best_texts(marian):
    torch_engine, ct2 = marian
    sentence = ["Volgens Gem. Rotterdam kost het plan 1.250.000 euro."]
    assert [h.text for h in torch_engine.generate(sentence, num_hypotheses=3)[0].hypotheses][:1] == [
        h.text for h in ct2.generate(sentence, num_hypotheses=3)[0].hypotheses
    ][:1]


def test_no_replacement_character_that_the_source_did_not_have():
    assert clean_decoded("Nog één ke\ufffd", "Nog één keer") == "Nog één ke"
    assert clean_decoded("a \ufffd b", "a b") == "a b"
    assert clean_decoded("kapot \ufffd teken", "kapot \ufffd teken") == "kapot \ufffd teken"


@pytest.mark.parametrize("engine_index", [0, 1], ids=["torch", "ctranslate2"])
def test_summary_cut_inside_a_multibyte_character_has_no_replacement_character(bart, engine_index):
    """The lead sentence is longer than the fixture's 64-token limit and full of multi-byte characters."""
    lead = "De supporters zongen urenlang: ‘Nog één keer, " + "nog één keer, " * 14 + "nog één keer!’"
    summary = Summarizer(bart[engine_index]).summary([lead, "Het stadion was stil."])
    assert "\ufffd" not in summary.text
    assert summary.cut and summary.text.endswith(ELLIPSIS)
    assert lead.startswith(summary.text[:-1].rstrip(" ,"))


@pytest.mark.parametrize(
    ("text", "finished", "expected", "cut"),
    [
        ("Musk prees China. Hij noemde de markt gro", False, "Musk prees China.", False),
        ("Musk prees China. ‘Het is groot.’ Maar de veilig", False, "Musk prees China. ‘Het is groot.’", False),
        ("Musk prees op een forum de kracht van gegevensbee", False, "Musk prees op een forum de kracht van…", True),
        ("Musk prees de markt, vooral de", True, "Musk prees de markt, vooral…", True),
        ("De wedstrijd Ajax vs.", True, "De wedstrijd Ajax…", True),
        ("Musk prees de markt.", True, "Musk prees de markt.", False),
        ("Musk prees de markt.", False, "Musk prees de markt.", False),
    ],
)
def test_summaries_end_at_a_complete_sentence(text, finished, expected, cut):
    assert end_cleanly(Generated(text, 10, 10, finished)) == (expected, cut)


# Its lead sentence's copy ends in the closing quote at 37 tokens (<s> and the end token counted); the
# fixture then prefers to end before the quote (…they?), and so does torch once the limit leaves room.
CLOSING_QUOTE = (
    "In a statement, the council wrote: “More city would it win would will on they?” “We go on,” he said."
)


@pytest.mark.parametrize("max_new_tokens", [36, 37, 38, 39, 64])
def test_both_engines_end_a_summary_on_its_closing_quote_alike(bart_float32, max_new_tokens):
    """The length limit before, on and after the closing ”: HF forces the end token in its last position
    (`forced_eos_token_id`), CTranslate2 reads its own last token there as that end token. Before, the
    CTranslate2 hypothesis cut after the ” (`…they?”`) won where torch had ended its beam at `…they?`,
    and one that reached the limit on its ” was ranked by one token fewer than torch ranks it."""
    torch_engine, ct2 = bart_float32
    (expected,) = torch_engine.generate([CLOSING_QUOTE], max_new_tokens=max_new_tokens)
    (result,) = ct2.generate([CLOSING_QUOTE], max_new_tokens=max_new_tokens)
    fields = lambda generated: (generated.text, generated.finished, generated.output_tokens)  # noqa: E731
    assert fields(result) == fields(expected)
    if max_new_tokens == 37:
        assert expected.text.endswith("they?”") and not expected.finished
    if max_new_tokens >= 38:
        assert expected.text.endswith("they?") and expected.finished


def test_hypotheses_cut_at_the_limit_are_ranked_as_torch_ranks_them(bart_float32):
    """At the limit (37: on the closing quote) the n-best scores are torch's: the end token HF forces adds
    log-probability 0 and one token to the length."""
    torch_engine, ct2 = bart_float32
    for max_new_tokens in (37, 38):
        (expected,) = torch_engine.generate([CLOSING_QUOTE], max_new_tokens=max_new_tokens, num_hypotheses=4)
        (result,) = ct2.generate([CLOSING_QUOTE], max_new_tokens=max_new_tokens, num_hypotheses=4)
        assert result.hypotheses[0].text == expected.hypotheses[0].text
        for hypothesis in result.hypotheses:  # each text once; torch may hold more beams there
            same = [h.score for h in expected.hypotheses if h.text == hypothesis.text]
            assert same and min(abs(score - hypothesis.score) for score in same) < 1e-5, hypothesis


@pytest.mark.parametrize("engine_index", [0, 1], ids=["torch", "ctranslate2"])
def test_a_chunk_summary_cut_at_the_length_limit_is_decoded_again_with_more_room(bart, engine_index):
    """The sample's last chunk: its lead sentence is longer than the fixture's 64 tokens, not than 96."""
    engine = bart[engine_index]
    summarizer = Summarizer(engine)
    (first,) = engine.generate([summarizer.chunks(sample_sentences())[-1]])
    assert not first.finished and first.text.endswith("op het gebied van gegevensbee")
    summary = summarizer.summary(sample_sentences())
    assert not summary.cut and summary.text.endswith("op het gebied van gegevens.")
