"""Shared fixtures: the tiny trained models (see tests/fixtures/README.md) and an isolated environment."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from translate_summarize.engines.models import ModelSpec
from translate_summarize.pipeline.briefer import Briefer, BriefOptions

# Property tests are derandomized by default, so a run (CI above all) is repeatable: the same examples
# every time. HYPOTHESIS_PROFILE=explore draws new ones, for hunting bugs rather than gating merges.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MARIAN = FIXTURES / "tiny-marian-copy"
BART = FIXTURES / "tiny-bart-lead"
SAMPLE = ROOT / "seeds" / "000_5456f33a95982729.txt"

MODEL_ARGS = [
    "--translation-model",
    str(MARIAN),
    "--summarization-model",
    str(BART),
    "--back-translation-model",
    str(MARIAN),
    "--device",
    "cpu",
    "--engine",
    "torch",
]


def sample_paragraphs() -> list[list[str]]:
    """The sample article's paragraphs, each a list of sentences, as the pipeline splits them."""
    from translate_summarize.text.article import parse_article
    from translate_summarize.text.sentences import split_sentences

    article = parse_article(SAMPLE.read_text(encoding="utf-8"), SAMPLE)
    return [split_sentences(block.text, article.language) for block in article.blocks]


def edited_copies(folder: Path, count: int, blocks: int | None = None) -> list[str]:
    """`count` copies of the sample article (2.3 KB each; its first `blocks` blocks only, if given),
    each with one different number, so each is a different article to the idempotency key:
    `folder/000_artikel.txt`, ..."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    if blocks is not None:
        text = "\n\n".join(text.split("\n\n")[:blocks]) + "\n"
    paths = []
    for n in range(count):
        path = folder / f"{n:03d}_artikel.txt"
        path.write_text(text.replace("drie minuten", f"{n + 2} minuten"), encoding="utf-8")
        paths.append(str(path))
    return paths


def sample_sentences() -> list[str]:
    return [sentence for paragraph in sample_paragraphs() for sentence in paragraph]


def fixture_options(**overrides) -> BriefOptions:
    values = dict(
        translation=ModelSpec("translation", str(MARIAN), None, "--translation-model"),
        summarization=ModelSpec("summarization", str(BART), None, "--summarization-model"),
        back_translation=ModelSpec("back-translation", str(MARIAN), None, "--back-translation-model"),
        device="cpu",
        engine="torch",
    )
    values.update(overrides)
    return BriefOptions(**values)


@pytest.fixture(scope="session")
def briefer() -> Briefer:
    """One Briefer for the session: the fixture models load once, as in a real run."""
    return Briefer(fixture_options())


@pytest.fixture(autouse=True)
def restored_logging(caplog):
    """The root logger as it was before the test: every in-process CLI run (`setup_logging`) and Ray's
    start set its level and handlers, and a test's log capture must not depend on which test ran before."""
    # pytest keeps one capture handler for the session: a level an earlier test left on it (the Ray tests
    # leave ERROR) would hide this test's warnings from `caplog`.
    caplog.handler.setLevel(logging.NOTSET)
    root = logging.getLogger()
    level, handlers = root.level, [handler for handler in root.handlers if not _pytest_handler(handler)]
    yield
    root.setLevel(level)
    # pytest adds and removes its own capture handlers around each phase: keep whichever are there now.
    root.handlers[:] = [handler for handler in root.handlers if _pytest_handler(handler)] + handlers


def _pytest_handler(handler: logging.Handler) -> bool:
    return type(handler).__module__.startswith("_pytest")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """No test reads the user's config, caches or the network."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(home / ".cache" / "brief"))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    for name in list(os.environ):
        if name.startswith("BRIEF_") and name != "BRIEF_CACHE_DIR":
            monkeypatch.delenv(name)
    yield


@pytest.fixture(scope="module")
def ct2_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One conversion cache for a module's engines (conftest gives every test its own BRIEF_CACHE_DIR)."""
    return tmp_path_factory.mktemp("brief-cache") / "ct2"


def _engine_pair(folder: Path, cache: Path, compute_type: str | None = None):
    pytest.importorskip("ctranslate2")
    from translate_summarize.engines.ct2_engine import CTranslate2Engine
    from translate_summarize.engines.torch_engine import TorchEngine

    return TorchEngine(folder), CTranslate2Engine(folder, None, device="cpu", cache=cache, compute_type=compute_type)


@pytest.fixture(scope="module")
def marian(ct2_cache: Path):
    """(torch, ctranslate2) engines of the copying Marian fixture; CTranslate2 at its CPU default, int8."""
    return _engine_pair(MARIAN, ct2_cache)


@pytest.fixture(scope="module")
def bart(ct2_cache: Path):
    """(torch, ctranslate2) engines of the lead-sentence BART fixture; CTranslate2 at its CPU default, int8."""
    return _engine_pair(BART, ct2_cache)


# int8 GEMM differs by CPU (oneDNN's VNNI and AVX2 kernels round differently), so where decoding is forced
# past the model's own end (min length, patience, low n-best ranks) the near-tied tokens of an int8 model
# can flip from one machine to the next. Tests of how generation settings are *mapped* compare float32,
# where both engines agree on any CPU (checked with ONEDNN_MAX_CPU_ISA=AVX2 and the AVX-512 default).
@pytest.fixture(scope="module")
def marian_float32(ct2_cache: Path):
    """(torch, ctranslate2 float32) engines of the copying Marian fixture."""
    return _engine_pair(MARIAN, ct2_cache, "float32")


@pytest.fixture(scope="module")
def bart_float32(ct2_cache: Path):
    """(torch, ctranslate2 float32) engines of the lead-sentence BART fixture."""
    return _engine_pair(BART, ct2_cache, "float32")


@pytest.fixture
def web_site(monkeypatch):
    """A local web site on 127.0.0.1 serving tests/data/web/ (see tests/httpserver.py); no proxy in between."""
    from tests.httpserver import LocalSite

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with LocalSite() as site:
        yield site
