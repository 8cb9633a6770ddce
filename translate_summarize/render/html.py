"""HTML brief: one self-contained HTML5 page, fit to be the text/html part of a mail.

No scripts, no external resources (no fonts, images or style sheets). The page is styled by class
in one style sheet (`CSS`), which css-inline then copies into each element's `style` attribute for
the clients that drop `<style>` (Gmail in some modes, many webmail and desktop clients); only the
`@media` rule stays in a `<style>` block. On a screen narrower than 640 px that rule stacks the two
language columns and shows a small "NL"/"EN" label before each paragraph, so every Dutch paragraph
reads as the pair of the English under it; clients without `<style>` keep the columns side by side.
The column order is Dutch, then English, everywhere. Dutch cells carry lang="nl", English ones
lang="en".

The template is rendered by Jinja2 with autoescaping on, and every value goes through
`clean_text` first (control characters out), so article text can never become markup; Jinja
never evaluates data, so `{{ ... }}` in an article is printed as is.

A digest (`render_html_digest`) is built for the inbox: the run's status line and its failures,
then every article's headline, both summaries and its checks count, and only then the full
side-by-side texts; an article named in `attached` gets a line saying its full text is attached
instead (see `render/inbox.py`, which decides that within a byte budget).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import css_inline
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from ..data import BlockKind, Brief, RunStatus
from .text import check_count, clean_text, digest_title, list_marker, source_fields, source_link

SERIF = "Georgia,serif"
SANS = "Arial,sans-serif"

# Short rules on the elements that repeat (paragraph cells), since each is copied into every one.
CSS = f"""
body{{margin:0;padding:0;background:#f4f4f1;color:#1a1a1a;font-family:{SERIF};font-size:16px;line-height:1.5}}
.page{{max-width:960px;margin:0 auto;padding:16px;background:#fff}}
h1{{font-size:26px;line-height:1.25;margin:8px 0 12px}}
h2{{font-size:22px;line-height:1.25;margin:24px 0 8px}}
h3{{font-family:{SANS};font-size:17px;margin:20px 0 6px;padding-bottom:4px;border-bottom:1px solid #ddd}}
.sub{{font-family:{SANS};font-size:16px;margin:10px 0 2px}}
.meta{{font:14px {SANS};color:#555;margin:0 0 12px}}
.status{{font-family:{SANS};font-size:16px;margin:0 0 8px;padding:8px;background:#eef3ee}}
.failed{{background:#fbeee0}}
.bad{{color:#8a4b00;margin:0 0 4px}}
.ok{{color:#2e6b2e;margin:0}}
.note{{font:14px {SANS};margin:4px 0 0;color:#555}}
.pair{{width:100%;border-collapse:collapse;table-layout:fixed;overflow-wrap:anywhere}}
.hd{{font:13px {SANS};text-align:left;color:#777;width:50%}}
.nl{{vertical-align:top;padding:6px 12px 6px 0}}
.en{{vertical-align:top;padding:6px 0 6px 12px;color:#333}}
.lab{{display:none}}
.li{{margin:0;padding-left:1.4em}}
.models{{font-family:{SANS};font-size:13px;border-collapse:collapse;width:100%}}
.models td,.models th{{border:1px solid #ddd;padding:4px 6px;text-align:left;overflow-wrap:anywhere}}
.rule{{border:0;border-top:3px double #ccc;margin:32px 0}}
a{{color:#1a4f8b}}
@media only screen and (max-width:640px){{
.nl,.en{{display:block!important;width:auto!important;padding:2px 0!important}}
.en{{padding-bottom:10px!important;border-bottom:1px solid #e4e4e4}}
.hd{{display:none!important}}
.lab{{display:inline-block!important;font-family:{SANS};font-size:11px;font-weight:bold;color:#fff;background:#8a8a8a;
padding:0 4px;margin-right:6px;border-radius:3px}}
}}
"""

_TEMPLATE = """\
{%- macro pair(nl, en, empty_nl="", empty_en="") -%}
<tr><td class="nl" lang="nl"><span class="lab">NL</span>{{ nl or empty_nl }}</td>\
<td class="en" lang="en"><span class="lab">EN</span>{{ en or empty_en }}</td></tr>
{% endmacro -%}
{%- macro meta(b) -%}
<p class="meta"><strong>Source:</strong> {{ b.article.name }}<br>
<strong>Date:</strong> {{ b.article.date or "unknown" }}<br>
{% for label, value in source_fields(b) -%}
<strong>{{ label }}:</strong> {% if label == "Link" %}<a href="{{ value }}">{{ value }}</a>{% else %}{{ value }}{% endif %}<br>
{% endfor -%}
<strong>Briefed:</strong> {{ b.created }}</p>
{% endmacro -%}
{%- macro summaries(b) -%}
<table role="presentation" class="pair">
<tr><th class="hd" lang="nl">Samenvatting (Nederlands)</th><th class="hd">Summary (English)</th></tr>
{{ pair(b.summary_nl.strip(), b.summary_en.strip(), "(geen samenvatting)", "(no summary)") -}}
</table>
{% endmacro -%}
{%- macro checks(b, heading) -%}
{% if b.checks -%}
{% if heading %}<h3>Checks</h3>
{% endif -%}
{% if b.warnings -%}
{% for check in b.warnings %}<p class="bad">&#9888; {{ check.message }}</p>
{% endfor -%}
{% else -%}
<p class="ok">All {{ b.checks|length }} faithfulness checks passed.</p>
{% endif -%}
{% endif -%}
{% endmacro -%}
{%- macro full_text(b) -%}
<h3>Full text (Nederlands / English)</h3>
<table role="presentation" class="pair">
<tr><th class="hd" lang="nl">Nederlands</th><th class="hd">English</th></tr>
{% for block in b.blocks -%}
{% if block.kind is subheading -%}
<tr><td class="nl" lang="nl"><p class="sub"><span class="lab">NL</span>{{ block.source }}</p></td>\
<td class="en" lang="en"><p class="sub"><span class="lab">EN</span>{{ block.target }}</p></td></tr>
{% elif block.kind is list_item -%}
{% set tag, attrs = list_item(block.marker) -%}
<tr><td class="nl" lang="nl"><{{ tag }} class="li"{{ attrs }}><li><span class="lab">NL</span>{{ block.source }}</li></{{ tag }}></td>\
<td class="en" lang="en"><{{ tag }} class="li"{{ attrs }}><li><span class="lab">EN</span>{{ block.target }}</li></{{ tag }}></td></tr>
{% else -%}
{{ pair(block.source, block.target) -}}
{% endif -%}
{% endfor -%}
</table>
{% endmacro -%}
{%- macro models(rows) -%}
<h3>Models</h3>
<table class="models">
<tr>{% for head in ("role", "model", "revision", "engine") %}<th>{{ head }}</th>{% endfor %}</tr>
{% for m in rows -%}
<tr>{% for value in (m.role, m.name, m.revision or "local", m.engine) %}<td>{{ value }}</td>{% endfor %}</tr>
{% endfor -%}
</table>
{% endmacro -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="page">
{% if not digest -%}
{% set b = briefs[0] -%}
<h1 lang="en">{{ b.headline }}</h1>
{{ meta(b) -}}
{{ summaries(b) -}}
{{ checks(b, true) -}}
{{ full_text(b) -}}
{{ models(b.models) -}}
{%- else -%}
<h1>{{ title }}</h1>
{% if status -%}
<p class="status{% if status.failures %} failed{% endif %}"><strong>{{ status.line }}</strong></p>
{% for failure in status.failures %}<p class="bad">&#10007; {{ failure.input }}: {{ failure.reason }}</p>
{% endfor -%}
{% endif -%}
{% for b in briefs -%}
<h2 id="brief-{{ loop.index }}" lang="en">{{ loop.index }}. {{ b.headline }}</h2>
<p class="meta">{{ b.article.name }} &middot; {{ b.article.date or "date unknown" }} &middot; {{ check_count(b) }}\
{% if source_link(b) %}<br><a href="{{ source_link(b) }}">{{ source_link(b) }}</a>{% endif %}</p>
{{ summaries(b) -}}
{% if loop.index0 in attached -%}
<p class="note">Full text: attached as {{ attached[loop.index0] }}</p>
{% else -%}
<p class="note"><a href="#text-{{ loop.index }}">Full text below</a></p>
{% endif -%}
{% endfor -%}
{% for number, b in full -%}
{% if loop.first %}<hr class="rule">
{% endif -%}
<h2 id="text-{{ number }}" lang="en">{{ number }}. {{ b.headline }}</h2>
{{ meta(b) -}}
{{ checks(b, true) -}}
{{ full_text(b) -}}
{% endfor -%}
{% if briefs %}{{ models(model_rows) }}{% endif -%}
{%- endif %}
</div>
</body>
</html>
"""


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


def _finalize(value: Any) -> Any:
    """Clean every plain string printed by the template; trusted Markup passes untouched."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


_ENV = Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize, keep_trailing_newline=True)
_ENV.tests["subheading"] = lambda kind: kind.is_heading
_ENV.tests["list_item"] = lambda kind: kind is BlockKind.LIST_ITEM
_ENV.globals["list_item"] = _list_item
_ENV.globals["check_count"] = check_count
_ENV.globals["source_fields"] = source_fields
_ENV.globals["source_link"] = source_link
_PAGE = _ENV.from_string(_TEMPLATE)
# keep_at_rules: the @media rule stays in <style>, every other rule is inlined and dropped from it.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, minify_css=True, load_remote_stylesheets=False)


def _page(briefs: Sequence[Brief], title: str, **context: Any) -> str:
    html = _PAGE.render(briefs=list(briefs), title=title, css=Markup(CSS), **context)
    return _INLINER.inline(html).rstrip("\n") + "\n"


def render_html(brief: Brief) -> str:
    """One brief as a complete HTML5 page (UTF-8, styles inlined, no scripts or external resources)."""
    return _page([brief], brief.headline, digest=False)


def render_html_digest(
    briefs: Sequence[Brief],
    status: RunStatus | None = None,
    attached: Mapping[int, str] | None = None,
) -> str:
    """One HTML5 page for a run, in inbox order: the status line and each failed input (with
    `status`), every brief's headline, summaries and checks, then the full texts, except those of the
    briefs whose index is in `attached` (index -> attachment file name), which say so instead."""
    attached = dict(attached or {})
    full = [(n, brief) for n, brief in enumerate(briefs, 1) if n - 1 not in attached]
    rows = list(dict.fromkeys(model for brief in briefs for model in brief.models))
    title = digest_title(briefs, status)
    return _page(briefs, title, digest=True, status=status, attached=attached, full=full, model_rows=rows)
