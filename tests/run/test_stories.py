"""One story, one entry (issue #23), through the real pipeline with the fixture models: copies of a
wire story grouped, briefed once, shown once in every digest format; across runs; `--no-group`."""

from __future__ import annotations

import json
import shutil
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app

from ..conftest import MODEL_ARGS

DEV = Path(__file__).resolve().parent.parent / "data" / "stories" / "dev"
FIRE = DEV / "bolder-bakkerijen-brand"
# name in the run -> version of the fire story (02 adds an update with new facts; 03 drops a
# paragraph; 04 is the first two paragraphs), and the same company's other news.
NIGHT = {
    "nu-brand.txt": FIRE / "01-origineel.txt",
    "ad-brand.txt": FIRE / "03-alinea-weg.txt",
    "bd-brand.txt": FIRE / "02-update.txt",
    "omroep-brand.txt": FIRE / "04-flash.txt",
    "nu-banen.txt": DEV / "bolder-bakkerijen-banenverlies" / "01-origineel.txt",
}


def night(folder: Path, names=NIGHT) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(NIGHT.get(name, name), folder / name)
    return [str(folder / name) for name in names]


def brief(*args: str):
    result = CliRunner().invoke(app, [*args, *MODEL_ARGS])
    assert "Traceback" not in result.stderr, result.stderr
    return result


def json_digest(inputs: list[str], out: Path, *more: str) -> dict:
    result = brief(*inputs, "-o", str(out), "--format", "json", "--digest", *more)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_copies_are_one_story_briefed_once_and_every_member_keeps_its_file(tmp_path):
    inputs = night(tmp_path / "in")
    digest = json_digest(inputs, tmp_path / "out")
    assert digest["schema_version"] == 6
    stories = {story["lead"]: story for story in digest["stories"]}
    assert set(stories) == {"bd-brand.txt", "nu-banen.txt"}  # the update is the most complete version
    fire = stories["bd-brand.txt"]
    assert [member["name"] for member in fire["members"]] == ["nu-brand.txt", "ad-brand.txt", "bd-brand.txt", "omroep-brand.txt"]
    assert [member["lead"] for member in fire["members"]] == [False, False, True, False]
    briefs = {b["article"]["name"]: b for b in digest["briefs"]}
    # Copies that tell nothing new take the lead's summary: summarized once, for the story.
    for name in ("nu-brand.txt", "ad-brand.txt", "omroep-brand.txt"):
        assert briefs[name]["summary_of"] == "bd-brand.txt"
        assert briefs[name]["summary"] == briefs["bd-brand.txt"]["summary"]
        assert briefs[name]["stats"]["summarize"]["cached"] == 1
    assert briefs["bd-brand.txt"]["summary_of"] is None and briefs["nu-banen.txt"]["summary_of"] is None
    # Nothing a user had is lost: every member has its own brief file, with its own full text.
    files = sorted(path.name for path in (tmp_path / "out").glob("*.json"))
    assert files == sorted(name.replace(".txt", ".json") for name in NIGHT)


def test_a_copy_that_adds_facts_is_summarized_and_its_paragraph_shown(tmp_path):
    inputs = night(tmp_path / "in", ["nu-brand.txt", "bd-brand.txt"])
    local = Path(inputs[0])  # the original gains a local paragraph; the other copy has the update
    local.write_text(local.read_text(encoding="utf-8") + "\nIn Uden gaat het om 45 werknemers, zegt wethouder Karin Dekkers.\n", encoding="utf-8")
    digest = json_digest(inputs, tmp_path / "out")
    (story,) = digest["stories"]
    assert story["lead"] == "bd-brand.txt"
    (member,) = [m for m in story["members"] if not m["lead"]]
    assert member["name"] == "nu-brand.txt" and len(member["adds"]) == 1 and "Uden" in member["adds"][0]
    assert all(b["summary_of"] is None for b in digest["briefs"])  # both tell something of their own
    markdown = brief(*inputs, "-o", str(tmp_path / "out"), "--digest")
    assert "## Also in" in markdown.stdout and "  - adds: " in markdown.stdout


@pytest.mark.parametrize("fmt", ["markdown", "text", "html", "email"])
def test_every_digest_format_shows_one_entry_per_story(tmp_path, fmt):
    inputs = night(tmp_path / "in")
    args = ["--to", "editor@example.org", "--from", "brief@example.org"] if fmt == "email" else ["--digest"]
    result = brief(*inputs, "-o", str(tmp_path / "out"), "--format", fmt, *args)
    assert result.exit_code == 0, result.stderr
    assert "5 briefed, 0 unchanged, 0 failed; 2 stories from 5 articles -> " in result.stderr  # the closing line
    out = result.stdout
    if fmt == "email":
        message = message_from_bytes(result.stdout_bytes, policy=policy.default)
        assert message["Subject"].startswith("Briefs: 2 stories from 5 articles (")
        out = message.get_body(("html",)).get_content()
        assert "Also in:" in message.get_body(("plain",)).get_content()
    assert "2 stories from 5 articles" in out
    assert out.count("Also in") == 1
    for outlet in ("nu-brand.txt", "ad-brand.txt", "omroep-brand.txt"):
        assert outlet in out
    if fmt == "markdown":
        assert out.count("## Full text") == 2  # one full text per story
        contents = out.split("---", 1)[0]
        assert "1. " in contents and "2. " in contents and "3. " not in contents
        assert "(bd-brand.txt, nu-brand.txt, ad-brand.txt, omroep-brand.txt)" in contents


