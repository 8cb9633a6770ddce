"""Every bad input through the CLI: one exact line naming the file, exit 1, the good article still briefed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app

from .conftest import MODEL_ARGS, SAMPLE

runner = CliRunner()


def _empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return str(path), f"{path}: is empty"


def _blank(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n\u00a0\n", encoding="utf-8")
    return str(path), f"{path}: contains only whitespace"


def _binary(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return str(path), f"{path}: looks like"


def _too_big(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Dit is een zin. " * 80_000, encoding="utf-8")
    return str(path), f"{path}: is 1,280,000 bytes, over the 1,000,000-byte limit (--max-bytes)"


def _directory(tmp_path):
    path = tmp_path / "folder"
    path.mkdir()
    return str(path), f"{path}: is a directory"


def _missing(tmp_path):
    path = tmp_path / "missing.txt"
    return str(path), f"{path}: no such file"


@pytest.mark.parametrize("make_bad", [_empty, _blank, _binary, _too_big, _directory, _missing])
def test_bad_input_is_one_line_and_others_still_get_briefs(tmp_path, make_bad):
    bad, message = make_bad(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, [bad, str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out)])
    assert result.exit_code == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("brief: ERROR")]
    assert len(errors) == 2 and message in errors[0], result.stderr  # the input's line, then the summary
    assert "Traceback" not in result.stderr
    written = (out / "000_5456f33a95982729.md").read_text(encoding="utf-8")
    assert result.stdout == written and written.rstrip().endswith("| torch |")
    files = ["000_5456f33a95982729.html", "000_5456f33a95982729.md", "archive", "feed.xml", "index.html", "pagefind"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == files  # the brief, its archive
    assert not list(out.rglob("*.tmp"))


def test_a_pattern_that_matches_nothing_is_nothing_to_do(tmp_path):
    """A quiet night (an empty inbox folder) is exit 0 with one notice, not an error mail from cron."""
    pattern = str(tmp_path / "inbox" / "*.txt")
    out = tmp_path / "out"
    result = runner.invoke(app, [pattern, *MODEL_ARGS, "--out-dir", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"brief: {pattern}: no files match this pattern, nothing to do",
        f"brief: 0 briefed, 0 unchanged, 0 failed -> {out}/",
    ]
    both = runner.invoke(app, [pattern, str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out)])
    assert both.exit_code == 0 and both.stdout.startswith("# ")
    missing = runner.invoke(app, [str(tmp_path / "inbox" / "literal.txt"), *MODEL_ARGS, "--out-dir", str(out)])
    assert missing.exit_code == 1  # a literal path that does not exist stays an error


def test_a_default_run_ends_with_one_summary_line(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, [str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out)])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"brief: 1 briefed, 0 unchanged, 0 failed -> {out}/"]
    quiet = runner.invoke(app, [str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out), "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_consecutive_briefs_on_stdout_are_separated_by_a_blank_line(tmp_path):
    second = tmp_path / "b.txt"
    second.write_text("Het kabinet trekt geld uit. De oppositie is boos.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, [str(SAMPLE), str(second), *MODEL_ARGS, "--out-dir", str(out)])
    assert result.exit_code == 0
    first_file = (out / "000_5456f33a95982729.md").read_text(encoding="utf-8")
    second_file = (out / "b.md").read_text(encoding="utf-8")
    assert result.stdout == first_file + "\n" + second_file
    assert first_file.endswith("\n") and not first_file.endswith("\n\n")
