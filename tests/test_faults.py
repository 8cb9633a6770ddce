"""Fault injection (issue #19): one bad input, state file, disk or mail server never costs a night.

Each test injects one kind of fault and asserts on what a nightly job needs: the exit status, the
files in the out-dir, and no traceback on stderr, not on exact wording.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.pipeline.briefer import Briefer

from .conftest import MODEL_ARGS, SAMPLE, edited_copies

runner = CliRunner()
STEM = SAMPLE.stem


def brief(args: list[str], **kwargs):
    return runner.invoke(app, [*args, *MODEL_ARGS], **kwargs)


def no_traceback(result) -> bool:
    return "Traceback" not in result.stderr and (result.exception is None or isinstance(result.exception, SystemExit))


# -- one input never takes the run down ---------------------------------------------------------------


def test_a_name_that_is_not_utf8_is_briefed_and_stays_briefed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.fsdecode(bytes(folder) + b"/caf\xe9.txt")
    Path(odd).write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    manifest = tmp_path / "manifest.jsonl"
    for attempt in ("first", "second"):
        result = brief([odd, str(SAMPLE), "-o", str(out), "--manifest", str(manifest)])
        assert result.exit_code == 0, (attempt, result.stderr)
        assert no_traceback(result)
    assert sorted(path.name for path in out.glob("*.md")) == [f"{STEM}.md", "caf.md"]
    statuses = [json.loads(line)["status"] for line in manifest.read_text(encoding="utf-8").splitlines()]
    assert statuses == ["briefed", "briefed", "unchanged", "unchanged"]  # the record was read back


def test_a_symlink_loop_among_the_inputs_is_one_line(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    out = tmp_path / "out"
    result = brief([str(tmp_path / "a.txt"), str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 1, result.stderr
    assert no_traceback(result)
    assert any("a.txt" in line for line in result.stderr.splitlines() if "ERROR" in line)
    assert (out / f"{STEM}.md").exists()


def test_an_unexpected_error_while_reading_one_input_is_that_inputs_failure(tmp_path, monkeypatch):
    bad = tmp_path / "page.html"
    bad.write_text("<html><body><p>Kapot.</p></body></html>", encoding="utf-8")
    real_read = Briefer.read

    def read(self, path, fetcher=None):
        if str(path).endswith("page.html"):
            raise ImportError("No module named 'trafilatura'")  # a missing optional import
        return real_read(self, path, fetcher)

    monkeypatch.setattr(Briefer, "read", read)
    out = tmp_path / "out"
    result = brief([str(bad), str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 1, result.stderr
    assert no_traceback(result)
    line = next(line for line in result.stderr.splitlines() if "page.html" in line)
    assert "ImportError" in line and "report" in line
    assert (out / f"{STEM}.md").exists()


def test_an_unexpected_error_while_briefing_one_article_of_a_batch_fails_only_it(tmp_path, monkeypatch):
    inputs = edited_copies(tmp_path / "in", 3, blocks=2)
    real_batch = Briefer.brief_batch

    def brief_batch(self, articles, on_stage=None):
        if any(str(article.path).endswith("001_artikel.txt") for article in articles):
            raise RuntimeError("a bug in one article")
        return real_batch(self, articles, on_stage)

    monkeypatch.setattr(Briefer, "brief_batch", brief_batch)
    out = tmp_path / "out"
    result = brief([*inputs, "-o", str(out), "--batch-articles", "3"])
    assert result.exit_code == 1, result.stderr
    assert no_traceback(result)
    assert sorted(path.name for path in out.glob("*.md")) == ["000_artikel.md", "002_artikel.md"]
    assert "001_artikel.txt" in result.stderr and "RuntimeError" in result.stderr


def test_an_article_past_its_time_budget_fails_named_and_the_others_are_briefed(tmp_path, monkeypatch):
    inputs = edited_copies(tmp_path / "in", 2, blocks=2)
    real_batch = Briefer.brief_batch

    def brief_batch(self, articles, on_stage=None):
        if any(str(article.path).endswith("000_artikel.txt") for article in articles):
            time.sleep(120)  # a runaway check
        return real_batch(self, articles, on_stage)

    monkeypatch.setattr(Briefer, "brief_batch", brief_batch)
    out = tmp_path / "out"
    # The good article first, so its budget also covers loading the models on a busy machine.
    result = brief([inputs[1], inputs[0], "-o", str(out), "--article-timeout", "15", "--batch-articles", "1"])
    assert result.exit_code == 1, result.stderr
    assert no_traceback(result)
    assert [path.name for path in out.glob("*.md")] == ["001_artikel.md"]
    assert any("000_artikel.txt" in line and "article-timeout" in line for line in result.stderr.splitlines())


# -- brief records that are not as written ------------------------------------------------------------


CORRUPT_RECORDS = {
    "list": "[1, 2]",
    "null": "null",
    "string": '"brief"',
    "garbage": "\x00\x01not json",
    "empty": "",
    "no key": None,  # built from the real record
    "garbage brief": None,
    "edited headline": None,
    "written not a dict": None,
}


def _corrupt(record: dict, kind: str) -> str:
    if CORRUPT_RECORDS[kind] is not None:
        return CORRUPT_RECORDS[kind]
    if kind == "no key":
        record.pop("key")
    elif kind == "garbage brief":
        record["brief"] = {"nonsense": True}
    elif kind == "edited headline":
        record["brief"]["headline"] = "Edited by hand"
    elif kind == "written not a dict":
        record["written"] = ["md"]
    return json.dumps(record)


@pytest.mark.parametrize("kind", list(CORRUPT_RECORDS))
def test_a_corrupt_brief_record_is_briefed_again_with_one_notice(tmp_path, kind):
    out = tmp_path / "out"
    assert brief([str(SAMPLE), "-o", str(out)]).exit_code == 0
    path = out / ".brief" / f"{STEM}.json"
    path.write_text(_corrupt(json.loads(path.read_text(encoding="utf-8")), kind), encoding="utf-8")
    result = brief([str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert no_traceback(result)
    assert "1 briefed" in result.stderr
    assert str(path) in result.stderr
    written = (out / f"{STEM}.md").read_text(encoding="utf-8")
    assert result.stdout == written and "Edited by hand" not in written
    again = brief([str(SAMPLE), "-o", str(out)])  # healed: reused quietly
    assert again.exit_code == 0 and "1 unchanged" in again.stderr and str(path) not in again.stderr


# -- mail that was never sent is not marked sent ------------------------------------------------------


def _sendmail(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-sendmail"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    "body",
    ["exit 0", "head -c 100 >/dev/null; exit 0", "exec 0<&-; exit 0", "cat >/dev/null; exit 75"],
    ids=["reads nothing", "reads half", "closes its input", "exits non-zero"],
)
def test_a_lying_sendmail_is_exit_4_and_the_briefs_stay_news(tmp_path, body):
    out = tmp_path / "out"
    mail = ["--sendmail", "--to", "editor@example.org", "-o", str(out), str(SAMPLE)]
    result = brief([*mail, "--sendmail-command", _sendmail(tmp_path, body)])
    assert result.exit_code == 4, result.stderr
    assert no_traceback(result)
    assert (out / f"{STEM}.eml").exists()
    record = json.loads((out / ".brief" / f"{STEM}.json").read_text(encoding="utf-8"))
    assert "mailed" not in record
    received = tmp_path / "received.eml"
    good = _sendmail(tmp_path, f"cat > {received}")
    assert brief([*mail, "--sendmail-command", good]).exit_code == 0
    assert "Subject:" in received.read_text(encoding="utf-8")


def test_sigterm_during_delivery_ends_the_sendmail_process_group(tmp_path):
    pidfile = tmp_path / "sendmail.pid"
    command = _sendmail(tmp_path, f"echo $$ > {pidfile}; sleep 60 & echo $! >> {pidfile}; wait")
    env = {**os.environ, "BRIEF_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "translate_summarize", str(SAMPLE), *MODEL_ARGS, "-o", str(tmp_path / "out"),
            "--sendmail", "--to", "editor@example.org", "--sendmail-command", command]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(pidfile.read_text().split() if pidfile.exists() else []) < 2:
        time.sleep(0.2)
    pids = [int(pid) for pid in pidfile.read_text().split()]
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and b"Traceback" not in stderr
    time.sleep(0.5)
    assert not [pid for pid in pids if _running(pid)]


def _running(pid: int) -> bool:
    """Whether `pid` is alive (a zombie waiting for its parent to reap it has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


# -- ordinary system errors are one line with the right exit status -----------------------------------


def _fail_writes(monkeypatch, code: int, *, after: int = 0):
    """atomic_write raises OSError(code) after `after` successful writes."""
    import translate_summarize.run.output as output

    real = output.atomic_write
    calls = {"n": 0}

    def atomic_write(path, data):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(code, os.strerror(code), str(path))
        real(path, data)

    monkeypatch.setattr(output, "atomic_write", atomic_write)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT])
