"""The story state in the out-dir (`.brief/stories.json`): kept, pruned, healed, never fatal."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from pathlib import Path

from translate_summarize.data import Article, Block, BlockKind, EarlierVersion
from translate_summarize.stories.fingerprint import fingerprint
from translate_summarize.stories.grouping import Known
from translate_summarize.stories.memory import STATE_FILE, StoryMemory

TODAY = date(2026, 12, 7)


def known(stem: str, seen: date = TODAY, **more) -> Known:
    article = Article(Path(f"{stem}.txt"), f"{stem}.txt", (Block(BlockKind.PARAGRAPH, f"Het kabinet trekt 2 miljard uit, zegt minister {stem}."),))
    return Known(stem, f"{stem}.txt", "ab" * 32, "story-1", "Headline", seen.isoformat(), fingerprint(article), **more)


def test_kept_read_back_and_pruned_after_the_days(tmp_path):
    memory = StoryMemory(tmp_path, days=3, today=TODAY)
    earlier = EarlierVersion("Old headline", "2026-12-05", "1 paragraph added", True, "NU.nl", "https://nu.nl/a")
    for stem, seen in (("today", TODAY), ("three-days", TODAY - timedelta(days=3)), ("four-days", TODAY - timedelta(days=4)), ("to-come", TODAY + timedelta(days=1))):
        memory.remember(known(stem, seen, outlet="AD", earlier=earlier if stem == "today" else None))
    memory.save()
    again = StoryMemory(tmp_path, days=3, today=TODAY)
    assert [old.stem for old in again.known()] == ["three-days", "today"]  # the last 3 days; none to come
    assert [old.stem for old in StoryMemory(tmp_path, days=1, today=TODAY + timedelta(days=1)).known()] == ["to-come", "today"]
    first = again.known()[1]
    assert (first.name, first.sha256, first.story, first.headline, first.seen) == ("today.txt", "ab" * 32, "story-1", "Headline", "2026-12-07")
    assert first.print.size == known("today").print.size and (first.print.signature == known("today").print.signature).all()
    assert first.print.jaccard(known("today").print) == 1.0 and first.earlier == earlier and first.outlet == "AD"
    assert [old.stem for old in StoryMemory(tmp_path, days=10, today=TODAY).known()] == ["four-days", "three-days", "today"]
    assert StoryMemory(tmp_path, days=99_999_999_999, today=TODAY).known()  # no overflow: at most MAX_DAYS


def test_a_broken_file_is_set_aside_with_one_line_and_healed_on_save(tmp_path, caplog):
    path = tmp_path / STATE_FILE
    for content in (b"{not json", b"\xff\xfe", b"[]", json.dumps({"format": 99, "articles": []}).encode(), b"[" * 100_000):
        path.write_bytes(content)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            memory = StoryMemory(tmp_path, today=TODAY)
        assert memory.known() == []
        assert len(caplog.records) == 1 and STATE_FILE in caplog.text, content
        memory.remember(known("a"))
        memory.save()
        assert json.loads(path.read_text(encoding="utf-8"))["format"] == 1


def test_entries_of_the_wrong_shape_are_dropped_and_the_others_kept(tmp_path, caplog):
    memory = StoryMemory(tmp_path, today=TODAY)
    memory.remember(known("good"))
    memory.save()
    data = json.loads((tmp_path / STATE_FILE).read_text(encoding="utf-8"))
    good = data["articles"][0]
    data["articles"] += [
        "x",
        {**good, "stem": "bad-signature", "signature": "AAAA"},
        {**good, "stem": "bad-size", "size": -1},
        {**good, "stem": "bad-seen", "seen": "yesterday"},
        {**good, "stem": "bad-facts", "facts": [1]},
        {**good, "stem": "bad-earlier", "earlier": {"headline": 1}},
        {**good, "stem": "huge-size", "size": 10**4000},
    ]
    (tmp_path / STATE_FILE).write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.INFO):
        again = StoryMemory(tmp_path, today=TODAY)
    assert [old.stem for old in again.known()] == ["good"]
    assert "7 story entries of the wrong shape dropped" in caplog.text


def test_a_state_that_cannot_be_written_costs_one_warning(tmp_path, caplog):
    (tmp_path / STATE_FILE).mkdir()  # os.replace cannot put a file there
    memory = StoryMemory(tmp_path, today=TODAY)
    memory.remember(known("a"))
    with caplog.at_level(logging.WARNING):
        memory.save()
    assert "story state not saved" in caplog.text and len(caplog.records) == 1
