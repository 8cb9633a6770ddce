"""The one direction of flow: article -> sentences -> translation -> summary -> back-translation -> Brief.

`Briefer` owns the models and loads each lazily, once per run, however many articles pass through;
`runner.Run.briefs` is the generator that feeds it articles and yields each brief as it is ready.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from ..checks import check_brief
from ..data import AlignedBlock, Article, BlockKind, Brief, ModelInfo, SentencePair, StageStats
from ..engines.base import Seq2SeqEngine
from ..engines.models import (
    BACK_TRANSLATION_MODEL,
    BACK_TRANSLATION_REVISION,
    SUMMARIZATION_MODEL,
    SUMMARIZATION_REVISION,
    TRANSLATION_MODEL,
    TRANSLATION_REVISION,
    ModelSpec,
    locate,
)
from ..engines.registry import create_engine, prepare_engine
from ..errors import InputError
from ..sources import open_input, to_article
from ..sources.fetch import Fetcher, is_url
from ..text.glossary import Glossary
from ..text.language import ENGLISH, decide_language
from ..text.reader import DEFAULT_MAX_BYTES, SourceText, input_name
from ..text.sentences import split_sentences
from .confidence import ConfidenceOptions, ConfidenceScorer, measure_confidence
from .keys import cache_key
from .memory import TranslationMemory
from .summarize import Summarizer, Summary
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
    glossary: Glossary | None = None  # the newsroom's terms (`--glossary`), honoured in translation
    confidence: ConfidenceOptions = field(default_factory=ConfidenceOptions)

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
    """Turns articles into briefs; models are loaded on first use and kept for the whole run.

    `articles_at_once`: how many articles `brief_batch` is usually given (`--batch-articles`). It
    only decides how the summarizer uses the cores: one article's one or two chunks get all cores
    in one batch; the chunks of several articles are dealt out to one worker per core, which made
    8 articles at a time on 2 cores 1.8x faster than all cores on one batch (22.3 s against 12.6 s
    with the real shapes and `bench/throughput.py`'s pinned lengths, on a loaded machine).
    """

    def __init__(self, options: BriefOptions | None = None, *, articles_at_once: int = 1):
        self.options = options or BriefOptions()
        self.articles_at_once = max(1, articles_at_once)
        # Told (stage, role) as a model starts converting or loading, (None, role) once it is ready:
        # the run's progress shows "converting models" / "loading models" as stages of their own.
        self.on_models: Callable[[str | None, str], None] | None = None

    def _engine(self, spec: ModelSpec, workers: int | None = None) -> Seq2SeqEngine:
        """`workers`: CTranslate2's parallel batches; None: one per core (sentences); 1: all cores on one input."""
        folder = locate(spec)
        started = time.perf_counter()
        try:
            if self.options.engine == "ctranslate2" and _conversion_pending(folder, spec, self.options.device):
                self._model_stage("converting models", spec.role)
                prepare_engine(self.options.engine, folder, spec, self.options.device)
            self._model_stage("loading models", spec.role)
            engine: Seq2SeqEngine = create_engine(self.options.engine, folder, spec, device=self.options.device, workers=workers)
        finally:
            self._model_stage(None, spec.role)
        log.info("loaded %s model %s (%s) in %.1fs", spec.role, spec.label, engine.name, time.perf_counter() - started)
        return engine

    def _model_stage(self, stage: str | None, role: str) -> None:
        """Tell `on_models` that the `role` model entered `stage` (None: it is ready)."""
        if self.on_models is not None:
            self.on_models(stage, role)

    def _translator(self, spec: ModelSpec, source_language: str, glossary: Glossary | None = None) -> Translator:
        engine = self._engine(spec)
        memory = None
        if self.options.translation_memory:
            memory = TranslationMemory(model_key=cache_key(self.options, model=spec))
        return Translator(engine, self.options.batching, memory=memory, source_language=source_language, glossary=glossary)

    @cached_property
    def translator(self) -> Translator:
        return self._translator(self.options.translation, "nl", self.options.glossary)

    @cached_property
    def summarizer(self) -> Summarizer:
        workers = 1 if self.articles_at_once == 1 else None  # None: one per core
        return Summarizer(self._engine(self.options.summarization, workers=workers))

    @cached_property
    def back_translator(self) -> Translator:
        return self._translator(self.options.back_translation, ENGLISH)

    @cached_property
    def scorer(self) -> ConfidenceScorer:
        """Scores translations with the translation model and the back-translation model."""
        return ConfidenceScorer(self.translator.engine, self.back_translator.engine)

    @property
    def model_info(self) -> tuple[ModelInfo, ...]:
        return tuple(
            ModelInfo(spec.role, spec.name, None if spec.is_local else spec.revision, self.options.engine)
            for spec in self.options.specs
        )

    def brief(self, article: Article, on_stage: Callable[[str], None] | None = None) -> Brief:
        """Translate, summarize, back-translate and check one article. `on_stage` is called with
        "translating", "summarizing", "back-translating" and "checking" as each stage starts."""
        return self.brief_batch([article], on_stage)[0]

    def brief_batch(self, articles: list[Article], on_stage: Callable[[str], None] | None = None) -> list[Brief]:
        """One brief per article, in order, each stage run once for all of them: the sentences of all
        the articles go to the translator together (its token-budget batches then mix articles), the
        summaries are generated together, and so are the back-translations. A brief is the same as
        `brief(article)` gives, up to the batch's floating-point effects (none on the fixtures).

        Stage stats of a batch (seconds, tokens, items) are shared evenly among its articles.
        """
        on_stage = on_stage or (lambda stage: None)
        if not articles:
            return []
        stats = [dict[str, StageStats]() for _ in articles]
        per_block, flat = [], []
        for article, article_stats in zip(articles, stats):
            with _stage(article_stats, "split"):
                blocks = [split_sentences(block.text, article.language) for block in article.blocks]
            per_block.append(blocks)
            flat.append([sentence for sentences in blocks for sentence in sentences])
        foreign = [i for i, article in enumerate(articles) if article.language != ENGLISH]
        translations = list(flat)  # English input: the English is the source itself
        shared: dict[str, StageStats] = {}
        confidence: dict[int, tuple[list[float | None], list[bool]]] = {}
        if foreign:
            on_stage("translating")
            # The translate stage's time includes scoring each sentence's confidence (and re-ranking).
            with _stage(shared, "translate", self.translator.stats):
                done = iter(self.translator.translate([sentence for i in foreign for sentence in flat[i]]))
                for i in foreign:
                    translations[i] = [next(done) for _ in flat[i]]
                confidence = measure_confidence(
                    self.scorer, self.translator, self.options.confidence, {i: flat[i] for i in foreign}, translations
                )
        aligned = [
            _align(article, blocks, targets, *confidence.get(i, ([], [])))
            for i, (article, blocks, targets) in enumerate(zip(articles, per_block, translations))
        ]

        # Headings reach the summarizer not at all: glued to the next sentence they would read as its start.
        # An article with a given summary (a copy of a story already summarized) is not summarized again.
        own = [i for i, article in enumerate(articles) if article.given_summary is None]
        bodies = [[*summary_input(aligned[i])] or list(translations[i]) for i in own]
        given = [article.given_summary for article in articles]
        summaries = [Summary(one.english, one.cut) if one else Summary("") for one in given]
        summaries_nl = [one.dutch if one else "" for one in given]
        if own:
            on_stage("summarizing")
            with _stage(shared, "summarize", self.summarizer.stats):
                for i, summary in zip(own, self.summarizer.summaries(bodies)):
                    summaries[i] = summary
            on_stage("back-translating")
            summary_sentences = [split_sentences(summaries[i].text, ENGLISH) for i in own]
            with _stage(shared, "back_translate", self.back_translator.stats):
                back = iter(self.back_translator.translate([sentence for group in summary_sentences for sentence in group]))
            for i, group in zip(own, summary_sentences):
                summaries_nl[i] = " ".join(next(back) for _ in group)

        on_stage("checking")
        briefs = []
        for i, article in enumerate(articles):
            blocks, summary = aligned[i], summaries[i]
            title = next((block.target for block in blocks if block.kind is BlockKind.TITLE), "")
            for name, total in shared.items():
                if name == "translate" and i in foreign:
                    stats[i][name] = _share(total, len(foreign))
                elif name != "translate" and i in own:
                    stats[i][name] = _share(total, len(own))
            if i not in foreign:
                stats[i]["translate"] = StageStats(items=len(flat[i]))
            if article.given_summary is not None:  # the summary was made once, for its source
                stats[i]["summarize"] = StageStats(cached=1)
                stats[i]["back_translate"] = StageStats(cached=1)
            brief = Brief(
                article=article,
                headline=headline_from(summary.text, blocks[0].target if blocks else article.name, title),
                summary_en=summary.text,
                summary_nl=summaries_nl[i],
                blocks=tuple(blocks),
                models=self.model_info,
                created=now_iso(),
                stats=stats[i],
                summary_of=article.given_summary.source if article.given_summary else None,
            )
            back_translator = self.__dict__.get("back_translator")  # not loaded for copies' briefs alone
            flagged = dict(back_translator.flagged) if back_translator is not None else {}
            if article.language != ENGLISH:
                flagged.update(self.translator.flagged)
            with _stage(stats[i], "check"):
                translated = article.language != ENGLISH
                brief.checks = check_brief(
                    brief,
                    flagged=flagged,
                    summary_cut=summary.cut,
                    repaired=self.translator.repaired if translated else {},
                    glossary=self.options.glossary if translated else None,
                    honoured_by=self.translator.honoured_by if translated else {},
                    summary_chosen=summary.chosen,
                )
            brief.stats = {name: stats[i].get(name, StageStats()) for name in ("split", "translate", "summarize", "back_translate", "check")}
            briefs.append(brief)
        return briefs

    def read(self, path: Path | str, fetcher: Fetcher | None = None) -> Article:
        """One input's `Article`: a plain file as always; a URL (fetched with `fetcher`) or a saved
        web page (by content) with the page's own blocks and its `source`. The language rule is the
        same for all. Raises InputError naming the file or URL."""
        source = open_input(str(path), fetcher, self.options.max_bytes)
        return self.article_of(source, str(path).strip() if is_url(str(path)) else input_name(path), path)

    def article_of(self, source: SourceText, name: str, label: object = None) -> Article:
        """The `Article` of a text already read (a file, a page, a feed entry), by the language rule;
        InputError naming `name` when it is in another language or has no article text."""
        decision = decide_language(source.text, name, self.options.source_lang)
        article = to_article(source, language=decision.language)
        if not article.blocks:
            raise InputError(name if label is None else label, "has no article text")
        log.info("%s: read as %s %s; language %s", name if label is None else label, source.encoding, source.markup, decision.reason)
        return article


_ENDS = re.compile(r"[.!?…][’”»\"')\]]*$")


def summary_input(blocks: list[AlignedBlock]) -> Iterator[str]:
    """The English sentences the summarizer reads, in order: no headings, and each list item a
    sentence of its own (a final full stop added where the item has none, so `more pay` and `shorter
    weeks` never read as one sentence)."""
    for block in blocks:
        if block.kind.is_heading:
            continue
        for index, pair in enumerate(block.sentences, start=1):
            last = index == len(block.sentences)
            if block.kind is BlockKind.LIST_ITEM and last and pair.target and not _ENDS.search(pair.target):
                yield pair.target.rstrip(" ,;") + "."
            else:
                yield pair.target


def _align(
    article: Article,
    per_block: list[list[str]],
    targets: list[str],
    confidences: list[float | None] | None = None,
    marks: list[bool] | None = None,
) -> list[AlignedBlock]:
    """The article's blocks beside their translations (`targets`: one per sentence, in order), each
    sentence with its confidence and mark when given (same order)."""
    translated = iter(zip(targets, confidences or [None] * len(targets), marks or [False] * len(targets)))
    blocks = []
    for block, sentences in zip(article.blocks, per_block):
        pairs = tuple(SentencePair(sentence, *next(translated)) for sentence in sentences)
        blocks.append(AlignedBlock(block.kind, block.text, " ".join(pair.target for pair in pairs), pairs, block.marker))
    return blocks


def _share(total: StageStats, parts: int) -> StageStats:
    """One article's even share of a stage run for `parts` articles at once."""
    if parts <= 1:
        return total
    return StageStats(
        seconds=total.seconds / parts,
        input_tokens=total.input_tokens // parts,
        output_tokens=total.output_tokens // parts,
        items=total.items // parts,
        cached=total.cached // parts,
    )


def _conversion_pending(folder: Path, spec: ModelSpec, device: str) -> bool:
    """Whether CTranslate2 has yet to convert the model in `folder` (it converts on first load);
    False when that cannot be told, as this only decides what the progress bar says."""
    try:
        from ..engines.ct2_convert import is_converted

        return not is_converted(folder, spec, device)
    except Exception:
        return False


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
