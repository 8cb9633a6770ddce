"""`brief-eval`: the reference data, the scoring, and a run on the fixture models."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from translate_summarize.eval.harness import (
    PAIRS_FILE,
    PUBLISHED,
    format_table,
    load_pairs,
    load_summaries,
    main,
    options_from,
    score_summaries,
    score_translations,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MARIAN = FIXTURES / "tiny-marian-copy"
BART = FIXTURES / "tiny-bart-lead"
have_fixtures = pytest.mark.skipif(
    not ((MARIAN / "config.json").exists() and (BART / "config.json").exists()), reason="fixture models not built"
)
FIXTURE_ARGS = [
    "--translation-model", str(MARIAN), "--summarization-model", str(BART), "--device", "cpu", "--engine", "torch"
]


# --- the reference data ---------------------------------------------------------------------------


def test_reference_pairs():
    pairs = load_pairs()
    assert len(pairs) >= 100
    assert len({nl for nl, _ in pairs}) == len(pairs), "duplicate Dutch sentence"
    assert len({en for _, en in pairs}) == len(pairs), "duplicate English sentence"
    assert all(nl != en for nl, en in pairs)
    text = " ".join(nl for nl, _ in pairs)
    for mark in "‘’“”":
        assert mark in text
    assert sum(any(ch.isdigit() for ch in nl) for nl, _ in pairs) >= 60, "news style: plenty of numbers"
    assert sum(len(nl.split()) >= 18 for nl, _ in pairs) >= 15, "long sentences with clauses"


def test_reference_file_format():
    lines = PAIRS_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "nl\ten"
    assert all(line.count("\t") == 1 and line == line.strip() for line in lines)


def test_reference_summaries():
    examples = load_summaries()
    assert len(examples) >= 5
    assert len({example.id for example in examples}) == len(examples)
    for example in examples:
        assert len(example.summary) < len(example.article) / 2


def test_bad_reference_files_are_reported(tmp_path):
    bad = tmp_path / "pairs.tsv"
    bad.write_text("nl\ten\nalleen één kolom\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"pairs.tsv:2: expected two tab-separated columns"):
        load_pairs(bad)
    assert main(["--pairs", str(bad), "--no-summarization"]) == 2


# --- scoring --------------------------------------------------------------------------------------


def test_perfect_translations_score_100():
    pairs = load_pairs()[:20]
    scores = score_translations([en for _, en in pairs], [en for _, en in pairs])
    assert scores["bleu"] == 100.0 and scores["chrf"] == 1.0
    assert scores["bleu_signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert scores["chrf_signature"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:")


def test_copying_the_dutch_scores_low():
    pairs = load_pairs()
    scores = score_translations([nl for nl, _ in pairs], [en for _, en in pairs])
    assert scores["bleu"] < 10 and scores["chrf"] < 0.4


def test_rouge():
    assert score_summaries(["the cat sat on the mat"], ["the cat sat on the mat"]) == {"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0}
    partial = score_summaries(["the cat sat"], ["the cat sat on the mat"])
    assert 0 < partial["rouge2"] < partial["rouge1"] < 100


def test_table_lists_published_scores_and_the_caveat():
    result = {
        "published": dict(PUBLISHED),
        "translation": {
            "model": "m (torch, cpu)", "pairs": 126, "bleu": 31.25, "chrf": 0.5812, "seconds": 2.0,
            "sentences_per_second": 63.0, "flagged": {"numbers": 1, "names": 0, "degenerate": 0, "untranslated": 0},
            "retried": 0, "bleu_signature": "nrefs:1|sig", "chrf_signature": "nrefs:1|chrf",
        },
        "summarization": {"model": "s (torch, cpu)", "articles": 6, "rouge1": 40.0, "rouge2": 20.5, "rougeL": 35.25, "seconds": 1.0},
        "note": "Note text: the test sets differ.",
    }
    table = format_table(result)
    lines = table.splitlines()
    assert lines[0] == "brief-eval: 126 nl->en news sentence pairs, 6 English articles with reference summaries"
    assert lines[2].split()[:3] == ["metric", "this", "run"] and "Helsinki-NLP/opus-mt-nl-en (Tatoeba.nl.en, published)" in lines[2]
    assert lines[4].split() == ["BLEU", "31.2", "60.9"]
    assert lines[5].split() == ["chrF", "0.581", "0.749"]
    assert lines[6].split() == ["ROUGE-1", "40.0", "-"]
    assert "BLEU signature:      nrefs:1|sig" in table
    assert table.rstrip().endswith("Note: Note text: the test sets differ.")


# --- options, as for `brief` ----------------------------------------------------------------------


def test_options_come_from_flags_then_env_then_config(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_TRANSLATION_MODEL", "/models/from-env")
    config = tmp_path / "config.toml"
    config.write_text('summarization_model = "/models/from-config"\ndevice = "cpu"\n', encoding="utf-8")
    options = options_from(["--config", str(config), "--engine", "ctranslate2"])
    assert options.translation.name == "/models/from-env" and options.translation.revision is None
    assert options.summarization.name == "/models/from-config"
    assert options.device == "cpu" and options.engine == "ctranslate2"
    options = options_from(["--translation-model", "/models/flag"])
    assert options.translation.name == "/models/flag"


def test_default_models_pin_their_revisions():
    import re

    from translate_summarize.engines.models import TRANSLATION_REVISION

    options = options_from([])
    assert options.translation.name == "Helsinki-NLP/opus-mt-nl-en"
    # Pinned means a commit: distilbart is; the opus-mt models still follow `main` (README: pinned revisions).
    assert re.fullmatch(r"[0-9a-f]{40}", options.summarization.revision)
    assert options.translation.revision == TRANSLATION_REVISION == "main"


def test_missing_model_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["--translation-model", str(tmp_path / "nope"), "--no-summarization"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("brief-eval: error: translation model ") and err.count("\n") == 1


# --- a run on the fixture models ------------------------------------------------------------------


@have_fixtures
def test_harness_runs_on_fixtures_and_prints_the_table():
    out = io.StringIO()
    assert main([*FIXTURE_ARGS, "--limit", "12"], stdout=out) == 0
    table = out.getvalue()
    assert table.startswith("brief-eval: 12 nl->en news sentence pairs, 6 English articles with reference summaries")
    for row in ("BLEU", "chrF", "ROUGE-1", "ROUGE-2", "ROUGE-L"):
        assert f"\n{row} " in table
    assert "60.9" in table and "0.749" in table
    assert "BLEU signature:      nrefs:1|case:mixed|eff:no|tok:13a" in table
    assert "not directly comparable" in table


@have_fixtures
def test_harness_json_on_fixtures():
    out = io.StringIO()
    assert main([*FIXTURE_ARGS, "--limit", "8", "--json"], stdout=out) == 0
    result = json.loads(out.getvalue())
    translation, summarization = result["translation"], result["summarization"]
    assert translation["pairs"] == 8 and summarization["articles"] == 6
    assert 0 <= translation["bleu"] <= 100 and 0 <= translation["chrf"] <= 1
    assert set(summarization) >= {"rouge1", "rouge2", "rougeL"}
    assert set(translation["flagged"]) == {"numbers", "names", "degenerate", "untranslated"}
    assert result["published"]["bleu"] == 60.9 and result["published"]["chrf"] == 0.749
    assert str(MARIAN) in translation["model"] and "torch, cpu" in translation["model"]
