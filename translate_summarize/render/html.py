"""HTML brief: one self-contained HTML5 page, fit to be the text/html part of a mail.

No scripts, no external resources (no fonts, images or style sheets). The style sheet and template
are in `html_template.py`, which says which rules css-inline copies into `style` attributes (those
of the elements a page has once) and which stay in `<style>` (everything per article and per
paragraph, the phone rule and the dark rule), and how the full text reads Dutch left, English right
on a wide screen and English first, Dutch under it, on a phone. Summaries are English, then the
Dutch back-translation, each after an EN/NL label; English cells carry lang="en", Dutch ones lang="nl".
A low-confidence sentence of the full text is highlighted (`<mark class="doubt">`, with `⚠` and a
tooltip), and what the mark means is said once: under "Full text" on a page, after the checks'
legend in a digest.

The template is rendered by Jinja2 with autoescaping on, and every value goes through
`clean_text` first (control characters out), so article text can never become markup; Jinja
never evaluates data, so `{{ ... }}` in an article is printed as is.

A digest (`render_html_digest`) is built for the inbox: the run's status line and its failures (set
apart from any check warning), a numbered list of every headline with its source, linked to its
entry, what the checks mean, then every article's headline, source, date, summaries and checks in
words, and only then the full texts. A story told by several articles is one entry (`render.stories`):
its lead's brief, and "Also in" with each other outlet, headline, link and what it adds; an article named in `attached` gets a line saying its full
text is attached instead (see `render/inbox.py`, which decides that within a byte budget).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import css_inline
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from ..data import AlignedBlock, BlockKind, Brief, RunStatus
from .fields import (
    CHECKS_LEGEND,
    DOUBT_LEGEND,
    DOUBT_MARK,
    brief_date,
    check_line,
    clean_text,
    digest_title,
    doubt_note,
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
from .html_template import CLASS_CSS, CSS, DOUBT_CSS, DOUBT_DARK_CSS, TEMPLATE
from .stories import story_entries


def _list_item(marker: str | None) -> tuple[str, Markup]:
    """The list element for one item in its table cell, by its marker: `<ol start="3">` for `3.`,
    `<ol type="a" start="2">` for `b)`, `<ul>` for a bullet (each row one item, so the Dutch item
    stays beside its English)."""
    shown = list_marker(marker)
    if shown[0].isdigit():
        return "ol", Markup(' start="{}"').format(int(shown[:-1]))
    if shown[0].isalpha():
        kind = "a" if shown[0].islower() else "A"
        return "ol", Markup(' type="{}" start="{}"').format(kind, ord(shown[0].lower()) - ord("a") + 1)
    return "ul", Markup("")


def _english(block: AlignedBlock) -> str | Markup:
    """A block's English for the template: an unmarked block's `block.target` as it is (the template
    escapes it); else each sentence cleaned and escaped, a low-confidence one in `<mark class="doubt"
    title="Low confidence (0.12): check this sentence">⚠ …</mark>` (`fields.english_segments`)."""
    segments = english_segments(block)
    if not any(segment.low for segment in segments):
        return block.target
    mark = Markup('<mark class="doubt" title="{}">{} {}</mark>')
    return Markup(" ").join(  # join escapes each plain str; format escapes its arguments
        mark.format(doubt_note(segment), DOUBT_MARK, text) if segment.low else text
        for segment in segments
        for text in (clean_text(segment.text),)
    )


def _finalize(value: Any) -> Any:
    """Clean every plain string printed by the template; trusted Markup passes untouched."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


_ENV = Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize, keep_trailing_newline=True)
_ENV.tests["subheading"] = lambda kind: kind.is_heading
_ENV.tests["list_item"] = lambda kind: kind is BlockKind.LIST_ITEM
_ENV.globals["list_item"] = _list_item
_ENV.globals.update(
    brief_date=brief_date,
    capital=lambda text: text[:1].upper() + text[1:],
    check_line=check_line,
    doubt_legend=DOUBT_LEGEND,
    english=_english,
    full_blocks=full_text_blocks,
    has_doubts=has_doubts,
    meta_fields=meta_fields,
    source_link=source_link,
    source_name=source_name,
    status_heading=status_heading,
)
_PAGE = _ENV.from_string(TEMPLATE)
# keep_at_rules: the @media rules stay in <style>, every other rule of CSS is inlined and dropped from it.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, minify_css=True, load_remote_stylesheets=False)


def _page(briefs: Sequence[Brief], title: str, **context: Any) -> str:
    html = _INLINER.inline(_PAGE.render(briefs=list(briefs), title=title, css=Markup(CSS), **context))
    # css-inline writes the kept <style> (the at-rules) first in <head>; it goes back after the <meta
    # charset>, which must be within a page's first 1,024 bytes (HTML's encoding prescan) for a saved
    # attachment, with the class rules before the at-rules (which override them on a phone). The rules
    # of the low-confidence mark come only with a page that shows one.
    head, rest = html.split("</head>", 1)
    start, end = head.index("<style>"), head.index("</style>")
    doubt, dark = (DOUBT_CSS, DOUBT_DARK_CSS) if has_doubts(briefs) else ("", "")
    style = f"<style>{CLASS_CSS}{doubt}{head[start + len('<style>') : end].strip()}{dark}</style>"
    head = head[:start] + head[end + len("</style>") :].rstrip("\n")
    return f"{head}\n{style}\n</head>{rest.rstrip()}\n"


def render_html(brief: Brief, archive: str | None = None) -> str:
    """One brief as a complete HTML5 page (text, str; UTF-8 declared, no scripts or external
    resources). `archive`: the address of the archive's index, linked at the top (the out-dir's
    pages, `publish/`); None for a page that stands alone (stdout, a mail's attachment)."""
    return _page([brief], brief.headline, digest=False, archive=archive)


def page_body(page: str) -> str:
    """The content of a page `render_html` or `render_html_digest` made, without its `<html>`,
    `<head>` and `<body>`: an HTML fragment for a feed entry (the inlined styles go with it)."""
    start = page.index('<div class="page"')
    return page[start : page.rindex("</div>") + len("</div>")]


def render_html_digest(
    briefs: Sequence[Brief],
    status: RunStatus | None = None,
    attached: Mapping[int, str] | None = None,
) -> str:
    """One HTML5 page for a run, in inbox order: the status line and each failed input (with
    `status`), the list of stories (headline, outlets), what the checks mean, every story's
    headline, summaries, checks and other articles (`render.stories`), then the full texts, except
    those of the stories whose entry index is in `attached` (index in `story_entries(briefs)` ->
    attachment file name), which say so instead. Returns the page as text (str)."""
    attached = dict(attached or {})
    entries = story_entries(briefs)
    shown = [entry.brief for entry in entries]
    full = [(n, brief) for n, brief in enumerate(shown, 1) if n - 1 not in attached]
    rows = list(dict.fromkeys(model for brief in shown for model in brief.models))
    title = digest_title(briefs, status, len(entries))
    legend = CHECKS_LEGEND if has_checks(briefs) else ""
    context = {"status": status, "attached": attached, "full": full, "model_rows": rows, "legend": legend, "entries": entries}
    return _page(shown, title, digest=True, archive=None, **context)
