#!/usr/bin/env python
"""Benchmark: naive Hugging Face inference vs this project's torch and CTranslate2 paths.

The real hub weights are not available offline, so the models are built locally with the REAL shapes
(opus-mt-nl-en, distilbart-cnn-12-6) and random weights, into bench/models/ (git-ignored). Random weights
make output lengths meaningless, so every path is forced to the same lengths: a translation is
ceil(1.2 x its source length) tokens (the longest source of a batch decides the batch), a summary is
100 tokens, beam 4 everywhere. See bench/README.md for what each row measures.

    python bench/run.py                 # everything, 3 repeats (takes several minutes on 2 cores)
    python bench/run.py --quick         # 1 repeat
    python bench/run.py --sentences 10  # fewer sentences of the sample article

The last line is always `speedup: whole brief <X>x, translation <Y>x vs naive`.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODELS = REPO / "bench" / "models"
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE = REPO / "seeds" / "000_5456f33a95982729.txt"
EVAL_PAIRS = REPO / "translate_summarize" / "eval" / "data" / "nl_en_news.tsv"
MARIAN_DIR = MODELS / "opus-mt-nl-en-shapes"
BART_DIR = MODELS / "distilbart-cnn-12-6-shapes"

MARIAN_VOCAB = 67_028
BART_VOCAB = 50_264
LENGTH_RATIO = 1.2
SUMMARY_TOKENS = 100
BEAMS = 4
BACK_TRANSLATION_SOURCE_TOKENS = 100  # what a 100-token English summary is, roughly, to the en->nl model
BENCH_MODELS_LAYOUT = 2  # bump when the model building below changes

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ---------------------------------------------------------------------------------------------------
# Building the models (real shapes, random weights)


def _filler(prefix: str, index: int, taken: dict) -> str:
    token = f"{prefix}zq{index}"
    while token in taken:
        token += "q"
    return token


# The real tokenizers cut the sample into ~470 Dutch tokens (opus-mt-nl-en) and its English into ~560
# (distilbart); these counts decide sequence lengths, so the bench tokenizers are trained on the project's
# own texts with the vocabulary size that reproduces them (within CALIBRATION_TOLERANCE), then padded
# to the real vocabulary sizes with rows no input ever produces.
MARIAN_SAMPLE_TOKENS = 470
BART_SAMPLE_TOKENS = 560
CALIBRATION_TOLERANCE = 0.03
SAMPLE_WEIGHT = 3  # the sample's own lines, repeated in the training text, so its words become tokens


def _build_fixtures():
    """scripts/build_fixtures.py, whose corpus and tokenizer builders the bench reuses."""
    if str(REPO / "scripts") not in sys.path:
        sys.path.insert(0, str(REPO / "scripts"))
    import build_fixtures

    return build_fixtures


def _training_corpus() -> dict:
    """scripts/build_fixtures.py's corpus plus the evaluation pairs and the sample itself."""
    build_fixtures = _build_fixtures()

    corpus = build_fixtures.build_corpus()
    pairs = [line.rstrip("\n").split("\t") for line in EVAL_PAIRS.read_text(encoding="utf-8").splitlines()[1:]]
    return dict(
        corpus,
        nl_train=corpus["nl_train"] + [pair[0] for pair in pairs],
        en_train=corpus["en_train"] + [pair[1] for pair in pairs],
        seed_lines=corpus["seed_lines"] * SAMPLE_WEIGHT,
    )


