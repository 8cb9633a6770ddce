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
import json
import os
import subprocess
import sys

import base
from base import (
    BACK_TRANSLATION_SOURCE_TOKENS,
    BART_DIR,
    BEAMS,
    LENGTH_RATIO,
    MARIAN_DIR,
    MODELS,
    REPO,
    SAMPLE,
    SUMMARY_TOKENS,
)
from shapes import ensure_models
from throughput import throughput_worker
from workers import articles_worker, convert_worker, rerun_check, worker

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


def throughput(args: argparse.Namespace) -> None:
    """One-at-a-time against cross-article batching, same engine, same articles, real model shapes."""
    count = args.articles if args.articles != 100 else 20
    run_worker(["--worker", "build"])
    common = ["--articles", str(count), "--device", args.device]
    single = run_worker(["--worker", "throughput-1", *common])
    batched = run_worker(["--worker", f"throughput-{args.batch}", *common])
    print(f"engine {single['engine']}, {count} articles, device {args.device}, real model shapes (random weights)")
    for result in (single, batched):
        print(f"  batch {result['batch']:>2}: {result['seconds']:.1f} s for {result['made']} briefs "
              f"(models loaded in {result['load_s']:.1f} s, not counted), peak RSS {result['peak_rss_mb']:.0f} MB")
    same = "identical" if single["outputs_sha256"] == batched["outputs_sha256"] else "DIFFERENT"
    print(f"  briefs of the two runs: {same}")
    ratio = single["seconds"] / batched["seconds"]
    print(f"throughput: {count} articles, {ratio:.2f}x vs one at a time, {count / batched['seconds'] * 60:.1f} articles/min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repeat per configuration (default 3)")
    parser.add_argument("--sentences", type=int, default=None, help="use only the first N sentences of the sample")
    parser.add_argument("--articles", type=int, default=100, help="articles in the many-articles run (0 skips it)")
    parser.add_argument("--skip-rerun", action="store_true", help="skip the idempotent re-run check")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda: where every path runs")
    parser.add_argument("--throughput", action="store_true",
                        help="only the throughput comparison: --articles N (default 20) one at a time vs --batch at a time")
    parser.add_argument("--batch", type=int, default=8, help="articles at a time in the batched throughput run (default 8)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    base.DEVICE = args.device

    if args.worker:
        if args.worker == "convert":
            result = convert_worker()
        elif args.worker in ("articles", "articles-no-memory"):
            result = articles_worker(args.articles, memory=args.worker == "articles")
        elif args.worker.startswith("throughput-"):
            result = throughput_worker(args.articles, int(args.worker.split("-")[1]))
        elif args.worker == "build":
            result = {"build_s": ensure_models()}
        else:
            result = worker(args.worker, args.repeats or 1, args.sentences)
        print(json.dumps(result))
        return

    if args.throughput:
        throughput(args)
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
        print(f"\nconverted models: {sizes}; first run (convert {convert['convert_s']:.1f} s + load 3 models) "
              f"peak RSS {convert['peak_rss_mb']:.0f} MB, process and children together (target < 1536 MB: "
              f"{'met' if convert['peak_rss_mb'] < 1536 else 'NOT met'}); cached runs reconverted: "
              f"{any(ct2.get('converted_now') or [])}")

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
