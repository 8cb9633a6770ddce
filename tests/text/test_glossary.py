"""The glossary file and its matching rules (`text/glossary.py`): case, inflections, overlaps, URLs."""

from __future__ import annotations

import pickle

import pytest

from translate_summarize.errors import ConfigError
from translate_summarize.text.glossary import (
    MAX_ENTRIES,
    Entry,
    Glossary,
    credited,
    english_plural,
    inflections,
    load_glossary,
    unhonoured,
)
from translate_summarize.text.placeholders import protect, restore

NEWSROOM = """\
# The newsroom's terms
Tweede Kamer\tHouse of Representatives
Kamer\tHouse
kabinet\tcabinet
Rijkswaterstaat\t=
VVD\tVVD
raad\tcouncil
brief\tletter
Tesla-baas\tTesla chief
"""


@pytest.fixture
def glossary(tmp_path) -> Glossary:
    path = tmp_path / "terms.tsv"
    path.write_text(NEWSROOM, encoding="utf-8")
    return load_glossary(path)


def found(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(o.text, o.english) for o in glossary.occurrences(text)]


def test_the_file_reads_pairs_comments_and_keep_as_is(glossary):
    assert len(glossary) == 8 and glossary.name == "terms.tsv"
    keep = {entry.dutch for entry in glossary.entries if entry.keep}
    assert keep == {"Rijkswaterstaat", "VVD"}
    assert glossary.entries[0] == Entry("Tweede Kamer", "House of Representatives", 2)


@pytest.mark.parametrize(
    "text, error",
    [
        ("kabinet cabinet\n", "terms.tsv:1: no tab between the Dutch and the English"),
        ("kabinet\t\n", "terms.tsv:1: the English side is empty"),
        ("\tcabinet\n", "terms.tsv:1: the Dutch side is empty"),
        ("# x\nkabinet\tcabinet\nKabinet\tgovernment\n", "terms.tsv:3: 'Kabinet' is also on line 2 with another English"),
        ("...\tdots\n", "terms.tsv:1: the Dutch term '...' has no letter or digit"),
    ],
)
def test_a_bad_line_is_one_error_naming_file_and_line(tmp_path, text, error):
    path = tmp_path / "terms.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_glossary(path)
    assert error in str(raised.value) and "\n" not in str(raised.value)


def test_missing_unreadable_and_non_utf8_files_are_one_line(tmp_path):
    with pytest.raises(ConfigError, match="glossary file not found"):
        load_glossary(tmp_path / "nope.tsv")
    with pytest.raises(ConfigError, match="is a folder"):
        load_glossary(tmp_path)
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("ok\tok\nFinanciën\tFinance\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin.tsv:2: the glossary is not UTF-8"):
        load_glossary(latin)


def test_bom_crlf_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_bytes("\ufeffkabinet\tcabinet\r\n\r\n  # comment\r\nVVD\t=\r\n".encode())
    glossary = load_glossary(path)
    assert [(e.dutch, e.english) for e in glossary.entries] == [("kabinet", "cabinet"), ("VVD", "VVD")]


def test_too_many_entries_is_refused(tmp_path):
    path = tmp_path / "big.tsv"
    path.write_text("".join(f"term{i}\tx{i}\n" for i in range(MAX_ENTRIES + 1)), encoding="utf-8")
    with pytest.raises(ConfigError, match="more than"):
        load_glossary(path)


def test_case_insensitive_unless_all_capitals(glossary):
    assert found(glossary, "KABINET en Kabinet en kabinet") == [("KABINET", "cabinet"), ("Kabinet", "cabinet"), ("kabinet", "cabinet")]
    assert found(glossary, "de vvd en de Vvd") == []
    assert found(glossary, "de VVD") == [("VVD", "VVD")]


def test_whole_words_only_but_a_hyphenated_compound_holds_the_term(glossary):
    assert found(glossary, "het kabinetsbesluit en de Kamerleden") == []
    assert found(glossary, "het Kamer-debat") == [("Kamer", "House")]


