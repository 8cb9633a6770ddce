"""The CTranslate2 engine gives the torch engine's outputs on the trained fixture models, converts once.

The fixtures are tiny *trained* models (a Marian that copies its input, a BART that outputs the lead
sentence), so agreement is checked on real text, through the same Translator/Summarizer code paths.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

ctranslate2 = pytest.importorskip("ctranslate2")

from translate_summarize.engines import ct2_convert  # noqa: E402
from translate_summarize.engines.ct2_convert import converted_model  # noqa: E402
from translate_summarize.engines.ct2_engine import CTranslate2Engine  # noqa: E402
from translate_summarize.pipeline.summarize import Summarizer  # noqa: E402
from translate_summarize.pipeline.translate import Translator  # noqa: E402

from ..conftest import BART, MARIAN, SAMPLE, sample_paragraphs, sample_sentences  # noqa: E402


def _ready(folder: Path) -> bool:
    return (folder / "config.json").is_file() and any(folder.glob("*.safetensors"))


needs_marian = pytest.mark.skipif(not _ready(MARIAN), reason="tests/fixtures/tiny-marian-copy not built")
needs_bart = pytest.mark.skipif(not _ready(BART), reason="tests/fixtures/tiny-bart-lead not built")


# --- agreement -------------------------------------------------------------------------------------


@needs_marian
def test_engine_interface_matches_torch(marian) -> None:
    torch_engine, ct2 = marian
    assert ct2.name == "ctranslate2"
    assert ct2.device == "cpu" and ct2.compute_type == "int8"
    assert ct2.max_input_tokens == torch_engine.max_input_tokens
    assert ct2.default_max_length == torch_engine.default_max_length
    assert ct2.generation_config.num_beams == torch_engine.generation_config.num_beams
    sentences = sample_sentences()
    assert ct2.count_tokens(sentences) == torch_engine.count_tokens(sentences)
    assert ct2.generate([]) == []
    cores = len(os.sched_getaffinity(0))
    assert (ct2.workers, ct2.intra_threads) == (cores, 1)  # one single-threaded worker per core


@needs_marian
def test_batch_split_over_workers_keeps_order_and_results(ct2_cache: Path) -> None:
    sentences = sample_sentences()
    one = CTranslate2Engine(MARIAN, None, device="cpu", cache=ct2_cache, workers=1)
    three = CTranslate2Engine(MARIAN, None, device="cpu", cache=ct2_cache, workers=3, intra_threads=1)
    assert (one.workers, one.intra_threads) == (1, len(os.sched_getaffinity(0)))
    assert [g.text for g in three.generate(sentences)] == [g.text for g in one.generate(sentences)]
    assert [g.text for g in three.generate(sentences[:2])] == [g.text for g in one.generate(sentences[:2])]
    assert three.generate([]) == []


@needs_marian
def test_translations_identical(marian) -> None:
    torch_engine, ct2 = marian
    sentences = sample_sentences()
    # Also a piece longer than the fixture's 128 positions, which the Translator splits at clauses.
    sentences.append(" ".join(sentences[:6]))
    expected = Translator(torch_engine).translate(sentences)
    assert Translator(ct2).translate(sentences) == expected
    assert sum(a == b for a, b in zip(expected, sentences)) >= len(sentences) // 2  # the fixture really copies


@needs_marian
@pytest.mark.parametrize(
    "overrides",
    [{"num_beams": 1}, {"max_new_tokens": 6}, {"max_new_tokens": 6, "num_beams": 1}, {"min_new_tokens": 30, "max_new_tokens": 40}],
)
def test_generation_overrides_agree(marian_float32, overrides) -> None:
    torch_engine, ct2 = marian_float32
    texts = sample_sentences()[:6]
    assert [g.text for g in ct2.generate(texts, **overrides)] == [g.text for g in torch_engine.generate(texts, **overrides)]


@needs_bart
def test_summaries_identical(bart) -> None:
    torch_engine, ct2 = bart
    paragraphs = [p for p in sample_paragraphs() if len(p) > 1]
    for paragraph in paragraphs:
        assert Summarizer(ct2).summarize(paragraph) == Summarizer(torch_engine).summarize(paragraph)
    # The whole article: chunked to the fixture's 256 positions, one summary per chunk.
    whole = sample_sentences()
    expected = Summarizer(torch_engine).summarize(whole)
    assert Summarizer(ct2).summarize(whole) == expected
    assert expected


@needs_bart
def test_bart_generation_settings_are_mapped(bart_float32) -> None:
    torch_engine, ct2 = bart_float32
    config = torch_engine.generation_config
    options = ct2.decoding_options()
    assert options["beam_size"] == (config.num_beams or 1)
    assert config.forced_bos_token_id is not None  # BART forces <s> first, as distilbart does
    assert options["_prefix"] == [torch_engine.tokenizer.convert_ids_to_tokens(config.forced_bos_token_id)]
    assert options["no_repeat_ngram_size"] == (config.no_repeat_ngram_size or 0)
    # HF's budget: max_length less the decoder start, its forced end token included (see forced_end.py).
    assert options["max_decoding_length"] == (config.max_length or ct2.default_max_length) - 1
    assert ct2.forces_end() == (config.forced_eos_token_id is not None)
    texts = [" ".join(p) for p in sample_paragraphs() if len(p) > 1]
    for overrides in ({"num_beams": 1}, {"max_new_tokens": 8}, {"min_length": 30}):
        assert [g.text for g in ct2.generate(texts, **overrides)] == [g.text for g in torch_engine.generate(texts, **overrides)]


@needs_marian
def test_marian_pad_is_suppressed_like_bad_words_ids(marian) -> None:
    torch_engine, ct2 = marian
    options = ct2.decoding_options(max_new_tokens=20)
    assert options["max_decoding_length"] == 20  # as HF counts: the EOS it forces in the last position included
    pad = torch_engine.tokenizer.pad_token
    assert torch_engine.generation_config.bad_words_ids  # opus-mt bans <pad>, and so does the fixture
    assert [pad] in options["suppress_sequences"]


@needs_marian
@needs_bart
def test_whole_brief_identical_with_either_engine(tmp_path: Path) -> None:
    from translate_summarize.engines.models import ModelSpec
    from translate_summarize.pipeline.briefer import Briefer, BriefOptions

    def options(engine: str) -> BriefOptions:
        return BriefOptions(
            translation=ModelSpec("translation", str(MARIAN)),
            summarization=ModelSpec("summarization", str(BART)),
            back_translation=ModelSpec("back-translation", str(MARIAN)),
            device="cpu",
            engine=engine,
        )

    briefs = {}
    for engine in ("torch", "ctranslate2"):
        briefer = Briefer(options(engine))
        briefs[engine] = briefer.brief(briefer.read(SAMPLE))
    torch_brief, ct2_brief = briefs["torch"], briefs["ctranslate2"]
    assert ct2_brief.summary_en == torch_brief.summary_en
    assert ct2_brief.summary_nl == torch_brief.summary_nl
    assert [b.target for b in ct2_brief.blocks] == [b.target for b in torch_brief.blocks]


# --- conversion and its cache ----------------------------------------------------------------------


@needs_bart
def test_bart_conversion_works_under_transformers_5(bart, ct2_cache: Path) -> None:
    """ctranslate2 4.8's BartLoader reads config.normalize_before, which transformers 5 no longer has."""
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(BART, local_files_only=True)
    assert not hasattr(config, "normalize_before") or config.normalize_before is False
    _, ct2 = bart
    assert (ct2.model_dir / "model.bin").is_file()
    assert ct2.model_dir.parent == ct2_cache
    assert ct2.generate(["Tesla is vooralsnog de enige buitenlandse autoproducent. Dat zegt Musk."])[0].text


