"""The HTML brief's style sheet and Jinja2 template (`TEMPLATE`), for render/html.py.

Three parts. `_INLINED`: the rules for the few elements a page has once (body, page, title, the
run's status and failures, the contents list), which css-inline copies into `style` attributes, so
they hold in a client that drops `<style>`. `_CLASSES` (`CLASS_CSS`): the rules for what repeats
per article or per paragraph, which are never inlined: render/html.py puts them into `<style>` after
css-inline has run, so a full-text row carries no style attribute at all (in the full text, markup
is about 0.2 byte per byte of text, see bench/bench_digest.py). `_MEDIA`: the phone and the dark
rule, at-rules, which css-inline leaves in `<style>`. A client without `<style>` still gets a
readable page from the attributes (`width`, `cellpadding`, `valign`, `dir`) and plain HTML.

The full text is one table per article: English cell first in the markup, Dutch second, in a
`dir="rtl"` table whose body is `dir="ltr"`, so on a wide screen the columns read Dutch left,
English right, and on a phone (max-width 640px), where each cell becomes a block, the English of a
paragraph comes first with the Dutch under it, each after a small EN/NL label. A low-confidence
sentence is a `<mark class="doubt">` (render/html.py), styled by `DOUBT_CSS` and `DOUBT_DARK_CSS`; a
client without `<style>` still shows `<mark>` highlighted. Dark mode:
`color-scheme: light dark` and a `prefers-color-scheme: dark` rule (with `!important` over the
inlined colours).
"""

from __future__ import annotations

SANS = "Arial,sans-serif"

# Copied into `style` attributes by css-inline: the elements a page has once.
_INLINED = f"""
body{{margin:0;padding:0;background:#f4f4f1;color:#1a1a1a;font:16px/1.5 Georgia,serif}}
.page{{max-width:960px;margin:0 auto;padding:16px;background:#fff;overflow-wrap:anywhere}}
h1{{font:bold 24px/1.25 {SANS};margin:8px 0 12px}}
.status{{font-family:{SANS};margin:0 0 16px;padding:8px 12px;background:#e8f1e8;border-left:4px solid #2e6b2e}}
.failed{{background:#fdecea;border-left-color:#b3261e}}
.status p{{margin:0}}
.fails{{margin:4px 0 0;padding:0;list-style:none;color:#8c1d18}}
.toc{{font-family:{SANS};margin:0 0 12px;padding-left:28px}}
.legend{{font:13px/1.4 {SANS};color:#555;margin:0 0 8px}}
"""
# Kept in <style> as they are (render/html.py adds them after inlining): what repeats.
_CLASSES = f"""
:root{{color-scheme:light dark}}
h2{{font:bold 20px/1.3 {SANS};margin:28px 0 4px}}
h3{{font:bold 16px/1.3 {SANS};margin:20px 0 6px;padding-bottom:3px;border-bottom:1px solid #ddd}}
.meta{{font:14px/1.4 {SANS};color:#555;margin:0 0 8px}}
.meta th{{text-align:left;vertical-align:top;padding:0 12px 0 0;white-space:nowrap}}
.meta td{{padding:0}}
.s{{margin:6px 0;padding-left:36px;text-indent:-36px}}
.lb,.l{{display:inline-block;width:26px;margin-right:10px;text-indent:0;text-align:center;border-radius:3px;
font:bold 11px/17px {SANS};color:#fff;background:#6b6b6b;vertical-align:1px}}
.chk{{font:14px/1.4 {SANS};margin:6px 0 0}}
.warn,.warns{{color:#8a4b00}}
.ok{{color:#2e6b2e}}
.warns{{font:14px/1.4 {SANS};margin:0 0 8px;padding-left:20px}}
.note{{font:14px {SANS};margin:4px 0 0}}
p.also{{font:bold 14px/1.4 {SANS};margin:8px 0 2px}}
ul.also{{font:14px/1.4 {SANS};margin:0;padding-left:20px}}
.adds{{color:#444}}
.upd{{font:14px/1.4 {SANS};color:#5a3d8a;margin:6px 0 0}}
.ft{{width:100%;border-collapse:collapse;table-layout:fixed;overflow-wrap:anywhere}}
.ft th{{font:13px {SANS};color:#6b6b6b;text-align:left;width:50%;padding:0 0 4px 14px}}
.ft th+th{{padding:0 14px 4px 0}}
.ft td{{vertical-align:top;padding:6px 0 6px 14px}}
.ft td+td{{padding:6px 14px 6px 0}}
.ft strong{{font-family:{SANS}}}
.l{{display:none}}
.li{{margin:0;padding-left:1.4em}}
.models{{font:13px {SANS};border-collapse:collapse;width:100%;margin-top:8px}}
.models td,.models th{{border:1px solid #ddd;padding:4px 6px;text-align:left;overflow-wrap:anywhere}}
.rule{{border:0;border-top:3px double #ccc;margin:32px 0}}
a{{color:#1a4f8b}}
"""
# At-rules, which css-inline keeps in <style>: the phone and the dark rule.
_MEDIA = """
@media screen and (max-width:640px){
.page{padding:12px!important}
.ft,.ft tbody,.ft tr,.ft td{display:block;width:auto}
.ft td,.ft td+td{padding:2px 0}
.ft td+td{padding-bottom:10px;border-bottom:1px solid #e4e4e4;color:#444}
.ft th{display:none}
.l{display:inline-block}
}
@media (prefers-color-scheme:dark){
body,.page{background:#161616!important;color:#e6e6e6!important}
.status{background:#1d2a1d!important;border-left-color:#6fbf73!important}
.failed{background:#3b1715!important;border-left-color:#ff8a80!important}
.fails{color:#ffb4ab!important}
.meta,.legend,.ft th,.adds{color:#a8a8a8!important}
.upd{color:#c3a6f0!important}
.ft td+td{color:#c8c8c8!important;border-color:#333!important}
.warn,.warns{color:#f2b45c!important}
.ok{color:#81c784!important}
.lb,.l{background:#8a8a8a!important;color:#111!important}
h3,.rule,.models td,.models th{border-color:#444!important}
a{color:#8ab4f8!important}
}
"""
CSS = (_INLINED + _MEDIA).replace("\n", "")  # every line ends a declaration or a rule
CLASS_CSS = _CLASSES.replace("\n", "")
# A low-confidence sentence (`<mark class="doubt">`): a class rule, and its dark twin as an at-rule of
# its own; render/html.py adds both only to a page that has one, so other pages stay as they were.
DOUBT_CSS = (
    ".doubt{background:#ffe58f;color:#1a1a1a;padding:0 2px;border-radius:2px;"
    "-webkit-box-decoration-break:clone;box-decoration-break:clone}"
)
DOUBT_DARK_CSS = "@media (prefers-color-scheme:dark){.doubt{background:#5c4700!important;color:#ffeab0!important}}"

