"""What every renderer shows about a brief, decided once: cleaned text, where the article came from,
its one date, its title, its checks in words, and the order of the two languages.

Order: English first wherever one language follows the other (summaries everywhere, the full text in
plain text, Markdown and on a phone), Dutch on the left where the two stand side by side (the HTML
full text on a wide screen). Functions here take a `Brief` (or a block) and return text (str): no markup.

Doubt: a sentence whose translation is among the least confident of its article
(`SentencePair.low_confidence`) is marked wherever the full text is shown. `english_segments` decides
which pieces of a block's English are marked; each renderer styles a marked piece (`⚠ ` before it in
plain text and Markdown, a `<mark class="doubt">` in HTML), and `DOUBT_LEGEND` explains the mark once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from ..data import AlignedBlock, BlockKind, Brief, Check, RunStatus

# Whitespace that is not an ordinary space or newline (vertical tab, form feed, the ASCII
# separators, NEL, Unicode line/paragraph separators): shown as a space.
_SPACE_LIKE = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
# Other C0/C1 controls (including ESC, so no terminal escape sequences) and lone surrogates
# (which cannot be encoded as UTF-8): shown as U+FFFD.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")

# Check kinds (`Check.name`, see checks/base.py and README "What the checks mean"): a short name for
# the legend, and what a flag of that kind says, by the number of sentences it was found in.
_KINDS = {
    "numbers": ("numbers", "numbers missing in {n} sentence{s}"),
    "names": ("names", "names missing in {n} sentence{s}"),
    "hallucination": ("summary facts", "facts not in the article in {n} summary sentence{s}"),
    "degenerate": ("broken translations", "a broken translation in {n} sentence{s}"),
    "untranslated": ("untranslated sentences", "{n} sentence{s} left untranslated"),
    "summary-cut": ("a cut summary", "the summary cut short"),
    "repaired": ("repaired translations", "translation repaired in {n} sentence{s}"),
    "confidence": ("low-confidence sentences", "{n} sentence{s} to check (low confidence)"),
    "glossary": ("glossary terms", "glossary terms not honoured in {n} sentence{s}"),
}
# checks/brief.py folds the warnings past a limit into one: "7 more sentences have the same problem".
_FOLDED = re.compile(r"(\d+) more sentences have the same problem")

CHECKS_LEGEND = (
    "About the checks: every article is checked for numbers (each number, amount and date of the Dutch is in "
    "the English), names (each name is), summary facts (each number and name of the summary is in the article), "
    "broken translations (empty, looping, far too long or short), untranslated sentences, a cut summary and "
    "low-confidence sentences (those the translation is least sure of), and, when a glossary is given, for "
    "glossary terms (each translated as the glossary says). “2 of 7 checks flagged” means two of the checks run "
    "found something to look at; each finding is listed with its sentence above the article’s full text."
)

DOUBT_MARK = "⚠"
DOUBT_LEGEND = f"{DOUBT_MARK} marks a sentence the translation is least sure of: check it against the Dutch."


class Segment(NamedTuple):
    """A piece of a block's English: one sentence's translation (or the whole block's English), whether
    it is marked as low-confidence, and its confidence (None where not known)."""

    text: str
    low: bool
    confidence: float | None = None


def clean_text(text: str) -> str:
    """Make article text safe to put in any text output, changing as little as possible.

    CR and CRLF become LF; exotic whitespace becomes a space; control characters and lone
    surrogates become U+FFFD. Tabs, newlines and every printable character are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_LIKE.sub(" ", text)
    return _CONTROL.sub("\ufffd", text)


def one_line(text: str) -> str:
    """`clean_text` with every run of whitespace, line breaks included, made one space."""
    return " ".join(clean_text(text).split())


def list_marker(marker: str | None) -> str:
    """A list item's marker as shown: a number or letter as written (`3.`, `2)`, `b)`), any bullet
    (`-`, `*`, `•`, `–`) as `•`."""
    return marker if marker and marker[0].isalnum() else "•"


def source_link(brief: Brief) -> str | None:
    """The article's web address when it came from the web and it is an http(s) URL (never a
    `javascript:` or other scheme from a page's canonical link), with no whitespace or control characters."""
    source = brief.article.source
    url = (source.url or "").strip() if source is not None else ""
    if not url.lower().startswith(("http://", "https://")) or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    return clean_text(url)


def source_name(brief: Brief) -> str:
    """Where the article came from, in a word: a web or feed article's outlet (else its link's host),
    a plain file's name."""
    source = brief.article.source
    if source is not None:
        if source.outlet and source.outlet.strip():
            return one_line(source.outlet)
        link = source_link(brief)
        if link and urlsplit(link).hostname:
            return str(urlsplit(link).hostname)
    return one_line(brief.article.name)


def brief_date(brief: Brief) -> str | None:
    """The article's one date: when it was published (`2026-11-28 06:15 +01:00`, or the date alone),
    else its date line, else None."""
    source = brief.article.source
    published = one_line(source.published) if source is not None and source.published else ""
    if published:
        try:
            moment = datetime.fromisoformat(published)
        except ValueError:
            return published
        if len(published) <= 10:
            return moment.date().isoformat()
        offset = moment.strftime("%z")
        return moment.strftime("%Y-%m-%d %H:%M") + (f" {offset[:3]}:{offset[3:]}" if offset else "")
    date = one_line(brief.article.date or "")
    return date or None


def title_block(brief: Brief) -> AlignedBlock | None:
    """The article's title (a leading TITLE block), which the headline already shows in English."""
    first = brief.blocks[0] if brief.blocks else None
    return first if first is not None and first.kind is BlockKind.TITLE else None


def full_text_blocks(brief: Brief) -> tuple[AlignedBlock, ...]:
    """The blocks of the full text: every block but the title, which the headline shows."""
    return brief.blocks[1:] if title_block(brief) is not None else brief.blocks


def english_segments(block: AlignedBlock) -> tuple[Segment, ...]:
    """A block's English as segments, to be shown joined by one space: one per sentence, each with its
    `low_confidence` mark (an empty unmarked one left out), where any sentence of the block is marked;
    else the block's English whole, unmarked (`block.target`, so an unmarked block renders exactly as
    it did before marks)."""
    if not any(pair.low_confidence for pair in block.sentences):
        return (Segment(block.target, False),)
    return tuple(
        Segment(pair.target, pair.low_confidence, pair.confidence)
        for pair in block.sentences
        if pair.low_confidence or pair.target.strip()
    )


def doubt_note(segment: Segment) -> str:
    """What a marked segment's tooltip says: `Low confidence (0.12): check this sentence`."""
    number = f" ({segment.confidence:.2f})" if segment.confidence is not None else ""
    return f"Low confidence{number}: check this sentence"


def has_doubts(briefs: Sequence[Brief]) -> bool:
    """Whether the full text of any of `briefs` has a marked sentence (then `DOUBT_LEGEND` is shown once)."""
    return any(pair.low_confidence for brief in briefs for block in full_text_blocks(brief) for pair in block.sentences)


def meta_fields(brief: Brief) -> list[tuple[str, str]]:
    """(label, value) of what a brief says about its article, in order: Source (outlet or file name;
    renderers add `source_link`), Author, Date, the Dutch title (and the English one where the
    headline shortened it, or marked `⚠` where the title is a low-confidence sentence: the headline
    itself, used in subjects and feeds, is never marked), Summary from (the article whose summary it
    shares), Briefed."""
    source = brief.article.source
    fields = [("Source", source_name(brief))]
    if source is not None and source.author and source.author.strip():
        fields.append(("Author", one_line(source.author)))
    fields.append(("Date", brief_date(brief) or "unknown"))
    title = title_block(brief)
    if title is not None:
        fields.append(("Dutch title", one_line(title.source)))
        if any(pair.low_confidence for pair in title.sentences):
            fields.append(("English title", f"{DOUBT_MARK} {one_line(title.target)} (low confidence: check it against the Dutch)"))
        elif one_line(title.target) != one_line(brief.headline):
            fields.append(("English title", one_line(title.target)))
    if brief.summary_of:  # one story: the summary was made once, for the story's lead
        fields.append(("Summary from", one_line(brief.summary_of)))
    fields.append(("Briefed", one_line(brief.created)))
    return [(label, value) for label, value in fields if value]


def _sentences(warnings: Sequence[Check]) -> int:
    total = 0
    for check in warnings:
        folded = _FOLDED.match(check.message.strip())
        total += int(folded.group(1)) if folded else 1
    return total


def check_line(brief: Brief) -> str:
    """The brief's checks in words, one line: `2 of 6 checks flagged: numbers missing in 1 sentence,
    names missing in 3 sentences`, `all 6 checks passed`, or "" when nothing was checked. A check is
    one kind (`Check.name`): its many warnings count as one check flagged, in so many sentences."""
    kinds = list(dict.fromkeys(check.name for check in brief.checks))
    flagged = list(dict.fromkeys(check.name for check in brief.warnings))
    if not kinds:
        return ""
    if not flagged:
        return f"all {len(kinds)} checks passed" if len(kinds) > 1 else "the 1 check passed"
    said = []
    for kind in flagged:
        n = _sentences([check for check in brief.warnings if check.name == kind])
        plural = "" if n == 1 else "s"
        known = _KINDS.get(kind)
        said.append(known[1].format(n=n, s=plural) if known else f"{one_line(kind)} in {n} sentence{plural}")
    noun = "check" if len(kinds) == 1 else "checks"
    return f"{len(flagged)} of {len(kinds)} {noun} flagged: " + ", ".join(said)


def has_checks(briefs: Sequence[Brief]) -> bool:
    """Whether any of `briefs` was checked (then a digest explains its check lines once)."""
    return any(brief.checks for brief in briefs)


def digest_title(briefs: Sequence[Brief], status: RunStatus | None = None, stories: int | None = None) -> str:
    """`Briefs: 3 articles`, `Briefs: 12 stories from 20 articles` when `stories` (the digest's
    entries, `render.stories`) are fewer than the briefs, or `Briefs: no new articles` for a run
    that only failed or found nothing new."""
    count = len(briefs)
    if not count and status is not None:
        return "Briefs: no new articles"
    articles = f"{count} article{'s' if count != 1 else ''}"
    if stories is not None and stories < count:
        return f"Briefs: {stories} stor{'y' if stories == 1 else 'ies'} from {articles}"
    return f"Briefs: {articles}"


def status_heading(status: RunStatus) -> str:
    """`2 inputs failed` (or `1 input failed`): what the failures' box in a digest says first."""
    failed = len(status.failures)
    return f"{failed} input{'s' if failed != 1 else ''} failed"
