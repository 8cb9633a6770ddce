"""Plain-text brief: no markup at all, wrapped at 78 columns, for a text/plain mail part or a terminal.

The layout mirrors the Markdown brief (headline, metadata, English summary, Dutch summary, checks,
the full text as Dutch/English pairs, models). Article text is never reflowed inside a word: long
words and URLs stay whole (a line may then run past 78 columns) so nothing is lost or split.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence

from ..data import BlockKind, Brief, RunStatus

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


def source_fields(brief: Brief) -> list[tuple[str, str]]:
    """(label, value) for what is known of where a web article came from: link, outlet, author, published."""
    source = brief.article.source
    if source is None:
        return []
    fields = [("Link", source_link(brief)), ("Outlet", source.outlet), ("Author", source.author), ("Published", source.published)]
    return [(label, " ".join(clean_text(value).split())) for label, value in fields if value and value.strip()]


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


def _summary_lines(brief: Brief) -> list[str]:
    """Dutch summary, then English (the column order of every format)."""
    lines = _heading("Samenvatting (Nederlands)", "-")
    lines += _wrap(brief.summary_nl) if brief.summary_nl.strip() else ["(geen samenvatting)"]
    lines.append("")
    lines += _heading("Summary (English)", "-")
    lines += _wrap(brief.summary_en) if brief.summary_en.strip() else ["(no summary)"]
    lines.append("")
    return lines


def _check_lines(brief: Brief) -> list[str]:
    if not brief.warnings:
        return [f"All {len(brief.checks)} faithfulness checks passed."] if brief.checks else []
    return [line for check in brief.warnings for line in _wrap(check.message, "! ", "  ")]


def check_count(brief: Brief) -> str:
    """`12 checks passed`, or `3 of 15 checks flagged`: the digest's one-line view of a brief's checks."""
    flagged, total = len(brief.warnings), len(brief.checks)
    return f"{total} check{'s' if total != 1 else ''} passed" if not flagged else f"{flagged} of {total} checks flagged"


def _meta_lines(brief: Brief) -> list[str]:
    article = brief.article
    lines = _wrap(article.name, "Source:  ", " " * 9)
    lines += _wrap(article.date or "unknown", "Date:    ", " " * 9)
    for label, value in source_fields(brief):
        lines += _wrap(value, f"{label + ':':<9}" if len(label) < 9 else f"{label}: ", " " * 9)
    lines += _wrap(brief.created, "Briefed: ", " " * 9)
    return lines


def _full_text_lines(brief: Brief) -> list[str]:
    lines = [*_heading("Full text (Nederlands / English)", "-"), ""]
    for block in brief.blocks:
        mark = "§ " if block.kind.is_heading else f"{list_marker(block.marker)} " if block.kind is BlockKind.LIST_ITEM else ""
        lines += _wrap(block.source, f"NL  {mark}", " " * (4 + len(mark)))
        lines += _wrap(block.target, f"EN  {mark}", " " * (4 + len(mark)))
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
    """One brief as plain text, lines wrapped at 78 columns, ending in a newline."""
    return "\n".join(_brief_lines(brief)) + "\n"


def digest_title(briefs: Sequence[Brief], status: RunStatus | None = None) -> str:
    """`Briefs: 3 articles`, or `Briefs: no new articles` for a run that only failed or found nothing new."""
    count = len(briefs)
    if not count and status is not None:
        return "Briefs: no new articles"
    return f"Briefs: {count} article{'s' if count != 1 else ''}"


def status_lines(status: RunStatus) -> list[str]:
    """The run's status line, then one line per failed input: `x in/a.txt: is empty`."""
    lines = _wrap(status.line)
    for failure in status.failures:
        lines += _wrap(f"{failure.input}: {failure.reason}", "x ", "  ")
    return lines


def render_text_digest(
    briefs: Sequence[Brief],
    status: RunStatus | None = None,
    attached: Mapping[int, str] | None = None,
) -> str:
    """One plain-text document for a run, in the same order as the HTML digest: the status (with
    `status`), each brief's headline, summaries and checks, then the full texts not `attached`."""
    attached = attached or {}
    lines = _heading(digest_title(briefs, status), "=")
    if status is not None:
        lines += ["", *status_lines(status)]
    for n, brief in enumerate(briefs, 1):
        lines += ["", "", *_heading(f"{n}. {brief.headline}", "=")]
        lines += _wrap(f"{brief.article.name} · {brief.article.date or 'date unknown'} · {check_count(brief)}")
        if source_link(brief):
            lines.append(source_link(brief))  # on a line of its own, so mail clients make it a link
        lines += ["", *_summary_lines(brief)]
        lines.append(f"Full text: attached as {attached[n - 1]}" if n - 1 in attached else "Full text: below")
    full = [(n, brief) for n, brief in enumerate(briefs, 1) if n - 1 not in attached]
    for n, brief in full:
        lines += ["", "", "#" * WIDTH, "", *_heading(f"{n}. {brief.headline}", "="), "", *_meta_lines(brief), ""]
        if brief.warnings:
            lines += [*_heading("Checks", "-"), *_check_lines(brief), ""]
        lines += _full_text_lines(brief)
    if briefs:
        lines += ["", *_model_lines(dict.fromkeys(model for brief in briefs for model in brief.models))]
    return "\n".join(lines) + "\n"
