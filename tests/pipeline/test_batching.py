"""Cross-article batching: the same briefs, byte for byte, whether articles go one at a time or together."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from translate_summarize.pipeline.briefer import Briefer

from ..conftest import MODEL_ARGS, edited_copies
from ..test_cli import run_brief


def _inputs(folder: Path) -> list[str]:
    inputs = edited_copies(folder, 5)
    english = folder / "english.txt"
    english.write_text("The council approved the budget on Tuesday. The vote was close.\n\nCritics called it rushed.\n")
    (folder / "empty.txt").write_text("")
    short = folder / "kort.txt"
    short.write_text("Kop van het stuk\n\nEen kort bericht over de gemeente.\n", encoding="utf-8")
    # The bad input and the English one sit between Dutch ones, so windows mix all kinds.
    return [inputs[0], str(english), inputs[1], str(folder / "empty.txt"), inputs[2], str(short), *inputs[3:]]


def test_batched_and_one_at_a_time_runs_give_the_same_bytes(tmp_path):
    inputs = _inputs(tmp_path / "in")
    runs = {}
    for batch in ("1", "3", "8"):
        out = tmp_path / f"out-{batch}"
        result = run_brief([*inputs, *MODEL_ARGS, "--out-dir", str(out), "--batch-articles", batch])
        assert result.returncode == 1, result.stderr.decode()  # the empty input, named, the others briefed
        assert b"empty.txt: " in result.stderr and b"7 briefed, 0 unchanged, 1 failed" in result.stderr
        runs[batch] = result.stdout, {path.name: path.read_bytes() for path in out.glob("*.md")}
    assert len(runs["1"][1]) == 7
    assert runs["3"] == runs["1"] and runs["8"] == runs["1"]
    # In input order on stdout, whatever the windows.
    order = [runs["1"][0].index(f"**Source:** {Path(name).name}".encode()) for name in inputs if "empty" not in name]
    assert order == sorted(order)


def test_brief_batch_equals_brief_one_by_one(briefer: Briefer, tmp_path):
    articles = [briefer.read(path) for path in _inputs(tmp_path / "in") if "empty" not in path]
    together = briefer.brief_batch(articles)
    alone = [briefer.brief(article) for article in articles]
    strip = lambda brief: replace(brief, stats={}, created="")  # noqa: E731  timing differs
    assert [strip(b) for b in together] == [strip(b) for b in alone]
    assert all(set(brief.stats) == {"split", "translate", "summarize", "back_translate", "check"} for brief in together)


def test_unchanged_articles_in_a_window_load_no_model(tmp_path):
    inputs = edited_copies(tmp_path / "in", 4)
    args = [*MODEL_ARGS, "--out-dir", str(tmp_path / "out"), "--batch-articles", "3", "-v"]
    assert run_brief([*inputs, *args]).returncode == 0
    Path(inputs[2]).write_text("Een heel ander artikel over de gemeente.\n", encoding="utf-8")
    again = run_brief([*inputs, *args])
    assert again.returncode == 0 and b"1 briefed, 3 unchanged, 0 failed" in again.stderr
    assert again.stdout.count(b"## Full text") == 4


def test_manifest_has_one_line_per_input_as_each_completes(tmp_path):
    import json

    inputs = _inputs(tmp_path / "in")
    manifest = tmp_path / "run" / "manifest.jsonl"
    args = [*inputs, *MODEL_ARGS, "--out-dir", str(tmp_path / "out"), "--batch-articles", "3", "--manifest", str(manifest)]
    assert run_brief(args).returncode == 1
    lines = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    assert [line["input"] for line in lines] == inputs  # input order, the failed one in its place
    failed = lines[3]
    assert failed["status"] == "failed" and "empty" in failed["reason"] and "key" not in failed
    for line in lines[:3] + lines[4:]:
        assert line["status"] == "briefed" and len(line["key"]) == 64 and line["headline"]
        assert [Path(path).suffix for path in line["outputs"]] == [".md", ".html"] and Path(line["outputs"][0]).exists()
        assert set(line["seconds"]) == {"split", "translate", "summarize", "back_translate", "check"}
        assert line["checks"] >= line["flagged"] >= 0 and line["time"][:2] == "20"
    assert run_brief(args).returncode == 1  # appended, not replaced
    again = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()][len(lines):]
    assert [line["status"] for line in again] == ["unchanged"] * 3 + ["failed"] + ["unchanged"] * 4