def test_a_full_or_read_only_out_dir_is_one_line_and_exit_2(tmp_path, monkeypatch, code):
    _fail_writes(monkeypatch, code)
    out = tmp_path / "out"
    result = brief([str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 2, result.stderr
    assert no_traceback(result)
    errors = [line for line in result.stderr.splitlines() if "rror" in line]
    assert len(errors) == 1 and str(out) in errors[0], result.stderr
    assert not list(out.glob("*.md")) and not list(out.glob(".*.tmp"))


def test_a_disk_that_fills_after_some_briefs_is_exit_1(tmp_path, monkeypatch):
    inputs = edited_copies(tmp_path / "in", 3, blocks=2)
    _fail_writes(monkeypatch, errno.ENOSPC, after=3)  # one brief, its archive page and its record
    out = tmp_path / "out"
    result = brief([*inputs, "-o", str(out), "--batch-articles", "1"])
    assert result.exit_code == 1, result.stderr
    assert no_traceback(result)
    assert [path.name for path in out.glob("*.md")] == ["000_artikel.md"]


def test_a_read_only_out_dir_whose_briefs_are_current_is_fine(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert brief([str(SAMPLE), "-o", str(out)]).exit_code == 0
    (out / ".brief.lock").unlink(missing_ok=True)
    _fail_writes(monkeypatch, errno.EROFS)
    import filelock

    def acquire(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", self.lock_file)

    monkeypatch.setattr(filelock.FileLock, "acquire", acquire)
    result = brief([str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert no_traceback(result)
    assert result.stdout == (out / f"{STEM}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["out-dir", "state", "lock"])
def test_a_file_where_a_folder_belongs_is_one_line_and_exit_2(tmp_path, where):
    out = tmp_path / "out"
    if where == "out-dir":
        out.write_text("not a folder")
    else:
        out.mkdir()
        target = out / (".brief" if where == "state" else ".brief.lock")
        if where == "state":
            target.write_text("not a folder")
        else:
            target.mkdir()
    result = brief([str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 2, result.stderr
    assert no_traceback(result)
    errors = [line for line in result.stderr.splitlines() if "rror" in line]
    assert len(errors) == 1 and str(out) in errors[0], result.stderr


def test_the_manifest_never_glues_a_line_onto_a_partial_one(tmp_path):
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text('{"input": "a.txt", "status": "brie', encoding="utf-8")  # a full disk's last line
    result = brief([str(SAMPLE), "-o", str(tmp_path / "out"), "--manifest", str(manifest)])
    assert result.exit_code == 0, result.stderr
    lines = manifest.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["status"] == "briefed"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_the_manifest_is_one_line(tmp_path):
    manifest = Path("/dev/full")  # every write: ENOSPC
    result = brief([str(SAMPLE), "-o", str(tmp_path / "out"), "--manifest", str(manifest)])
    assert result.exit_code in (1, 2), result.stderr
    assert no_traceback(result)
    assert str(manifest) in result.stderr


def test_a_closed_stdout_stops_printing_not_the_run(tmp_path):
    inputs = edited_copies(tmp_path / "in", 3, blocks=2)
    out = tmp_path / "out"
    env = {**os.environ, "BRIEF_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "translate_summarize", *inputs, *MODEL_ARGS, "-o", str(out), "--batch-articles", "1"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=300)
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr, stderr
    assert process.returncode == 141, stderr
    assert sorted(path.name for path in out.glob("*.md")) == ["000_artikel.md", "001_artikel.md", "002_artikel.md"]


def test_feed_entries_briefed_without_sendmail_go_in_the_next_mail(tmp_path):
    from .test_feeds_cli import _full_text_feed

    feed, out = tmp_path / "lokaal.rss", tmp_path / "out"
    _full_text_feed(feed, ["Raad stemt in", "Nieuwe woningen"])
    assert brief(["--feed", str(feed), "-o", str(out)]).exit_code == 0  # by hand: files only
    received = tmp_path / "received.eml"
    mail = ["--feed", str(feed), "-o", str(out), "--sendmail", "--to", "editor@example.org"]
    result = brief([*mail, "--sendmail-command", _sendmail(tmp_path, f"cat > {received}")])
    assert result.exit_code == 0, result.stderr
    text = received.read_text(encoding="utf-8")
    assert "Raad stemt in" in text and "Nieuwe woningen" in text
    received.unlink()
    again = brief([*mail, "--sendmail-command", _sendmail(tmp_path, f"cat > {received}")])
    assert again.exit_code == 0 and not received.exists(), again.stderr  # mailed once only


# -- a model lock of any broken shape is one line -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "model = 5",
        'model = "x"',
        "[model]\nname = 'a'",  # a table, not an array of tables
        "model = [1, 2]",
        "[[model]]\nname = 'a'\nrevision = 'main'",  # no commit
        "[[model]]\nname = 3\nrevision = 'main'\ncommit = 'abc'",
        "not toml at all [",
        "\xff\xfe",
        None,  # a folder where the file belongs
    ],
)
def test_a_broken_model_lock_of_any_shape_is_one_line(tmp_path, text):
    from translate_summarize.engines.lock import read_lock
    from translate_summarize.errors import ConfigError

    path = tmp_path / "models.lock.toml"
    if text is None:
        path.mkdir()
    else:
        path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        read_lock(path)
    message = str(caught.value)
    assert "broken model lock" in message and str(path) in message and "\n" not in message
