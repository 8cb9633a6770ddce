"""The one direction of flow: article -> sentences -> translation -> summary -> back-translation -> Brief.

`Briefer` owns the models and loads each lazily, once per run, however many articles pass through.
`brief_files` is a generator that yields each article's outcome as soon as it is ready.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from .article import parse_article
from .checks import check_brief
from .data import AlignedBlock, Article, Brief, ModelInfo, SentencePair, StageStats
from .engine import Seq2SeqEngine, TorchEngine
from .errors import BriefError, InputError
from .language import ENGLISH, decide_language
from .models import (
    BACK_TRANSLATION_MODEL,
    BACK_TRANSLATION_REVISION,
    SUMMARIZATION_MODEL,
    SUMMARIZATION_REVISION,
    TRANSLATION_MODEL,
    TRANSLATION_REVISION,
    ModelSpec,
    locate,
)
from .reader import DEFAULT_MAX_BYTES, input_name, read_source
from .sentences import split_sentences
from .summarize import Summarizer
from .translate import TranslationOptions, Translator

log = logging.getLogger(__name__)

HEADLINE_MAX_CHARS = 90


@dataclass(frozen=True)
class BriefOptions:
    """Everything that decides what a brief says; part of the idempotency key."""

    translation: ModelSpec = ModelSpec("translation", TRANSLATION_MODEL, TRANSLATION_REVISION, "--translation-model")
    summarization: ModelSpec = ModelSpec(
        "summarization", SUMMARIZATION_MODEL, SUMMARIZATION_REVISION, "--summarization-model"
    )
    back_translation: ModelSpec = ModelSpec(
        "back-translation", BACK_TRANSLATION_MODEL, BACK_TRANSLATION_REVISION, "--back-translation-model"
    )
    device: str = "auto"
    engine: str = "torch"
    max_bytes: int = DEFAULT_MAX_BYTES
    source_lang: str | None = None
    translation_memory: bool = True
    batching: TranslationOptions = field(default_factory=TranslationOptions)

    @property
    def specs(self) -> tuple[ModelSpec, ...]:
        return (self.translation, self.summarization, self.back_translation)


@dataclass(frozen=True)
class Outcome:
    """What happened to one input: a brief, or the one-line error that stopped it."""

    path: Path
    brief: Brief | None = None
    error: BriefError | None = None


def now_iso() -> str:
    """UTC time of the brief; SOURCE_DATE_EPOCH pins it for reproducible output (tests, archives)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def headline_from(summary: str, fallback: str) -> str:
    """The summary's first sentence, shortened at a word boundary: a headline a mail client can show."""
    first = (split_sentences(summary, "en") or [fallback or ""])[0].strip()
    if len(first) <= HEADLINE_MAX_CHARS:
        return first
    cut = first[: HEADLINE_MAX_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


class Briefer:
    """Turns articles into briefs; models are loaded on first use and kept for the whole run."""

    def __init__(self, options: BriefOptions | None = None):
        self.options = options or BriefOptions()

    def _engine(self, spec: ModelSpec) -> Seq2SeqEngine:
        folder = locate(spec)
        started = time.perf_counter()
        if self.options.engine == "ctranslate2":
            from .ct2_engine import CTranslate2Engine

            engine: Seq2SeqEngine = CTranslate2Engine(folder, spec, device=self.options.device)
        else:
            engine = TorchEngine(folder, device=self.options.device)
        log.info("loaded %s model %s (%s) in %.1fs", spec.role, spec.label, engine.name, time.perf_counter() - started)
        return engine

    def _translator(self, spec: ModelSpec) -> Translator:
        engine = self._engine(spec)
        memory = None
        if self.options.translation_memory:
            from .memory import TranslationMemory, memory_key

            settings = {"device": getattr(engine, "device", self.options.device), "batching": str(self.options.batching)}
            memory = TranslationMemory(model_key=memory_key(spec, engine, settings))
        return Translator(engine, self.options.batching, memory=memory)

    @cached_property
    def translator(self) -> Translator:
        return self._translator(self.options.translation)

    @cached_property
    def summarizer(self) -> Summarizer:
        return Summarizer(self._engine(self.options.summarization))

    @cached_property
    def back_translator(self) -> Translator:
        return self._translator(self.options.back_translation)

    def load_models(self) -> None:
        """Load all three models now (fail fast before any article is read)."""
        _ = self.translator, self.summarizer, self.back_translator

    @property
    def model_info(self) -> tuple[ModelInfo, ...]:
        return tuple(
            ModelInfo(spec.role, spec.name, None if spec.is_local else spec.revision, self.options.engine)
            for spec in self.options.specs
        )

    def brief(self, article: Article) -> Brief:
        stats: dict[str, StageStats] = {}
        started = time.perf_counter()
        per_block = [split_sentences(block.text, article.language) for block in article.blocks]
        flat = [sentence for sentences in per_block for sentence in sentences]
        stats["split"] = StageStats(time.perf_counter() - started, items=len(flat))

        started = time.perf_counter()
        if article.language == ENGLISH:  # nothing to translate: the English is the source itself
            translations = iter(flat)
            stats["translate"] = StageStats(items=len(flat))
        else:
            before = _snapshot(self.translator.stats)
            translations = iter(self.translator.translate(flat))
            stats["translate"] = _delta(self.translator.stats, before, time.perf_counter() - started, StageStats())
        blocks = []
        for block, sentences in zip(article.blocks, per_block):
            pairs = tuple(SentencePair(sentence, next(translations)) for sentence in sentences)
            blocks.append(AlignedBlock(block.kind, block.text, " ".join(p.target for p in pairs), pairs))

        started = time.perf_counter()
        before = _snapshot(self.summarizer.stats)
        english_sentences = [pair.target for block in blocks for pair in block.sentences]
        summary_en = self.summarizer.summarize(english_sentences)
        stats["summarize"] = _delta(self.summarizer.stats, before, time.perf_counter() - started, StageStats())

        started = time.perf_counter()
        before = _snapshot(self.back_translator.stats)
        summary_sentences = split_sentences(summary_en, "en")
        summary_nl = " ".join(self.back_translator.translate(summary_sentences))
        stats["back_translate"] = _delta(
            self.back_translator.stats, before, time.perf_counter() - started, StageStats()
        )

        fallback = blocks[0].target if blocks else article.name
        brief = Brief(
            article=article,
            headline=headline_from(summary_en, fallback),
            summary_en=summary_en,
            summary_nl=summary_nl,
            blocks=tuple(blocks),
            models=self.model_info,
            created=now_iso(),
            stats=stats,
        )
        started = time.perf_counter()
        flagged = {**self.back_translator.flagged}
        if article.language != ENGLISH:
            flagged.update(self.translator.flagged)
        brief.checks = check_brief(brief, flagged=flagged)
        stats["check"] = StageStats(time.perf_counter() - started, items=len(brief.checks))
        return brief

    def read(self, path: Path | str) -> Article:
        source = read_source(path, self.options.max_bytes)
        decision = decide_language(source.text, input_name(path), self.options.source_lang)
        article = parse_article(source.text, source.path, encoding=source.encoding, language=decision.language)
        if not article.blocks:
            raise InputError(path, "has no article text")
        log.info("%s: read as %s %s; language %s", path, source.encoding, source.markup, decision.reason)
        return article

    def brief_files(self, paths: Iterable[Path | str]) -> Iterator[Outcome]:
        """Yield one Outcome per input, in order; a bad input never stops the others."""
        for path in paths:
            try:
                yield Outcome(Path(path), brief=self.brief(self.read(path)))
            except InputError as error:
                yield Outcome(Path(path), error=error)


def _snapshot(stats: StageStats) -> tuple[int, int, int, int]:
    return stats.input_tokens, stats.output_tokens, stats.items, stats.cached


def _delta(stats: StageStats, before: tuple[int, int, int, int], seconds: float, into: StageStats) -> StageStats:
    into.seconds = seconds
    into.input_tokens = stats.input_tokens - before[0]
    into.output_tokens = stats.output_tokens - before[1]
    into.items = stats.items - before[2]
    into.cached = stats.cached - before[3]
    return into
