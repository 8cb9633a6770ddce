"""tiny-bart-lead: a BART model and byte-level BPE tokenizer trained to output the lead sentence."""

from __future__ import annotations

import json
import random
import re
import shutil
import time
import warnings
from pathlib import Path

import torch  # noqa: E402
from fixture_base import BART_DIR, BART_MAX_POS  # noqa: E402
from fixture_corpus import split_sentences  # noqa: E402
from fixture_training import set_seed, sinusoid_table, token_batches, train_loop, warm_start_cross_attention  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

# ---------------------------------------------------------------------------
# 2. tiny-bart-lead
# ---------------------------------------------------------------------------

BART_BPE_VOCAB = 1000
BART_D_MODEL = 96
BART_FFN = 192
BART_GEN_MAX_LENGTH = 64
BART_MAX_TARGET = BART_GEN_MAX_LENGTH - 2  # lead sentence + <s> + </s> must fit (decoder start adds 1)
BART_MAX_SOURCE = BART_MAX_POS - 6


def build_bart_tokenizer(corpus: dict, out_dir: Path, vocab_size: int = BART_BPE_VOCAB,
                         max_length: int = BART_MAX_POS):
    """Byte-level BPE in BART's layout; bench/run.py reuses it with a real-sized vocabulary."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import AutoTokenizer, RobertaTokenizer

    texts = corpus["en_train"] * 2 + corpus["nl_train"] + corpus["seed_lines"]
    bpe = ByteLevelBPETokenizer(add_prefix_space=False)
    bpe.train_from_iterator(texts, vocab_size=vocab_size, min_frequency=2,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"], show_progress=False)
    model_json = json.loads(bpe._tokenizer.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model_json["merges"]]
    # In transformers 5.x BartTokenizer/BartTokenizerFast are aliases of this byte-level BPE class.
    tok = RobertaTokenizer(vocab=model_json["vocab"], merges=merges, model_max_length=max_length)
    out_dir.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(str(out_dir))
    loaded = AutoTokenizer.from_pretrained(str(out_dir))
    assert loaded.get_vocab() == tok.get_vocab()
    return tok


def pseudo_sentence(rng: random.Random, words: list[str]) -> str:
    """A 'sentence' of random corpus words -- teaches copying of arbitrary word sequences."""
    ws = [rng.choice(words) for _ in range(rng.randint(2, 22))]
    for i in range(1, len(ws) - 1):
        if rng.random() < 0.08:
            ws[i] += ","
    s = " ".join(ws)
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", ".", "!", "?"])


def build_bart(corpus: dict, steps: int, seed: int = 4321) -> dict:
    from transformers import AutoTokenizer, BartConfig, BartForConditionalGeneration, GenerationConfig

    print("== tiny-bart-lead ==", flush=True)
    set_seed(seed)
    if BART_DIR.exists():
        shutil.rmtree(BART_DIR)
    tok = build_bart_tokenizer(corpus, BART_DIR)
    V = len(tok.get_vocab())
    bos_id, pad_id, eos_id = tok.bos_token_id, tok.pad_token_id, tok.eos_token_id
    unk_id, mask_id = tok.unk_token_id, tok.mask_token_id
    assert (bos_id, pad_id, eos_id, unk_id, mask_id) == (0, 1, 2, 3, 4)

    d = BART_D_MODEL
    cfg = BartConfig(
        vocab_size=V,
        d_model=d,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=BART_FFN,
        decoder_ffn_dim=BART_FFN,
        max_position_embeddings=BART_MAX_POS,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=False,
        pad_token_id=pad_id,
        bos_token_id=bos_id,
        eos_token_id=eos_id,
        decoder_start_token_id=eos_id,
        forced_eos_token_id=eos_id,
        tie_word_embeddings=True,
        # Legacy keys that the real distilbart-cnn config.json still carries; transformers 5 ignores them,
        # but CTranslate2's converter reads `normalize_before` and fails without it.
        normalize_before=False,
        add_final_layer_norm=False,
        normalize_embedding=True,
    )
    model = BartForConditionalGeneration(cfg)
    # Warm start: encoder and decoder learned positions start from the same (small) sinusoid table so
    # the identity-initialised cross-attention begins aligned (decoder step t <-> source token t).
    table = sinusoid_table(BART_MAX_POS, d) * 0.1
    with torch.no_grad():
        for emb in (model.model.encoder.embed_positions, model.model.decoder.embed_positions):
            emb.weight.zero_()
            emb.weight[2:2 + BART_MAX_POS].copy_(table)  # BART's learned positions are offset by 2
    warm_start_cross_attention(model.model.decoder.layers, d)
    model.generation_config = GenerationConfig(
        bos_token_id=bos_id,
        decoder_start_token_id=eos_id,
        early_stopping=True,
        eos_token_id=eos_id,
        forced_bos_token_id=bos_id,
        forced_eos_token_id=eos_id,
        length_penalty=1.0,
        max_length=BART_GEN_MAX_LENGTH,
        min_length=0,
        no_repeat_ngram_size=0,
        num_beams=4,
        pad_token_id=pad_id,
    )
    n_params = sum(p.numel() for p in model.parameters())
    print(f"  vocab {V}, params {n_params}", flush=True)

    def ids(text: str) -> list[int]:
        return tok(text, add_special_tokens=False)["input_ids"]

    nl_ids = tok("\n", add_special_tokens=False)["input_ids"]
    pool = corpus["en_train"] * 3 + corpus["nl_train"] + corpus["seed_sents"] * 3
    words = sorted({w for s in pool for w in s.split()})
    data_rng = random.Random(seed + 1)
    cache: dict[str, tuple[list[int], list[int]]] = {}

    def encode_sent(s: str) -> tuple[list[int], list[int]]:
        if s not in cache:
            cache[s] = (ids(s), ids(" " + s))
        return cache[s]

    # Token-level random "sentences": uniform over ordinary vocabulary items, so that copying does not
    # depend on having seen a token in context.  Their bodies never contain sentence-final punctuation.
    vocab_items = sorted(tok.get_vocab().items(), key=lambda kv: kv[1])
    body_ids = [i for t, i in vocab_items if i > mask_id and not re.search(r"[.!?\u010a]", t)]
    glued_ids = [i for i in body_ids if not tok.convert_ids_to_tokens(i).startswith("\u0120")]
    dot_id = tok.convert_tokens_to_ids(".")
    space_id = tok.convert_tokens_to_ids("\u0120")  # byte-level BPE's lone space

    def pick(rng: random.Random, sents_src, pseudo: float, rand_tok: float):
        """-> (ids at document start, ids after a space, text or None)"""
        r = rng.random()
        if r < rand_tok:
            body = []
            for _ in range(rng.randint(1, 30)):
                if body and rng.random() < 0.06:  # a '.' glued to the next token ("15.7", "a.m") is no end
                    body += [dot_id, rng.choice(glued_ids)]
                body.append(rng.choice(body_ids))
            body.append(dot_id)
            return body, [space_id] + body, None
        text = pseudo_sentence(rng, words) if r < rand_tok + pseudo else rng.choice(sents_src)
        return (*encode_sent(text), text)

    def make_doc(rng: random.Random, sents_src, n_max: int, pseudo: float, rand_tok: float):
        first = pick(rng, sents_src, pseudo, rand_tok)
        while len(first[0]) > BART_MAX_TARGET - 2:
            first = pick(rng, sents_src, pseudo, rand_tok)
        src, text = list(first[0]), first[2]
        for _ in range(rng.randint(1, n_max) - 1):
            nxt = pick(rng, sents_src, pseudo, rand_tok)
            sep_nl = rng.random() < 0.15
            add = (nl_ids + nxt[0]) if sep_nl else nxt[1]
            if len(src) + len(add) > BART_MAX_SOURCE - 2:
                break
            src += add
            text = None if text is None or nxt[2] is None else text + ("\n" if sep_nl else " ") + nxt[2]
        return text, first[2], [bos_id] + src + [eos_id], [bos_id] + first[0] + [eos_id]

    # sanity: token-level concatenation == tokenizing the joined text
    chk = random.Random(5)
    for _ in range(50):
        text, _, src, _ = make_doc(chk, pool, 10, 0.3, 0.0)
        assert tok(text)["input_ids"] == src, text

    def make_batches():
        ex = []
        for _ in range(4000):
            _, _, src, tgt = make_doc(data_rng, pool, 10, 0.2, 0.2)
            ex.append((src, tgt))
        return token_batches(ex, budget=7000, rng=data_rng)

    train_s = train_loop(model, make_batches, steps, peak_lr=2e-3, warmup=200, pad_id=pad_id, name="bart")
    model.save_pretrained(str(BART_DIR))

    # ---- evaluation on the saved artefacts ----
    tok = AutoTokenizer.from_pretrained(str(BART_DIR))
    model = BartForConditionalGeneration.from_pretrained(str(BART_DIR)).eval()
    ev_rng = random.Random(888)
    test = corpus["en_test"] + corpus["nl_test"][:40]
    docs = [make_doc(ev_rng, test, 10, 0.0, 0.0)[:2] for _ in range(120)]
    docs.append((corpus["seed_text"].strip(), corpus["seed_sents"][0] if corpus["seed_sents"] else ""))
    ok = 0
    by_k: dict[str, list[int]] = {}
    t0 = time.time()
    samples, failures = [], []
    for i in range(0, len(docs), 8):
        chunk = docs[i:i + 8]
        enc = tok([t for t, _ in chunk], return_tensors="pt", padding=True, truncation=True)
        with torch.no_grad():
            gen = model.generate(**enc)
        for j, (text, lead) in enumerate(chunk):
            out = tok.decode(gen[j], skip_special_tokens=True).strip()
            hit = out == lead
            ok += hit
            n_sent = len(split_sentences(text))
            key = "1" if n_sent == 1 else "2-4" if n_sent <= 4 else "5+"
            by_k.setdefault(key, [0, 0])
            by_k[key][0] += 1
            by_k[key][1] += hit
            if i + j in (0, 1, len(docs) - 1):
                samples.append((text, out))
            if not hit and len(failures) < 3:
                failures.append((lead, out))
    acc = ok / len(docs)
    print(f"  held-out lead-sentence exact match: {ok}/{len(docs)} = {acc:.3f} "
          + " ".join(f"[{k} sents: {v[1]}/{v[0]}]" for k, v in sorted(by_k.items())), flush=True)
    for text, out in samples:
        print(f"  IN : {text[:160]!r}...\n  OUT: {out!r}", flush=True)
    for lead, out in failures:
        print(f"  MISS want {lead!r}\n       got  {out!r}", flush=True)
    print(f"  eval took {time.time() - t0:.1f}s", flush=True)
    return {
        "dir": BART_DIR, "train_s": train_s, "steps": steps, "params": n_params, "vocab": V,
        "acc": acc, "n": len(docs), "by_k": by_k, "samples": samples,
        "ids": {"bos": bos_id, "pad": pad_id, "eos": eos_id, "unk": unk_id, "mask": mask_id},
        "generation_config": model.generation_config.to_diff_dict(),
    }
