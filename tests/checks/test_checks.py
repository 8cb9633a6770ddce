"""Faithfulness checks: each fires on a crafted bad translation and stays quiet on a good one.

The Dutch/English sentences are written for these tests. The reference set of `brief-eval` doubles as a
false-positive test: the checks must stay quiet on all of its hand-made, faithful translations, and
must fire when a number in them is changed or a name removed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from translate_summarize.checks import (
    CONFIDENCE,
    DEGENERATE,
    HALLUCINATION,
    KINDS,
    NAMES,
    NUMBERS,
    SUMMARY_CUT,
    UNTRANSLATED,
    CheckOptions,
    check_brief,
    check_summary,
    degenerate_reason,
    excerpt,
    extract_facts,
    extract_names,
    is_copy,
    longest_repeat,
    missing_names,
    missing_numbers,
    name_survives,
    numeral_values,
)
from translate_summarize.data import AlignedBlock, Article, BlockKind, Brief, SentencePair
from translate_summarize.eval.harness import load_pairs, load_summaries
from translate_summarize.pipeline.translate import Translator

from ..doubles import LoopingEngine

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MARIAN = FIXTURES / "tiny-marian-copy"


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "convention", "values"),
    [
        ("3,5", "nl", ["3.5"]),
        ("1.000", "nl", ["1000"]),
        ("1.000.000", "nl", ["1000000"]),
        ("1.234,56", "nl", ["1234.56"]),
        ("1.5", "nl", ["1.5"]),
        ("3.5", "en", ["3.5"]),
        ("1,000", "en", ["1000"]),
        ("1,234.56", "en", ["1234.56"]),
        ("1.000", "any", ["1000", "1.000"]),
        ("2021", "nl", ["2021"]),
    ],
)
def test_numeral_values(numeral, convention, values):
    assert numeral_values(numeral, convention) == [Decimal(v) for v in values]


NUMBER_CASES = [
    # (Dutch, faithful English, unfaithful English, what the warning names)
    (
        "De economie groeit volgend jaar met 3,5 procent.",
        "The economy will grow by 3.5 percent next year.",
        "The economy will grow by 5.3 percent next year.",
        "3,5 procent (3.5%)",
    ),
    (
        "Het museum trok 1.000 bezoekers.",
        "The museum attracted 1,000 visitors.",
        "The museum attracted 100 visitors.",
        "1.000 (1000)",
    ),
    ("Het museum trok 1.000 bezoekers.", "The museum attracted 1000 visitors.", "The museum attracted 1.5 visitors.", "1.000"),
    ("Er kwamen 10 000 mensen.", "10,000 people came.", "1,000 people came.", "10 000 (10,000)"),
    ("Het kost 1 250 000 euro.", "It costs 1.25 million euros.", "It costs 1.25 euros.", "1 250 000"),
    ("De prijs steeg met 12%.", "The price rose by 12 percent.", "The price rose by 12 euros.", "12%"),
    ("De prijs steeg met 12 procent.", "The price rose by 12%.", "The price rose sharply.", "12 procent (12%)"),
    (
        "Het kabinet trekt 3,5 miljard euro uit.",
        "The cabinet is setting aside 3.5 billion euros.",
        "The cabinet is setting aside 3.5 million euros.",
        "3,5 miljard (3,500,000,000)",
    ),
    ("Het kabinet trekt 3,5 mld. euro uit.", "The cabinet is setting aside €3.5bn.", "The cabinet is setting aside €35bn.", "3,5 mld."),
    (
        "Het besluit viel op 3 september 2021.",
        "The decision was taken on 3 September 2021.",
        "The decision was taken on 3 October 2021.",
        "3 september (3 September)",
    ),
    (
        "Het besluit viel op 3 september 2021.",
        "The decision was taken on September 3, 2021.",
        "The decision was taken on September 3, 2012.",
        "2021",
    ),
    ("Het kabinet besloot op 3 sept. 2021 tot de maatregel.", "The cabinet decided on the measure on 3 Sept. 2021.", "The cabinet decided on the measure in 2021.", "3 sept."),
    ("In september was het warm.", "It was warm in September.", "It was warm in October.", "september (September)"),
    ("De brandweer rukte om 14.30 uur uit.", "The fire brigade was called out at 2.30 pm.", "The fire brigade was called out at 4.30 pm.", "14.30 uur (14:30)"),
    ("De brandweer rukte om 14.30 uur uit.", "The fire brigade was called out at 14:30.", "The fire brigade was called out in the afternoon.", "14.30 uur"),
    ("In de jaren '80 was dat anders.", "In the 1980s that was different.", "In the 1990s that was different.", "'80"),
    ("Er stemden 3 leden tegen.", "Three members voted against.", "Four members voted against.", "3"),
    ("Zij werd 3e in de finale.", "She finished 3rd in the final.", "She finished 4th in the final.", "3e"),
    ("De rente stijgt met 0,75 procentpunt.", "Interest rates rise by 0.75 percentage points.", "Interest rates rise by 0.75 points.", "0,75 procentpunt"),
]


@pytest.mark.parametrize(("nl", "good", "bad", "named"), NUMBER_CASES, ids=[c[3] for c in NUMBER_CASES])
def test_numbers_quiet_on_good_and_fire_on_bad(nl, good, bad, named):
    assert missing_numbers(nl, good) == []
    missing = missing_numbers(nl, bad)
    assert missing, f"no warning for {bad!r}"
    assert any(fact.describe().startswith(named) for fact in missing), [f.describe() for f in missing]


def test_numbers_inside_names_and_roads_are_not_numbers():
    assert extract_facts("Hij reed over de A12 naar Utrecht.") == []


def test_facts_read_dutch_conventions():
    labels = [(fact.text, fact.label) for fact in extract_facts("Op 3 september kostte het € 3,5 miljoen, 12 procent meer.")]
    assert labels == [("3 september", "3 September"), ("3,5 miljoen", "3,500,000"), ("12 procent", "12%")]


# --- names ---------------------------------------------------------------------------------------

NAME_CASES = [
    (
        "Volgens Tesla-baas Elon Musk zijn Chinese automakers de beste.",
        "According to Tesla boss Elon Musk, Chinese carmakers are the best.",
        "According to the Tesla boss, Chinese carmakers are the best.",
        ["Elon", "Musk"],
    ),
    ("Musk sprak over de fabriek in Peking.", "Musk spoke about the factory in Beijing.", "Musk spoke about the factory in Shanghai.", ["Peking"]),
    ("Musk sprak over de fabriek in Peking.", "Musk spoke about the factory in Peking.", "Musk spoke about the factory in peking.", ["Peking"]),
    (
        "Het programma ‘Nieuwsuur’ meldde het nieuws.",
        "The programme Nieuwsuur reported the news.",
        "The programme reported the news.",
        ["Nieuwsuur"],
    ),
    (
        "Het Amerikaanse bedrijf opent een vestiging in Den Haag.",
        "The American company is opening a branch in The Hague.",
        "The company is opening a branch in Amsterdam.",
        ["Amerikaanse", "Den Haag"],
    ),
    (
        "De minister sprak in de Tweede Kamer met Kamerlid Omtzigt.",
        "The minister spoke in the House of Representatives with MP Omtzigt.",
        "The minister spoke in the House of Representatives with an MP.",
        ["Omtzigt"],
    ),
]


@pytest.mark.parametrize(("nl", "good", "bad", "missing"), NAME_CASES, ids=[c[3][0] for c in NAME_CASES])
def test_names_quiet_on_good_and_fire_on_bad(nl, good, bad, missing):
    assert missing_names(nl, good) == []
    assert missing_names(nl, bad) == missing


def test_sentence_start_and_function_words_are_not_names():
    assert extract_names("Musk sprak dinsdag met De Jong over de Chinese markt.") == ["Jong", "Chinese"]
    assert extract_names("‘Ik heb veel respect’, aldus Musk.") == ["Musk"]


def test_names_are_compared_case_sensitively():
    assert name_survives("Shell", "Shell's share price rose.")
    assert not name_survives("Shell", "The shell was empty.")


# --- summary hallucination -----------------------------------------------------------------------

TRANSLATION = "Chinese automakers are the most competitive in the world, Tesla boss Elon Musk said on Tuesday. He spoke for 3 minutes."


def test_summary_quiet_when_everything_is_in_the_translation():
    assert check_summary("Elon Musk praised Chinese automakers on Tuesday. He spoke for three minutes.", TRANSLATION) == []


def test_summary_number_and_name_not_in_translation_are_flagged():
    (warning,) = check_summary("Elon Musk praised Chinese automakers. He promised 5 factories in Shanghai.", TRANSLATION)
    assert warning.name == HALLUCINATION and not warning.ok
    assert warning.message == (
        "summary ‘He promised 5 factories in Shanghai.’: 5 and Shanghai are not in the translation (possible hallucination)"
    )


# --- degenerate output ---------------------------------------------------------------------------

DEGENERATE_CASES = [
    ("Nee, zei hij.", "No, no, no, no, no, no, he said.", "repeats ‘no’ 6 times"),
    ("Het kabinet heeft dinsdag een nieuw pakket gepresenteerd.", "", "is empty"),
    ("Het kabinet heeft dinsdag een nieuw pakket gepresenteerd.", " . ", "is empty"),
    (
        "De stad groeit.",
        "The city of the city of the city of the city grows.",
        "repeats ‘the city of’ 3 times",
    ),
    ("De bank verwacht groei.", "The bank expects growth groeieieieieieiei.", "repeats ‘ei’ in ‘groeieieieieieiei.’"),
    (
        "De economie groeit.",
        "The economy grows, and it has grown before, and many people believe it will keep on growing for years to come.",
        "is 4.1× as long as its source",
    ),
    (
        "De economie groeit volgend jaar met bijna twee procent, verwacht de centrale bank.",
        "Growth.",
        "is only 0.2× as long as its source",
    ),
]


@pytest.mark.parametrize(("source", "target", "reason"), DEGENERATE_CASES, ids=[c[2] for c in DEGENERATE_CASES])
def test_degenerate_reason_fires(source, target, reason):
    assert degenerate_reason(source, target) == reason


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Het kabinet heeft dinsdag een nieuw pakket gepresenteerd.", "The cabinet presented a new package on Tuesday."),
        ("‘Nee, nee, nee, nee’, riep hij.", "‘No, no, no, no’, he shouted."),  # the source repeats itself too
        ("Ja.", "Yes."),
        ("", ""),
        ("Het kabinet heeft dinsdag een nieuw pakket gepresenteerd.", "Het kabinet heeft dinsdag een nieuw pakket gepresenteerd."),
    ],
)
def test_degenerate_reason_quiet_on_good_output(source, target):
    assert degenerate_reason(source, target) is None


def test_copy_is_reported_only_on_request():
    source = "Het kabinet heeft dinsdag een nieuw pakket gepresenteerd."
    assert is_copy(source, source)
    assert is_copy(source, source.upper())
    assert not is_copy(source, "The cabinet presented a new package on Tuesday.")
    assert not is_copy("Tesla", "Tesla")  # a name alone is the same in both languages
    assert degenerate_reason(source, source) is None
    assert degenerate_reason(source, source, copied=True) == "is a copy of its source (not translated)"


def test_longest_repeat():
    assert longest_repeat("no, no, no, no") == ("no", 4)
    assert longest_repeat("a b c") == ("", 1)


# --- check_brief ---------------------------------------------------------------------------------


def make_brief(pairs, summary_en="", summary_nl="", language="nl", heading=None):
    blocks = []
    if heading:
        blocks.append(AlignedBlock(BlockKind.SUBHEADING, heading[0], heading[1], (SentencePair(*heading),)))
    sentences = tuple(SentencePair(nl, en) for nl, en in pairs)
    blocks.append(
        AlignedBlock(BlockKind.PARAGRAPH, " ".join(p.source for p in sentences), " ".join(p.target for p in sentences), sentences)
    )
    article = Article(Path("a.txt"), "a.txt", (), language=language)
    return Brief(article, "headline", summary_en, summary_nl, tuple(blocks), (), "2021-09-01T00:00:00+00:00")


GOOD_PAIRS = [
    ("De Nederlandsche Bank verwacht dat de economie volgend jaar met 1,8 procent groeit.", "De Nederlandsche Bank expects the economy to grow by 1.8 percent next year."),
    ("Musk sprak op 3 september in Peking.", "Musk spoke in Beijing on 3 September."),
]


def test_good_brief_gets_one_ok_record_per_kind():
    brief = make_brief(
        GOOD_PAIRS,
        summary_en="The economy will grow by 1.8 percent, De Nederlandsche Bank expects.",
        summary_nl="De economie groeit met 1,8 procent, verwacht De Nederlandsche Bank.",
    )
    checks = check_brief(brief)
    assert [check.name for check in checks] == list(KINDS)
    assert all(check.ok for check in checks)
    assert checks[0].message == "all 2 numbers, amounts and dates of the source are in the translation"


def test_bad_brief_warnings_name_sentence_and_what_is_missing():
    brief = make_brief(
        [
            ("De Nederlandsche Bank verwacht dat de economie volgend jaar met 1,8 procent groeit.", "The Dutch central bank expects the economy to grow by 8.1 percent next year."),
            ("Musk sprak op 3 september in Peking.", "Musk spoke in Shanghai on 3 September."),
            ("Nee, zei hij.", "No, no, no, no, no, no, he said."),
        ],
        summary_en="Musk spoke in Shanghai in 2020.",
        summary_nl="Musk sprak in Shanghai in 2020.",
        heading=("Omvangrijke steun Peking", "Extensive support Beijing"),
    )
    warnings = [check for check in check_brief(brief) if not check.ok]
    by_kind = {kind: [w for w in warnings if w.name == kind] for kind in KINDS}
    assert [(w.where, w.message) for w in by_kind[NUMBERS]] == [
        (
            "paragraph 1, sentence 1",
            "‘De Nederlandsche Bank verwacht dat de economie…’: 1,8 procent (1.8%) is missing from the translation",
        )
    ]
    assert [(w.where, w.message) for w in by_kind[NAMES]] == [
        ("paragraph 1, sentence 2", "‘Musk sprak op 3 september in Peking.’: name Peking is missing from the translation")
    ]
    assert [w.message for w in by_kind[HALLUCINATION]] == [
        "summary ‘Musk spoke in Shanghai in 2020.’: 2020 is not in the translation (possible hallucination)"
    ]
    assert [(w.where, w.message) for w in by_kind[DEGENERATE]] == [
        ("paragraph 1, sentence 3", "‘Nee, zei hij.’: the translation repeats ‘no’ 6 times")
    ]
    # A kind that found something reports no ok record; the others report exactly one.
    assert [c.name for c in check_brief(brief) if c.ok] == [UNTRANSLATED, SUMMARY_CUT, CONFIDENCE]


def test_untranslated_is_a_switchable_warning_and_off_for_english_input():
    copied = [(nl, nl) for nl, _ in GOOD_PAIRS]
    brief = make_brief(copied)
    warnings = [c for c in check_brief(brief) if not c.ok]
    assert [w.name for w in warnings] == [UNTRANSLATED, UNTRANSLATED]
    assert warnings[0].message.endswith(": the translation is a copy of the source (not translated)")
    assert all(c.ok for c in check_brief(brief, options=CheckOptions(untranslated=False)))
    english = make_brief([("The economy grows by 1.8 percent.", "The economy grows by 1.8 percent.")], language="en")
    assert all(c.ok for c in check_brief(english))
    assert UNTRANSLATED not in [c.name for c in check_brief(english)]


def test_flagged_sentences_are_reported():
    source = GOOD_PAIRS[0][0]
    checks = check_brief(make_brief(GOOD_PAIRS), flagged={source: "repeats ‘no’ 6 times", "elsewhere": "is empty"})
    (warning,) = [c for c in checks if not c.ok]
    assert warning.name == DEGENERATE
    assert "first translation repeats ‘no’ 6 times" in warning.message and "safer settings" in warning.message


def test_many_warnings_of_one_kind_are_capped():
    pairs = [(f"Er kwamen {n} mensen.", "Some people came.") for n in range(10, 30)]
    warnings = [c for c in check_brief(make_brief(pairs), options=CheckOptions(max_warnings_per_kind=5)) if c.name == NUMBERS]
    assert len(warnings) == 5
    assert warnings[-1].message.startswith("16 more sentences have the same problem (paragraph 1, sentence 5")


def test_dutch_summary_loop_is_reported():
    brief = make_brief(GOOD_PAIRS, summary_en="The economy grows.", summary_nl="De economie groeit groeit groeit groeit groeit.")
    (warning,) = [c for c in check_brief(brief) if not c.ok]
    assert warning.where == "summary_nl" and "repeats ‘groeit’ 5 times" in warning.message


def test_excerpt():
    assert excerpt("Kort.") == "‘Kort.’"
    assert excerpt("Een heel lange zin die nergens op houdt en maar doorgaat, tot het einde.") == "‘Een heel lange zin die nergens op houdt en maar…’"


# --- the reference set: no false alarms on faithful translations, alarms on damaged ones ----------


def test_checks_quiet_on_every_reference_pair():
    noisy = []
    for nl, en in load_pairs():
        problems = [f.describe() for f in missing_numbers(nl, en)] + missing_names(nl, en)
        reason = degenerate_reason(nl, en, copied=True)
        if problems or reason:
            noisy.append((nl, problems, reason))
    assert noisy == []


def test_checks_fire_on_every_changed_number_in_the_reference_set():
    missed = []
    tried = 0
    for nl, en in load_pairs():
        if not extract_facts(nl):
            continue
        for match in re.finditer(r"(?<!\w)\d+", en):
            tried += 1
            damaged = en[: match.start()] + str(int(match.group()) + 7) + en[match.end() :]
            if not missing_numbers(nl, damaged):
                missed.append(damaged)
    assert tried > 150 and missed == []


def test_checks_fire_on_every_removed_name_in_the_reference_set():
    missed = []
    tried = 0
    for nl, en in load_pairs():
        for name in extract_names(nl):
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", en):
                tried += 1
                damaged = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "Xyzzy", en)
                if name not in missing_names(nl, damaged):
                    missed.append((name, damaged))
    assert tried > 100 and missed == []


def test_summary_check_quiet_on_reference_summaries():
    for example in load_summaries():
        assert check_summary(example.summary, example.article) == [], example.id


# --- the translator's retry hook -----------------------------------------------------------------


def test_translator_retries_degenerate_output_once_with_safer_settings():
    engine = LoopingEngine()
    translator = Translator(engine)
    assert translator.translate(["Nee, zei hij.", "Het kabinet viel."]) == ["He said no.", "HET KABINET VIEL."]
    first, retry = engine.calls
    assert "no_repeat_ngram_size" not in first
    assert retry["no_repeat_ngram_size"] == 3 and retry["num_beams"] == 6 and retry["repetition_penalty"] == 1.2
    assert translator.flagged == {"Nee, zei hij.": "repeats ‘no’ 8 times"}


def test_translator_keeps_the_better_output_when_the_retry_fails_too():
    engine = LoopingEngine(fixed="")
    translator = Translator(engine)
    assert translator.translate(["Nee, zei hij."]) == ["No, no, no, no, no, no, no, no."]
    assert translator.flagged["Nee, zei hij."] == "repeats ‘no’ 8 times (and is empty after a retry)"


def test_translator_does_not_retry_good_output():
    engine = LoopingEngine()
    translator = Translator(engine)
    translator.translate(["Het kabinet viel."])
    assert len(engine.calls) == 1 and translator.flagged == {}


@pytest.mark.skipif(not (MARIAN / "model.safetensors").exists(), reason="tiny-marian-copy fixture not built")
def test_retry_hook_runs_on_the_fixture_model():
    """The safer overrides are valid generate() settings for a real Marian model, and every output the
    hook leaves degenerate is recorded in `flagged`."""
    from translate_summarize.engines.torch_engine import TorchEngine

    translator = Translator(TorchEngine(MARIAN, device="cpu"))
    sentences = [
        "De Nederlandsche Bank verwacht dat de economie volgend jaar met 1,8 procent groeit.",
        "Musk sprak op 3 september in Peking.",
    ]
    outputs = translator.translate(sentences)
    assert len(outputs) == 2
    for source, output in zip(sentences, outputs):
        assert degenerate_reason(source, output) is None or source in translator.flagged
    overrides = translator._safer_overrides()
    assert overrides["num_beams"] == translator.engine.generation_config.num_beams + 2
    translator.engine.generate(["Musk sprak."], max_new_tokens=8, **overrides)


# --- a whole brief from the fixture models --------------------------------------------------------

BART = FIXTURES / "tiny-bart-lead"
ARTICLE = (
    " date 2021-09 Het kabinet trekt 3,5 miljard euro uit voor defensie.\n\n"
    "Minister De Jong zei dinsdag in Den Haag dat het bedrag ‘hard nodig’ is.\n\n"
    "Volgens het CBS groeit de economie met 1,8 procent."
)


@pytest.mark.skipif(
    not ((MARIAN / "config.json").exists() and (BART / "config.json").exists()), reason="fixture models not built"
)
def test_check_brief_on_a_fixture_brief(briefer):
    from translate_summarize.text.article import parse_article

    brief = briefer.brief(parse_article(ARTICLE, Path("nieuws.txt")))
    flagged = {**briefer.translator.flagged, **briefer.back_translator.flagged}
    checks = check_brief(brief, flagged=flagged)
    assert {check.name for check in checks} == set(KINDS)
    for check in checks:
        if check.ok:
            continue
        assert check.where, check
        assert check.message.startswith(("‘", "summary ‘", "Dutch summary ‘")), check.message
    # The fixture translator copies: every faithful copy is reported as untranslated, and is
    # otherwise faithful, so numbers and names are never reported for it.
    warned = {(check.name, check.where) for check in checks if not check.ok}
    for where, source, target in [
        (f"paragraph {index}, sentence 1", block.sentences[0].source, block.sentences[0].target)
        for index, block in enumerate(brief.blocks, start=1)
    ]:
        assert target == source  # the copy fixture
        assert (UNTRANSLATED, where) in warned
        assert (NUMBERS, where) not in warned and (NAMES, where) not in warned
