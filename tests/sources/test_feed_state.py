"""The out-dir's feed state: briefed entries by text hash, failed ones by fingerprint, stale ones forgotten."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

from translate_summarize.sources.feed_state import KEEP_DAYS, MAX_ATTEMPTS, FeedState

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_the_state_file(tmp_path, caplog):
    state = FeedState(tmp_path)
    assert state.status("f", "a", "1" * 64) == "new"
    state.mark("f", "a", "1" * 64)
    state.mark("f", "old", None)
    state.save()
    data = json.loads((tmp_path / "feeds.json").read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["feeds"]["f"]["a"]["sha256"] == "1" * 64
    assert not [path for path in tmp_path.iterdir() if path.name != "feeds.json"]  # no temporary left
    again = FeedState(tmp_path)
    assert again.status("f", "a", "1" * 64) == "unchanged" and again.status("f", "a", "2" * 64) == "changed"
    assert again.status("f", "old", "3" * 64) == "unchanged" and again.is_new_or_changed("g", "a", "1" * 64)
    (tmp_path / "feeds.json").write_text("{kapot", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert FeedState(tmp_path).status("f", "a", "1" * 64) == "new"
    assert "every feed entry counts as new" in caplog.text


def test_a_lasting_failure_waits_until_the_entry_changes(tmp_path):
    state = FeedState(tmp_path)
    assert state.mark_failed("f", "a", "fp1", "HTTP 404 Not Found", transient=False) == 1
    state.save()
    state = FeedState(tmp_path)
    assert state.knows("f", "a") and state.failed_for_good("f", "a", "fp1") == "HTTP 404 Not Found"
    assert state.failed_for_good("f", "a", "fp2") is None  # the feed changed the entry: try it again
    assert state.status("f", "a", "9" * 64) == "new"  # a failed entry that never had a brief
    state.mark("f", "a", "9" * 64)  # it worked this time
    assert state.failed_for_good("f", "a", "fp1") is None and state.status("f", "a", "9" * 64) == "unchanged"


def test_a_transient_failure_is_tried_again_a_few_runs(tmp_path):
    state = FeedState(tmp_path)
    for attempt in range(1, MAX_ATTEMPTS):
        assert state.mark_failed("f", "a", "fp", "timed out after 10 s", transient=True) == attempt
        assert state.failed_for_good("f", "a", "fp") is None
    assert state.mark_failed("f", "a", "fp", "timed out after 10 s", transient=True) == MAX_ATTEMPTS
    assert state.failed_for_good("f", "a", "fp") == "timed out after 10 s"
    # A changed entry starts counting again.
    assert state.mark_failed("f", "a", "fp-new", "timed out after 10 s", transient=True) == 1


def test_a_failure_keeps_the_hash_of_the_earlier_brief(tmp_path):
    state = FeedState(tmp_path)
    state.mark("f", "a", "1" * 64)
    state.mark_failed("f", "a", "fp", "HTTP 410 Gone", transient=False)
    assert state.status("f", "a", "1" * 64) == "unchanged" and state.status("f", "a", "2" * 64) == "changed"


def test_entries_gone_from_their_feed_are_forgotten_after_the_keep_days(tmp_path):
    state = FeedState(tmp_path)
    long_ago = NOW - timedelta(days=KEEP_DAYS + 1)
    state.mark("f", "old", "1" * 64, when=long_ago)
    state.mark("f", "still-listed", "2" * 64, when=long_ago)
    state.mark("f", "recent", "3" * 64, when=NOW - timedelta(days=KEEP_DAYS - 1))
    state.mark("g", "other-feed", "4" * 64, when=long_ago)
    assert state.seen("f", ["still-listed", "not-known"], now=NOW) == 1
    assert not state.knows("f", "old")
    assert state.knows("f", "still-listed") and state.knows("f", "recent") and not state.knows("f", "not-known")
    assert state.knows("g", "other-feed")  # only the feed that was read is pruned


def test_a_state_from_before_failures_and_seen_days_still_reads(tmp_path):
    record = {"sha256": "1" * 64, "at": "2026-11-28T06:00:00+00:00"}
    (tmp_path / "feeds.json").write_text(json.dumps({"format": 1, "feeds": {"f": {"a": record}}}), encoding="utf-8")
    state = FeedState(tmp_path)
    assert state.status("f", "a", "1" * 64) == "unchanged"
    assert state.seen("f", [], now=NOW) == 0 and state.knows("f", "a")


def test_a_state_that_cannot_be_written_is_one_error_line_not_the_end(tmp_path, monkeypatch, caplog):
    def refuse(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("translate_summarize.sources.feed_state.atomic_write", refuse)
    state = FeedState(tmp_path)
    state.mark("f", "a", "1" * 64)
    with caplog.at_level(logging.ERROR):
        state.save()
        state.save()
    assert caplog.text.count("cannot be written (Permission denied)") == 1
