"""Plain-text brief: no markup at all, wrapped at 78 columns, for a text/plain mail part or a terminal.

The layout mirrors the Markdown brief (headline, metadata, English summary, Dutch summary, checks,
the full text as English/Dutch pairs, models): one language under the other, English first. Article
text is never reflowed inside a word: long words and URLs stay whole (a line may then run past 78
columns) so nothing is lost or split.

The digest (`render_text_digest`) is the text/plain part of the nightly mail, which no client clips:
it carries every story's full text whole, whatever the HTML part had to attach (a story's other
outlets' copies are listed with what they add; each is whole in its own brief file in the out-dir).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from ..data import AlignedBlock, BlockKind, Brief, RunStatus
from .fields import (
    CHECKS_LEGEND,
    DOUBT_LEGEND,
    DOUBT_MARK,
    brief_date,
    check_line,
    clean_text,
    digest_title,
    english_segments,
    full_text_blocks,
    has_checks,
    has_doubts,
    list_marker,
    meta_fields,
    source_link,
    source_name,
    status_heading,
)
from .stories import StoryEntry, story_entries

__all__ = ["WIDTH", "clean_text", "render_text", "render_text_digest", "status_lines"]

WIDTH = 78
_RUNS = re.compile("[ \t\n]{2,}")
# A mark is glued to its sentence's first word by a no-break space while the lines are wrapped (so
# `⚠` never ends a line alone), then shown as `⚠ `.
_GLUED = f"{DOUBT_MARK}\u00a0"


def _wrap(text: str, first: str = "", rest: str | None = None) -> list[str]:
    wrapper = textwrap.TextWrapper(
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=first if rest is None else rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    lines = wrapper.wrap(_RUNS.sub(" ", clean_text(text))) or [first.rstrip()]
    return [line.replace(_GLUED, f"{DOUBT_MARK} ") for line in lines] if _GLUED in text else lines


def _english(block: AlignedBlock) -> str:
    """A block's English, a low-confidence sentence after `⚠ ` (`fields.english_segments`); an
    unmarked block's exactly `block.target`."""
    return " ".join((_GLUED if low else "") + text for text, low, _ in english_segments(block))


def _heading(title: str, underline: str) -> list[str]:
    lines = _wrap(title)
    return [*lines, underline * min(WIDTH, max(len(line) for line in lines) or 1)]


def _summary_lines(brief: Brief) -> list[str]:
    """English summary, then its Dutch back-translation."""
    lines = _heading("Summary (English)", "-")
    lines += _wrap(brief.summary_en) if brief.summary_en.strip() else ["(no summary)"]
    lines.append("")
    lines += _heading("Samenvatting (Nederlands)", "-")
    lines += _wrap(brief.summary_nl) if brief.summary_nl.strip() else ["(geen samenvatting)"]
    lines.append("")
    return lines


def _check_lines(brief: Brief) -> list[str]:
    """The checks in words, then each warning (`! ...`)."""
    lines = _wrap(check_line(brief)[:1].upper() + check_line(brief)[1:] + ".")
    return lines + [line for check in brief.warnings for line in _wrap(check.message, "! ", "  ")]


def _meta_lines(brief: Brief, only_titles: bool = False) -> list[str]:
    lines = []
    for label, value in meta_fields(brief):
        if only_titles and not label.endswith(" title"):
            continue
        lines += _wrap(value, f"{label + ':':<9}" if len(label) < 9 else f"{label}: ", " " * 9)
        if label == "Source" and source_link(brief):
            lines.append(" " * 9 + str(source_link(brief)))  # whole, on a line of its own: mail clients link it
    return lines


def _full_text_lines(brief: Brief, legend: bool = True) -> list[str]:
    """The full text, English above Dutch; with `legend`, what `⚠` means first, if a sentence has it."""
    lines = [*_heading("Full text (English / Nederlands)", "-"), ""]
    lines += [*_wrap(DOUBT_LEGEND), ""] if legend and has_doubts([brief]) else []
    for block in full_text_blocks(brief):
        mark = "§ " if block.kind.is_heading else ""
        mark = f"{list_marker(block.marker)} " if block.kind is BlockKind.LIST_ITEM else mark
        lines += _wrap(_english(block), f"EN  {mark}", " " * (4 + len(mark)))
        lines += _wrap(block.source, f"NL  {mark}", " " * (4 + len(mark)))
        lines.append("")
    return lines


def _model_lines(models) -> list[str]:
    lines = _heading("Models", "-")
    for model in models:
        text = f"{model.role}: {model.name} (revision {model.revision or 'local'}, engine {model.engine})"
        lines += _wrap(text, "- ", "  ")
    return lines


