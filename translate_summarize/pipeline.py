"""The one direction of flow: article -> sentences -> translation -> summary -> back-translation -> Brief.

`Briefer` owns the models and loads each lazily, once per run, however many articles pass through;
`runner.Run.briefs` is the generator that feeds it articles and yields each brief as it is ready.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from .article import parse_article
from .checks import check_brief
from .data import AlignedBlock, Article, BlockKind, Brief, ModelInfo, SentencePair, StageStats
from .engine import Seq2SeqEngine
from .errors import InputError
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
from .registry import create_engine
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


def now_iso() -> str:
    """Local time of the brief with its UTC offset (RFC 3339, as the mail's Date header is local time),
    e.g. `2026-11-30T06:00:12+01:00`; SOURCE_DATE_EPOCH pins the moment for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.astimezone().replace(microsecond=0).isoformat()


def headline_from(summary: str, fallback: str, title: str = "") -> str:
    """The English title, else the summary's first sentence, else `fallback`: at most
    `HEADLINE_MAX_CHARS` characters, shortened at a word boundary with "…" (never mid-word)."""
    first = title.strip() or (split_sentences(summary, "en") or [fallback or ""])[0].strip()
    if len(first) <= HEADLINE_MAX_CHARS:
        return first
    cut = first[: HEADLINE_MAX_CHARS - 1]
    if not first[HEADLINE_MAX_CHARS - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


class Briefer:
    """Turns articles into briefs; models are loaded on first use and kept for the whole run."""

    def __init__(self, options: BriefOptions | None = None):
        self.options = options or BriefOptions()

    def _engine(self, spec: ModelSpec, workers: int | None = None) -> Seq2SeqEngine:
        """`workers`: CTranslate2's parallel batches; None: one per core (sentences); 1: all cores on one input."""
        folder = locate(spec)
        started = time.perf_counter()
        engine: Seq2SeqEngine = create_engine(self.options.engine, folder, spec, device=self.options.device, workers=workers)
        log.info("loaded %s model %s (%s) in %.1fs", spec.role, spec.label, engine.name, time.perf_counter() - started)
        return engine

    def _translator(self, spec: ModelSpec, source_language: str) -> Translator:
        engine = self._engine(spec)
        memory = None
        if self.options.translation_memory:
            from .keys import cache_key
            from .memory import TranslationMemory

            memory = TranslationMemory(model_key=cache_key(self.options, model=spec))
        return Translator(engine, self.options.batching, memory=memory, source_language=source_language)

    @cached_property
    def translator(self) -> Translator:
        return self._translator(self.options.translation, "nl")

    @cached_property
    def summarizer(self) -> Summarizer:
        return Summarizer(self._engine(self.options.summarization, workers=1))  # one long input at a time

    @cached_property
    def back_translator(self) -> Translator:
        return self._translator(self.options.back_translation, ENGLISH)

    @property
    def model_info(self) -> tuple[ModelInfo, ...]:
        return tuple(
            ModelInfo(spec.role, spec.name, None if spec.is_local else spec.revision, self.options.engine)
            for spec in self.options.specs
        )

    def brief(self, article: Article, on_stage: Callable[[str], None] | None = None) -> Brief:
        """Translate, summarize, back-translate and check one article. `on_stage` is called with
        "translating", "summarizing", "back-translating" and "checking" as each stage starts."""
        on_stage = on_stage or (lambda stage: None)
        stats: dict[str, StageStats] = {}
        with _stage(stats, "split"):
            per_block = [split_sentences(block.text, article.language) for block in article.blocks]
            flat = [sentence for sentences in per_block for sentence in sentences]
        if article.language == ENGLISH:  # nothing to translate: the English is the source itself
            translations = flat
            stats["translate"] = StageStats(items=len(flat))
        else:
            on_stage("translating")
            with _stage(stats, "translate", self.translator.stats):
                translations = self.translator.translate(flat)
        targets = iter(translations)
        blocks = []
        for block, sentences in zip(article.blocks, per_block):
            pairs = tuple(SentencePair(sentence, next(targets)) for sentence in sentences)
            blocks.append(AlignedBlock(block.kind, block.text, " ".join(p.target for p in pairs), pairs))

        # Headings reach the summarizer not at all: glued to the next sentence they would read as its start.
        body = [pair.target for block in blocks if not block.kind.is_heading for pair in block.sentences]
        on_stage("summarizing")
        with _stage(stats, "summarize", self.summarizer.stats):
            summary = self.summarizer.summary(body or list(translations))
        summary_en = summary.text
        on_stage("back-translating")
        with _stage(stats, "back_translate", self.back_translator.stats):
            summary_nl = " ".join(self.back_translator.translate(split_sentences(summary_en, "en")))

        title = next((block.target for block in blocks if block.kind is BlockKind.TITLE), "")
        brief = Brief(
            article=article,
            headline=headline_from(summary_en, blocks[0].target if blocks else article.name, title),
            summary_en=summary_en,
            summary_nl=summary_nl,
            blocks=tuple(blocks),
            models=self.model_info,
            created=now_iso(),
            stats=stats,
        )
        flagged = dict(self.back_translator.flagged)
        if article.language != ENGLISH:
            flagged.update(self.translator.flagged)
        on_stage("checking")
        with _stage(stats, "check"):
            repaired = self.translator.repaired if article.language != ENGLISH else {}
            brief.checks = check_brief(brief, flagged=flagged, summary_cut=summary.cut, repaired=repaired)
        return brief

    def read(self, path: Path | str) -> Article:
        source = read_source(path, self.options.max_bytes)
        decision = decide_language(source.text, input_name(path), self.options.source_lang)
        article = parse_article(source.text, source.path, encoding=source.encoding, language=decision.language)
        if not article.blocks:
            raise InputError(path, "has no article text")
        log.info("%s: read as %s %s; language %s", path, source.encoding, source.markup, decision.reason)
        return article


@contextmanager
def _stage(stats: dict[str, StageStats], name: str, counters: StageStats | None = None) -> Iterator[None]:
    """Time a stage and record what its engine counted (tokens, items, cache hits) during it."""
    before = replace(counters) if counters else StageStats()
    started = time.perf_counter()
    yield
    after = counters or StageStats()
    stats[name] = StageStats(
        seconds=time.perf_counter() - started,
        input_tokens=after.input_tokens - before.input_tokens,
        output_tokens=after.output_tokens - before.output_tokens,
        items=after.items - before.items,
        cached=after.cached - before.cached,
    )
