"""One entry per story in a digest: the brief shown, and the other outlets' copies as "Also in".

Every digest format (Markdown, text, HTML, the mail, JSON's `stories`) lays a run out by
`story_entries`: briefs of one story (`Brief.story.id`, set by the run) make one entry, shown by the
story's lead (its most complete article) and listing each other member's outlet, headline and link,
with the English of any paragraph it adds and, for a copy or update of an article an earlier run
briefed, what changed since. Briefs without a story each make an entry of their own. Functions here
return text (str): no markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..data import Brief, EarlierVersion
from .fields import one_line, source_link, source_name


@dataclass(frozen=True)
class AlsoIn:
    """One more article of a story: its outlet, English headline and link, the English of what it
    adds to the story's shown brief, and `note` (what changed since an earlier run's version, or "")."""

    outlet: str
    headline: str
    link: str | None
    added: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class StoryEntry:
    """One story of a digest: `brief` is shown whole; `also` lists the story's other articles;
    `earlier` says which article of an earlier run the shown brief repeats or updates ("" if none)."""

    brief: Brief
    also: tuple[AlsoIn, ...] = ()
    earlier: str = ""

    @property
    def outlets(self) -> list[str]:
        """The outlets of the story, the shown brief's first, each once."""
        return list(dict.fromkeys([source_name(self.brief), *(item.outlet for item in self.also)]))


def earlier_note(earlier: EarlierVersion | None) -> str:
    """`Update of a story briefed 2026-12-05 (NU.nl: “Headline”): 1 paragraph added`, or for the same
    text `Also briefed 2026-12-05 (NU.nl: “Headline”)`; "" for None."""
    if earlier is None:
        return ""
    where = f"{one_line(earlier.outlet)}: " if earlier.outlet and earlier.outlet.strip() else ""
    said = f"{earlier.seen} ({where}“{one_line(earlier.headline)}”)"
    if earlier.updated:
        return f"Update of a story briefed {said}: {earlier.changes}"
    return f"Also briefed {said}"


def _also(brief: Brief) -> AlsoIn:
    link = brief.story
    added = tuple(one_line(brief.blocks[i].target) for i in (link.added if link else ()) if 0 <= i < len(brief.blocks))
    return AlsoIn(source_name(brief), one_line(brief.headline), source_link(brief), added, earlier_note(link.earlier if link else None))


def story_entries(briefs: Sequence[Brief]) -> list[StoryEntry]:
    """The digest's entries, in the order of each story's first brief: a story's lead is shown (else
    its first brief, when the lead is not among `briefs`), its other briefs listed as `also`."""
    stories: dict[str, list[Brief]] = {}
    for number, brief in enumerate(briefs):
        stories.setdefault(brief.story.id if brief.story is not None else f"\0{number}", []).append(brief)
    entries = []
    for members in stories.values():
        shown = next((brief for brief in members if brief.story is not None and brief.story.lead), members[0])
        others = tuple(_also(brief) for brief in members if brief is not shown)
        entries.append(StoryEntry(shown, others, earlier_note(shown.story.earlier if shown.story else None)))
    return entries
