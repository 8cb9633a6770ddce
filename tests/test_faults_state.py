"""State files that heal: a broken model lock, translation memory or feed state is one line, never a
traceback; a broken memory or feed state is set aside and rebuilt (issue 19)."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_summarize import cli
from translate_summarize.engines.lock import lock_path, read_lock, record
from translate_summarize.errors import ConfigError
from translate_summarize.pipeline.memory import TranslationMemory
from translate_summarize.sources.feed_state import FeedState

from .conftest import MODEL_ARGS, SAMPLE

COMMIT = "0123456789abcdef0123456789abcdef01234567"
BROKEN = {
    "list": b"[1, 2]",
    "null": b"null",
    "string": b'"feeds"',
    "number": b"42",
    "garbage": b"\xff\xfe\x00\x9c garbage \x01",
    "empty": b"",
    "truncated": b'{"format": 1, "feeds": {"a": {"k": {"sha',
}

# --- model lock ------------------------------------------------------------------------------------

LOCKS = {
    "model is a number": b"model = 5\n",
    "model is a string": b'model = "x"\n',
    "model is a list of numbers": b"model = [1, 2]\n",
    "missing commit": b'[[model]]\nname = "a/b"\nrevision = "main"\n',
    "revision is a number": f'[[model]]\nname = "a/b"\nrevision = 5\ncommit = "{COMMIT}"\n'.encode(),
    "garbage bytes": b"\xff\xfe\x00\x9c",
    "invalid toml": b"[[model]\n",
}


@pytest.mark.parametrize("content", LOCKS.values(), ids=LOCKS.keys())
def test_broken_lock_shape_is_one_line_naming_it(content):
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with pytest.raises(ConfigError, match="broken model lock") as caught:
        read_lock()
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    result = CliRunner().invoke(cli.app, [str(SAMPLE), "--out-dir", str(path.parent / "out"), *MODEL_ARGS])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and str(path) in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_lock_that_is_a_directory_is_one_line():
    path = lock_path()
    path.mkdir(parents=True)
    with pytest.raises(ConfigError, match="broken model lock") as caught:
        read_lock()
    assert str(path) in str(caught.value)


def test_a_broken_lock_is_replaced_by_recording():
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"model = 5\n")
    record({("a/b", "main"): COMMIT})
    assert read_lock() == {("a/b", "main"): COMMIT}


def test_empty_lock_is_no_lock():
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    assert read_lock() == {}


# --- translation memory ----------------------------------------------------------------------------


def _wrong_schema(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE translations (x TEXT)")


MEMORIES = {
    "garbage": lambda p: p.write_bytes(b"\xff\xfe garbage " * 500),
    "truncated": lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 30),
    "wrong schema": _wrong_schema,
    "directory": lambda p: p.mkdir(),
}


@pytest.mark.parametrize("make", MEMORIES.values(), ids=MEMORIES.keys())
def test_broken_memory_is_moved_aside_and_recreated(tmp_path, make, caplog):
    path = tmp_path / "memory.sqlite3"
    make(path)
    with caplog.at_level(logging.INFO):
        memory = TranslationMemory(path, "key")
        memory.store({"Hallo.": "Hello."})
        assert memory.lookup(["Hallo."]) == {"Hallo.": "Hello."}
        memory.close()
        again = TranslationMemory(path, "key")
        assert again.lookup(["Hallo."]) == {"Hallo.": "Hello."}
        again.close()
    said = [r for r in caplog.records if r.name == "translate_summarize.pipeline.memory"]
    assert len(said) == 1 and said[0].levelno == 25, [r.getMessage() for r in said]
    assert str(path) in said[0].getMessage()
    aside = list(tmp_path.glob("memory.sqlite3.broken-*"))
    assert len(aside) == 1 and aside[0].name in said[0].getMessage()


def test_broken_memory_on_a_read_only_folder_is_one_warning(tmp_path, caplog, monkeypatch):
    path = tmp_path / "memory.sqlite3"
    path.write_bytes(b"\xff garbage" * 100)
    import os as _os

    def refuse(*args, **kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr("translate_summarize.pipeline.memory.os.rename", refuse)
    with caplog.at_level(logging.WARNING):  # whatever level an earlier in-process run or Ray left behind
        for _ in range(2):
            memory = TranslationMemory(path, "key")
            assert not memory.available
            assert memory.lookup(["Hallo."]) == {}
            memory.store({"Hallo.": "Hello."})
            memory.close()
    warnings = [r for r in caplog.records if r.name == "translate_summarize.pipeline.memory" and r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and str(path) in warnings[0].getMessage()
    assert _os.path.exists(path)


# --- feed state ------------------------------------------------------------------------------------


def _state(folder: Path, content: bytes | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feeds.json"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    return path


FEED_FILES = {
    **BROKEN,
    "feeds is a list": b'{"format": 1, "feeds": []}',
    "feeds is null": b'{"format": 1, "feeds": null}',
    "other format": b'{"format": 99, "feeds": {}}',
    "directory": None,
}


@pytest.mark.parametrize("content", FEED_FILES.values(), ids=FEED_FILES.keys())
def test_broken_feed_state_is_absent_with_one_notice(tmp_path, content, caplog):
    path = _state(tmp_path, content)
    with caplog.at_level(logging.INFO):
        state = FeedState(tmp_path)
    assert not state.knows("f", "k") and state.status("f", "k", "x") == "new"
    said = [r for r in caplog.records if "feed_state" in r.name]
    assert len(said) == 1 and str(path) in said[0].getMessage()
    state.mark("f", "k", "abc")
    state.save()
    if content is not None:
        assert FeedState(tmp_path).status("f", "k", "abc") == "unchanged"


BAD_RECORDS = {
    "list": [1],
    "null": None,
    "string": "x",
    "number": 3,
    "sha256 number": {"sha256": 5},
    "seen list": {"sha256": "a", "seen": []},
    "failed string": {"sha256": None, "failed": "oops"},
    "attempts string": {"sha256": None, "failed": {"reason": "r", "fingerprint": "f", "attempts": "2", "lasting": True}},
    "lasting number": {"sha256": None, "failed": {"reason": "r", "fingerprint": "f", "attempts": 1, "lasting": 1}},
}


@pytest.mark.parametrize("bad", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_one_broken_record_is_dropped_the_rest_kept(tmp_path, bad, caplog):
    good = {"sha256": "abc", "at": "2026-01-01T00:00:00+00:00", "seen": "2026-01-01"}
    failed = {"sha256": None, "failed": {"reason": "404", "fingerprint": "fp", "attempts": 1, "lasting": True}}
    body = {"format": 1, "feeds": {"f": {"good": good, "bad": bad, "failed": failed}, "g": [1, 2]}}
    _state(tmp_path, json.dumps(body).encode())
    state = FeedState(tmp_path)
    assert state.status("f", "good", "abc") == "unchanged"
    assert state.failed_for_good("f", "failed", "fp") == "404"
    assert not state.knows("f", "bad")
    state.mark_failed("f", "bad", "fp", "timeout", transient=True)
    state.seen("f", ["good", "bad"])
    state.seen("g", ["x"])
    state.save()


@pytest.mark.parametrize("content", [b"[1, 2]", b'{"format": 1, "feeds": {"f": {"k": [1]}}}', b"\xff\x00"])
def test_feed_run_with_a_broken_state_is_no_traceback(tmp_path, content):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link>'
        "<description>d</description></channel></rss>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    _state(out / ".brief", content)
    result = CliRunner().invoke(cli.app, ["--feed", str(feed), "--out-dir", str(out), *MODEL_ARGS])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
