"""On a CUDA machine: both engines run on the GPU in half precision and give the CPU's briefs.

Skipped where torch sees no GPU (CI has none); run on a GPU machine with `pytest tests/engines/test_gpu.py`.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from translate_summarize.engines.torch_engine import TorchEngine  # noqa: E402
from translate_summarize.errors import ModelUnavailableError  # noqa: E402
from translate_summarize.pipeline.summarize import Summarizer  # noqa: E402
from translate_summarize.pipeline.translate import Translator  # noqa: E402

from ..conftest import BART, MARIAN, sample_paragraphs, sample_sentences  # noqa: E402

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


@pytest.fixture(scope="module")
def cpu_translations() -> list[str]:
    return Translator(TorchEngine(MARIAN, device="cpu")).translate(sample_sentences())


def test_torch_engine_runs_in_float16_on_cuda(cpu_translations) -> None:
    engine = TorchEngine(MARIAN, device="auto")
    assert engine.device == "cuda" and engine.compute_type == "float16"
    assert next(engine.model.parameters()).dtype == torch.float16
    assert Translator(engine).translate(sample_sentences()) == cpu_translations


def test_torch_summaries_on_cuda_match_cpu() -> None:
    paragraph = next(p for p in sample_paragraphs() if len(p) > 1)
    on_gpu = Summarizer(TorchEngine(BART, device="cuda")).summarize(paragraph)
    assert on_gpu == Summarizer(TorchEngine(BART, device="cpu")).summarize(paragraph)
    assert on_gpu


def test_ctranslate2_on_cuda_matches_cpu_or_says_why(tmp_path, cpu_translations) -> None:
    pytest.importorskip("ctranslate2")  # the optional `fast` extra; the project's own module must import
    from translate_summarize.engines import ct2_engine

    try:
        engine = ct2_engine.CTranslate2Engine(MARIAN, None, device="cuda", cache=tmp_path)
        translations = Translator(engine).translate(sample_sentences())
    except ModelUnavailableError as error:  # e.g. CTranslate2's CUDA 12 libraries missing on a CUDA 13 box
        message = str(error)
        assert "CTranslate2 on cuda" in message and "--device cpu" in message and "\n" not in message
        # With --device auto the same machine falls back to the CPU instead of failing.
        fallback = ct2_engine.CTranslate2Engine(MARIAN, None, device="auto", cache=tmp_path)
        assert (fallback.device, fallback.compute_type) == ("cpu", "int8")
        assert Translator(fallback).translate(sample_sentences()) == cpu_translations
        pytest.skip(f"CTranslate2 cannot use this GPU: {message}")
    assert (engine.device, engine.compute_type) == ("cuda", "float16")
    assert translations == cpu_translations
