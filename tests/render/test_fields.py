"""What every format says about a brief (render/fields.py): the checks in words, the one date, the source."""

from __future__ import annotations

from translate_summarize.data import Check, Source
from translate_summarize.render.fields import brief_date, check_line, meta_fields, source_name

from ..briefs import make_brief

PASSED = tuple(Check(kind, True, "fine") for kind in ("numbers", "names", "hallucination", "degenerate", "untranslated", "summary-cut"))


def checked(*warnings: Check):
    kinds = {check.name for check in warnings}
    return make_brief(checks=tuple(warnings) + tuple(check for check in PASSED if check.name not in kinds))


def test_check_line_counts_checks_and_says_what_each_found_in_how_many_sentences():
    brief = checked(
        Check("numbers", False, "“Het kost 3 euro”: 3 is missing from the translation", "paragraph 1, sentence 1"),
        Check("names", False, "a", "paragraph 1, sentence 2"),
        Check("names", False, "b", "paragraph 2, sentence 1"),
        Check("names", False, "7 more sentences have the same problem (paragraph 3, sentence 1; …)", "paragraph 3, sentence 1"),
    )
    assert check_line(brief) == "2 of 6 checks flagged: numbers missing in 1 sentence, names missing in 9 sentences"
    assert check_line(checked()) == "all 6 checks passed"
    assert check_line(make_brief(checks=())) == ""
    assert check_line(make_brief(checks=(Check("names", True, "x"),))) == "the 1 check passed"


def test_check_line_names_every_kind_in_words():
    said = {
        "hallucination": "facts not in the article in 1 summary sentence",
        "degenerate": "a broken translation in 1 sentence",
        "untranslated": "1 sentence left untranslated",
        "summary-cut": "the summary cut short",
    }
    for kind, words in said.items():
        assert check_line(checked(Check(kind, False, "x"))) == f"1 of 6 checks flagged: {words}"
    repaired = make_brief(checks=(*PASSED, Check("repaired", False, "x"), Check("repaired", False, "y")))
    assert check_line(repaired) == "1 of 7 checks flagged: translation repaired in 2 sentences"
    # A kind this version does not know (a newer cache) is named as it is, braces and all.
    assert check_line(make_brief(checks=(Check("{odd}", False, "x"),))) == "1 of 1 check flagged: {odd} in 1 sentence"


def test_one_date_published_else_the_date_line():
    web = make_brief(article={"source": Source(published="2026-11-28T06:15:00+01:00"), "date": "2026-11-28"})
    assert brief_date(web) == "2026-11-28 06:15 +01:00"
    assert brief_date(make_brief(article={"source": Source(published="2026-11-28")})) == "2026-11-28"
    assert brief_date(make_brief(article={"source": Source(published="gisteren")})) == "gisteren"  # as the page said it
    assert brief_date(make_brief()) == "2021-09-15" and brief_date(make_brief(article={"date": None})) is None
    labels = [label for label, _ in meta_fields(web)]
    assert labels.count("Date") == 1 and "Published" not in labels


def test_source_is_the_outlet_else_the_host_else_the_file_name():
    assert source_name(make_brief(article={"source": Source("https://a.example/x", " De  Krant ")})) == "De Krant"
    assert source_name(make_brief(article={"source": Source("https://www.a.example/x")})) == "www.a.example"
    assert source_name(make_brief(article={"source": Source("javascript:alert(1)")})) == "tesla-china.txt"
    assert source_name(make_brief()) == "tesla-china.txt"
