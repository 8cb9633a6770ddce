"""Which articles report the same story: near-duplicates of one text, in one run and across runs.

Two articles are one story when most of the smaller one's word shingles are in the larger one
(containment: counted exactly within a run, estimated from MinHash against a remembered day, see
`fingerprint.py`), and most of the numbers and names of one are in the other: wire copy
republished with a new headline, a rewritten intro, a byline, a paragraph dropped, added or moved,
words changed; a correction; a later, longer version. Different events about the same people,
places or topic share names but few runs of three words, and reports on one template (monthly
figures, quarterly results, a weather warning) share words and names but not figures: both stay
apart (`Thresholds`). `bench/bench_stories.py` prints the precision/recall curve.

A story grows around its lead, its most complete member (most shingles): an article joins the story
whose lead it matches best, never a story it only reaches through another member, so stories do
not chain. An outlet's own report written from scratch shares few word runs with the wire's and is
a story of its own: grouping errs on the side of "not the same story".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..data import EarlierVersion
from .fingerprint import NUM_PERM, Fingerprint

# Candidate pairs: every pair while a run and its remembered days hold at most EXACT_UP_TO
# articles (a night and three days of them: well under a second); past that, MinHash LSH proposes
# them (datasketch), tuned at LSH_THRESHOLD with a false negative weighed 19 times a false positive
# (1-row bands), so a pair at J = 0.05 is proposed with probability about 0.9.
EXACT_UP_TO = 2000
LSH_THRESHOLD = 0.05
LSH_WEIGHTS = (0.05, 0.95)


@dataclass(frozen=True)
class Thresholds:
    """When two articles are one story (every test met):

    - `containment`: the share of the smaller article's shingles found in the larger;
    - `shared`: at least so many shingles in common, so a few stock phrases never make a story;
    - `facts`: the share of the numbers and names of the one with fewer found in the other;
    - `numbers`: where the one with fewer numbers has at least `numbers_from` of them, the share of
      them found in the other: two reports on one template (monthly figures, quarterly results, a
      weather warning) share their words and names, not their figures, while a corrected version
      changes one figure of many;
    - `kin`: an article joins a story only where it shares at least this share of facts with every
      article of the story in the run, not only with the lead (a roundup of two stories is no story).

    Chosen on `tests/data/stories/dev` and `hard` (`bench/bench_stories.py`); `heldout` was not used
    to choose them."""

    containment: float = 0.45
    shared: int = 8
    facts: float = 0.6
    numbers: float = 0.65
    numbers_from: int = 3
    kin: float = 0.3


DEFAULT = Thresholds()


def same_story(a: Fingerprint, b: Fingerprint, thresholds: Thresholds = DEFAULT) -> bool:
    """Whether `a` and `b` are versions of one story (every threshold met)."""
    if a.fact_share(b) < thresholds.facts:
        return False
    if min(len(a.numbers), len(b.numbers)) >= thresholds.numbers_from and a.number_share(b) < thresholds.numbers:
        return False
    return a.shared(b) >= thresholds.shared and a.containment(b) >= thresholds.containment


@dataclass(frozen=True)
class Known:
    """An article an earlier run briefed, as the out-dir's story state remembers it."""

    stem: str
    name: str
    sha256: str
    story: str
    headline: str
    seen: str  # the day (YYYY-MM-DD) it was last in a run
    print: Fingerprint
    outlet: str | None = None
    url: str | None = None
    earlier: EarlierVersion | None = None  # what it repeated of a run before its own, if anything


@dataclass(frozen=True)
class Tonight:
    """An article of this run: its out-dir stem, its text's sha256 and its fingerprint."""

    stem: str
    sha256: str
    print: Fingerprint


@dataclass(frozen=True)
class Changes:
    """What changed between an earlier version and this one, in paragraphs (`describe` words it)."""

    added: int = 0
    removed: int = 0
    changed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def describe(self) -> str:
        """`1 paragraph added, 2 changed`, or `same text` when nothing changed."""
        parts = []
        for count, word in ((self.added, "added"), (self.changed, "changed"), (self.removed, "removed")):
            if count:
                parts.append(f"{count} {word}" if parts else f"{count} paragraph{'s' if count != 1 else ''} {word}")
        return ", ".join(parts) or "same text"


def changes(old: Sequence[str], new: Sequence[str]) -> Changes:
    """Paragraph changes from `old` to `new` (paragraph hashes): a new paragraph that replaces an
    old one counts as changed, the rest as added or removed."""
    gone = len([p for p in old if p not in set(new)])
    came = len([p for p in new if p not in set(old)])
    changed = min(gone, came)
    return Changes(added=came - changed, removed=gone - changed, changed=changed)


