"""Workers: one process per configuration, so load time and peak memory are its own."""

from __future__ import annotations

import inspect
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import base
from base import BART_DIR, BEAMS, FIXTURES, MARIAN_DIR, SAMPLE, SUMMARY_TOKENS, peak_rss_mb
from inputs import (
    FixedLength,
    _fillers_and_ends,
    back_translation_sentences,
    fixed_new_tokens,
    sample_sentences,
    summary_input,
)

# ---------------------------------------------------------------------------------------------------
# Workers: one process per configuration, so load time and peak memory are its own


def _hf_generate(torch, model, tokenizer, texts: list[str], new_tokens: int):
    encoded = tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=tokenizer.model_max_length)
    encoded = encoded.to(base.DEVICE)
    config = model.generation_config.to_dict()
    config.update(num_beams=BEAMS, min_length=0, min_new_tokens=new_tokens - 1, max_new_tokens=new_tokens)
    config.pop("max_length", None)
    base.DECODED[0] += len(texts) * new_tokens
    with torch.inference_mode():
        output = model.generate(**encoded, generation_config=type(model.generation_config).from_dict(config))
    if base.DEVICE.startswith("cuda"):
        torch.cuda.synchronize()
    return output


def worker(config: str, repeats: int, limit: int | None) -> dict:
    """Load the models the way `config` does, then time translation, summary and back-translation."""
    sentences = sample_sentences(limit)
    started = time.perf_counter()
    if config in ("naive", "hf-batched"):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        def load(folder):
            return (
                AutoModelForSeq2SeqLM.from_pretrained(folder, local_files_only=True).to(base.DEVICE).eval(),
                AutoTokenizer.from_pretrained(folder, local_files_only=True),
            )

        (marian, marian_tok), (bart, bart_tok), (back, back_tok) = load(MARIAN_DIR), load(BART_DIR), load(MARIAN_DIR)
        load_s = time.perf_counter() - started
        count = lambda texts: [len(ids) for ids in marian_tok(texts)["input_ids"]]  # noqa: E731
        back_sentences = back_translation_sentences(sentences, count)

        def translate(model, tok, items):
            if config == "naive":
                for sentence in items:
                    _hf_generate(torch, model, tok, [sentence], fixed_new_tokens(count([sentence])[0]))
            else:  # one batch, length-sorted, run to the target length of its longest sentence
                ordered = sorted(items, key=lambda sentence: count([sentence])[0])
                _hf_generate(torch, model, tok, ordered, fixed_new_tokens(max(count(items))))

        bart_count = lambda texts: [len(ids) for ids in bart_tok(texts)["input_ids"]]  # noqa: E731
        summary_sentences = summary_input(sentences, bart_count, min(1024, bart_tok.model_max_length) - 2)

        def summarize():
            _hf_generate(torch, bart, bart_tok, [" ".join(summary_sentences)], SUMMARY_TOKENS)

        def back_translate():
            translate(back, back_tok, back_sentences)

        def warm_up():  # the timed shapes, two tokens long: first-use costs (kernel loading, JIT) go here
            _hf_generate(torch, marian, marian_tok, sentences, 2)
            _hf_generate(torch, bart, bart_tok, [" ".join(summary_sentences)], 2)

        stages = {"translate": lambda: translate(marian, marian_tok, sentences), "summarize": summarize,
                  "back_translate": back_translate}
        engine_info = {"threads": torch.get_num_threads()}
    else:
        from translate_summarize.pipeline.summarize import Summarizer
        from translate_summarize.pipeline.translate import Translator

        if config == "torch-engine":
            from translate_summarize.engines.torch_engine import TorchEngine

            make = lambda folder, workers=None: TorchEngine(folder, device=base.DEVICE)  # noqa: E731
        else:
            from translate_summarize.engines.ct2_engine import CTranslate2Engine

            make = lambda folder, workers=None: CTranslate2Engine(folder, None, device=base.DEVICE, workers=workers)  # noqa: E731
        translation_engine, back_engine = make(MARIAN_DIR), make(MARIAN_DIR)
        summary_engine = make(BART_DIR, workers=1)  # as the Briefer does: one long input, all cores on it
        load_s = time.perf_counter() - started
        rows_finish = config == "ctranslate2"  # "ctranslate2-longest": every batch to its longest sentence
        translator = Translator(FixedLength(translation_engine, rows_finish=rows_finish))
        summarizer = Summarizer(FixedLength(summary_engine, fixed=SUMMARY_TOKENS))
        back_translator = Translator(FixedLength(back_engine, rows_finish=rows_finish))
        back_sentences = back_translation_sentences(sentences, translation_engine.count_tokens)
        summary_sentences = summary_input(sentences, summary_engine.count_tokens, summarizer.chunk_limit)
        assert len(summarizer.chunks(summary_sentences)) == 1

        def warm_up():  # the timed shapes, two tokens long: first-use costs (kernel loading, JIT) go here
            translation_engine.generate(sentences, max_new_tokens=2)
            summary_engine.generate([" ".join(summary_sentences)], max_new_tokens=2)
            for wrapper in (translator.engine, back_translator.engine):
                if wrapper.rows_finish:
                    wrapper._rows = _fillers_and_ends(wrapper.engine)

        stages = {
            "translate": lambda: translator.translate(sentences),
            "summarize": lambda: summarizer.summarize(summary_sentences),
            "back_translate": lambda: back_translator.translate(back_sentences),
        }
        engine_info = {"converted_now": [getattr(e, "converted", None) for e in (translation_engine, summary_engine, back_engine)],
                       "compute_type": getattr(translation_engine, "compute_type", "float32")}

    warm_up()
    times: dict[str, list[float]] = {name: [] for name in stages}
    times["brief"] = []
    decoded: dict[str, int] = {}
    for _ in range(repeats):
        total = 0.0
        for name, stage in stages.items():
            base.DECODED[0] = 0
            began = time.perf_counter()
            stage()
            elapsed = time.perf_counter() - began
            decoded[name] = base.DECODED[0]
            times[name].append(elapsed)
            total += elapsed
        times["brief"].append(total)
    return {
        "config": config,
        "load_s": load_s,
        "median": {name: statistics.median(values) for name, values in times.items()},
        "all": times,
        "peak_rss_mb": peak_rss_mb(),
        "sentences": len(sentences),
        "back_sentences": len(back_sentences),
        "summary_sentences": len(summary_sentences),
        "decoded_tokens": decoded,
        **engine_info,
    }


