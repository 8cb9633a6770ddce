"""Models with the real shapes of opus-mt-nl-en and distilbart-cnn-12-6 and random weights, built into bench/models/."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from base import BART_DIR, BART_VOCAB, BENCH_MODELS_LAYOUT, EVAL_PAIRS, MARIAN_DIR, MARIAN_VOCAB, REPO, SAMPLE
from inputs import sample_sentences

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


def _fixture_module(name: str):
    """A module of scripts/ (the fixture builders), whose corpus and tokenizer builders the bench reuses."""
    import importlib

    if str(REPO / "scripts") not in sys.path:
        sys.path.insert(0, str(REPO / "scripts"))
    return importlib.import_module(name)


def _training_corpus() -> dict:
    """The fixture builders' corpus plus the evaluation pairs and the sample itself."""
    corpus = _fixture_module("fixture_corpus").build_corpus()
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

    marian = _fixture_module("fixture_marian")

    def build(corpus, out, size):
        return marian.build_marian_tokenizer(corpus, out, vocab_size=size, model_type="bpe", max_length=512)

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

    bart = _fixture_module("fixture_bart")

    def build(corpus, out, size):
        return bart.build_bart_tokenizer(corpus, out, vocab_size=size, max_length=1024)

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

    sources = [*sorted((REPO / "scripts").glob("fixture_*.py")), EVAL_PAIRS, SAMPLE]
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
