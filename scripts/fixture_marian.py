"""tiny-marian-copy: a MarianMT model and tokenizer trained to copy their input."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import torch  # noqa: E402
from fixture_base import MARIAN_DIR, MARIAN_MAX_POS  # noqa: E402
from fixture_training import set_seed, token_batches, train_loop, warm_start_cross_attention  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

# ---------------------------------------------------------------------------
# 1. tiny-marian-copy
# ---------------------------------------------------------------------------

MARIAN_SPM_VOCAB = 1200


def build_marian_tokenizer(corpus: dict, out_dir: Path, vocab_size: int = MARIAN_SPM_VOCAB,
                           model_type: str = "unigram", max_length: int = MARIAN_MAX_POS):
    """Shared nl/en sentencepiece in Marian's layout; bench/run.py reuses it with a real-sized vocabulary."""
    import sentencepiece as spm
    from transformers import MarianTokenizer

    train_text = corpus["nl_train"] + corpus["en_train"] + corpus["seed_lines"]
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "spm")
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(train_text),
            model_prefix=prefix,
            model_type=model_type,
            vocab_size=vocab_size,
            hard_vocab_limit=False,  # a small corpus may not support the asked size: take what it gives
            character_coverage=1.0,
            byte_fallback=True,
            normalization_rule_name="identity",  # no NFKC: exact copies, and ~240 KB smaller per .spm file
            eos_id=0,
            unk_id=1,
            bos_id=-1,
            pad_id=-1,
            num_threads=1,
            seed_sentencepiece_size=100000,
            shuffle_input_sentence=False,
            minloglevel=2,
        )
        sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
        # Marian layout: </s>=0, <unk>=1, pieces..., <pad>=last (pad doubles as decoder start).
        vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
        vocab["<pad>"] = len(vocab)
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(prefix + ".model", out_dir / "source.spm")
        shutil.copy(prefix + ".model", out_dir / "target.spm")
    with open(out_dir / "vocab.json", "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, indent=2)
    tok = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        source_lang="nl",
        target_lang="en",
        model_max_length=max_length,
    )
    tok.save_pretrained(str(out_dir))
    loaded = MarianTokenizer.from_pretrained(str(out_dir))
    assert loaded.get_vocab() == tok.get_vocab()
    return tok


def marian_examples(rng: random.Random, sent_ids: list[list[int]], n: int, vocab_lo: int, vocab_hi: int,
                    unigram: list[int], max_len: int) -> list[tuple[list[int], list[int]]]:
    """Copy-task examples (src == tgt, both ending in eos=0)."""
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.25:  # one real sentence
            seq = list(rng.choice(sent_ids))[:max_len]
        elif r < 0.55:  # a fragment of a stream of real sentences (crosses sentence borders)
            L = rng.randint(1, max_len)
            stream = []
            while len(stream) < L + 60:
                stream += rng.choice(sent_ids)
            start = rng.randint(0, 50) if rng.random() < 0.5 else 0
            seq = stream[start:start + L]
        elif r < 0.8:  # uniform random tokens over the whole (non-special) vocabulary
            L = rng.randint(1, max_len)
            seq = [rng.randint(vocab_lo, vocab_hi) for _ in range(L)]
        else:  # random tokens with corpus frequencies
            L = rng.randint(1, max_len)
            seq = [rng.choice(unigram) for _ in range(L)]
        seq = seq + [0]
        out.append((seq, seq))
    return out


