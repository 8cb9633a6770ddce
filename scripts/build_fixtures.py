#!/usr/bin/env python
"""Build the tiny, *trained* Hugging Face models used as test fixtures.

Why these exist
---------------
The product runs real Hugging Face seq2seq models (Marian opus-mt translators
and a distilbart summarizer).  Those weights are hundreds of megabytes and
cannot be downloaded in the offline test environment, and randomly
initialised models produce gibberish, so tests could only check that
"something" came out.  Instead this script trains two very small models on
trivial tasks, so tests can run the genuine ``model.generate()`` path
(tokenizer -> beam search with the saved generation_config -> decode) and
still assert on the *content* of the output:

* ``tests/fixtures/tiny-marian-copy`` -- ``MarianMTModel`` + ``MarianTokenizer``
  trained to COPY its input (an identity "translator", usable as nl->en and
  en->nl).  ``max_position_embeddings`` is 128 so tests can exercise the
  product's long-input splitting cheaply.
* ``tests/fixtures/tiny-bart-lead`` -- ``BartForConditionalGeneration`` + a
  byte-level BPE tokenizer, trained to output the LEAD (first) SENTENCE of its
  input (a trivial extractive summarizer).  ``max_position_embeddings`` is 256.

Everything (corpus, tokenizers, weights) is generated here from fixed seeds;
the only external input is the seed article
``shared/seeds/000_5456f33a95982729.txt`` (looked up next to the repository
and under /work/shared), which is mixed into the training text.

Training trick: the decoder cross-attention projections start as identity
matrices and both sides carry the same sinusoidal positions, so decoder step t
initially attends to source token t.  That is exactly the alignment a copy /
lead-sentence model needs; without it two CPU cores spend most of the budget
discovering it.  It is only an initialisation -- all weights are trained.

Usage::

    python scripts/build_fixtures.py            # builds both (~6-8 min on 2 idle CPU cores)
    python scripts/build_fixtures.py --only marian

At the end it prints the held-out accuracies and (when both models were
built) rewrites ``tests/fixtures/README.md`` with the measured numbers.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import torch  # noqa: E402
from fixture_bart import build_bart  # noqa: E402
from fixture_base import FIXTURES, REPO  # noqa: E402
from fixture_corpus import build_corpus  # noqa: E402
from fixture_marian import build_marian  # noqa: E402
from fixture_training import dir_size  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

# ---------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["marian", "bart"])
    ap.add_argument("--marian-steps", type=int, default=1000)
    ap.add_argument("--bart-steps", type=int, default=1200)
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the reference build uses 2)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    t0 = time.time()
    corpus = build_corpus()
    print(f"corpus: nl {len(corpus['nl_train'])}/{len(corpus['nl_test'])}, en {len(corpus['en_train'])}/"
          f"{len(corpus['en_test'])}, seed sentences {len(corpus['seed_sents'])}", flush=True)
    reports = {}
    if args.only in (None, "marian"):
        reports["marian"] = build_marian(corpus, args.marian_steps)
    if args.only in (None, "bart"):
        reports["bart"] = build_bart(corpus, args.bart_steps)
    total_s = time.time() - t0
    print(f"total time {total_s:.1f}s")
    summarize(reports, total_s, args.threads)


def _fmt_files(path: Path) -> str:
    return ", ".join(f"{p.name} ({p.stat().st_size / 1024:.0f} KB)" for p in sorted(path.iterdir()) if p.is_file())


def summarize(reports: dict, total_s: float, threads: int) -> None:
    print("\n== summary ==")
    for name, r in reports.items():
        print(f"{r['dir'].relative_to(REPO)}: {dir_size(r['dir']) / 1e6:.2f} MB, {r['params']} params, "
              f"vocab {r['vocab']}, {r['steps']} steps in {r['train_s']:.0f}s")
        print(f"  files: {_fmt_files(r['dir'])}")
        print(f"  generation_config: {json.dumps(r['generation_config'], sort_keys=True)}")
    if set(reports) != {"marian", "bart"}:
        print("(README.md not rewritten: it describes both models, build both to refresh it)")
        return
    m, b = reports["marian"], reports["bart"]
    total_mb = sum(dir_size(r["dir"]) for r in reports.values()) / 1e6
    mres = "\n".join(f"| {k} tokens | {v['n']} | {v['exact_ids']:.0%} | {v['exact_text']:.0%} |"
                     for k, v in m["results"].items())
    bres = ", ".join(f"{k} sentence(s): {v[1]}/{v[0]}" for k, v in sorted(b["by_k"].items()))
    mgc = json.dumps({k: v for k, v in sorted(m["generation_config"].items()) if k != "transformers_version"})
    bgc = json.dumps({k: v for k, v in sorted(b["generation_config"].items()) if k != "transformers_version"})
    readme = f"""# Test fixtures: tiny trained seq2seq models

