"""`brief-eval`: how good are the configured models on Dutch news? BLEU/chrF for nl->en, ROUGE for summaries.

The models are chosen exactly as for `brief` (same options, environment variables and config file keys)
and loaded through the same `Briefer`, so the numbers describe what `brief` would produce:

    brief-eval                                     # the default hub models (cached)
    brief-eval --translation-model tests/fixtures/tiny-marian-copy \\
               --summarization-model tests/fixtures/tiny-bart-lead --device cpu --json

Translation is scored on `data/nl_en_news.tsv` with sacrebleu (corpus BLEU and chrF, with their
signatures); the summarizer on the English articles of `data/summaries.jsonl` with ROUGE-1/2/L
(F1, stemmed). The published opus-mt-nl-en scores are printed beside ours for orientation only:
they were measured on the Tatoeba test set, which is not this one.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional, TextIO

import click
import typer

from ..errors import EXIT_CONFIG, BriefError
from ..settings import Device, Engine

DATA_DIR = Path(__file__).resolve().parent / "data"
PAIRS_FILE = DATA_DIR / "nl_en_news.tsv"
SUMMARIES_FILE = DATA_DIR / "summaries.jsonl"

# From the Helsinki-NLP/opus-mt-nl-en model card (benchmark table).
PUBLISHED = {
    "model": "Helsinki-NLP/opus-mt-nl-en",
    "test_set": "Tatoeba.nl.en",
    "bleu": 60.9,
    "chrf": 0.749,
    "source": "model card of Helsinki-NLP/opus-mt-nl-en",
}
NOTE = (
    "The published scores are from the opus-mt-nl-en model card, measured on the Tatoeba test set "
    "(short everyday sentences); this reference set is {pairs} Dutch news sentences written for this "
    "project. The test sets differ, so the numbers are not directly comparable."
)


@dataclass(frozen=True)
class SummaryExample:
    id: str
    article: str
    summary: str


def load_pairs(path: Path = PAIRS_FILE) -> list[tuple[str, str]]:
    """(Dutch, English reference) pairs from a TSV file with a ``nl<TAB>en`` header."""
    pairs = []
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header[:2] != ["nl", "en"]:
            raise ValueError(f"{path}: expected a 'nl<TAB>en' header, found {header!r}")
        for number, line in enumerate(handle, start=2):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) != 2 or not all(field.strip() for field in fields):
                raise ValueError(f"{path}:{number}: expected two tab-separated columns")
            pairs.append((fields[0].strip(), fields[1].strip()))
    return pairs


def load_summaries(path: Path = SUMMARIES_FILE) -> list[SummaryExample]:
    examples = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                examples.append(SummaryExample(str(record["id"]), record["article"], record["summary"]))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a summary record ({error})") from None
    return examples


def score_translations(hypotheses: list[str], references: list[str]) -> dict[str, Any]:
    """Corpus BLEU and chrF (sacrebleu defaults, one reference), with the signatures that make them reproducible."""
    from sacrebleu.metrics import BLEU, CHRF

    bleu, chrf = BLEU(), CHRF()
    bleu_score = bleu.corpus_score(hypotheses, [references])
    chrf_score = chrf.corpus_score(hypotheses, [references])
    return {
        "bleu": round(bleu_score.score, 2),
        "chrf": round(chrf_score.score / 100, 4),  # 0..1, as the model card reports it
        "bleu_detail": str(bleu_score),
        "bleu_signature": str(bleu.get_signature()),
        "chrf_signature": str(chrf.get_signature()),
    }


def score_summaries(hypotheses: list[str], references: list[str]) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 (Porter-stemmed), in percent."""
    from rouge_score import rouge_scorer

    kinds = ("rouge1", "rouge2", "rougeL")
    scorer = rouge_scorer.RougeScorer(list(kinds), use_stemmer=True)
    totals = dict.fromkeys(kinds, 0.0)
    for hypothesis, reference in zip(hypotheses, references):
        scores = scorer.score(reference, hypothesis)
        for kind in kinds:
            totals[kind] += scores[kind].fmeasure
    count = max(len(hypotheses), 1)
    return {kind: round(100 * total / count, 2) for kind, total in totals.items()}


def check_counts(pairs: list[tuple[str, str]], hypotheses: list[str]) -> dict[str, int]:
    """How many translations each faithfulness check would flag (per sentence, not per item)."""
    from ..checks import degenerate_reason, is_copy, missing_names, missing_numbers

    counts: Counter[str] = Counter()
    for (source, _reference), hypothesis in zip(pairs, hypotheses):
        counts["numbers"] += bool(missing_numbers(source, hypothesis))
        counts["names"] += bool(missing_names(source, hypothesis))
        counts["degenerate"] += bool(degenerate_reason(source, hypothesis))
        counts["untranslated"] += is_copy(source, hypothesis)
    return {kind: counts[kind] for kind in ("numbers", "names", "degenerate", "untranslated")}


