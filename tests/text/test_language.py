"""Language detection and the translate / copy / refuse decision (py3langid, offline)."""

from __future__ import annotations

import re

import pytest

from translate_summarize.errors import ConfigError, InputError
from translate_summarize.text.language import (
    CANDIDATES,
    LanguageDecision,
    _identifier,
    check_source_lang,
    decide_language,
    detect_language,
)

from ..conftest import SAMPLE

# Short news-style paragraphs written for these tests.
DUTCH = (
    "Het kabinet heeft dinsdag een nieuw pakket maatregelen gepresenteerd om de stijgende energieprijzen "
    "te dempen. Volgens de minister gaat het om een bedrag van 3,5 miljard euro."
)
ENGLISH = (
    "The cabinet presented a new package of measures on Tuesday to curb rising energy prices. "
    "According to the minister, the package is worth 3.5 billion euros."
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag ein neues Maßnahmenpaket vorgestellt, um die steigenden "
    "Energiepreise zu dämpfen. Nach Angaben des Ministers geht es um 3,5 Milliarden Euro."
)
FRENCH = (
    "Le gouvernement a présenté mardi un nouveau paquet de mesures pour freiner la hausse des prix de "
    "l'énergie. Selon le ministre, il s'agit d'un montant de 3,5 milliards d'euros."
)
AFRIKAANS = (
    "Die regering het Dinsdag 'n nuwe pakket maatreëls aangekondig om die stygende energiepryse te beperk. "
    "Volgens die minister gaan dit oor 'n bedrag van 3,5 miljard rand."
)
SEED = SAMPLE


@pytest.mark.parametrize(("text", "language"), [(DUTCH, "nl"), (ENGLISH, "en"), (GERMAN, "de"), (FRENCH, "fr"), (AFRIKAANS, "af")])
def test_detect_language(text, language):
    detected, probability = detect_language(text)
    assert detected == language
    assert 0.9 < probability <= 1.0


def test_probabilities_are_normalised_over_the_candidate_set():
    ranking = _identifier().rank(DUTCH)
    assert {code for code, _ in ranking} == set(CANDIDATES)
    assert sum(p for _, p in ranking) == pytest.approx(1.0, abs=1e-4)


def test_dutch_is_translated():
    decision = decide_language(DUTCH, "a.txt")
    assert decision.translate and decision.language == "nl"
    assert decision.language == "nl" and decision.detected == "nl" and decision.probability > 0.9


def test_english_needs_no_translation():
    decision = decide_language(ENGLISH, "a.txt")
    assert decision.language == "en" and not decision.translate
    assert decision.language == "en"


@pytest.mark.parametrize(("text", "name", "code"), [(GERMAN, "German", "de"), (FRENCH, "French", "fr"), (AFRIKAANS, "Afrikaans", "af")])
def test_other_languages_are_refused_with_a_one_line_reason(text, name, code):
    with pytest.raises(InputError) as caught:
        decide_language(text, "news/artikel.txt")
    message = str(caught.value)
    assert re.fullmatch(
        rf"news/artikel\.txt: looks like {name} \({code}, p=(0\.9\d|1\.00)\), not Dutch; use --source-lang to override",
        message,
    ), message
    assert "\n" not in message


def test_source_lang_overrides_detection():
    assert decide_language(GERMAN, "a.txt", source_lang="nl").translate
    assert decide_language(DUTCH, "a.txt", source_lang="en").language == "en"
    forced = decide_language(GERMAN, "a.txt", source_lang="NL")
    assert forced.detected is None and forced.reason == "--source-lang nl"
    assert decide_language(DUTCH, "a.txt", source_lang="auto").detected == "nl"


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("auto", None), ("", None), ("nl", "nl"), (" EN ", "en"), ("dutch", "nl")])
def test_check_source_lang(value, expected):
    assert check_source_lang(value) == expected


def test_unsupported_source_lang_is_a_configuration_error():
    with pytest.raises(ConfigError, match=r"^--source-lang de: only nl \(translate\) or en \(no translation needed\) are supported$"):
        check_source_lang("de")


def test_too_little_text_is_taken_as_dutch():
    decision = LanguageDecision.decide("Tesla 2021", "a.txt")
    assert decision.translate and decision.detected is None
    assert "too little text" in decision.reason


def test_unsure_detection_is_taken_as_dutch(monkeypatch):
    monkeypatch.setattr("translate_summarize.text.language.detect_language", lambda text: ("fy", 0.55))
    decision = decide_language(DUTCH, "a.txt")
    assert decision.translate and decision.detected == "fy"
    assert decision.reason == "detected Frisian (fy, p=0.55), too unsure to refuse; taken as Dutch"


def test_seed_article_is_dutch():
    assert decide_language(SEED.read_text(encoding="utf-8"), SEED).translate