@pytest.mark.parametrize(
    "word, form, plural",
    [
        ("kabinet", "kabinetten", True),
        ("kabinet", "kabinetje", False),
        ("kabinet", "kabinetjes", True),
        ("raad", "raden", True),
        ("brief", "brieven", True),
        ("huis", "huizen", True),
        ("minister", "ministers", True),
        ("ziekte", "ziekten", True),
        ("boom", "boompje", False),
        ("groot", "grote", False),
    ],
)
def test_inflections_of_the_head_word(word, form, plural):
    assert inflections(word)[form] is plural


def test_inflected_occurrences_need_the_plural_or_the_base_english(glossary):
    occurrences = glossary.occurrences("De kabinetten en de raden schreven brieven.")
    assert [(o.text, o.plural, o.english) for o in occurrences] == [
        ("kabinetten", True, "cabinets"),
        ("raden", True, "councils"),
        ("brieven", True, "letters"),
    ]
    assert unhonoured(occurrences, "The cabinets and the councils wrote letters.") == []
    assert [o.text for o in unhonoured(occurrences, "The governments and councils wrote notes.")] == ["kabinetten", "brieven"]


def test_the_longest_term_wins_and_terms_never_overlap(glossary):
    assert found(glossary, "De Tweede Kamer en de Kamer") == [
        ("Tweede Kamer", "House of Representatives"),
        ("Kamer", "House"),
    ]
    assert found(glossary, "de Tweede\nKamer") == [("Tweede\nKamer", "House of Representatives")]
    assert found(glossary, "de Tweede\n\nKamer") == [("Kamer", "House")]


def test_a_term_inside_a_url_address_handle_or_hashtag_is_untouched(glossary):
    text = "Zie rijkswaterstaat.nl/kabinet, mail kabinet@rijksoverheid.nl, volg @kabinet en #kabinet."
    assert found(glossary, text) == []
    assert found(glossary, "Zie https://x.nl/kabinet en het kabinet.") == [("kabinet", "cabinet")]


def test_honoured_is_counted_and_the_first_letter_may_be_a_capital(glossary):
    occurrences = glossary.occurrences("Het kabinet zegt dat het kabinet valt.")
    assert unhonoured(occurrences, "Cabinet says the cabinet falls.") == []
    assert len(unhonoured(occurrences, "The cabinet says the government falls.")) == 1
    assert len(unhonoured(occurrences, "The CABINET says the CABINET falls.")) == 2


def test_protect_and_restore_put_the_english_in_the_placeholders_place(glossary):
    text = "Kabinet schrijft de Tweede Kamer een brief."
    protected, mapping = protect(text, glossary.occurrences(text))
    assert protected == "ZXQA schrijft de ZXQB een ZXQC."
    assert restore("ZXQA writes the ZXQB a zxq c.", mapping) == "Cabinet writes the House of Representatives a letter."
    assert restore("The ZXQA writes a letter.", mapping) is None  # ZXQB lost
    assert restore("ZXQA ZXQA writes the ZXQB a ZXQC.", mapping) is None  # repeated


def test_placeholders_avoid_text_that_is_already_there(glossary):
    text = "ZXQA: het kabinet"
    protected, mapping = protect(text, glossary.occurrences(text))
    assert protected == "ZXQA: het ZXQB" and list(mapping) == ["ZXQB"]


def test_credited_and_the_plural_rule(glossary):
    source = "De Tweede Kamer en het kabinet."
    assert credited(glossary, source, "The House of Representatives and the government.") == (
        "The House of Representatives and the government. Tweede Kamer"
    )
    assert [english_plural(w) for w in ("cabinet", "party", "tax", "House of Representatives")] == [
        "cabinets",
        "parties",
        "taxes",
        "House of Representatives",
    ]


def test_digest_equality_and_pickling(glossary, tmp_path):
    again = tmp_path / "again.tsv"
    again.write_text(NEWSROOM, encoding="utf-8")
    assert load_glossary(again) == glossary and load_glossary(again).digest == glossary.digest
    other = tmp_path / "other.tsv"
    other.write_text(NEWSROOM.replace("cabinet", "government"), encoding="utf-8")
    assert load_glossary(other).digest != glossary.digest
    glossary.occurrences("kabinet")  # builds the index
    copy = pickle.loads(pickle.dumps(glossary))
    assert found(copy, "het kabinet") == [("kabinet", "cabinet")]


