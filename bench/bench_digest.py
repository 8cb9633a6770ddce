"""Bytes of the nightly digest per article (issue #22): what a full text costs in the HTML part, as sent.

No models run. An ordinary night is built from the 126 reference pairs of `eval/data/nl_en_news.tsv`
(real Dutch and real English): article n takes the pairs from a different offset, three sentences a
paragraph with one subheading, until its Dutch reaches 1.9 to 2.5 KB (a different length each); it
has a title block (Dutch and English), six checks with a warning on every third article, and every
other article comes from a feed (outlet, link, published time).

For N articles it renders the HTML digest twice, with every full text in the body and with every full
text attached, and counts both HTML parts as sent (`inbox.encoded_size`: quoted-printable, CRLF). The
difference over N is what one full text costs; divided by the UTF-8 bytes of its Dutch and English
block text, it is the figure the issue asks for (goal <= 1.6). Then `plan_digest` lays out 12 and 30
articles under the 95,000-byte budget and the bench counts the full texts in the HTML body and in
the text part (by the sentence that ends each article, Dutch and English: "Dit was bericht nummer 7.").

    .venv/bin/python bench/bench_digest.py              # this checkout
    .venv/bin/python bench/bench_digest.py --ref HEAD   # the renderers of a commit (git archive), then this checkout

It ends with ``digest: full text <R> bytes of HTML per byte of text (as sent); 30 articles: <K> of 30
full texts in the HTML body, <T> of 30 in the text part``.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _import_tree(tree: Path) -> None:
    sys.path.insert(0, str(tree))


def _sentences(n: int, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Article n's (Dutch, English) sentences: from its own offset until the Dutch reaches its length;
    the last one ends with its number ("Dit was bericht nummer 7."), which the text-part count looks for."""
    target, start = 1900 + (n * 233) % 600, (n * 17) % len(pairs)
    sentences, size = [], 0
    while size < target:
        nl, en = pairs[(start + len(sentences)) % len(pairs)]
        sentences.append((nl, en))
        size += len(nl.encode("utf-8")) + 1
    nl, en = sentences[-1]
    sentences[-1] = (f"{nl} Dit was bericht nummer {n + 1}.", f"{en} This was report number {n + 1}.")
    return sentences


def _checks(n: int, sentences: list[tuple[str, str]]):
    from translate_summarize.data import Check

    checks = [
        Check("numbers", True, "all 6 numbers, amounts and dates of the source are in the translation"),
        Check("names", True, "all 4 names of the source are in the translation"),
        Check("hallucination", True, "every number and name of the summary is in the translation"),
        Check("degenerate", True, "no empty, looping, far too long or too short translations"),
        Check("untranslated", True, "no sentence was left untranslated"),
        Check("summary-cut", True, "the summary ends with a complete sentence"),
    ]
    if n % 3 == 0:
        message = f"“{sentences[1][0][:40]}…”: “2,3” is missing from the translation"
        checks[0] = Check("numbers", False, message, "paragraph 1, sentence 2")
    return tuple(checks)


def night(count: int):
    """`count` ordinary briefs (see the module docstring), built as the pipeline builds them."""
    from translate_summarize.data import AlignedBlock, Article, Block, BlockKind, Brief, ModelInfo, SentencePair, Source
    from translate_summarize.eval.harness import load_pairs

    pairs = load_pairs()
    briefs = []
    for n in range(count):
        sentences = _sentences(n, pairs)
        title = tuple(f"{word} {n + 1}: " + " ".join(text.rstrip(".").split()[:9]) for word, text in zip(("Nieuws", "News"), sentences[0]))
        blocks = [(BlockKind.TITLE, [title])]
        for index in range(0, len(sentences), 3):
            if index == 6:
                blocks.append((BlockKind.SUBHEADING, [(f"Reactie {n + 1}", f"Response {n + 1}")]))
            blocks.append((BlockKind.PARAGRAPH, sentences[index : index + 3]))
        aligned = tuple(
            AlignedBlock(kind, " ".join(nl for nl, _ in group), " ".join(en for _, en in group), tuple(SentencePair(*p) for p in group))
            for kind, group in blocks
        )
        source = None
        if n % 2:
            url = f"https://nieuws.example.nl/binnenland/2026/12/0{n % 9 + 1}/artikel-{n + 1}-over-de-gemeente"
            source = Source(url=url, outlet="Het Noorderblad", author="Redactie", published="2026-12-01T06:15:00+01:00")
        article = Article(
            path=Path(f"in/{n:03d}_artikel.txt"),
            name=f"{n:03d}_artikel.txt",
            blocks=tuple(Block(block.kind, block.source) for block in aligned),
            date="2026-12-01",
            sha256="%064x" % n,
            source=source,
        )
        briefs.append(
            Brief(
                article=article,
                headline=title[1],
                summary_en=" ".join(en for _, en in sentences[:3]),
                summary_nl=" ".join(nl for nl, _ in sentences[:3]),
                blocks=aligned,
                models=(ModelInfo("translation", "Helsinki-NLP/opus-mt-nl-en", "9c0a7b1"),),
                created="2026-12-01T06:00:12+01:00",
                checks=_checks(n, sentences),
            )
        )
    return briefs