def calibrated_tokenizer(build, folder: Path, wanted: int, low: int = 1000, high: int = 16000):
    """Bisect the vocabulary size until the sample's sentences come to `wanted` tokens (more vocab, fewer)."""
    corpus = _training_corpus()
    sentences = sample_sentences(None)
    best = None
    for _ in range(12):
        size = (low + high) // 2
        shutil.rmtree(folder, ignore_errors=True)
        tokenizer = build(corpus, folder, size)
        count = sum(len(ids) for ids in tokenizer(sentences)["input_ids"])
        if best is None or abs(count - wanted) < abs(best[1] - wanted):
            best = (size, count)
        if abs(count - wanted) <= CALIBRATION_TOLERANCE * wanted:
            return tokenizer
        low, high = (size, high) if count > wanted else (low, size)
    size, count = best
    raise SystemExit(f"bench: no vocabulary size gives ~{wanted} tokens for the sample (best {size}: {count})")


def build_marian(folder: Path) -> None:
    """opus-mt-nl-en shapes; a calibrated sentencepiece model, its vocabulary padded to 67,028 entries."""
    from transformers import AutoTokenizer, GenerationConfig, MarianConfig, MarianMTModel

    build_fixtures = _build_fixtures()

    def build(corpus, out, size):
        return build_fixtures.build_marian_tokenizer(corpus, out, vocab_size=size, model_type="bpe", max_length=512)

    calibrated_tokenizer(build, folder, MARIAN_SAMPLE_TOKENS)
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    old_pad = vocab.pop("<pad>")
    pad = MARIAN_VOCAB - 1
    used = sorted(vocab.values())
    assert used == list(range(len(used))), "bench vocabulary ids are not contiguous"
    for index in range(len(used), pad):  # never produced by the sentencepiece model; they only fill rows
        vocab[_filler("▁", index, vocab)] = index
    vocab["<pad>"] = pad
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer_config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    added = tokenizer_config.get("added_tokens_decoder", {})
    if str(old_pad) in added:
        added[str(pad)] = added.pop(str(old_pad))
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2), encoding="utf-8")

    config = MarianConfig(
        vocab_size=MARIAN_VOCAB,
        decoder_vocab_size=MARIAN_VOCAB,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        bos_token_id=None,
    )
    model = MarianMTModel(config).eval()
    # opus-mt-nl-en's own generation_config.json, with the pad id of this vocabulary.
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]],
        bos_token_id=0,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=4,
        pad_token_id=pad,
        renormalize_logits=True,
    )
    model.save_pretrained(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    ids = tokenizer(SAMPLE.read_text(encoding="utf-8")[:2000])["input_ids"]
    assert max(ids) < MARIAN_VOCAB and tokenizer.pad_token_id == pad, "bench Marian tokenizer is inconsistent"


def build_bart(folder: Path) -> None:
    """distilbart-cnn-12-6 shapes; a calibrated byte-level BPE, its vocabulary padded to 50,264 entries."""
    from transformers import AutoTokenizer, BartConfig, BartForConditionalGeneration, GenerationConfig

    build_fixtures = _build_fixtures()

    def build(corpus, out, size):
        return build_fixtures.build_bart_tokenizer(corpus, out, vocab_size=size, max_length=1024)

    calibrated_tokenizer(build, folder, BART_SAMPLE_TOKENS)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    written = [path.name for path in folder.iterdir()]
    if "tokenizer.json" in written:
        data = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
        vocab = data["model"]["vocab"]
        for index in range(len(vocab), BART_VOCAB):
            vocab[_filler("Ġ", index, vocab)] = index
        (folder / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if "vocab.json" in written:
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        for index in range(len(vocab), BART_VOCAB):
            vocab[_filler("Ġ", index, vocab)] = index
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    bos, pad, eos = tokenizer.bos_token_id, tokenizer.pad_token_id, tokenizer.eos_token_id

    config = BartConfig(
        vocab_size=BART_VOCAB,
        d_model=1024,
        encoder_layers=12,
        decoder_layers=6,
        encoder_attention_heads=16,
        decoder_attention_heads=16,
        encoder_ffn_dim=4096,
        decoder_ffn_dim=4096,
        max_position_embeddings=1024,
        activation_function="gelu",
        scale_embedding=False,
        pad_token_id=pad,
        bos_token_id=bos,
        eos_token_id=eos,
        decoder_start_token_id=eos,
        forced_bos_token_id=bos,
        forced_eos_token_id=eos,
    )
    model = BartForConditionalGeneration(config).eval()
    # distilbart-cnn-12-6's own generation settings.
    model.generation_config = GenerationConfig(
        bos_token_id=bos,
        eos_token_id=eos,
        pad_token_id=pad,
        decoder_start_token_id=eos,
        forced_bos_token_id=bos,
        forced_eos_token_id=eos,
        early_stopping=True,
        length_penalty=2.0,
        max_length=142,
        min_length=56,
        no_repeat_ngram_size=3,
        num_beams=4,
    )
    model.save_pretrained(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    ids = tokenizer(SAMPLE.read_text(encoding="utf-8"))["input_ids"]
    assert max(ids) < BART_VOCAB, "bench BART tokenizer is inconsistent"


_BUILT_FROM = "bench-built-from.json"


def _inputs_stamp() -> dict[str, str]:
    """Hashes of what the bench models are built from: any change means a rebuild."""
    import hashlib

    sources = [REPO / "scripts" / "build_fixtures.py", EVAL_PAIRS, SAMPLE]
    stamp = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sources}
    return {**stamp, "layout": str(BENCH_MODELS_LAYOUT)}


def ensure_models() -> float:
    """Build the bench models unless they are there (and current); returns the seconds spent."""
    started = time.perf_counter()
    stamp = _inputs_stamp()
    for folder, build in ((MARIAN_DIR, build_marian), (BART_DIR, build_bart)):
        try:
            current = json.loads((folder / _BUILT_FROM).read_text(encoding="utf-8")) == stamp
        except (OSError, ValueError):
            current = False
        if current and (folder / "model.safetensors").is_file():
            continue
        staging = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        build(staging)
        (staging / _BUILT_FROM).write_text(json.dumps(stamp), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------------
# Inputs


def sample_sentences(limit: int | None) -> list[str]:
    from translate_summarize.article import parse_article
    from translate_summarize.sentences import split_sentences

    article = parse_article(SAMPLE.read_text(encoding="utf-8"), SAMPLE)
    sentences = [s for block in article.blocks for s in split_sentences(block.text, article.language)]
    return sentences[:limit] if limit else sentences


def back_translation_sentences(sentences: list[str], count_tokens) -> list[str]:
    """Stand-in for the English summary: leading sentences worth ~100 tokens (random models write no text)."""
    chosen, total = [], 0
    for sentence, length in zip(sentences, count_tokens(sentences)):
        if total >= BACK_TRANSLATION_SOURCE_TOKENS:
            break
        chosen.append(sentence)
        total += length
    return chosen


def fixed_new_tokens(source_tokens: int) -> int:
    return max(2, math.ceil(LENGTH_RATIO * source_tokens))


# Decoded tokens (sequences x steps, beams aside) of the current stage: the work each path really did.
DECODED = [0]
# Where the models run: "cpu" (the issue's 2-core box) or "cuda" (python bench/run.py --device cuda).
DEVICE = "cpu"


def summary_input(sentences: list[str], count_tokens, limit: int) -> list[str]:
    """Leading sentences that fit the summarizer in one chunk (all of the sample): every path summarizes the same text."""
    chosen, total = [], 0
    for sentence, length in zip(sentences, count_tokens(sentences)):
        if total + length > limit:
            break
        chosen.append(sentence)
        total += length
    return chosen


class FixedLength:
    """Wraps an engine so every generate() produces exactly the benchmark's output length.

    The Translator and Summarizer still do their own batching and chunking; only the lengths are pinned
    (min_new_tokens = n - 1 bans EOS until the last step, max_new_tokens = n ends there). Random weights
    write no text, so the input stands in for the output text: the Translator's retry of degenerate
    output (meant for real models) must not fire on noise and add work the naive rows do not do.
    """

    def __init__(self, engine, fixed: int | None = None, rows_finish: bool = False):
        self.engine = engine
        self.fixed = fixed
        self.rows_finish = rows_finish
        self._rows = None

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def count_tokens(self, texts):
        return self.engine.count_tokens(texts)

    def _run(self, texts, n):
        DECODED[0] += len(texts) * n
        results = self.engine.generate(texts, min_length=0, min_new_tokens=n - 1, max_new_tokens=n)
        return [replace(result, text=text) for result, text in zip(results, texts)]

    def generate(self, texts, **overrides):
        if self.fixed:
            return self._run(texts, self.fixed)
        targets = [fixed_new_tokens(length) for length in self.engine.count_tokens(texts)]
        if self.rows_finish:
            return self._run_rows(texts, targets)
        return self._run(texts, max(targets))

    def _run_rows(self, texts, targets):
        """CTranslate2 only: one batch in which each sentence ends at its own target length.

        A real CTranslate2 batch drops a sentence once it has ended. To get that with random weights, each
        row is forced through a target prefix of filler tokens as long as its target, and every token but
        the fillers is an end token, so the first free step ends the row and it leaves the batch. Forced
        steps cost what free ones do (a batch forced to one length this way takes the time of one run to
        that length); the long end-token list costs a little more per step, against CTranslate2. (A
        prefix that ends in </s> does not work: rows are kept in the batch until their prefix is done.)
        The engine's own mapping of max_new_tokens=n is n - 1 decoding steps; so is each row's here.
        """
        from translate_summarize.engine import Generated

        engine = self.engine
        options = engine.decoding_options(min_length=0, max_new_tokens=max(targets))
        forced = options.pop("_prefix")
        options["min_decoding_length"] = 0
        if self._rows is None:  # once per engine, outside the timed work of later calls
            self._rows = _fillers_and_ends(engine)
        fillers, ends = self._rows
        # Forced in the prefix, never chosen freely (tied embeddings make a random model repeat its input).
        options["suppress_sequences"] = (options.get("suppress_sequences") or []) + [[token] for token in fillers]
        prefixes = [forced + [fillers[i % len(fillers)] for i in range(n - 2 - len(forced))] for n in targets]
        sources = engine.source_tokens(texts)
        DECODED[0] += sum(targets)
        results = engine.run_batch(sources, prefixes, end_token=ends, **options)
        steps = [len(result.hypotheses[0]) for result in results]
        assert all(len(p) <= n <= len(p) + 1 for n, p in zip(steps, prefixes)), "a row did not end at its target"
        return [Generated(text, len(source), n) for text, source, n in zip(texts, sources, targets)]


def _fillers_and_ends(engine, count: int = 200) -> tuple[list[str], list[int]]:
    """Ordinary tokens for the forced prefixes, and the ids of all the other tokens, which end a row."""
    for name in ("shared_vocabulary.json", "target_vocabulary.json"):
        if (engine.model_dir / name).is_file():
            vocabulary = json.loads((engine.model_dir / name).read_text(encoding="utf-8"))
            break
    special = set(engine.tokenizer.all_special_tokens)
    fillers = [token for token in vocabulary if token not in special][:count]
    chosen = set(fillers)
    return fillers, [index for index, token in enumerate(vocabulary) if token not in chosen]


# ---------------------------------------------------------------------------------------------------
# Workers: one process per configuration, so load time and peak memory are its own


def _hf_generate(torch, model, tokenizer, texts: list[str], new_tokens: int):
    encoded = tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=tokenizer.model_max_length)
    encoded = encoded.to(DEVICE)
    config = model.generation_config.to_dict()
    config.update(num_beams=BEAMS, min_length=0, min_new_tokens=new_tokens - 1, max_new_tokens=new_tokens)
    config.pop("max_length", None)
    DECODED[0] += len(texts) * new_tokens
    with torch.inference_mode():
        output = model.generate(**encoded, generation_config=type(model.generation_config).from_dict(config))
    if DEVICE.startswith("cuda"):
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
                AutoModelForSeq2SeqLM.from_pretrained(folder, local_files_only=True).to(DEVICE).eval(),
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
        from translate_summarize.summarize import Summarizer
        from translate_summarize.translate import Translator

        if config == "torch-engine":
            from translate_summarize.engine import TorchEngine

            make = lambda folder, workers=None: TorchEngine(folder, device=DEVICE)  # noqa: E731
        else:
            from translate_summarize.ct2_engine import CTranslate2Engine

            make = lambda folder, workers=None: CTranslate2Engine(folder, None, device=DEVICE, workers=workers)  # noqa: E731
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
            DECODED[0] = 0
            began = time.perf_counter()
            stage()
            elapsed = time.perf_counter() - began
            decoded[name] = DECODED[0]
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


def convert_worker() -> dict:
    """First use of the ctranslate2 engine: conversion of all three models (the cache is emptied first)."""
    from translate_summarize.ct2_convert import ct2_cache_dir
    from translate_summarize.ct2_engine import CTranslate2Engine
    from translate_summarize.memory import cache_dir

    shutil.rmtree(ct2_cache_dir(), ignore_errors=True)
    (cache_dir() / "file-hashes.json").unlink(missing_ok=True)  # a first run also hashes the local weights
    started = time.perf_counter()
    engines = [CTranslate2Engine(folder, None, device=DEVICE) for folder in (MARIAN_DIR, BART_DIR, MARIAN_DIR)]
    return {
        "config": "convert",
        "load_s": time.perf_counter() - started,
        "converted_now": [engine.converted for engine in engines],
        "peak_rss_mb": peak_rss_mb(),
        "sizes_mb": {p.name: sum(f.stat().st_size for f in p.iterdir()) / 2**20 for p in ct2_cache_dir().iterdir() if p.is_dir()},
    }


def articles_worker(count: int, memory: bool) -> dict:
    """`count` edited copies of the sample briefed in one run with the fixture models, loaded once."""
    import dataclasses

    from translate_summarize.memory import default_memory_path
    from translate_summarize.models import ModelSpec
    from translate_summarize.pipeline import Briefer, BriefOptions
    from translate_summarize.runner import Run, RunSettings

    for leftover in default_memory_path().parent.glob(default_memory_path().name + "*"):
        leftover.unlink()  # the bench's own cache: start from an empty translation memory

    text = SAMPLE.read_text(encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix="brief-bench-articles-"))
    try:
        inputs = []
        for index in range(count):  # small edits: a number and a name change, so every article is new
            edited = text.replace("krap drie minuten", f"krap {index + 2} minuten").replace(
                "een paar dagen", f"{index % 9 + 2} dagen"
            )
            path = work / "in" / f"article-{index:03d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edited, encoding="utf-8")
            inputs.append(str(path))
        marian, bart = str(FIXTURES / "tiny-marian-copy"), str(FIXTURES / "tiny-bart-lead")
        from translate_summarize.registry import default_engine

        engine = default_engine()  # what `brief` runs
        options = BriefOptions(
            translation=ModelSpec("translation", marian, None, "--translation-model"),
            summarization=ModelSpec("summarization", bart, None, "--summarization-model"),
            back_translation=ModelSpec("back-translation", marian, None, "--back-translation-model"),
            device="cpu",
            engine=engine,
        )
        if "translation_memory" in {f.name for f in dataclasses.fields(BriefOptions)}:
            options = dataclasses.replace(options, translation_memory=memory)
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
        if "on_progress" in inspect.signature(Run).parameters:  # after each input: read, briefed, written
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
            "failed": len(report.failed),
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


# ---------------------------------------------------------------------------------------------------
# Driver


def run_worker(args: list[str], timeout: float = 3600) -> dict:
    env = dict(os.environ, BRIEF_CACHE_DIR=str(MODELS / "cache"))
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"worker {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fmt(seconds: float) -> str:
    return f"{seconds:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repeat per configuration (default 3)")
    parser.add_argument("--sentences", type=int, default=None, help="use only the first N sentences of the sample")
    parser.add_argument("--articles", type=int, default=100, help="articles in the many-articles run (0 skips it)")
    parser.add_argument("--skip-rerun", action="store_true", help="skip the idempotent re-run check")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda: where every path runs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    global DEVICE
    DEVICE = args.device

    if args.worker:
        if args.worker == "convert":
            result = convert_worker()
        elif args.worker in ("articles", "articles-no-memory"):
            result = articles_worker(args.articles, memory=args.worker == "articles")
        elif args.worker == "build":
            result = {"build_s": ensure_models()}
        else:
            result = worker(args.worker, args.repeats or 1, args.sentences)
        print(json.dumps(result))
        return

    repeats = args.repeats or (1 if args.quick else 3)
    common = ["--repeats", str(repeats), "--device", args.device] + (["--sentences", str(args.sentences)] if args.sentences else [])
    print(f"# brief benchmark ({'quick, ' if args.quick else ''}{repeats} repeat(s), median)\n")
    print(f"cpu cores usable: {len(os.sched_getaffinity(0))}; load average at start: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    build = run_worker(["--worker", "build"])
    print(f"bench models ready in {build['build_s']:.1f}s ({MARIAN_DIR.name}, {BART_DIR.name}; random weights)\n")

    try:
        convert = run_worker(["--worker", "convert", "--device", args.device])
        ct2_error = None
    except RuntimeError as error:  # e.g. CTranslate2's CUDA 12 libraries missing on a GPU machine
        convert, ct2_error = None, str(error).strip().splitlines()[-1]
    results = {name: run_worker(["--worker", name, *common]) for name in ("naive", "hf-batched", "torch-engine")}
    if convert:
        try:
            for name in ("ctranslate2", "ctranslate2-longest"):
                results[name] = run_worker(["--worker", name, *common])
        except RuntimeError as error:
            ct2_error = str(error).strip().splitlines()[-1]
    naive = results["naive"]["median"]
    first = results["naive"]
    print(f"sample: {SAMPLE.name}, {first['sentences']} sentences translated; summary of {first['summary_sentences']} "
          f"sentences (one chunk), {SUMMARY_TOKENS} tokens; back-translation of {first['back_sentences']} sentences "
          f"(~{BACK_TRANSLATION_SOURCE_TOKENS} tokens); beam {BEAMS}; output length {LENGTH_RATIO} x source\n")
    half = args.device != "cpu"
    quantization = "float16" if half else "int8"
    labels = {
        "naive": "naive HF (1 sentence at a time, fp32)",
        "hf-batched": "HF batched (one length-sorted batch, fp32)",
        "torch-engine": f"this project, torch engine ({'fp16' if half else 'fp32'})",
        "ctranslate2": f"this project, ctranslate2 engine ({quantization})",
        "ctranslate2-longest": f"the same, every batch run to its longest sentence ({quantization})",
    }
    print("| path | load s | translate s | summary s | back-translate s | whole brief s | peak RSS MB | translate x | summary x | brief x |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        m = result["median"]
        print(
            f"| {labels[name]} | {fmt(result['load_s'])} | {fmt(m['translate'])} | {fmt(m['summarize'])} | "
            f"{fmt(m['back_translate'])} | {fmt(m['brief'])} | {result['peak_rss_mb']:.0f} | "
            f"{naive['translate'] / m['translate']:.1f} | {naive['summarize'] / m['summarize']:.1f} | "
            f"{naive['brief'] / m['brief']:.1f} |"
        )
    if ct2_error:
        print(f"\nctranslate2 engine: unavailable on {args.device}: {ct2_error}")
    ct2 = results.get("ctranslate2")
    ours = ct2 or results["torch-engine"]
    print("\ndecoded tokens per stage (sequences x steps, beams aside; the work each row did):")
    for name, result in results.items():
        work = ", ".join(f"{stage} {count}" for stage, count in result["decoded_tokens"].items())
        print(f"- {labels[name]}: {work}")
    print()
    print("| cold start | seconds |")
    print("|---|---:|")
    if ct2:
        print(f"| ctranslate2: first run, convert all 3 models ({quantization}) + load | {convert['load_s']:.1f} |")
        print(f"| ctranslate2: later runs, cached conversion, load 3 models | {ct2['load_s']:.1f} |")
    print(f"| torch engine: load 3 models | {results['torch-engine']['load_s']:.1f} |")
    print(f"| naive HF: load 3 models | {results['naive']['load_s']:.1f} |")
    if ct2:
        sizes = ", ".join(f"{name} {size:.0f} MB" for name, size in sorted(convert["sizes_mb"].items()))
        print(f"\nconverted models: {sizes}; conversion peak RSS {convert['peak_rss_mb']:.0f} MB "
              f"(first run only); cached runs reconverted: {any(ct2.get('converted_now') or [])}")

    if not args.skip_rerun:
        rerun = rerun_check()
        print("\n| idempotent re-run (`brief` CLI twice, fixture models) | seconds |")
        print("|---|---:|")
        print(f"| first run (loads models, writes the brief) | {rerun['first_s']:.2f} |")
        print(f"| second run, unchanged article | {rerun['second_s']:.2f} |")
        print(f"\nre-run: exit codes {rerun['rc']}, models loaded in second run: {rerun['second_loaded_models']}, "
              f"brief reused: {rerun['second_unchanged']}, < 1 s: {rerun['second_s'] < 1.0}")
        for tail in rerun["stderr_tail"]:
            print(f"re-run stderr: {tail}")

    for kind in ("articles", "articles-no-memory") if args.articles else ():
        many = run_worker(["--worker", kind, "--articles", str(args.articles)])
        stamps = many["stamps"]
        print(f"\n| {args.articles} articles in one run (fixture models, {many['engine']}, memory "
              f"{'on' if many['memory'] else 'off'}) | articles | total s | s per article |")
        print("|---|---:|---:|---:|")
        for mark in sorted({m for m in (10, 50, 100, len(stamps)) if 0 < m <= len(stamps)}):
            print(f"| after {mark} | {mark} | {stamps[mark - 1]:.2f} | {stamps[mark - 1] / mark:.3f} |")
        split = min(10, len(stamps))
        early = stamps[split - 1] / split if split else 0.0
        late = (stamps[-1] - stamps[split - 1]) / (len(stamps) - split) if len(stamps) > split else early
        print(f"\nmodels loaded {len(many['model_loads'])} times ({', '.join(many['model_loads'])}) in "
              f"{many['load_s']:.1f}s, before the first article; per article: first {split} {early:.3f}s, "
              f"the rest {late:.3f}s; briefed {many['made']}, failed {many['failed']}; "
              f"peak RSS {many['peak_rss_mb']:.0f} MB")

    brief_x = naive["brief"] / ours["median"]["brief"]
    translate_x = naive["translate"] / ours["median"]["translate"]
    print("\ntargets: whole brief >= 6x: {}; translation >= 7x: {}; peak memory of a full run <= 1.5 GB: {} ({:.0f} MB)".format(
        "met" if brief_x >= 6 else "NOT met", "met" if translate_x >= 7 else "NOT met",
        "met" if ours["peak_rss_mb"] <= 1536 else "NOT met", ours["peak_rss_mb"]))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"speedup: whole brief {brief_x:.1f}x, translation {translate_x:.1f}x vs naive")


if __name__ == "__main__":
    main()