def test_a_big_glossary_is_matched_word_by_word():
    entries = [Entry(f"term{i}", f"word{i}") for i in range(MAX_ENTRIES)] + [Entry("kabinet", "cabinet")]
    glossary = Glossary(entries)
    text = "Het kabinet en term19999 en term5. " * 200
    assert len(glossary.occurrences(text)) == 600  # a 20,000-term regex alternation took 40 s for one article


def test_two_tabs_and_over_long_terms_are_errors(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("kabinet\tcabinet\textra\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="terms.tsv:1: more than one tab"):
        load_glossary(path)
    path.write_text("kabinet\t" + "x" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="terms.tsv:1: a term of over"):
        load_glossary(path)


@pytest.mark.parametrize("second", ["kabinet.\tgovernment", "\u200bkabinet\tgovernment", "KABINET\tgovernment"])
def test_lines_that_match_the_same_text_with_two_englishes_are_an_error(tmp_path, second):
    path = tmp_path / "terms.tsv"
    path.write_text(f"kabinet\tcabinet\n{second}\n", encoding="utf-8")
    if second.startswith("kabinet."):  # a term with its own final dot is another term
        assert len(load_glossary(path)) == 2
        return
    with pytest.raises(ConfigError, match="is also on line 1 with another English"):
        load_glossary(path)


def test_a_terms_own_punctuation_must_be_there_and_is_part_of_the_occurrence(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("C++\tC-plus-plus\na.s.r.\tASR\n's-Hertogenbosch\t=\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert found(glossary, "Zij houden van C++ en van vitamine C.") == [("C++", "C-plus-plus")]
    assert found(glossary, "Verzekeraar a.s.r. groeit in 's-Hertogenbosch.") == [("a.s.r.", "ASR"), ("'s-Hertogenbosch", "'s-Hertogenbosch")]
    assert credited(glossary, "Verzekeraar a.s.r. groeit.", "Insurer ASR grows.") == "Insurer ASR grows. a.s.r."


def test_a_number_term_never_matches_inside_a_number_or_a_date(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("3\tthree\nkabinet\tcabinet\n", encoding="utf-8")
    glossary = load_glossary(path)
    text = "3.000 euro, 3,5 procent, om 13:30 uur op 3-4-2024, het 3e kabinet en 3 keer; zie kabinet.nl"
    assert found(glossary, text) == [("kabinet", "cabinet"), ("3", "three")]


def test_placeholders_avoid_any_case_and_spacing_and_the_englishes(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("kabinet\tZXQB cabinet\n", encoding="utf-8")
    glossary = load_glossary(path)
    text = "Het kabinet en zxq a praten."
    protected, mapping = protect(text, glossary.occurrences(text))
    assert protected == "Het ZXQC en zxq a praten."
    assert restore("The ZXQC and zxq a talk.", mapping) == "The ZXQB cabinet and zxq a talk."


def test_a_placeholder_opens_a_sentence_only_where_the_text_does():
    glossary = Glossary([Entry("kabinet", "cabinet")])
    _, mapping = protect("kabinet wil", glossary.occurrences("kabinet wil"))
    assert restore("ZXQA wants", mapping) == "Cabinet wants"
    assert restore("ZXQA wants", mapping, opens=False) == "cabinet wants"
    assert restore("It fell. ZXQA wants", mapping, opens=False) == "It fell. Cabinet wants"


def test_a_path_with_a_tilde_is_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "terms.tsv").write_text("kabinet\tcabinet\n", encoding="utf-8")
    from pathlib import Path

    assert len(load_glossary(Path("~/terms.tsv"))) == 1


def test_a_comment_after_whitespace_ends_the_line_and_irregular_plurals(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("kabinet\tcabinet # the government\nC#\tC sharp\nvrouw\twoman\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert [(e.dutch, e.english) for e in glossary.entries] == [("kabinet", "cabinet"), ("C#", "C sharp"), ("vrouw", "woman")]
    assert [o.english for o in glossary.occurrences("Drie vrouwen")] == ["women"]
    assert [english_plural(w) for w in ("child", "spokesman", "human", "crisis", "wife")] == [
        "children",
        "spokesmen",
        "humans",
        "crises",
        "wives",
    ]