@needs_marian
def test_conversion_is_cached(marian, ct2_cache: Path) -> None:
    _, first = marian
    model_bin = first.model_dir / "model.bin"
    mtime = model_bin.stat().st_mtime_ns
    before = ct2_convert.conversions
    again = CTranslate2Engine(MARIAN, None, device="cpu", cache=ct2_cache)
    assert not again.converted
    assert again.model_dir == first.model_dir
    assert ct2_convert.conversions == before
    assert model_bin.stat().st_mtime_ns == mtime
    assert again.generate(["Hallo."])[0].text == first.generate(["Hallo."])[0].text


@needs_marian
def test_default_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "brief"))
    engine = CTranslate2Engine(MARIAN, None, device="cpu")
    assert engine.model_dir.parent == tmp_path / "brief" / "ct2"
    assert CTranslate2Engine(MARIAN, None, device="cpu").converted is False


@needs_marian
def test_cache_key_follows_contents_and_quantization(tmp_path: Path) -> None:
    folder = tmp_path / "marian"
    shutil.copytree(MARIAN, folder)
    first, converted = converted_model(folder, None, "int8")
    assert converted
    assert converted_model(folder, None, "int8") == (first, False)
    float32, converted = converted_model(folder, None, "float32")
    assert converted and float32 != first
    generation = folder / "generation_config.json"
    generation.write_text(generation.read_text(encoding="utf-8").replace('"num_beams": 4', '"num_beams": 5'), encoding="utf-8")
    changed, converted = converted_model(folder, None, "int8")
    assert converted and changed != first
    assert not list(first.parent.glob(".*.tmp-*"))  # no staging folders left behind


