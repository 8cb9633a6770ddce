"""`--executor ray`: the throughput bench on a Ray actor pool, 1 actor vs 2, and the fixed cost of Ray.

    python bench/ray_bench.py               # real model shapes (bench/shapes.py), pinned lengths as in bench/throughput.py
    python bench/ray_bench.py --fixtures    # the tiny test models: a quick run of the same path

N edited copies of the sample go through `brief`'s own `Run` three times, each into a fresh out-dir,
translation memory off: with `--executor local` (the reference, all cores), then `--executor ray` with 1 actor and with 2,
each actor given `--cpus-per-actor` cores (default 1: on a 2-core box, 1 -> 2 actors is one core more,
as one node more is on a cluster, so the ideal ratio is 2.0). Ray is started
once, first, the way the executor starts it (`ray_session`), and that start is timed on its own; each
Ray run then includes its actors' start and model loading (the local run loads its models before the
clock, as the throughput bench does). With the real shapes the actors brief with the throughput
bench's pinned output lengths (`throughput.pinned_briefer`). Ends with
`ray scaling: 1 -> 2 actors <X>x, ray start <S> s`.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
# Ray's workers import the pinned briefer from this folder; they inherit this environment.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")  # the same bytes from every run

import base  # noqa: E402
from base import BART_DIR, FIXTURES, MARIAN_DIR  # noqa: E402

from translate_summarize.executors.ray_executor import BriefActor, RayExecutor, ray_session  # noqa: E402


class PinnedActor(BriefActor):
    """A `BriefActor` whose engines decode the throughput bench's pinned lengths (random weights never stop)."""

    @staticmethod
    def make_briefer(options, articles_at_once: int):
        from throughput import pinned_briefer

        return pinned_briefer(options, articles_at_once)


class FirstBrief:
    """A progress object that notes when the first brief is done (actors started, models loaded)."""

    def __init__(self):
        from translate_summarize.run.terminal import NoProgress

        self._inner = NoProgress()
        self.began = time.perf_counter()
        self.first: float | None = None

    def done(self, item, status):
        self.first = self.first if self.first is not None else time.perf_counter() - self.began

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _run(inputs: list[str], out: Path, options, executor, batch: int, briefer=None) -> dict:
    from translate_summarize.run.options import RunSettings
    from translate_summarize.run.runner import Run

    settings = RunSettings(out_dir=out, format="markdown", batch_articles=batch, brief=options, executor=executor)
    progress = FirstBrief()
    with open(os.devnull, "wb") as sink:
        began = progress.began = time.perf_counter()
        report = Run(settings, briefer, progress=progress).execute(inputs, sink)
        seconds = time.perf_counter() - began
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sorted(out.glob("*.md")))).hexdigest()
    return {"seconds": seconds, "first": progress.first or 0.0, "made": report.made, "failed": len(report.failures), "sha": digest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", action="store_true", help="the tiny test models instead of the real shapes")
    parser.add_argument("--articles", type=int, help="edited copies of the sample (default: 24 with --fixtures, else 6)")
    parser.add_argument("--batch", type=int, default=8, help="--batch-articles: articles per actor call (default 8, as brief's)")
    parser.add_argument("--cpus-per-actor", type=float, default=1.0, help="--ray-cpus-per-actor (default 1)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    from workers import edited_copies

    from translate_summarize.executors import ExecutorOptions
    from translate_summarize.settings import resolve

    count = args.articles or (24 if args.fixtures else 6)
    if args.fixtures:
        marian, bart = FIXTURES / "tiny-marian-copy", FIXTURES / "tiny-bart-lead"
    else:
        from shapes import ensure_models

        built = ensure_models()
        marian, bart = MARIAN_DIR, BART_DIR
        RayExecutor.actor_class = PinnedActor
        if built > 1:
            print(f"built the bench models in {built:.0f} s", file=sys.stderr)
    given = {"translation_model": str(marian), "summarization_model": str(bart), "back_translation_model": str(marian)}
    options = resolve({**given, "device": base.DEVICE, "translation_memory": False}).brief_options()
    cores = len(os.sched_getaffinity(0))
    print(f"engine {options.engine}, {count} articles, --batch-articles {args.batch}, {cores} cores, "
          f"{'fixture models' if args.fixtures else 'real model shapes (random weights, pinned lengths)'}; "
          f"load average at start {os.getloadavg()[0]:.2f}")

    work = Path(tempfile.mkdtemp(prefix="brief-bench-ray-"))
    try:
        inputs = edited_copies(work / "in", count)
        briefer = (BriefActor if args.fixtures else PinnedActor).make_briefer(options, args.batch)
        began = time.perf_counter()
        _ = briefer.translator, briefer.summarizer, briefer.back_translator
        load_s = time.perf_counter() - began
        local = _run(inputs, work / "out-local", options, ExecutorOptions("local"), args.batch, briefer)
        print(f"  {'local':<12}: {local['seconds']:6.1f} s for {local['made']} briefs (models loaded in {load_s:.1f} s, not counted)")
        del briefer

        out = sys.stdout  # ray_session points sys.stdout at stderr while Ray runs
        began = time.perf_counter()
        with ray_session(None) as ray:
            start_s = time.perf_counter() - began
            print(f"  {'ray start':<12}: {start_s:6.1f} s (a local cluster: {ray.cluster_resources().get('CPU', 0):g} CPUs)", file=out)
            runs = {}
            for actors in (1, 2):
                executor = ExecutorOptions("ray", ray_actors=actors, ray_cpus_per_actor=args.cpus_per_actor)
                runs[actors] = result = _run(inputs, work / f"out-ray-{actors}", options, executor, args.batch)
                label = f"ray {actors} actor{'s' if actors > 1 else ''}"
                print(f"  {label:<12}: {result['seconds']:6.1f} s for {result['made']} briefs "
                      f"({result['failed']} failed), first after {result['first']:.1f} s (actors started, models loaded), "
                      f"{args.cpus_per_actor:g} CPUs each", file=out)
        same = all(run["sha"] == local["sha"] for run in runs.values())
        print(f"  briefs of the three runs: {'identical' if same else 'DIFFERENT'}")
        ratio = runs[1]["seconds"] / runs[2]["seconds"]
        print(f"  ray 1 actor vs local: {runs[1]['seconds'] / local['seconds']:.2f}x the time")
        print(f"  load average at the end {os.getloadavg()[0]:.2f} (other work on the machine skews these times)")
        print(f"ray scaling: 1 -> 2 actors {ratio:.2f}x, ray start {start_s:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