def _brief_lines(brief: Brief) -> list[str]:
    lines = [*_heading(brief.headline, "="), "", *_meta_lines(brief), "", *_summary_lines(brief)]
    if brief.checks:
        lines += [*_heading("Checks", "-"), *_check_lines(brief), ""]
    return [*lines, *_full_text_lines(brief), *_model_lines(brief.models)]


def render_text(brief: Brief) -> str:
    """One brief as plain text, lines wrapped at 78 columns, ending in a newline; a low-confidence
    sentence of the full text after `⚠ `, explained under the full text's heading."""
    return "\n".join(_brief_lines(brief)) + "\n"


def status_lines(status: RunStatus) -> list[str]:
    """The run's status line, then the failures set apart from any check warning: a `2 inputs
    failed:` line and one `FAILED  in/a.txt: is empty` line per failed input."""
    lines = _wrap(status.line)
    if status.failures:
        lines += ["", f"{status_heading(status)}:"]
    for failure in status.failures:
        lines += _wrap(f"{failure.input}: {failure.reason}", "FAILED  ", " " * 8)
    return lines


def _story_lines(entry: StoryEntry) -> list[str]:
    """What an entry says of its story's other articles: `Also in:`, then each outlet, headline and
    link, what it adds (`+ ...`), and what changed since an earlier run's version."""
    lines = ["", *_wrap(entry.earlier)] if entry.earlier else []
    if entry.also:
        lines += ["", "Also in:"]
    for item in entry.also:
        lines += _wrap(f"{item.outlet}: {item.headline}", "- ", "  ")
        lines += [f"  {item.link}"] if item.link else []
        lines += _wrap(item.note, "  ", "  ") if item.note else []
        for text in item.added:
            lines += _wrap(text, "  + ", "    ")
    return lines


def _entry_lines(n: int, entry: StoryEntry) -> list[str]:
    """One story at the top of the digest: headline, source and date, link, both summaries, checks,
    the story's other articles."""
    brief = entry.brief
    lines = ["", "", *_heading(f"{n}. {brief.headline}", "=")]
    lines += _wrap(" · ".join(part for part in (source_name(brief), brief_date(brief) or "date unknown") if part))
    if source_link(brief):
        lines.append(str(source_link(brief)))  # on a line of its own, so mail clients make it a link
    lines.append("")
    lines += _wrap(brief.summary_en, "EN  ", "    ") if brief.summary_en.strip() else ["EN  (no summary)"]
    lines += _wrap(brief.summary_nl, "NL  ", "    ") if brief.summary_nl.strip() else ["NL  (geen samenvatting)"]
    if brief.checks:
        lines += ["", *_wrap(f"Checks: {check_line(brief)}", "", "  ")]
    return lines + _story_lines(entry)


def render_text_digest(briefs: Sequence[Brief], status: RunStatus | None = None) -> str:
    """One plain-text document for a run, in the order of the HTML digest: the status and failures
    (with `status`), a numbered list of the stories (headline, outlets), what the checks mean, each
    story's headline, checks, summaries (English first) and other articles (`render.stories`), then
    the full text of each story's shown brief (this part is never clipped, so none is left out; a
    low-confidence sentence after `⚠ `, explained once after the checks' legend), then the models.
    Lines wrapped at 78 columns."""
    entries = story_entries(briefs)
    lines = _heading(digest_title(briefs, status, len(entries)), "=")
    if status is not None:
        lines += ["", *status_lines(status)]
    if entries:
        lines += ["", *_heading("Contents", "-")]
        for n, entry in enumerate(entries, 1):
            number = f"{n:>2}. " if len(entries) > 9 else f"{n}. "
            lines += _wrap(f"{entry.brief.headline} ({', '.join(entry.outlets)})", number, " " * len(number))
    if has_checks(briefs):
        lines += ["", *_wrap(CHECKS_LEGEND)]
    if has_doubts([entry.brief for entry in entries]):
        lines += ["", *_wrap(DOUBT_LEGEND)]
    for n, entry in enumerate(entries, 1):
        lines += _entry_lines(n, entry)
    for n, entry in enumerate(entries, 1):
        brief = entry.brief
        lines += ["", "", "#" * WIDTH, "", *_heading(f"{n}. {brief.headline}", "="), ""]
        titles = _meta_lines(brief, only_titles=True)  # the headline shows the English title
        lines += [*titles, ""] if titles else []
        if brief.warnings:
            lines += [*_heading("Checks", "-"), *_check_lines(brief), ""]
        lines += _full_text_lines(brief, legend=False)
    if briefs:
        shown = [entry.brief for entry in entries]
        lines += ["", *_model_lines(dict.fromkeys(model for brief in shown for model in brief.models))]
    return "\n".join(lines) + "\n"