@dataclass(frozen=True)
class Membership:
    """Where one article of this run stands: its story's id, the index of the story's lead in this
    run, the indices of its body blocks that tell facts the lead does not (`added`, empty for the
    lead), and, when it repeats an article an earlier run briefed, that article and what changed.
    `kept`: for an article unchanged since an earlier run, what that run said it repeated."""

    story: str
    lead: int
    added: tuple[int, ...] = ()
    earlier: Known | None = None
    changes: Changes | None = None
    kept: EarlierVersion | None = None


def added_blocks(member: Fingerprint, lead: Fingerprint | frozenset[str]) -> tuple[int, ...]:
    """Indices of `member`'s body blocks that name a number or a name the lead (a fingerprint with
    blocks, or the lead's facts) does not."""
    facts = lead if isinstance(lead, frozenset) else lead.facts
    return tuple(i for i, block in enumerate(member.blocks or ()) if block.facts - facts)


def _candidates(tonight: Mapping[int, Tonight], known: Sequence[Known]):
    """A function: index of an article of this run -> the ("t", index) and ("k", index) of the
    articles it may be compared with (all of them, or those MinHash LSH proposes)."""
    every = [("t", number) for number in tonight if tonight[number].print.size]
    every += [("k", number) for number, old in enumerate(known) if old.print.size]
    if len(every) <= EXACT_UP_TO:
        return lambda number: every
    from datasketch import MinHashLSH

    index = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    for kind, number in every:
        index.insert((kind, number), (tonight[number].print if kind == "t" else known[number].print).minhash)
    return lambda number: index.query(tonight[number].print.minhash)


def group(tonight: Mapping[int, Tonight], known: Sequence[Known] = (), thresholds: Thresholds = DEFAULT) -> dict[int, Membership]:
    """Each article of this run (index -> Tonight) with its story, its lead and what it adds.

    Articles are placed most complete first: each joins the best-matching story among those whose
    lead (in this run) or whose earlier articles it matches, else starts a story of its own (id: the
    first 16 hex digits of its text's sha256). An article whose stem and text an earlier run
    remembers stays in that story, with no `earlier` (it is not news of the story).
    """
    candidates = _candidates(tonight, known)
    by_stem = {old.stem: old for old in known}
    leads: dict[str, int] = {}  # story id -> index of its lead in this run
    members: dict[str, list[int]] = {}  # story id -> its articles in this run, lead first
    placed: dict[int, Membership] = {}

    def place(number: int, story: str, old: Known | None = None, kept: EarlierVersion | None = None) -> None:
        lead = leads.setdefault(story, number)
        members.setdefault(story, []).append(number)
        added = added_blocks(tonight[number].print, tonight[lead].print) if lead != number else ()
        change = changes(old.print.paragraphs, tonight[number].print.paragraphs) if old is not None else None
        placed[number] = Membership(story, lead, added, old, change, kept)

    for number in sorted(tonight, key=lambda number: (-tonight[number].print.size, number)):
        item = tonight[number]
        same = by_stem.get(item.stem)
        if same is not None and same.sha256 == item.sha256:  # unchanged since an earlier run: in its story, as it was
            place(number, same.story, kept=same.earlier)
            continue
        fits: dict[str, float] = {}  # story -> how well the article fits it
        earlier: dict[str, tuple[float, Known]] = {}  # story -> the best earlier version it repeats
        for kind, other in candidates(number) if item.print.size else ():
            if kind == "t" and placed.get(other) is not None and placed[other].lead == other:
                target, story = tonight[other].print, placed[other].story
            elif kind == "k":
                target, story = known[other].print, known[other].story
            else:
                continue
            if not same_story(item.print, target, thresholds):
                continue
            score = item.print.containment(target) + (1.0 if kind == "k" and known[other].stem == item.stem else 0.0)
            fits[story] = max(fits.get(story, 0.0), score)
            if kind == "k" and score > earlier.get(story, (-1.0, None))[0]:
                earlier[story] = (score, known[other])
        # Every article of the story in this run must tell of the same people, places and figures
        # too: a roundup that holds two stories whole never brings them together.
        joinable = [story for story in fits if all(item.print.fact_share(tonight[m].print) >= thresholds.kin for m in members.get(story, ()))]
        if not joinable:
            place(number, item.sha256[:16] if item.sha256[:16] not in leads else f"{item.sha256[:16]}-{number}")
            continue
        story = max(joinable, key=lambda story: fits[story])
        place(number, story, earlier.get(story, (0.0, None))[1])
    return placed
