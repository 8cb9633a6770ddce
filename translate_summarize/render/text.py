"""Plain-text brief: no markup at all, wrapped at 78 columns, for a text/plain mail part or a terminal.

The layout mirrors the Markdown brief (headline, metadata, English summary, Dutch summary, checks,
the full text as Dutch/English pairs, models). Article text is never reflowed inside a word: long
words and URLs stay whole (a line may then run past 78 columns) so nothing is lost or split.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from ..data import Brief

WIDTH = 78

# Whitespace that is not an ordinary space or newline (vertical tab, form feed, the ASCII
# separators, NEL, Unicode line/paragraph separators): shown as a space.
_SPACE_LIKE = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
# Other C0/C1 controls (including ESC, so no terminal escape sequences) and lone surrogates
# (which cannot be encoded as UTF-8): shown as U+FFFD.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")
_RUNS = re.compile("[ \t\n]{2,}")


def clean_text(text: str) -> str:
    """Make article text safe to put in any text output, changing as little as possible.

    CR and CRLF become LF; exotic whitespace becomes a space; control characters and lone
    surrogates become U+FFFD. Tabs, newlines and every printable character are kept.
    Used by the text, HTML and e-mail renderers.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_LIKE.sub(" ", text)
    return _CONTROL.sub("\ufffd", text)


def _wrap(text: str, first: str = "", rest: str | None = None) -> list[str]:
    wrapper = textwrap.TextWrapper(
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=first if rest is None else rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(_RUNS.sub(" ", clean_text(text))) or [first.rstrip()]


def _heading(title: str, underline: str) -> list[str]:
    lines = _wrap(title)
    return [*lines, underline * min(WIDTH, max(len(line) for line in lines) or 1)]


def _brief_lines(brief: Brief) -> list[str]:
    article = brief.article
    lines = _heading(brief.headline, "=")
    lines.append("")
    lines += _wrap(article.name, "Source:  ", " " * 9)
    lines += _wrap(article.date or "unknown", "Date:    ", " " * 9)
    lines += _wrap(brief.created, "Briefed: ", " " * 9)
    lines.append("")

    lines += _heading("Summary (English)", "-")
    lines += _wrap(brief.summary_en) if brief.summary_en.strip() else ["(no summary)"]
    lines.append("")
    lines += _heading("Samenvatting (Nederlands)", "-")
    lines += _wrap(brief.summary_nl) if brief.summary_nl.strip() else ["(geen samenvatting)"]
    lines.append("")

    if brief.checks:
        lines += _heading("Checks", "-")
        warnings = brief.warnings
        if warnings:
            for check in warnings:
                lines += _wrap(check.message, "! ", "  ")
        else:
            lines.append(f"All {len(brief.checks)} faithfulness checks passed.")
        lines.append("")

    lines += _heading("Full text (Nederlands / English)", "-")
    lines.append("")
    for block in brief.blocks:
        if block.kind.is_heading:
            lines += _wrap(block.source, "NL  § ", "      ")
            lines += _wrap(block.target, "EN  § ", "      ")
        else:
            lines += _wrap(block.source, "NL  ", "    ")
            lines += _wrap(block.target, "EN  ", "    ")
        lines.append("")

    lines += _heading("Models", "-")
    for model in brief.models:
        text = f"{model.role}: {model.name} (revision {model.revision or 'local'}, engine {model.engine})"
        lines += _wrap(text, "- ", "  ")
    return lines


def render_text(brief: Brief) -> str:
    """One brief as plain text, lines wrapped at 78 columns, ending in a newline."""
    return "\n".join(_brief_lines(brief)) + "\n"


def contents_lines(briefs: Sequence[Brief]) -> list[str]:
    """The numbered contents list of a digest, one wrapped entry per brief."""
    width = len(str(len(briefs)))
    lines: list[str] = []
    for n, brief in enumerate(briefs, 1):
        number = f"{n:>{width}}. "
        lines += _wrap(f"{brief.headline} ({brief.article.name})", number, " " * len(number))
    return lines


def render_text_digest(briefs: Sequence[Brief]) -> str:
    """One plain-text document for a run: a contents list, then each brief, separated by rules."""
    count = len(briefs)
    lines = _heading(f"Briefs: {count} article{'s' if count != 1 else ''}", "=")
    lines += ["", *contents_lines(briefs)]
    for brief in briefs:
        lines += ["", "", "#" * WIDTH, "", *_brief_lines(brief)]
    return "\n".join(lines) + "\n"