@needs_marian
def test_hub_models_are_keyed_by_name_revision_and_commit(tmp_path: Path) -> None:
    from translate_summarize.engines.models import ModelSpec

    snapshot = tmp_path / "models--x--y" / "snapshots" / "0123abcd"
    shutil.copytree(MARIAN, snapshot)
    spec = ModelSpec("translation", "x/y", "main")
    key = ct2_convert.conversion_key(snapshot, spec, "int8")
    assert key.startswith("x-y-int8-") and len(key) == len("x-y-int8-") + 16
    assert key != ct2_convert.conversion_key(snapshot, ModelSpec("translation", "x/y", "v2"), "int8")
    assert key != ct2_convert.conversion_key(tmp_path / "models--x--y" / "snapshots" / "4567", spec, "int8")


@needs_marian
def test_concurrent_first_use_converts_once(tmp_path: Path) -> None:
    folder = tmp_path / "marian"
    shutil.copytree(MARIAN, folder)
    cache = tmp_path / "cache"
    results: list[tuple[Path, bool]] = []
    errors: list[BaseException] = []

    def convert() -> None:
        try:
            results.append(converted_model(folder, None, "int8", cache))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({path for path, _ in results}) == 1
    assert sorted(converted for _, converted in results) == [False, True]
    assert [p.name for p in cache.iterdir() if p.is_dir()] == [results[0][0].name]


@needs_marian
def test_incomplete_cache_entry_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "marian"
    shutil.copytree(MARIAN, folder)
    cache = tmp_path / "cache"
    target = cache / ct2_convert.conversion_key(folder, None, "int8")
    target.mkdir(parents=True)
    (target / "model.bin").write_bytes(b"half written by a crashed run")
    path, converted = converted_model(folder, None, "int8", cache)
    assert converted and path == target
    engine = CTranslate2Engine(folder, None, device="cpu", cache=cache)
    assert not engine.converted
    assert engine.generate(["Hallo."])[0].text


@needs_marian
def test_unconvertible_model_is_a_one_line_model_error(tmp_path: Path) -> None:
    from translate_summarize.errors import ModelUnavailableError

    folder = tmp_path / "no-weights"
    folder.mkdir()
    for name in ("config.json", "generation_config.json", "tokenizer_config.json", "vocab.json", "source.spm", "target.spm"):
        shutil.copy(MARIAN / name, folder / name)
    with pytest.raises(ModelUnavailableError, match="could not be converted for CTranslate2"):
        CTranslate2Engine(folder, None, device="cpu", cache=tmp_path / "cache")
    assert not [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]  # nothing half-written stays


@needs_marian
@needs_bart
def test_download_models_converts_ahead_so_runs_only_load() -> None:
    from typer.testing import CliRunner

    from translate_summarize.cli import app

    from ..conftest import MODEL_ARGS

    args = [arg if arg != "torch" else "ctranslate2" for arg in MODEL_ARGS]
    result = CliRunner().invoke(app, ["--download-models", *args])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("is converted for CTranslate2 in") == 3 and result.stdout == ""
    assert len([path for path in ct2_convert.ct2_cache_dir().iterdir() if path.is_dir()]) == 2  # Marian is used twice
    before = ct2_convert.conversions
    engine = CTranslate2Engine(MARIAN, None, device="cpu")
    assert not engine.converted and ct2_convert.conversions == before


def test_usable_cores_follow_omp_num_threads_as_ray_sets_it_per_actor(monkeypatch):
    from translate_summarize.engines.ct2_convert import usable_cores

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    everything = usable_cores()
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert usable_cores() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "999")
    assert usable_cores() == everything
    monkeypatch.setenv("OMP_NUM_THREADS", "zero")
    assert usable_cores() == everything