class TreeRss:
    """Samples the RSS of this process and all its descendants together (from /proc, every `interval`
    seconds) in a thread; `peak_mb` is the largest sum seen, in MB (2**20 bytes)."""

    def __init__(self, interval: float = 0.005):
        import threading

        self.interval, self.peak_mb, self._stop = interval, 0.0, threading.Event()
        self._page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def tree_mb(self) -> float:
        total, todo = 0.0, [os.getpid()]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/statm") as statm:
                    total += int(statm.read().split()[1]) * self._page_mb
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as children:
                        todo.extend(int(child) for child in children.read().split())
            except (OSError, ValueError):  # the process ended meanwhile
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.tree_mb())
            self._stop.wait(self.interval)


def convert_worker() -> dict:
    """A first run of the ctranslate2 engine: conversion and load of all three models, the cache emptied
    first. Its peak is that of the whole first run: the process and any child it starts, sampled
    together, and never below either's own peak (getrusage)."""
    import resource

    from translate_summarize.common.files import cache_dir
    from translate_summarize.engines import ct2_convert
    from translate_summarize.engines.ct2_convert import ct2_cache_dir
    from translate_summarize.engines.ct2_engine import CTranslate2Engine

    shutil.rmtree(ct2_cache_dir(), ignore_errors=True)
    (cache_dir() / "file-hashes.json").unlink(missing_ok=True)  # a first run also hashes the local weights
    convert_s: list[float] = []
    converted_model = ct2_convert.converted_model

    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return converted_model(*args, **kwargs)
        finally:
            convert_s.append(time.perf_counter() - began)

    ct2_convert.converted_model = timed  # the time of each model's conversion (or cache look-up)
    steps = []
    with TreeRss() as tree:
        started = time.perf_counter()
        engines = []
        for folder in (MARIAN_DIR, BART_DIR, MARIAN_DIR):
            began = time.perf_counter()
            engines.append(CTranslate2Engine(folder, None, device=base.DEVICE))
            steps.append({"model": folder.name, "converted": engines[-1].converted, "seconds": time.perf_counter() - began,
                          "convert_s": convert_s[-1], "rss_after_mb": tree.tree_mb(), "tree_peak_mb": tree.peak_mb})
        load_s = time.perf_counter() - started
    ct2_convert.converted_model = converted_model
    own, children = (resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {
        "config": "convert",
        "load_s": load_s,
        "convert_s": sum(step["convert_s"] for step in steps if step["converted"]),
        "converted_now": [engine.converted for engine in engines],
        "peak_rss_mb": max(tree.peak_mb, own, children),
        "peak_rss_parts_mb": {"sampled_tree": tree.peak_mb, "process": own, "largest_child": children},
        "steps": steps,
        "sizes_mb": {p.name: sum(f.stat().st_size for f in p.iterdir()) / 2**20 for p in ct2_cache_dir().iterdir() if p.is_dir()},
    }


def edited_copies(folder: Path, count: int) -> list[str]:
    """`count` copies of the sample, each with a number and a name changed, so every article is new."""
    text = SAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    inputs = []
    for index in range(count):
        edited = text.replace("krap drie minuten", f"krap {index + 2} minuten").replace("een paar dagen", f"{index % 9 + 2} dagen")
        path = folder / f"article-{index:03d}.txt"
        path.write_text(edited, encoding="utf-8")
        inputs.append(str(path))
    return inputs


def articles_worker(count: int, memory: bool) -> dict:
    """`count` edited copies of the sample briefed in one run with the fixture models, loaded once."""
    from translate_summarize.pipeline.briefer import Briefer
    from translate_summarize.pipeline.memory import default_memory_path
    from translate_summarize.run.options import RunSettings
    from translate_summarize.run.runner import Run
    from translate_summarize.settings import resolve

    for leftover in default_memory_path().parent.glob(default_memory_path().name + "*"):
        leftover.unlink()  # the bench's own cache: start from an empty translation memory

    work = Path(tempfile.mkdtemp(prefix="brief-bench-articles-"))
    try:
        inputs = edited_copies(work / "in", count)
        marian, bart = str(FIXTURES / "tiny-marian-copy"), str(FIXTURES / "tiny-bart-lead")
        # Resolved as `brief` resolves its settings (same defaults, engine included).
        options = resolve(
            {
                "translation_model": marian,
                "summarization_model": bart,
                "back_translation_model": marian,
                "device": "cpu",
                "translation_memory": memory,
            }
        ).brief_options()
        engine = options.engine
        briefer = Briefer(options)
        loads = []
        original = briefer._engine

        def counting_engine(spec, **settings):
            loads.append(spec.role)
            return original(spec, **settings)

        briefer._engine = counting_engine
        began = time.perf_counter()
        _ = briefer.translator, briefer.summarizer, briefer.back_translator  # load all three now
        load_s = time.perf_counter() - began
        memory = getattr(briefer.translator, "memory", None)
        stamps: list[float] = []
        settings = RunSettings(out_dir=work / "out", format="markdown", brief=options)
        began = time.perf_counter()
        stamp = lambda *_: stamps.append(time.perf_counter() - began)  # noqa: E731
        parameters = inspect.signature(Run).parameters
        if "progress" in parameters:  # after each input: read, briefed, written
            from translate_summarize.run.terminal import NoProgress

            class Stamps(NoProgress):
                def done(self, item: str, status: str) -> None:
                    stamp()

            run = Run(settings, briefer, progress=Stamps())
        elif "on_progress" in parameters:
            run = Run(settings, briefer, on_progress=stamp)
        else:
            run, brief = Run(settings, briefer), briefer.brief
            briefer.brief = lambda article: (brief(article), stamp())[0]
        with open(os.devnull, "wb") as sink:
            began = time.perf_counter()
            report = run.execute(inputs, sink)
        return {
            "config": "articles",
            "engine": engine,
            "load_s": load_s,
            "model_loads": loads,
            "made": report.made,
            "failed": len(getattr(report, "failures", None) or getattr(report, "failed", [])),
            "stamps": stamps,
            "memory": memory is not None,
            "peak_rss_mb": peak_rss_mb(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _has_ctranslate2() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def rerun_check() -> dict:
    """`brief` twice on the same article and out-dir: the second run must reuse the brief, load no model."""
    brief = shutil.which("brief", path=str(Path(sys.executable).parent)) or shutil.which("brief")
    command = [brief] if brief else [sys.executable, "-m", "translate_summarize.cli"]
    work = Path(tempfile.mkdtemp(prefix="brief-bench-rerun-"))
    marian, bart = str(FIXTURES / "tiny-marian-copy"), str(FIXTURES / "tiny-bart-lead")
    args = [*command, str(SAMPLE), "-v", "--translation-model", marian, "--summarization-model", bart,
            "--back-translation-model", marian, "--out-dir", str(work / "out")]
    env = dict(os.environ, BRIEF_CACHE_DIR=str(work / "cache"))
    runs = []
    try:
        for _ in range(2):
            began = time.perf_counter()
            done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=900)
            runs.append({"seconds": time.perf_counter() - began, "rc": done.returncode, "stderr": done.stderr})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    second = runs[1]
    loaded = [line for line in second["stderr"].splitlines() if "loaded" in line and "model" in line]
    return {
        "first_s": runs[0]["seconds"],
        "second_s": second["seconds"],
        "rc": [run["rc"] for run in runs],
        "second_loaded_models": len(loaded),
        "second_unchanged": "1 unchanged" in second["stderr"],
        "stderr_tail": [run["stderr"][-600:] for run in runs if run["rc"] != 0],
    }
