"""HTML brief: one self-contained HTML5 page, fit to be the text/html part of a mail.

No scripts, no external resources (no fonts, images or style sheets): all styling is inline
`style` attributes, because many mail clients drop <style> blocks; the only <style> block holds
the @media rule that stacks the two language columns on a narrow screen (clients that drop it
simply keep the columns side by side). Dutch cells carry lang="nl", English ones lang="en".

The template is rendered by Jinja2 with autoescaping on, and every value goes through
`clean_text` first (control characters out), so article text can never become markup; Jinja
never evaluates data, so `{{ ... }}` in an article is printed as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from ..data import Brief
from .text import clean_text

FONT = "font-family:Georgia,'Times New Roman',serif"
SANS = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"

# Trusted constants (never data), marked safe so their quotes are not entity-escaped.
STYLES = {
    key: Markup(value)
    for key, value in {
        "body": f"margin:0;padding:0;background:#f4f4f1;color:#1a1a1a;{FONT};font-size:16px;line-height:1.5",
        "page": "max-width:960px;margin:0 auto;padding:16px;background:#ffffff",
        "h_top": "font-size:28px;line-height:1.25;margin:8px 0 12px 0",
        "h_sub": "font-size:24px;line-height:1.25;margin:8px 0 12px 0",
        "section": f"{SANS};font-size:18px;margin:24px 0 8px 0;padding-bottom:4px;border-bottom:1px solid #dddddd",
        "label": f"{SANS};font-size:15px;margin:0 0 6px 0;color:#555555",
        "meta": f"{SANS};font-size:14px;color:#555555;margin:0 0 16px 0",
        "table": "width:100%;border-collapse:collapse",
        "left": "width:50%;vertical-align:top;padding:6px 12px 6px 0",
        "right": "width:50%;vertical-align:top;padding:6px 0 6px 12px;color:#333333",
        "head": f"{SANS};font-size:13px;text-align:left;color:#777777;padding:4px 12px 4px 0;width:50%",
        "p": "margin:0 0 8px 0;overflow-wrap:anywhere",
        "sub": f"{SANS};font-size:17px;margin:12px 0 4px 0;overflow-wrap:anywhere",
        "empty": "margin:0;font-style:italic;color:#777777",
        "warn": "margin:0 0 4px 0;color:#8a4b00",
        "ok": "margin:0;color:#2e6b2e",
        "models": f"{SANS};font-size:13px;border-collapse:collapse;width:100%",
        "mcell": "border:1px solid #dddddd;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere",
        "list": "margin:0 0 16px 0;padding-left:24px",
        "rule": "border:0;border-top:3px double #cccccc;margin:32px 0",
        "link": "color:#1a4f8b",
    }.items()
}

# Phones: stack the two language columns; hide the column titles (each cell is in its own language).
MEDIA_CSS = Markup(
    "@media only screen and (max-width:640px){"
    ".ts-col{display:block!important;width:100%!important;box-sizing:border-box;padding:4px 0!important}"
    ".ts-head{display:none!important}}"
)

_TEMPLATE = """\
{%- macro brief_body(b, top, anchor) -%}
{%- set h = top + 1 -%}
<div{% if anchor %} id="{{ anchor }}"{% endif %}>
<h{{ top }} lang="en" style="{{ s.h_top if top == 1 else s.h_sub }}">{{ b.headline }}</h{{ top }}>
<p style="{{ s.meta }}"><strong>Source:</strong> {{ b.article.name }}<br>
<strong>Date:</strong> {{ b.article.date or "unknown" }}<br>
<strong>Briefed:</strong> {{ b.created }}</p>
<table role="presentation" cellpadding="0" cellspacing="0" style="{{ s.table }}">
<tr>
<td class="ts-col" lang="en" style="{{ s.left }}">
<h{{ h }} style="{{ s.label }}">Summary (English)</h{{ h }}>
{% if b.summary_en.strip() %}<p style="{{ s.p }}">{{ b.summary_en }}</p>
{% else %}<p style="{{ s.empty }}">(no summary)</p>
{% endif -%}
</td>
<td class="ts-col" lang="nl" style="{{ s.right }}">
<h{{ h }} style="{{ s.label }}">Samenvatting (Nederlands)</h{{ h }}>
{% if b.summary_nl.strip() %}<p style="{{ s.p }}">{{ b.summary_nl }}</p>
{% else %}<p style="{{ s.empty }}">(geen samenvatting)</p>
{% endif -%}
</td>
</tr>
</table>
{% if b.checks -%}
<h{{ h }} style="{{ s.section }}">Checks</h{{ h }}>
{% if b.warnings -%}
<ul style="{{ s.list }}">
{% for check in b.warnings %}<li style="{{ s.warn }}">&#9888; {{ check.message }}</li>
{% endfor -%}
</ul>
{% else -%}
<p style="{{ s.ok }}">All {{ b.checks|length }} faithfulness checks passed.</p>
{% endif -%}
{% endif -%}
<h{{ h }} style="{{ s.section }}">Full text (Nederlands / English)</h{{ h }}>
<table role="presentation" cellpadding="0" cellspacing="0" style="{{ s.table }}">
<tr class="ts-head"><th lang="nl" style="{{ s.head }}">Nederlands</th><th lang="en" style="{{ s.head }}">English</th></tr>
{% for block in b.blocks -%}
<tr>
{% if block.kind is subheading -%}
<td class="ts-col" lang="nl" style="{{ s.left }}"><h{{ h + 1 }} style="{{ s.sub }}">{{ block.source }}</h{{ h + 1 }}></td>
<td class="ts-col" lang="en" style="{{ s.right }}"><h{{ h + 1 }} style="{{ s.sub }}">{{ block.target }}</h{{ h + 1 }}></td>
{% else -%}
<td class="ts-col" lang="nl" style="{{ s.left }}"><p style="{{ s.p }}">{{ block.source }}</p></td>
<td class="ts-col" lang="en" style="{{ s.right }}"><p style="{{ s.p }}">{{ block.target }}</p></td>
{% endif -%}
</tr>
{% endfor -%}
</table>
<h{{ h }} style="{{ s.section }}">Models</h{{ h }}>
<table style="{{ s.models }}">
<tr>{% for head in ("role", "model", "revision", "engine") %}<th style="{{ s.mcell }}">{{ head }}</th>{% endfor %}</tr>
{% for m in b.models -%}
<tr>{% for value in (m.role, m.name, m.revision or "local", m.engine) %}<td style="{{ s.mcell }}">{{ value }}</td>{% endfor %}</tr>
{% endfor -%}
</table>
</div>
{%- endmacro -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ media_css }}</style>
</head>
<body style="{{ s.body }}">
<div style="{{ s.page }}">
{% if briefs|length == 1 and not digest -%}
{{ brief_body(briefs[0], 1, "") }}
{%- else -%}
<h1 style="{{ s.h_top }}">{{ title }}</h1>
<ol style="{{ s.list }}">
{% for b in briefs %}<li><a href="#brief-{{ loop.index }}" style="{{ s.link }}">{{ b.headline }}</a> ({{ b.article.name }})</li>
{% endfor -%}
</ol>
{% for b in briefs -%}
<hr style="{{ s.rule }}">
{{ brief_body(b, 2, "brief-" ~ loop.index) }}
{% endfor -%}
{%- endif %}
</div>
</body>
</html>
"""


def _finalize(value: Any) -> Any:
    """Clean every plain string printed by the template; trusted Markup passes untouched."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


_ENV = Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize, keep_trailing_newline=True)
_ENV.tests["subheading"] = lambda kind: kind.is_heading
_PAGE = _ENV.from_string(_TEMPLATE)


def _render(briefs: Sequence[Brief], title: str, digest: bool) -> str:
    return _PAGE.render(briefs=list(briefs), title=title, digest=digest, s=STYLES, media_css=MEDIA_CSS)


def render_html(brief: Brief) -> str:
    """One brief as a complete HTML5 page (UTF-8, inline styles, no scripts or external resources)."""
    return _render([brief], brief.headline, digest=False)


def render_html_digest(briefs: Sequence[Brief]) -> str:
    """One HTML5 page for a run: a linked contents list, then each brief."""
    count = len(briefs)
    return _render(briefs, f"Briefs: {count} article{'s' if count != 1 else ''}", digest=True)