TEMPLATE = """\
{%- macro full_table(b) -%}
<table class="ft" dir="rtl" width="100%" cellpadding="6" cellspacing="0">
<tbody dir="ltr" valign="top">
<tr><th lang="en">English</th><th lang="nl">Nederlands</th></tr>
{% for block in full_blocks(b) -%}
{% if block.kind is subheading -%}
<tr><td lang="en"><b class="l">EN </b><strong>{{ english(block) }}</strong></td>\
<td lang="nl"><b class="l">NL </b><strong>{{ block.source }}</strong></td></tr>
{% elif block.kind is list_item -%}
{% set tag, attrs = list_item(block.marker) -%}
<tr><td lang="en"><{{ tag }} class="li"{{ attrs }}><li><b class="l">EN </b>{{ english(block) }}</li></{{ tag }}></td>\
<td lang="nl"><{{ tag }} class="li"{{ attrs }}><li><b class="l">NL </b>{{ block.source }}</li></{{ tag }}></td></tr>
{% else -%}
<tr><td lang="en"><b class="l">EN </b>{{ english(block) }}</td><td lang="nl"><b class="l">NL </b>{{ block.source }}</td></tr>
{% endif -%}
{% endfor -%}
</tbody></table>
{% endmacro -%}
{%- macro summaries(b) -%}
<p class="s" lang="en"><b class="lb">EN </b>{{ b.summary_en.strip() or "(no summary)" }}</p>
<p class="s" lang="nl"><b class="lb">NL </b>{{ b.summary_nl.strip() or "(geen samenvatting)" }}</p>
{% endmacro -%}
{%- macro check_summary(b) -%}
{% if b.checks -%}
{% if b.warnings %}<p class="chk warn">&#9888; {{ capital(check_line(b)) }}</p>
{% else %}<p class="chk ok">&#10003; {{ capital(check_line(b)) }}</p>
{% endif -%}
{% endif -%}
{% endmacro -%}
{%- macro warnings(b) -%}
{% if b.warnings -%}
<ul class="warns">
{% for check in b.warnings %}<li>{{ check.message }}</li>
{% endfor -%}
</ul>
{% endif -%}
{% endmacro -%}
{%- macro meta(b) -%}
<table class="meta" role="presentation">
{% for label, value in meta_fields(b) -%}
<tr><th>{{ label }}</th><td{% if label == "Dutch title" %} lang="nl"{% endif %}>{{ value }}\
{% if label == "Source" and source_link(b) %}, <a href="{{ source_link(b) }}">{{ source_link(b) }}</a>{% endif %}</td></tr>
{% endfor -%}
</table>
{% endmacro -%}
{%- macro story(entry) -%}
{% if entry.earlier %}<p class="upd">{{ entry.earlier }}</p>
{% endif -%}
{% if entry.also -%}
<p class="also">Also in:</p>
<ul class="also">
{% for item in entry.also %}<li><b>{{ item.outlet }}</b>: {% if item.link %}<a href="{{ item.link }}">{{ item.headline }}</a>{% else %}{{ item.headline }}{% endif %}\
{% if item.note %} <span class="upd">({{ item.note }})</span>{% endif %}\
{% for text in item.added %}<br><span class="adds" lang="en">+ {{ text }}</span>{% endfor %}</li>
{% endfor %}</ul>
{% endif -%}
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
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="page">
{% if not digest -%}
{% set b = briefs[0] -%}
{% if archive %}<p class="note"><a href="{{ archive }}">&larr; Archive and search</a></p>
{% endif -%}
<h1 lang="en">{{ b.headline }}</h1>
{{ meta(b) -}}
<h3>Summary</h3>
{{ summaries(b) -}}
{% if b.checks -%}
<h3>Checks</h3>
{{ check_summary(b) -}}
{{ warnings(b) -}}
{% endif -%}
<h3>Full text</h3>
{% if has_doubts([b]) %}<p class="legend">{{ doubt_legend }}</p>
{% endif -%}
{{ full_table(b) -}}
{{ models(b.models) -}}
{%- else -%}
<h1>{{ title }}</h1>
{% if status -%}
<div class="status{% if status.failures %} failed{% endif %}"><p><strong>{{ status.line }}</strong></p>
{% if status.failures %}<p>{{ status_heading(status) }}:</p>
<ul class="fails">
{% for failure in status.failures %}<li>&#10007; {{ failure.input }}: {{ failure.reason }}</li>
{% endfor %}</ul>
{% endif %}</div>
{% endif -%}
{% if briefs -%}
<ol class="toc">
{% for b in briefs %}<li><a href="#brief-{{ loop.index }}">{{ b.headline }}</a> &middot; {{ entries[loop.index0].outlets | join(", ") }}</li>
{% endfor %}</ol>
{% endif -%}
{% if legend %}<p class="legend">{{ legend }}</p>
{% endif -%}
{% if has_doubts(briefs) %}<p class="legend">{{ doubt_legend }}</p>
{% endif -%}
{% for b in briefs -%}
<h2 id="brief-{{ loop.index }}" lang="en">{{ loop.index }}. {{ b.headline }}</h2>
<p class="meta">{{ source_name(b) }} &middot; {{ brief_date(b) or "date unknown" }}\
{% if source_link(b) %}<br><a href="{{ source_link(b) }}">{{ source_link(b) }}</a>{% endif %}</p>
{{ summaries(b) -}}
{{ check_summary(b) -}}
{{ story(entries[loop.index0]) -}}
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
{% for label, value in meta_fields(b) if label.endswith(" title") -%}
<p class="meta">{{ label }}: <span{% if label == "Dutch title" %} lang="nl"{% endif %}>{{ value }}</span></p>
{% endfor -%}
{{ warnings(b) -}}
{{ full_table(b) -}}
{% endfor -%}
{% if briefs %}{{ models(model_rows) }}{% endif -%}
{%- endif %}
</div>
</body>
</html>
"""
