"""Markdown brief: readable as plain text in a mailbox and rendered nicely wherever Markdown is."""

from __future__ import annotations

import re

from ..data import AlignedBlock, BlockKind, Brief, RunStatus
from .fields import (
    CHECKS_LEGEND,
    DOUBT_LEGEND,
    DOUBT_MARK,
    check_line,
    clean_text,
    digest_title,
    english_segments,
    full_text_blocks,
    has_doubts,
    list_marker,
    meta_fields,
    source_link,
)
from .stories import StoryEntry, story_entries

# Escaping is minimal, so the Markdown still reads as plain text in a mailbox ("000_5456.txt", not
# "000\\_5456.txt"): a character is escaped only where CommonMark (https://spec.commonmark.org/0.31.2/)
# would give it a meaning.
# Code, emphasis, links; a backslash before punctuation, or at the end (the markup that follows may be).
_ALWAYS = re.compile(r"[`*\[\]]|\\(?=[!-/:-@\[-`{-~]|\Z)")
# "_" opens or closes emphasis only at a word's edge (intraword "_" is literal, spec 6.2).
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# "<" starts raw HTML or an autolink only before a letter, "/", "!" or "?" (spec 6.5, 6.6).
_ANGLE = re.compile(r"<(?=[A-Za-z/!?])")
# "&" matters only where it would make an entity or numeric character reference (spec 2.5).
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
_CLOSING_HASHES = re.compile(r" (#+)$")
# Block syntax that only means something at the start of a line: lists, rules, quotes, headings, tables.
_LINE_START = re.compile(r"^([ \t]*)(?:([-+=~>#|])|(\d+)([.)]))", re.MULTILINE)