def test_no_group_briefs_and_shows_every_copy(tmp_path):
    inputs = night(tmp_path / "in")
    digest = json_digest(inputs, tmp_path / "out", "--no-group")
    assert all(b["summary_of"] is None for b in digest["briefs"])
    assert [story["id"] for story in digest["stories"]] == [None] * 5
    assert not (tmp_path / "out" / ".brief" / "stories.json").exists()
    markdown = brief(*inputs, "-o", str(tmp_path / "out"), "--digest", "--no-group")
    assert "Also in" not in markdown.stdout and markdown.stdout.count("## Full text") == 5


def test_a_copy_in_a_later_run_joins_the_story_and_an_update_says_what_changed(tmp_path):
    out = tmp_path / "out"
    first = night(tmp_path / "in1", ["nu-brand.txt"])
    json_digest(first, out)
    state = json.loads((out / ".brief" / "stories.json").read_text(encoding="utf-8"))
    assert [entry["stem"] for entry in state["articles"]] == ["nu-brand"] and "signature" in state["articles"][0]
    later = night(tmp_path / "in2", ["ad-brand.txt", "bd-brand.txt", "nu-banen.txt"])
    digest = json_digest(later, out)
    stories = {story["lead"]: story for story in digest["stories"]}
    assert set(stories) == {"bd-brand.txt", "nu-banen.txt"}
    members = {m["name"]: m for m in stories["bd-brand.txt"]["members"]}
    update = members["bd-brand.txt"]["earlier"]
    assert update["updated"] is True and update["seen"] == date.today().isoformat()
    assert update["changes"] == "1 paragraph added"
    assert members["ad-brand.txt"]["earlier"]["changes"] == "1 paragraph removed"
    assert stories["nu-banen.txt"]["members"][0]["earlier"] is None
    assert stories["bd-brand.txt"]["id"] == state["articles"][0]["story"]  # the earlier story's id
    text = brief(*later, "-o", str(out), "--digest", "--format", "text").stdout
    assert f"Update of a story briefed {date.today().isoformat()}" in text and ": 1 paragraph added" in text


def test_the_story_state_is_healed_or_named_never_fatal(tmp_path):
    out = tmp_path / "out"
    inputs = night(tmp_path / "in", ["nu-brand.txt", "ad-brand.txt"])
    (out / ".brief").mkdir(parents=True)
    state = out / ".brief" / "stories.json"
    state.write_text("{not json", encoding="utf-8")
    result = brief(*inputs, "-o", str(out), "--digest")
    assert result.exit_code == 0 and "stories.json: story state is not JSON, ignored (written anew after this run)" in result.stderr
    assert json.loads(state.read_text(encoding="utf-8"))["format"] == 1  # healed
    state.write_text(json.dumps({"format": 1, "articles": [{"stem": 3}, "x"]}), encoding="utf-8")
    result = brief(*inputs, "-o", str(out), "--digest", "--force")
    assert result.exit_code == 0 and "2 story entries of the wrong shape dropped" in result.stderr
    state.unlink()
    state.mkdir()  # a state that cannot be written: one warning, the briefs still made
    result = brief(*inputs, "-o", str(out), "--digest", "--force")
    assert result.exit_code == 0 and "story state not saved" in result.stderr
    assert "1 story from 2 articles" in result.stdout or "Also in" in result.stdout


def test_a_bug_in_grouping_costs_the_grouping_not_the_night(tmp_path, monkeypatch):
    import translate_summarize.run.stories as run_stories

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(run_stories, "group", broken)
    inputs = night(tmp_path / "in", ["nu-brand.txt", "ad-brand.txt"])
    result = brief(*inputs, "-o", str(tmp_path / "out"), "--digest")
    assert result.exit_code == 0 and "stories not grouped: unexpected error (ZeroDivisionError: a bug)" in result.stderr
    assert result.stdout.count("## Full text") == 2 and "2 briefed, 0 unchanged, 0 failed" in result.stderr
    # -v shows the traceback the line promises (and only -v).
    verbose = CliRunner().invoke(app, [*inputs, "-o", str(tmp_path / "out"), "--digest", "--force", "-v", *MODEL_ARGS])
    assert "Traceback (most recent call last)" in verbose.stderr and "ZeroDivisionError: a bug" in verbose.stderr


def test_a_copy_whose_lead_changes_takes_the_new_summary_and_no_false_flag(tmp_path):
    """The lead updated (a paragraph with new facts): the copy that took its summary is briefed again
    with the new one, not left with the old. A shared summary's facts are checked against the lead."""
    inputs = night(tmp_path / "in", ["nu-brand.txt", "bd-brand.txt"])
    out = tmp_path / "out"
    first = {b["article"]["name"]: b for b in json_digest(inputs, out)["briefs"]}
    assert first["nu-brand.txt"]["summary_of"] == "bd-brand.txt"
    checks = {check["name"]: check for check in first["nu-brand.txt"]["checks"]}
    assert checks["hallucination"]["ok"] and "bd-brand.txt" in checks["hallucination"]["message"]
    lead = Path(inputs[1])
    lead.write_text(lead.read_text(encoding="utf-8") + "\nUpdate 15.00 uur: de schade wordt geschat op 3 miljoen euro, meldt verzekeraar Achmea.\n", encoding="utf-8")
    result = brief(*inputs, "-o", str(out), "--format", "json", "--digest")
    assert "2 briefed, 0 unchanged" in result.stderr  # the copy too, though its own text is unchanged
    again = {b["article"]["name"]: b for b in json.loads(result.stdout)["briefs"]}
    assert again["nu-brand.txt"]["summary_of"] == "bd-brand.txt" and again["nu-brand.txt"]["summary"] == again["bd-brand.txt"]["summary"]
