"""The run's stories: its articles grouped (`stories/`), a copy's summary taken from its story, and
the stories remembered in the out-dir for the next runs (`--group`, `--story-days`).

`RunStories` is made under the run's lock, once every input is read. `group` places each article
in a story; `waits(index)` says which articles take their summary from their story's lead in this
run (they are briefed after the leads); `prepared(index, article)` gives the article the summary it
takes, when one is ready; `link(index)` is the story as the digest shows it; `remember` and `save`
keep the run's articles for the next `story_days` days.

A copy takes the lead's summary when it tells no fact the lead does not (no number or name of its
own, `stories.grouping.added_blocks`); a lead that repeats another outlet's article an earlier run
briefed takes that brief's summary on the same terms, when the out-dir still holds the brief made
by the same models (an article changed in place is summarized again). With `--executor ray` all work is handed out at once, so copies are briefed in full.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from ..data import Article, BlockKind, Brief, EarlierVersion, GivenSummary, StoryLink
from ..errors import InputError, unexpected_reason
from ..pipeline.keys import cache_key
from ..render.json_format import brief_from_dict
from ..stories.fingerprint import fingerprint
from ..stories.grouping import Known, Membership, Tonight, added_blocks, group
from ..stories.memory import StoryMemory
from .options import RunSettings
from .output import OutputFolder

log = logging.getLogger(__name__)

Read = tuple[str, str, "Article | InputError"]  # (input, out-dir stem, its article or why not)


def _brief_indices(article: Article, body: tuple[int, ...]) -> tuple[int, ...]:
    """Indices in `article.blocks` (and so in its brief's blocks) of the body blocks numbered `body`."""
    numbers = [i for i, block in enumerate(article.blocks) if block.kind is not BlockKind.TITLE]
    return tuple(numbers[j] for j in body if 0 <= j < len(numbers))


class RunStories:
    """See the module's docstring."""

    def __init__(self, settings: RunSettings, folder: OutputFolder):
        self.settings = settings
        self.folder = folder
        self.memory = StoryMemory(folder.state, settings.story_days) if settings.story_days > 0 else None
        self.members: dict[int, Membership] = {}
        self.tonight: dict[int, Tonight] = {}
        self.articles: dict[int, Article] = {}
        self.briefs: dict[int, Brief] = {}  # index -> the brief made or reused, as each is ready

    @classmethod
    def grouped(cls, settings: RunSettings, folder: OutputFolder, read: list[Read], cached: dict[int, dict]) -> RunStories | None:
        """The run's stories over every input `read` (`cached`: index -> the reused record of an
        unchanged one), or None, after one warning, when grouping fails: a bug in grouping costs the
        grouping, never the night."""
        try:
            stories = cls(settings, folder)
            stories.group(read)
        except Exception as error:
            log.warning("stories not grouped: %s", unexpected_reason(error))
            log.info("traceback of the unexpected error", exc_info=error)
            return None
        for index, record in cached.items():
            stories.ready(index, record["reused"])
        return stories

    def stale(self, cached: dict[int, dict], working: set[int]) -> list[int]:
        """Indices of reused briefs whose summary was taken from a lead that changed: the lead is
        briefed again this run (`working`), is another article now, or the copy now tells facts
        of its own. They are briefed again (with the lead's new summary, or their own)."""
        found = []
        for index, record in cached.items():
            taken = record["reused"].summary_of
            member = self.members.get(index)
            if taken is None or member is None or member.lead == index:  # a lead's was an earlier run's: kept
                continue
            lead = self.articles.get(member.lead)
            if not self.waits(index) or member.lead in working or lead is None or lead.name != taken:
                found.append(index)
        return found

    def windows(self, todo: list[tuple[int, Article]], size: int) -> Iterator[list[tuple[int, Article]]]:
        """The articles that need work, `size` at a time: first those that make their own summary,
        then the copies that take their lead's (each given it as its window is handed out, when the
        lead's brief is ready by then)."""
        for wait in (False, True):
            batch = [(index, article) for index, article in todo if self.waits(index) == wait]
            for start in range(0, len(batch), size):
                yield [(index, self.prepared(index, article)) for index, article in batch[start : start + size]]

    def group(self, read: list[Read]) -> None:
        """Place every article read in its story (an article whose fingerprint cannot be made is a
        story of its own)."""
        for index, (item, stem, article) in enumerate(read):
            if isinstance(article, InputError):
                continue
            try:
                self.tonight[index] = Tonight(stem, article.sha256, fingerprint(article))
                self.articles[index] = article
            except Exception as error:  # a bug in one article's fingerprint: it is not grouped
                log.info("%s: not grouped (%s)", item, error, exc_info=error)
        self.members = group(self.tonight, self.memory.known() if self.memory is not None else ())
        stories = len({member.story for member in self.members.values()})
        if stories < len(self.members):
            log.info("%d articles tell %d stories", len(self.members), stories)

    def waits(self, index: int) -> bool:
        """Whether the article takes its summary from its story's lead in this run (no facts of its own)."""
        member = self.members.get(index)
        return member is not None and member.lead != index and not member.added

    def ready(self, index: int, result: object) -> None:
        """Note a brief made or reused for `index` (a lead's is a copy's summary)."""
        if isinstance(result, Brief):
            self.briefs[index] = result

    def prepared(self, index: int, article: Article) -> Article:
        """`article`, with the summary it takes from its story when one is ready (else as it is)."""
        member = self.members.get(index)
        if member is None:
            return article
        given = None
        if self.waits(index):
            lead = self.briefs.get(member.lead)
            if lead is not None and lead.summary_en.strip():
                given = GivenSummary(lead.summary_of or lead.article.name, lead.summary_en, lead.summary_nl, _was_cut(lead))
        elif member.lead == index and member.earlier is not None and member.earlier.stem != self.tonight[index].stem:
            given = self._earlier_summary(index, member.earlier)  # another outlet's copy, briefed before
        return replace(article, given_summary=given) if given is not None else article

    def _earlier_summary(self, index: int, earlier: Known) -> GivenSummary | None:
        """The summary of the earlier run's brief this lead repeats, when it adds no fact to it and
        that brief is still in the out-dir, made by the same models."""
        if added_blocks(self.tonight[index].print, earlier.print.facts):
            return None
        record = self.folder.cached(earlier.stem, cache_key(self.settings.brief, article=earlier.sha256))
        try:
            brief = brief_from_dict(record["brief"]) if record is not None else None
        except Exception:  # a record that no longer parses: the lead is summarized
            return None
        if brief is None or not brief.summary_en.strip():
            return None
        return GivenSummary(brief.summary_of or brief.article.name, brief.summary_en, brief.summary_nl, _was_cut(brief))

    def link(self, index: int) -> StoryLink | None:
        """The story of the article at `index`, as a digest shows it; None when it was not grouped."""
        member = self.members.get(index)
        if member is None:
            return None
        earlier = member.kept
        if member.earlier is not None:
            old, change = member.earlier, member.changes
            updated = change is not None and change.any
            earlier = EarlierVersion(old.headline, old.seen, change.describe() if change else "same text", updated, old.outlet, old.url)
        return StoryLink(member.story, member.lead == index, _brief_indices(self.articles[index], member.added), earlier)

    def remember(self, index: int, brief: Brief) -> None:
        """Keep the article of a brief written this run (for the next `story_days` days)."""
        member, item = self.members.get(index), self.tonight.get(index)
        if self.memory is None or member is None or item is None:
            return
        source = brief.article.source
        self.memory.remember(
            Known(
                stem=item.stem,
                name=brief.article.name,
                sha256=item.sha256,
                story=member.story,
                headline=brief.headline,
                seen=date.today().isoformat(),
                print=replace(item.print, blocks=None),
                outlet=source.outlet if source is not None else None,
                url=source.url if source is not None else None,
                earlier=brief.story.earlier if brief.story is not None else None,
            )
        )

    def save(self) -> None:
        if self.memory is not None:
            self.memory.save()


def _was_cut(brief: Brief) -> bool:
    return any(check.name == "summary-cut" and not check.ok for check in brief.checks)
