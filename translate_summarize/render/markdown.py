"""Markdown brief: readable as plain text in a mailbox and rendered nicely wherever Markdown is."""

from __future__ import annotations

import re

from ..data import Brief

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&])")
# Block syntax that only means something at the start of a line: lists, rules, quotes, headings.
_LINE_START = re.compile(r"^(\s*)(?:([-+=~])|(\d+)([.)]))", re.MULTILINE)


def escape(text: str) -> str:
    """Backslash-escape Markdown syntax so article text can never become markup or raw HTML."""
    return _LINE_START.sub(_escape_line_start, _SPECIAL.sub(r"\\\1", text))


def _escape_line_start(match: re.Match) -> str:
    if match.group(2):  # "- item", "= rule"
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"  # "1. item" -> "1\. item"


def _meta_lines(brief: Brief) -> list[str]:
    article = brief.article
    return [
        f"- **Source:** {escape(article.name)}",
        f"- **Date:** {escape(article.date or 'unknown')}",
        f"- **Briefed:** {brief.created}",
    ]


def render_markdown(brief: Brief) -> str:
    lines = [f"# {escape(brief.headline)}", "", *_meta_lines(brief), ""]
    lines += ["## Summary (English)", "", escape(brief.summary_en) or "_(no summary)_", ""]
    lines += ["## Samenvatting (Nederlands)", "", escape(brief.summary_nl) or "_(geen samenvatting)_", ""]
    if brief.checks:
        lines += ["## Checks", ""]
        warnings = brief.warnings
        if warnings:
            lines += [f"- ⚠ {escape(check.message)}" for check in warnings]
        else:
            lines.append(f"- all {len(brief.checks)} faithfulness checks passed")
        lines.append("")
    lines += ["## Full text (Nederlands / English)", ""]
    for block in brief.blocks:
        if block.kind.is_heading:
            lines += [f"### {escape(block.source)}", f"*{escape(block.target)}*", ""]
        else:
            lines += [f"**NL** {escape(block.source)}", "", f"**EN** {escape(block.target)}", ""]
    lines += ["## Models", "", "| role | model | revision | engine |", "|---|---|---|---|"]
    for model in brief.models:
        cells = (model.role, model.name, model.revision or "local", model.engine)
        lines.append("| " + " | ".join(escape(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def render_markdown_digest(briefs: list[Brief]) -> str:
    """One document for the run: a contents list, then each brief."""
    lines = ["# Briefs", ""]
    lines += [f"{n}. {escape(b.headline)} ({escape(b.article.name)})" for n, b in enumerate(briefs, 1)]
    parts = ["\n".join(lines) + "\n"]
    parts += [render_markdown(brief) for brief in briefs]
    return "\n---\n\n".join(parts)