def build_marian(corpus: dict, steps: int, seed: int = 1234) -> dict:
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    print("== tiny-marian-copy ==", flush=True)
    set_seed(seed)
    if MARIAN_DIR.exists():
        shutil.rmtree(MARIAN_DIR)
    tok = build_marian_tokenizer(corpus, MARIAN_DIR)
    V = len(tok.encoder)
    pad_id, eos_id, unk_id = tok.pad_token_id, tok.eos_token_id, tok.unk_token_id
    assert (eos_id, unk_id, pad_id) == (0, 1, V - 1), (eos_id, unk_id, pad_id, V)
    for s in corpus["nl_test"][:5] + corpus["en_test"][:5] + corpus["seed_sents"][:3]:
        assert tok.decode(tok(s)["input_ids"], skip_special_tokens=True) == s, s

    cfg = MarianConfig(
        vocab_size=V,
        decoder_vocab_size=V,
        d_model=128,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=256,
        decoder_ffn_dim=256,
        max_position_embeddings=MARIAN_MAX_POS,
        activation_function="swish",
        scale_embedding=True,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=eos_id,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
    )
    model = MarianMTModel(cfg)
    warm_start_cross_attention(model.model.decoder.layers, cfg.d_model)
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        bos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        eos_token_id=eos_id,
        forced_eos_token_id=eos_id,
        max_length=MARIAN_MAX_POS,
        num_beams=4,
        pad_token_id=pad_id,
        renormalize_logits=True,
    )
    n_params = sum(p.numel() for p in model.parameters())
    print(f"  vocab {V}, params {n_params}", flush=True)

    sent_ids = [tok(s, add_special_tokens=False)["input_ids"]
                for s in corpus["nl_train"] + corpus["en_train"] + corpus["seed_sents"]]
    unigram = [t for s in sent_ids for t in s]
    max_len = MARIAN_MAX_POS - 2  # leave room for eos (+ decoder start on the target side)
    data_rng = random.Random(seed + 1)

    def make_batches():
        ex = marian_examples(data_rng, sent_ids, 6000, 2, V - 2, unigram, max_len)
        return token_batches(ex, budget=7000, rng=data_rng)

    train_s = train_loop(model, make_batches, steps, peak_lr=2e-3, warmup=300, pad_id=pad_id, name="marian")
    model.save_pretrained(str(MARIAN_DIR))

    # ---- evaluation on the saved artefacts ----
    tok = MarianTokenizer.from_pretrained(str(MARIAN_DIR))
    model = MarianMTModel.from_pretrained(str(MARIAN_DIR)).eval()
    ev_rng = random.Random(777)
    test = corpus["nl_test"] + corpus["en_test"]
    test_ids = [tok(s, add_special_tokens=False)["input_ids"] for s in test]
    buckets = {"1-20": (1, 20), "21-60": (21, 60), "61-120": (61, 120)}
    inputs = {b: [] for b in buckets}
    for s, ids in zip(test, test_ids):
        for b, (lo, hi) in buckets.items():
            if lo <= len(ids) <= hi:
                inputs[b].append(s)
    # longer inputs: several held-out sentences joined by spaces
    while min(len(inputs["21-60"]), len(inputs["61-120"])) < 40:
        k = ev_rng.randint(2, 6)
        s = " ".join(ev_rng.sample(test, k))
        n = len(tok(s, add_special_tokens=False)["input_ids"])
        for b, (lo, hi) in buckets.items():
            if lo <= n <= hi and len(inputs[b]) < 40:
                inputs[b].append(s)
    # short fragments: first few words of held-out sentences
    while len(inputs["1-20"]) < 40:
        words = ev_rng.choice(test).split()
        inputs["1-20"].append(" ".join(words[: ev_rng.randint(1, 6)]))
    results = {}
    t0 = time.time()
    for b, texts in inputs.items():
        texts = texts[:40]
        ok_ids = ok_txt = 0
        for i in range(0, len(texts), 8):
            chunk = texts[i:i + 8]
            enc = tok(chunk, return_tensors="pt", padding=True)
            longest = int(enc["attention_mask"].sum(1).max())
            with torch.no_grad():
                gen = model.generate(**enc, max_length=min(MARIAN_MAX_POS, int(1.5 * longest) + 11))
            for j, t in enumerate(chunk):
                want = tok(t, add_special_tokens=False)["input_ids"]
                got = [x for x in gen[j].tolist()[1:] if x not in (pad_id, eos_id)]
                ok_ids += got == want
                ok_txt += tok.decode(gen[j], skip_special_tokens=True) == t
        results[b] = {"n": len(texts), "exact_ids": ok_ids / len(texts), "exact_text": ok_txt / len(texts)}
        print(f"  held-out copy {b:>7} tokens: n={len(texts)} exact(ids)={ok_ids / len(texts):.3f} "
              f"exact(text)={ok_txt / len(texts):.3f}", flush=True)
    samples = []
    for s in corpus["seed_sents"][:3] or corpus["nl_test"][:3]:
        enc = tok([s], return_tensors="pt")
        with torch.no_grad():
            gen = model.generate(**enc)
        out = tok.decode(gen[0], skip_special_tokens=True)
        samples.append((s, out))
        print(f"  IN : {s}\n  OUT: {out}", flush=True)
    print(f"  eval took {time.time() - t0:.1f}s", flush=True)
    return {
        "dir": MARIAN_DIR, "train_s": train_s, "steps": steps, "params": n_params, "vocab": V,
        "results": results, "samples": samples, "pad": pad_id, "eos": eos_id, "unk": unk_id,
        "generation_config": model.generation_config.to_diff_dict(),
    }
