"""Typed records passed between the stages: read -> split -> translate -> summarize -> check -> render.

Each stage takes and returns these dataclasses, so a renderer never needs a model and a model never
needs to know about output formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class BlockKind(str, Enum):
    """What a block of the article is; the title and subheadings are kept apart so they render as headings.

    TITLE is the article's leading headline line (at most one, the first block); it becomes the
    brief's headline. Headings never reach the summarizer. LIST_ITEM is one item of a bulleted or
    numbered list (its marker in `Block.marker`): its own translation unit, rendered as a list item.
    """

    PARAGRAPH = "paragraph"
    SUBHEADING = "subheading"
    TITLE = "title"
    LIST_ITEM = "list_item"

    @property
    def is_heading(self) -> bool:
        return self in (BlockKind.SUBHEADING, BlockKind.TITLE)


@dataclass(frozen=True)
class Block:
    """One paragraph, subheading, list item or the title of the source article, in article order.

    `marker` is a list item's marker as written (`•`, `-`, `*`, `1.`, `a)`), None for other kinds.
    """

    kind: BlockKind
    text: str
    marker: str | None = None


@dataclass(frozen=True)
class Source:
    """Where an article was found on the web: each field None when the page or feed does not say.

    `url` is the page's canonical URL (else the URL it was fetched from, or the feed entry's link);
    `outlet` the feed's title or the site's name; `published` an ISO 8601 date or date-time. A
    `user:password@` in the URL is dropped: the brief shows the link and mails it on.
    """

    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None

    def __post_init__(self) -> None:
        if self.url:
            object.__setattr__(self, "url", without_credentials(self.url))


def without_credentials(text: str) -> str:
    """`text` with the `user:password@` of an http(s) URL in it dropped (for what is shown or mailed:
    briefs, error lines, the manifest); anything else unchanged."""
    if "@" not in text or "://" not in text:
        return text
    import re

    return re.sub(r"\b(https?://)[^/@\s]+@", r"\1", text, flags=re.IGNORECASE)


@dataclass(frozen=True)
class GivenSummary:
    """A summary made for another article of the same story (`stories/`), taken instead of
    summarizing an article that tells nothing the other does not: `source` names that article."""

    source: str
    english: str
    dutch: str
    cut: bool = False  # the summary was cut at the model's length limit (a check says so)


@dataclass(frozen=True)
class Article:
    """A source article after reading: its metadata and its blocks, nothing translated yet.

    `given_summary` is set by the run for a copy of a story whose summary is already made: the
    briefer translates the article's text but takes that summary (and names its source).
    """

    path: Path
    name: str
    blocks: tuple[Block, ...]
    date: str | None = None
    encoding: str = "utf-8"
    language: str = "nl"
    sha256: str = ""
    source: Source | None = None  # where a web page or feed entry came from; None for a plain file
    given_summary: GivenSummary | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True)
class SentencePair:
    """A source sentence and its translation (one model call's worth of text).

    `confidence`: the translation's dual conditional cross-entropy score in (0, 1]
    (`pipeline/confidence.py`), None where nothing was translated (English input). `low_confidence`:
    among the least confident of its article, marked for the reader ("check this sentence").
    """

    source: str
    target: str
    confidence: float | None = None
    low_confidence: bool = False


@dataclass(frozen=True)
class AlignedBlock:
    """A block of the article beside its translation, with the sentence pairs it was built from."""

    kind: BlockKind
    source: str
    target: str
    sentences: tuple[SentencePair, ...]
    marker: str | None = None  # a list item's marker (`Block.marker`)


@dataclass(frozen=True)
class ModelInfo:
    """Which model did which job, so a reader can tell how a brief was made."""

    role: str
    name: str
    revision: str | None
    engine: str = "torch"


@dataclass(frozen=True)
class Check:
    """One faithfulness finding. `ok` checks are kept too, so JSON consumers see what was checked."""

    name: str
    ok: bool
    message: str
    where: str = ""


@dataclass
class StageStats:
    """Per-stage timing and token counts, for the JSON output and the benchmark."""

    seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    items: int = 0
    cached: int = 0


@dataclass(frozen=True)
class EarlierVersion:
    """An article an earlier run briefed that this one repeats: another outlet's copy, or an older
    version of it. `changes` says what changed in paragraphs (`1 paragraph added`, `same text`)."""

    headline: str
    seen: str  # YYYY-MM-DD, the day of the run that last had it
    changes: str
    updated: bool  # the text changed: this article is an update of that story
    outlet: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class StoryLink:
    """The story a brief belongs to in its run (`stories/`), for the digests that show it once.

    `lead`: the story's most complete article in the run, whose brief the digest shows; `added`:
    indices in `Brief.blocks` of what this article tells that the lead does not; `earlier`: the
    article of an earlier run it repeats, if any."""

    id: str
    lead: bool = True
    added: tuple[int, ...] = ()
    earlier: EarlierVersion | None = None


@dataclass
class Brief:
    """Everything a renderer needs to write one bilingual brief.

    `summary_of` names the article whose summary this brief shares (one story, `stories/`), None
    when the summary was made for this article. `story` is the run's grouping, set by the run for
    its digest and not stored with the brief.
    """

    article: Article
    headline: str
    summary_en: str
    summary_nl: str
    blocks: tuple[AlignedBlock, ...]
    models: tuple[ModelInfo, ...]
    created: str
    checks: tuple[Check, ...] = ()
    stats: dict[str, StageStats] = field(default_factory=dict)
    key: str = ""
    summary_of: str | None = None
    story: StoryLink | None = None

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.ok)


@dataclass(frozen=True)
class Failure:
    """An input that got no brief, and why (the one-line reason the log gave)."""

    input: str
    reason: str


@dataclass(frozen=True)
class RunStatus:
    """What a run did, for the top of a digest: counts, and each failed input named."""

    briefed: int = 0
    unchanged: int = 0
    failures: tuple[Failure, ...] = ()

    @property
    def line(self) -> str:
        """`3 briefed, 0 unchanged, 1 failed`: the same words as the run's last line on stderr."""
        return f"{self.briefed} briefed, {self.unchanged} unchanged, {len(self.failures)} failed"