def _engine_label(component: Any, spec: Any, engine: str) -> str:
    device = getattr(getattr(component, "engine", None), "device", None)
    return f"{spec.label} ({engine}{', ' + str(device) if device else ''})"


def _timed(load: Callable[[], Any], work: Callable[[Any], list]) -> tuple[Any, list, float, float]:
    """Load a model component (timed apart), then run it: (component, outputs, load seconds, work seconds)."""
    started = time.perf_counter()
    component = load()
    loaded = time.perf_counter()
    outputs = work(component)
    return component, outputs, round(loaded - started, 2), time.perf_counter() - loaded


def evaluate(
    options: Any,
    *,
    pairs: list[tuple[str, str]] | None = None,
    summaries: list[SummaryExample] | None = None,
    translation: bool = True,
    summarization: bool = True,
    briefer: Any = None,
) -> dict[str, Any]:
    """Translate and summarize the reference data with the models of `options` (a BriefOptions); scores."""
    from ..pipeline.briefer import Briefer

    briefer = briefer or Briefer(options)
    result: dict[str, Any] = {"published": dict(PUBLISHED)}
    if translation:
        pairs = load_pairs() if pairs is None else pairs
        translator, hypotheses, load_seconds, seconds = _timed(
            lambda: briefer.translator, lambda translator: translator.translate([source for source, _ in pairs])
        )
        result["translation"] = {
            "model": _engine_label(translator, options.translation, options.engine),
            "pairs": len(pairs),
            **score_translations(hypotheses, [reference for _, reference in pairs]),
            "load_seconds": load_seconds,
            "seconds": round(seconds, 2),
            "sentences_per_second": round(len(pairs) / seconds, 1) if seconds > 0 else None,
            "flagged": check_counts(pairs, hypotheses),
            "retried": len(translator.flagged) if hasattr(translator, "flagged") else 0,
            "examples": [
                {"source": source, "reference": reference, "hypothesis": hypothesis}
                for (source, reference), hypothesis in list(zip(pairs, hypotheses))[:3]
            ],
        }
        result["note"] = NOTE.format(pairs=len(pairs))
    if summarization:
        from ..text.sentences import split_sentences

        summaries = load_summaries() if summaries is None else summaries
        summarizer, outputs, load_seconds, seconds = _timed(
            lambda: briefer.summarizer,
            lambda summarizer: [summarizer.summarize(split_sentences(example.article, "en")) for example in summaries],
        )
        result["summarization"] = {
            "model": _engine_label(summarizer, options.summarization, options.engine),
            "articles": len(summaries),
            **score_summaries(outputs, [example.summary for example in summaries]),
            "load_seconds": load_seconds,
            "seconds": round(seconds, 2),
            "examples": [
                {"id": example.id, "reference": example.summary, "summary": output}
                for example, output in list(zip(summaries, outputs))[:2]
            ],
        }
    return result


def format_table(result: dict[str, Any]) -> str:
    """The human-readable report: a metric table beside the published scores, then the details."""
    published = result["published"]
    lines = []
    rows: list[tuple[str, str, str]] = []
    translation = result.get("translation")
    summarization = result.get("summarization")
    heading = []
    if translation:
        heading.append(f"{translation['pairs']} nl->en news sentence pairs")
    if summarization:
        heading.append(f"{summarization['articles']} English articles with reference summaries")
    lines.append("brief-eval: " + ", ".join(heading))
    lines.append("")
    if translation:
        rows.append(("BLEU", f"{translation['bleu']:.1f}", f"{published['bleu']:.1f}"))
        rows.append(("chrF", f"{translation['chrf']:.3f}", f"{published['chrf']:.3f}"))
    if summarization:
        for kind, label in (("rouge1", "ROUGE-1"), ("rouge2", "ROUGE-2"), ("rougeL", "ROUGE-L")):
            rows.append((label, f"{summarization[kind]:.1f}", "-"))
    header = ("metric", "this run", f"{published['model']} ({published['test_set']}, published)")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines.append("  ".join(header[i].ljust(widths[i]) for i in range(3)).rstrip())
    lines.append("  ".join("-" * widths[i] for i in range(3)))
    for row in rows:
        lines.append("  ".join([row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].rjust(widths[2])]).rstrip())
    lines.append("")
    if translation:
        speed = translation["sentences_per_second"]
        lines.append(
            f"translation model:   {translation['model']}: {translation['pairs']} sentences in "
            f"{translation['seconds']:.1f} s" + (f" ({speed} sentences/s)" if speed else "")
        )
        flagged = ", ".join(f"{kind} {count}" for kind, count in translation["flagged"].items())
        lines.append(f"checks flagged:      {flagged} (sentences); retried as degenerate: {translation['retried']}")
        lines.append(f"BLEU signature:      {translation['bleu_signature']}")
        lines.append(f"chrF signature:      {translation['chrf_signature']}")
    if summarization:
        lines.append(
            f"summarization model: {summarization['model']}: {summarization['articles']} articles in "
            f"{summarization['seconds']:.1f} s; ROUGE F1 (stemmed), mean over articles"
        )
    if result.get("note"):
        lines.append("")
        lines.append("Note: " + result["note"])
    return "\n".join(lines) + "\n"


