"""Sentence splitting on Dutch news text: no over-splitting at abbreviations, no missed boundaries.

Every paragraph below was written for this test in the style of Dutch news copy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate_summarize.text.sentences import sentence_spans, split_sentences

CASES = [
    # initials
    (
        "Volgens A. de Vries is dat onzin. Hij zegt dat al jaren.",
        ["Volgens A. de Vries is dat onzin.", "Hij zegt dat al jaren."],
    ),
    (
        "Oud-premier J.P. Balkenende sprak dinsdag in Den Haag. Hij was kritisch over het kabinet.",
        ["Oud-premier J.P. Balkenende sprak dinsdag in Den Haag.", "Hij was kritisch over het kabinet."],
    ),
    (
        "De rechtbank hoorde getuige M.A.C. Jansen-Bakker. Zij bleef bij haar verklaring.",
        ["De rechtbank hoorde getuige M.A.C. Jansen-Bakker.", "Zij bleef bij haar verklaring."],
    ),
    ("Het rapport is geschreven door W. Bos en H. Kamp.", ["Het rapport is geschreven door W. Bos en H. Kamp."]),
    # titles
    (
        "Dhr. Jansen en mevr. Bakker waren er ook. Prof. Smit kwam niet opdagen.",
        ["Dhr. Jansen en mevr. Bakker waren er ook.", "Prof. Smit kwam niet opdagen."],
    ),
    (
        "Volgens prof. dr. Van Dam van de Universiteit Utrecht klopt de berekening niet.",
        ["Volgens prof. dr. Van Dam van de Universiteit Utrecht klopt de berekening niet."],
    ),
    ("Mr. Visser, advocaat van de familie, ging in hoger beroep.", ["Mr. Visser, advocaat van de familie, ging in hoger beroep."]),
    # abbreviations before lowercase words and numbers
    (
        "Er gaat bijv. 3,5 mld. euro naar defensie. Dat is veel meer dan vorig jaar.",
        ["Er gaat bijv. 3,5 mld. euro naar defensie.", "Dat is veel meer dan vorig jaar."],
    ),
    ("Op 12 jl. werd het besluit bekend. Niemand wist ervan.", ["Op 12 jl. werd het besluit bekend.", "Niemand wist ervan."]),
    (
        "Er waren o.a. ministers en burgemeesters aanwezig. Ook de koning kwam langs.",
        ["Er waren o.a. ministers en burgemeesters aanwezig.", "Ook de koning kwam langs."],
    ),
    ("Het gaat om ca. 200 mensen. Zij wonen in Zuid-Holland.", ["Het gaat om ca. 200 mensen.", "Zij wonen in Zuid-Holland."]),
    ("De gemeente betaalt max. 500 euro per huishouden.", ["De gemeente betaalt max. 500 euro per huishouden."]),
    ("Het bedrijf boekte 2,4 mln. winst, d.w.z. twee keer zo veel.", ["Het bedrijf boekte 2,4 mln. winst, d.w.z. twee keer zo veel."]),
    # month abbreviations before a year or after a day
    (
        "Het kabinet besloot op 3 sept. 2021 tot de maatregel. De oppositie was boos.",
        ["Het kabinet besloot op 3 sept. 2021 tot de maatregel.", "De oppositie was boos."],
    ),
    ("De wet gaat in per 1 jan. 2022. Dat is laat.", ["De wet gaat in per 1 jan. 2022.", "Dat is laat."]),
    ("Sinds okt. 2020 is de prijs verdubbeld.", ["Sinds okt. 2020 is de prijs verdubbeld."]),
    # quotes and question marks
    (
        "‘Is dit het einde?’, vroeg De Jong zich af. Niemand antwoordde.",
        ["‘Is dit het einde?’, vroeg De Jong zich af.", "Niemand antwoordde."],
    ),
    ("‘Waarom nu?’ vroeg de wethouder. ‘Omdat het moet.’", ["‘Waarom nu?’ vroeg de wethouder.", "‘Omdat het moet.’"]),
    ("Waarom nu? Omdat het moet, zegt Rutte.", ["Waarom nu?", "Omdat het moet, zegt Rutte."]),
    ("“We gaan door,” zei hij. “Altijd.”", ["“We gaan door,” zei hij.", "“Altijd.”"]),
    (
        "‘Ik heb veel respect voor de vele Chinese automakers’, aldus Musk. Hij prees vooral de software.",
        ["‘Ik heb veel respect voor de vele Chinese automakers’, aldus Musk.", "Hij prees vooral de software."],
    ),
    ("Wat kost dat? Ruim 14 miljoen euro! Dat vindt de raad te veel.", ["Wat kost dat?", "Ruim 14 miljoen euro!", "Dat vindt de raad te veel."]),
    # numbers, amounts, company abbreviations
    ("Het bedrag is 1.000 euro. Dat is 12 procent meer dan in 2020.", ["Het bedrag is 1.000 euro.", "Dat is 12 procent meer dan in 2020."]),
    (
        "Hij werkte bij de N.V. Nederlandse Spoorwegen. Later ging hij naar KLM.",
        ["Hij werkte bij de N.V. Nederlandse Spoorwegen.", "Later ging hij naar KLM."],
    ),
    # plain boundaries that must not be missed
    (
        "De Chinese fabriek lag daardoor een paar dagen stil. Tesla heeft in China ook te maken met concurrentie.",
        ["De Chinese fabriek lag daardoor een paar dagen stil.", "Tesla heeft in China ook te maken met concurrentie."],
    ),
    ("Het regent. Het waait. Het stormt.", ["Het regent.", "Het waait.", "Het stormt."]),
    (
        "Het kabinet viel in 2021. ’s Avonds werd dat bekendgemaakt.",
        ["Het kabinet viel in 2021.", "’s Avonds werd dat bekendgemaakt."],
    ),
]


@pytest.mark.parametrize(("paragraph", "expected"), CASES, ids=[case[0][:40] for case in CASES])
def test_dutch_news_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_empty_and_whitespace():
    assert split_sentences("") == []
    assert split_sentences("   ") == []


def test_english_summary_split():
    assert split_sentences("Musk praised Chinese carmakers. He spoke on Tuesday.", "en") == [
        "Musk praised Chinese carmakers.",
        "He spoke on Tuesday.",
    ]


# Paragraph-like text: words, numbers, abbreviations, quotes and sentence punctuation in any order.
_PIECES = st.sampled_from(
    "de het Musk A. J.P. dhr. prof. bijv. 3,5 mld. sept. 2021 1.000 ‘ ’ “ ” ? ! . , ; : ’s Jansen zei hij "
    "Peking 12% ( ) - … 'x' \"y\" e.g. U.S. Nr. 5. a.s. o.a.".split(" ")
)
_WORDS = st.lists(st.one_of(_PIECES, st.text(min_size=1, max_size=6)), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_WORDS, st.lists(st.sampled_from([" ", "  ", "\t", " \n "]), min_size=40, max_size=40))
def test_joining_sentences_gives_the_paragraph_back(words, spaces):
    paragraph = "".join(word + space for word, space in zip(words, spaces))
    normalised = " ".join(paragraph.split())
    sentences = split_sentences(paragraph)
    assert " ".join(" ".join(s.split()) for s in sentences) == normalised
    assert all(s == s.strip() and s for s in sentences)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_loses_characters(text):
    normalised = " ".join(text.split())
    assert " ".join(" ".join(s.split()) for s in split_sentences(normalised)) == normalised


# --- The Dutch news gold set (tests/data/nl_sentences_gold.txt) and the kinds of issue #9 -----------

ISSUE_CASES = [
    # a closing quote, guillemet or ellipsis ends a sentence when a new one starts
    ("De coach zei: ‘We gaan door.’ Daarna verliet hij de zaal.", 2),
    ("Een bewoner riep: «Eindelijk!» De burgemeester knikte.", 2),
    ("Het bleef lang stil… Toen begon het applaus.", 2),
    ('De woordvoerder zei: "Dat klopt niet." Later trok hij dat in.', 2),
    ("‘Is dit het einde?’, vroeg hij.", 1),
    ("Zij zei: ... en toen was het stil.", 1),
    # an abbreviation before a capital or a number does not
    ("De finale Ajax vs. PSV eindigde gelijk.", 1),
    ("Zie afb. 3 in de bijlage.", 1),
    ("Het verslag van wo. 3 maart is openbaar.", 1),
    ("Volgens Gem. Rotterdam klopt dat.", 1),
    ("Er kwamen m.n. drie ministers.", 1),
    ("De file stond t.h.v. Breukelen stil.", 1),
    ("Gisteren sprak min. De Jonge met de burgemeesters.", 1),
    # ... unless it closes an enumeration
    ("Er lagen appels, peren enz. De rest was op.", 2),
    ("Het duurde 5 min. De rest van de middag was rustig.", 2),
]


@pytest.mark.parametrize(("paragraph", "count"), ISSUE_CASES)
def test_issue_kinds(paragraph, count):
    assert len(split_sentences(paragraph)) == count, split_sentences(paragraph)


def test_gold_set_accuracy():
    """The level reached on the gold set (bench/splitters.py prints the comparison table)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from splitters import load_gold, score

    gold = load_gold()
    assert len(gold) >= 150 and sum(len(sentences) for _, sentences in gold) >= 200
    result = score(split_sentences, gold)
    assert result["f1"] >= 0.995, result
    assert result["exact"] >= len(gold) - 1, result


_SPACES = st.sampled_from([" ", "  ", "\t", " \n ", "\u00a0"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_WORDS, st.lists(_SPACES, min_size=40, max_size=40))
def test_units_and_separators_give_the_paragraph_back_exactly(words, spaces):
    paragraph = "".join(word + space for word, space in zip(words, spaces)).strip()
    spans = sentence_spans(paragraph)
    rebuilt, position = "", 0
    for start, end in spans:
        assert not paragraph[position:start].strip()  # only whitespace between units
        rebuilt += paragraph[position:end]
        position = end
    assert rebuilt + paragraph[position:] == paragraph
    assert [paragraph[start:end] for start, end in spans] == split_sentences(paragraph)
