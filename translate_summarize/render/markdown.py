"""Markdown brief: readable as plain text in a mailbox and rendered nicely wherever Markdown is."""

from __future__ import annotations

import re

from ..data import BlockKind, Brief, RunStatus
from .text import clean_text, list_marker, source_fields

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
    return _CLOSING_HASHES.sub(r" \\\1", field(text))


def _cell(text: str) -> str:
    """A table cell: a field, with "|" escaped too (it would end the cell)."""
    return field(text).replace("|", "\\|")


def _escape_line_start(match: re.Match) -> str:
    if match.group(2):  # "- item", "= rule", "> quote", "# heading"
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"  # "1. item" -> "1\\. item"


def _link(url: str) -> str:
    """An http(s) URL as a CommonMark autolink (no `<` or `>` inside one)."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def _meta_lines(brief: Brief) -> list[str]:
    article = brief.article
    return [
        f"- **Source:** {field(article.name, line_start=False)}",
        f"- **Date:** {field(article.date or 'unknown', line_start=False)}",
        *(
            f"- **{label}:** {_link(value) if label == 'Link' else field(value, line_start=False)}"
            for label, value in source_fields(brief)
        ),
        f"- **Briefed:** {field(brief.created, line_start=False)}",
    ]


def render_markdown(brief: Brief) -> str:
    """One brief as Markdown (CommonMark with a GFM table), Dutch before English, ending in a newline."""
    lines = [f"# {_heading(brief.headline)}", "", *_meta_lines(brief), ""]
    lines += ["## Samenvatting (Nederlands)", "", field(brief.summary_nl) or "_(geen samenvatting)_", ""]
    lines += ["## Summary (English)", "", field(brief.summary_en) or "_(no summary)_", ""]
    if brief.checks:
        lines += ["## Checks", ""]
        warnings = brief.warnings
        if warnings:
            lines += [f"- ⚠ {field(check.message)}" for check in warnings]
        else:
            lines.append(f"- all {len(brief.checks)} faithfulness checks passed")
        lines.append("")
    lines += ["## Full text (Nederlands / English)", ""]
    for block in brief.blocks:
        if block.kind.is_heading:
            target = field(block.target)
            lines += [f"### {_heading(block.source)}", f"*{target}*" if target else "", ""]
        elif block.kind is BlockKind.LIST_ITEM:  # `- ` or `3. ` with the Dutch, the English under it
            marker = list_marker(block.marker)
            marker = marker if marker[0].isdigit() else "-" if marker == "•" else f"- {marker}"
            lines += [f"{marker} **NL** {field(block.source, line_start=False)}  "]
            lines += [f"{' ' * len(marker)} **EN** {field(block.target, line_start=False)}", ""]
        else:
            lines += [f"**NL** {field(block.source)}", "", f"**EN** {field(block.target)}", ""]
    lines += ["## Models", "", "| role | model | revision | engine |", "|---|---|---|---|"]
    for model in brief.models:
        cells = (model.role, model.name, model.revision or "local", model.engine)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def render_markdown_digest(briefs: list[Brief], status: RunStatus | None = None) -> str:
    """One document for the run: the status line and failures (with `status`), a contents list,
    then each brief."""
    lines = ["# Briefs", ""]
    if status is not None:
        lines += [f"**{status.line}**", ""]
        lines += [f"- ✗ {field(failure.input)}: {field(failure.reason)}" for failure in status.failures]
        lines += [""] if status.failures else []
    lines += [f"{n}. {field(b.headline)} ({field(b.article.name)})" for n, b in enumerate(briefs, 1)]
    parts = ["\n".join(lines).rstrip("\n") + "\n"]
    parts += [render_markdown(brief) for brief in briefs]
    return "\n---\n\n".join(parts)
