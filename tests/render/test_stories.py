"""Digests lay a run out by story (`render/stories.py`): one entry per story, the others as "Also in"."""

from __future__ import annotations

import json
from dataclasses import replace

from translate_summarize.data import EarlierVersion, Source, StoryLink
from translate_summarize.render import FORMATS
from translate_summarize.render.email_format import default_subject
from translate_summarize.render.stories import earlier_note, story_entries

from ..briefs import make_brief


def member(name: str, story: str | None, lead: bool = False, outlet: str | None = None, **link) -> object:
    source = Source(url=f"https://example.org/{name}", outlet=outlet) if outlet else None
    brief = make_brief(article={"name": name, "path": f"in/{name}", "source": source}, headline=f"Headline of {name}")
    brief.story = StoryLink(story, lead, **link) if story else None
    return brief


def night():
    return [
        member("nu.txt", "s1", outlet="NU.nl"),
        member("other.txt", None),
        member("ad.txt", "s1", lead=True, outlet="AD"),
        member("bd.txt", "s1", outlet="<b>BD</b>", added=(1,)),
    ]


def test_one_entry_per_story_in_the_order_of_its_first_brief_shown_by_its_lead():
    entries = story_entries(night())
    assert [entry.brief.article.name for entry in entries] == ["ad.txt", "other.txt"]
    first = entries[0]
    assert [item.outlet for item in first.also] == ["NU.nl", "<b>BD</b>"]
    assert first.outlets == ["AD", "NU.nl", "<b>BD</b>"]
    assert first.also[1].added == (make_brief().blocks[1].target,) and first.also[0].added == ()
    assert first.also[0].link == "https://example.org/nu.txt"
    # A story whose lead is not in the digest (mailed before) is shown by its first brief.
    assert [entry.brief.article.name for entry in story_entries(night()[:2])] == ["nu.txt", "other.txt"]


def test_an_earlier_version_is_said_in_words():
    update = EarlierVersion("Fire in Veghel", "2026-12-05", "1 paragraph added", True, "NU.nl")
    assert earlier_note(update) == "Update of a story briefed 2026-12-05 (NU.nl: “Fire in Veghel”): 1 paragraph added"
    same = replace(update, updated=False, changes="same text", outlet=None)
    assert earlier_note(same) == "Also briefed 2026-12-05 (“Fire in Veghel”)"
    assert earlier_note(None) == ""


def test_titles_and_subjects_count_stories_only_where_copies_were_grouped():
    briefs = night()
    assert default_subject(briefs).startswith("Briefs: 2 stories from 4 articles (")
    ungrouped = [replace(brief, story=None) for brief in briefs]
    assert default_subject(ungrouped).startswith("Briefs: 4 articles (")


def test_every_format_shows_the_story_once_and_escapes_what_outlets_say():
    briefs = night()
    markdown = FORMATS["markdown"].document(briefs, digest=True).decode()
    assert markdown.count("## Full text") == 2 and markdown.count("## Also in") == 1
    assert "- NU.nl: [Headline of nu.txt](<https://example.org/nu.txt>)" in markdown
    assert "  - adds: " in markdown
    html = FORMATS["html"].document(briefs, digest=True).decode()
    assert "&lt;b&gt;BD&lt;/b&gt;" in html and "<b>BD</b>" not in html
    assert html.count('class="ft"') == 2  # two full texts, one per story
    text = FORMATS["text"].document(briefs, digest=True).decode()
    assert "Also in:" in text and "- NU.nl: Headline of nu.txt" in text
    data = json.loads(FORMATS["json"].document(briefs, digest=True))
    assert [story["lead"] for story in data["stories"]] == ["ad.txt", "other.txt"]
    assert [m["name"] for m in data["stories"][0]["members"]] == ["nu.txt", "ad.txt", "bd.txt"]
    assert data["stories"][1]["id"] is None and len(data["briefs"]) == 4