app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


@app.command(
    epilog="Models are configured as for `brief`: options, BRIEF_* environment variables, or the config file.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
def brief_eval(
    translation_model: Annotated[Optional[str], typer.Option(envvar="BRIEF_TRANSLATION_MODEL", help="nl->en model: hub id or local folder")] = None,
    translation_revision: Annotated[Optional[str], typer.Option(envvar="BRIEF_TRANSLATION_REVISION", help="Hub revision")] = None,
    summarization_model: Annotated[Optional[str], typer.Option(envvar="BRIEF_SUMMARIZATION_MODEL", help="English summarizer")] = None,
    summarization_revision: Annotated[Optional[str], typer.Option(envvar="BRIEF_SUMMARIZATION_REVISION", help="Hub revision")] = None,
    engine: Annotated[Optional[Engine], typer.Option(envvar="BRIEF_ENGINE", help="Inference engine [default: as for brief]")] = None,
    device: Annotated[Optional[Device], typer.Option(envvar="BRIEF_DEVICE", help="Where models run [default: auto]")] = None,
    config: Annotated[Optional[Path], typer.Option(envvar="BRIEF_CONFIG", help="TOML config, as for brief")] = None,
    pairs: Annotated[Path, typer.Option(help="TSV of nl<TAB>en reference pairs")] = PAIRS_FILE,
    summaries: Annotated[Path, typer.Option(help="JSONL of {id, article, summary}")] = SUMMARIES_FILE,
    limit: Annotated[Optional[int], typer.Option(help="Use only the first N pairs and articles")] = None,
    no_translation: Annotated[bool, typer.Option("--no-translation", help="Skip the translation scores")] = False,
    no_summarization: Annotated[bool, typer.Option("--no-summarization", help="Skip the summary scores")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON instead of a table")] = False,
) -> tuple[dict[str, Any], bool]:
    """Score the configured translation and summarization models on the bundled reference data."""
    try:
        options = eval_options(
            {
                "translation_model": translation_model,
                "translation_revision": translation_revision,
                "summarization_model": summarization_model,
                "summarization_revision": summarization_revision,
                "engine": engine.value if engine else None,
                "device": device.value if device else None,
            },
            config,
        )
        reference_pairs = load_pairs(pairs)[:limit] if not no_translation else None
        reference_summaries = load_summaries(summaries)[:limit] if not no_summarization else None
        result = evaluate(
            options,
            pairs=reference_pairs,
            summaries=reference_summaries,
            translation=not no_translation,
            summarization=not no_summarization,
        )
    except BriefError as error:
        print(f"brief-eval: error: {error}", file=sys.stderr)
        raise typer.Exit(error.exit_code) from None
    except (OSError, ValueError) as error:
        print(f"brief-eval: error: {error}", file=sys.stderr)
        raise typer.Exit(EXIT_CONFIG) from None
    return result, as_json


def eval_options(given: dict[str, Any], config: Path | None = None) -> Any:
    """BriefOptions as `brief` resolves them (`settings.resolve`: same defaults, engine included), with
    the translation memory off: remembered translations would score the memory, not the model."""
    from ..settings import resolve

    return resolve(given, config).brief_options(translation_memory=False)


def options_from(argv: list[str]) -> Any:
    """The BriefOptions `brief-eval` resolves for command-line `argv` (flags, environment, config file)."""
    params = typer.main.get_command(app).make_context("brief-eval", list(argv)).params
    keys = ("translation_model", "translation_revision", "summarization_model", "summarization_revision")
    given = {key: params[key] for key in keys}
    given.update(engine=params["engine"] and params["engine"].value, device=params["device"] and params["device"].value)
    return eval_options(given, params["config"])


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> int:
    """Entry point of `brief-eval`; returns the exit status (0, or 2 for usage, configuration or model errors)."""
    stdout = stdout or sys.stdout
    args = list(sys.argv[1:] if argv is None else argv)
    if "-vvv" not in args:
        warnings.filterwarnings("ignore")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        outcome = typer.main.get_command(app).main(args=args, prog_name="brief-eval", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    if isinstance(outcome, int):  # typer.Exit / --help
        return outcome
    result, as_json = outcome
    stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n" if as_json else format_table(result))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