Real opus-mt / distilbart weights are not reachable offline, and random weights
produce gibberish, so `scripts/build_fixtures.py` trains two tiny models on
trivial tasks.  Tests can then run the real tokenizer -> `model.generate()` ->
decode path and assert on the output text.  Rebuild (fixed seeds; the last
build took {total_s / 60:.1f} min with {threads} CPU threads, on a machine shared with other jobs) with:

    python scripts/build_fixtures.py

Total size: {total_mb:.1f} MB.  Load with `from_pretrained(folder)`; works with `HF_HUB_OFFLINE=1`.

## tiny-marian-copy ({dir_size(m['dir']) / 1e6:.1f} MB)

`MarianMTModel` + `MarianTokenizer` that **copies its input** (identity
"translator"; use it as nl->en and en->nl).  d_model 128, 2+2 layers, 4 heads,
ffn 256, tied embeddings, **max_position_embeddings = 128** (tokenizer
`model_max_length` 128).  Inputs longer than 128 tokens raise `IndexError`
in `generate()`, so callers must split/truncate.  Shared sentencepiece unigram
model (source.spm == target.spm, {m['vocab'] - 1} pieces, byte fallback, identity
normalisation) trained on generated Dutch/English news sentences + the seed
article.  Ids: `</s>`={m['eos']} (eos), `<unk>`={m['unk']}, `<pad>`={m['pad']}
(pad and decoder start).

generation_config: `{mgc}`

Held-out exact-copy accuracy (beam search with this generation_config):

| input length | n | exact ids | exact text |
|---|---|---|---|
{mres}

## tiny-bart-lead ({dir_size(b['dir']) / 1e6:.1f} MB)

`BartForConditionalGeneration` + byte-level BPE tokenizer (`AutoTokenizer`
gives `RobertaTokenizer`, which is what `BartTokenizer(Fast)` aliases in
transformers 5) that outputs the **lead (first) sentence** of its input
(English or Dutch).  d_model 96, 2+2 layers, 4 heads, ffn 192,
**max_position_embeddings = 256** (tokenizer `model_max_length` 256), vocab
{b['vocab']}.  Ids: `<s>`={b['ids']['bos']}, `<pad>`={b['ids']['pad']}, `</s>`={b['ids']['eos']},
`<unk>`={b['ids']['unk']}, `<mask>`={b['ids']['mask']}.  Lead sentences longer than ~60 tokens are cut
by `max_length` 64.  `no_repeat_ngram_size` is 0 because the model is a copier:
blocking repeated 3-grams would corrupt faithful copies (e.g. "1.000.000").
config.json also carries distilbart's legacy `normalize_before`,
`add_final_layer_norm` and `normalize_embedding` keys: transformers 5 ignores
them, but CTranslate2's converter needs `normalize_before`.

generation_config: `{bgc}`

Held-out lead-sentence exact match: {b['acc']:.1%} of {b['n']} documents ({bres}).
"""
    (FIXTURES / "README.md").write_text(readme, encoding="utf-8")
    print(f"wrote {(FIXTURES / 'README.md').relative_to(REPO)}")


if __name__ == "__main__":
    main()