def escape(text: str, *, line_start: bool = True) -> str:
    """Backslash-escape Markdown syntax so article text can never become markup or raw HTML, and
    nothing else: what a plain-text reader sees stays as the article wrote it. `line_start=False`
    for text that follows something on its line (`- **Source:** …`), where `1.` or `-` is no list."""
    text = _ALWAYS.sub(lambda m: "\\" + m.group(0), text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ANGLE.sub(r"\\<", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(_escape_line_start, text) if line_start else text


def field(text: str, *, line_start: bool = True) -> str:
    """Article text as one line of Markdown: made safe (`clean_text`: no control characters or lone
    surrogates), every run of whitespace, line breaks included, folded to one space (so no stray
    indent makes a code block, no line break a heading or list, no trailing "  " or "\\" a hard
    break), then escaped."""
    return escape(" ".join(clean_text(text).split()), line_start=line_start)


def _heading(text: str) -> str:
    """A heading's text: a field whose trailing " #" is escaped, which CommonMark would take for the
    heading's optional closing sequence (spec 4.2) and drop."""
    return _closing(field(text))


def _closing(markdown: str) -> str:
    """Escaped heading text with a trailing " #" escaped too (see `_heading`)."""
    return _CLOSING_HASHES.sub(r" \\\1", markdown)


def _cell(text: str) -> str:
    """A table cell: a field, with "|" escaped too (it would end the cell)."""
    return field(text).replace("|", "\\|")


def _escape_line_start(match: re.Match) -> str:
    if match.group(2):  # "- item", "= rule", "> quote", "# heading"
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"  # "1. item" -> "1\\. item"


def _english(block: AlignedBlock, *, line_start: bool = True) -> str:
    """A block's English as one line of Markdown: each sentence a `field`, a low-confidence one after
    `⚠ ` (`fields.english_segments`); an unmarked block exactly `field(block.target)`."""
    return " ".join(
        (f"{DOUBT_MARK} " if low else "") + field(text, line_start=line_start and n == 0 and not low)
        for n, (text, low, _) in enumerate(english_segments(block))
    )


def _link(url: str) -> str:
    """An http(s) URL as a CommonMark autolink (no `<` or `>` inside one)."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def _meta_lines(brief: Brief) -> list[str]:
    """`- **Source:** outlet, <link>` (a plain file: its name), then Author, Date, the title, Briefed."""
    lines = []
    for label, value in meta_fields(brief):
        shown = field(value, line_start=False)
        if label == "Source" and source_link(brief):
            shown += f", {_link(str(source_link(brief)))}"
        lines.append(f"- **{label}:** {shown}")
    return lines


def _story_lines(entry: StoryEntry) -> list[str]:
    """A story's other articles (`## Also in`): outlet, linked headline, what each adds or changed."""
    lines = [f"*{field(entry.earlier)}*", ""] if entry.earlier else []
    if entry.also:
        lines += ["## Also in", ""]
    for item in entry.also:
        title = f"[{field(item.headline, line_start=False)}]({_link(item.link)})" if item.link else field(item.headline, line_start=False)
        lines.append(f"- {field(item.outlet, line_start=False)}: {title}" + (f" ({field(item.note, line_start=False)})" if item.note else ""))
        lines += [f"  - adds: {field(text, line_start=False)}" for text in item.added]
    return [*lines, ""] if entry.also else lines


def render_markdown(brief: Brief, entry: StoryEntry | None = None) -> str:
    """One brief as Markdown (CommonMark with a GFM table), English before Dutch, ending in a newline;
    a low-confidence sentence of the full text after `⚠ `, explained under the full text's heading;
    with `entry` (a digest's story), its other articles after the summaries, and the mark explained
    not here but once at the top of the digest."""
    lines = [f"# {_heading(brief.headline)}", "", *_meta_lines(brief), ""]
    lines += ["## Summary (English)", "", field(brief.summary_en) or "_(no summary)_", ""]
    lines += ["## Samenvatting (Nederlands)", "", field(brief.summary_nl) or "_(geen samenvatting)_", ""]
    lines += _story_lines(entry) if entry is not None else []
    if brief.checks:
        said = check_line(brief)
        lines += ["## Checks", "", field(said[:1].upper() + said[1:] + "."), ""]
        lines += [f"- ⚠ {field(check.message, line_start=False)}" for check in brief.warnings]
        lines += [""] if brief.warnings else []
    lines += ["## Full text (English / Nederlands)", ""]
    lines += [field(DOUBT_LEGEND), ""] if entry is None and has_doubts([brief]) else []
    for block in full_text_blocks(brief):
        if block.kind.is_heading:
            source = field(block.source)
            lines += [f"### {_closing(_english(block))}", f"*{source}*" if source else "", ""]
        elif block.kind is BlockKind.LIST_ITEM:  # `- ` or `3. ` with the English, the Dutch under it
            marker = list_marker(block.marker)
            marker = marker if marker[0].isdigit() else "-" if marker == "•" else f"- {marker}"
            lines += [f"{marker} **EN** {_english(block, line_start=False)}  "]
            lines += [f"{' ' * len(marker)} **NL** {field(block.source, line_start=False)}", ""]
        else:
            lines += [f"**EN** {_english(block)}", "", f"**NL** {field(block.source)}", ""]
    lines += ["## Models", "", "| role | model | revision | engine |", "|---|---|---|---|"]
    for model in brief.models:
        cells = (model.role, model.name, model.revision or "local", model.engine)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def render_markdown_digest(briefs: list[Brief], status: RunStatus | None = None) -> str:
    """One document for the run: the status line and failures (with `status`), a contents list
    (one line per story: headline and outlets), what the checks mean, then each story's brief with
    its other articles (`render.stories`)."""
    lines = ["# Briefs", ""]
    if status is not None:
        lines += [f"**{status.line}**", ""]
        lines += [
            f"- **FAILED** {field(failure.input, line_start=False)}: {field(failure.reason, line_start=False)}"
            for failure in status.failures
        ]
        lines += [""] if status.failures else []
    entries = story_entries(briefs)
    if len(entries) < len(briefs):
        lines += [f"**{digest_title(briefs, status, len(entries)).removeprefix('Briefs: ')}**", ""]
    for n, entry in enumerate(entries, 1):
        outlets = ", ".join(field(outlet, line_start=False) for outlet in entry.outlets)
        lines.append(f"{n}. {field(entry.brief.headline)} ({outlets})")
    if any(brief.checks for brief in briefs):
        lines += ["", field(CHECKS_LEGEND)]
    if has_doubts([entry.brief for entry in entries]):
        lines += ["", field(DOUBT_LEGEND)]
    parts = ["\n".join(lines).rstrip("\n") + "\n"]
    parts += [render_markdown(entry.brief, entry) for entry in entries]
    return "\n---\n\n".join(parts)
