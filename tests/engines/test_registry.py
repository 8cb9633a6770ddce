"""The engine registry: a new engine is one registered class, and runs through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_summarize.engines.base import Generated
from translate_summarize.engines.registry import (
    create_engine,
    default_engine,
    engine_class,
    engine_names,
    register_engine,
)
from translate_summarize.errors import ConfigError
from translate_summarize.pipeline.briefer import Briefer

from ..conftest import fixture_options


@register_engine("toy-upper")
class UpperEngine:
    """A toy engine: "translates" by upper-casing, summarizes by keeping the first sentence's words."""

    max_input_tokens = 512
    default_max_length = 512
    loaded: list[Path] = []

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def available(cls) -> bool:
        return False  # never the default

    @classmethod
    def load(cls, folder, spec, *, device, workers=None):
        cls.loaded.append(Path(folder))
        return cls(Path(folder))

    def count_tokens(self, texts):
        return [len(text.split()) + 1 for text in texts]

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        return [Generated(text.upper(), len(text.split()), len(text.split())) for text in texts]


def test_builtin_engines_are_registered_and_the_default_is_available():
    assert {"torch", "ctranslate2"} <= set(engine_names())
    assert default_engine() in ("torch", "ctranslate2") and engine_class(default_engine()).available()


def test_unknown_engine_is_a_config_error():
    with pytest.raises(ConfigError, match="--engine nope: unknown engine"):
        create_engine("nope", Path("."), None, device="cpu")


def test_a_registered_engine_runs_through_the_real_pipeline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Het kabinet trekt geld uit. De oppositie is boos.\n", encoding="utf-8")
    briefer = Briefer(fixture_options(engine="toy-upper", translation_memory=False))
    brief = briefer.brief(briefer.read(path))
    assert [pair.target for pair in brief.blocks[0].sentences] == ["HET KABINET TREKT GELD UIT.", "DE OPPOSITIE IS BOOS."]
    assert brief.summary_en == "HET KABINET TREKT GELD UIT. DE OPPOSITIE IS BOOS."
    assert {model.engine for model in brief.models} == {"toy-upper"}
    assert len(UpperEngine.loaded) == 3  # translator, summarizer, back-translator: each loaded once