def measure(count: int) -> dict[str, float]:
    """The figures for one night of `count` articles (see the module docstring)."""
    from translate_summarize.data import RunStatus
    from translate_summarize.render.email_format import build_message
    from translate_summarize.render.html import render_html_digest
    from translate_summarize.render.inbox import attachment_names, encoded_size, plan_digest

    briefs = night(count)
    status = RunStatus(count, 0, ())
    names = dict(enumerate(attachment_names(briefs)))
    whole = encoded_size(render_html_digest(briefs, status, {}))
    bare = encoded_size(render_html_digest(briefs, status, names))
    text = sum(len(block.source.encode()) + len(block.target.encode()) for b in briefs for block in b.blocks)
    plan = plan_digest(briefs, status)
    flat = " ".join(plan.text.split())
    ends = [(f"bericht nummer {n}.", f"report number {n}.") for n in range(1, count + 1)]
    in_text = sum(1 for nl, en in ends if nl in flat and en in flat)
    message = bytes(build_message(briefs, to="redactie@example.nl", sender="brief@example.nl", status=status))
    return {
        "text": text / count,
        "full": (whole - bare) / count,
        "ratio": (whole - bare) / text,
        "summaries": bare / count,
        "in_body": count - len(plan.attachments),
        "in_text": in_text,
        "html_bytes": plan.html_bytes,
        "text_bytes": encoded_size(plan.text, "plain"),
        "message": len(message),
    }


def report(label: str) -> str:
    lines = [f"== {label}"]
    last = ""
    for count in (12, 30):
        m = measure(count)
        lines.append(
            f"{count} articles: text {m['text']:.0f} B/article (Dutch + English); full text in HTML {m['full']:.0f} B/article "
            f"= {m['ratio']:.2f} B per byte of text; summaries etc. {m['summaries']:.0f} B/article; "
            f"{m['in_body']:.0f} of {count} full texts in the HTML body ({m['html_bytes']:.0f} B), "
            f"{m['in_text']:.0f} of {count} in the text part ({m['text_bytes']:.0f} B); message {m['message']:.0f} B"
        )
        last = (
            f"digest: full text {m['ratio']:.2f} bytes of HTML per byte of text (as sent); {count} articles: "
            f"{m['in_body']:.0f} of {count} full texts in the HTML body, {m['in_text']:.0f} of {count} in the text part"
        )
    return "\n".join([*lines, last])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", help="also measure the renderers of this commit (e.g. HEAD), from `git archive`")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)  # a copy of the package to import (--ref)
    args = parser.parse_args(argv)
    if args.tree:
        _import_tree(args.tree)
        print(report(f"{os.environ.get('BENCH_LABEL', args.tree)}"))
        return 0
    if args.ref:
        archive = subprocess.run(["git", "archive", args.ref, "translate_summarize"], cwd=REPO, capture_output=True, check=True)
        with tempfile.TemporaryDirectory() as tree:
            tarfile.open(fileobj=io.BytesIO(archive.stdout)).extractall(tree, filter="data")
            env = os.environ | {"BENCH_LABEL": f"before ({args.ref})"}
            subprocess.run([sys.executable, __file__, "--tree", tree], check=True, env=env)
    _import_tree(REPO)
    print(report("this checkout"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
