"""The archive's pages: `index.html` (search, the latest briefs, every day) and one page a day.

Plain HTML5 with one small style sheet of its own (light and dark), no fonts, images or scripts
from elsewhere. The index's search box uses the Pagefind bundles in `pagefind/<YYYY-MM>/` (one a
month, `publish/search.py`): the newest month's `pagefind.js` is loaded and the other months merged
into it (`mergeIndex`). Browsers refuse those module scripts from `file://`, so the page says to
open it through `brief --serve` there; the lists work from the file system as from any server.
A query in the address (`index.html?q=woningen`) is searched on load. Links are relative, so the
out-dir can be served from any path.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from jinja2 import Environment
from markupsafe import Markup

from .catalogue import Listing

STYLE = """
:root{color-scheme:light dark}
body{margin:0;background:#f4f4f1;color:#1a1a1a;font:16px/1.5 Georgia,serif}
.page{max-width:960px;margin:0 auto;padding:16px;background:#fff;overflow-wrap:anywhere}
h1,h2,nav,form,.meta,.days,.note{font-family:Arial,sans-serif}
h1{font-size:24px;margin:8px 0 12px}h2{font-size:19px;margin:24px 0 8px}
nav{font-size:14px;margin-bottom:8px}
.meta,.note{font-size:14px;color:#555}
ol.briefs{padding-left:0;list-style:none}ol.briefs li{margin:0 0 14px}
.also{font:14px Arial,sans-serif;color:#555}
form{display:flex;gap:8px;margin:8px 0}input[type=search]{flex:1;font-size:16px;padding:6px}
button{font-size:16px;padding:6px 12px}
.days{columns:3 12em;padding-left:18px;font-size:14px}
a{color:#1a4f8b}
@media (prefers-color-scheme:dark){body,.page{background:#161616;color:#e6e6e6}.meta,.note,.also{color:#a8a8a8}a{color:#8ab4f8}}
""".replace("\n", "")

SEARCH = """
const months = JSON.parse(document.getElementById("months").textContent);
const form = document.getElementById("search"), box = form.q, list = document.getElementById("results"), said = document.getElementById("found");
let engine = null;
async function load() {
  if (engine) return engine;
  const base = (month) => new URL(`pagefind/${month}/`, location.href).href;
  engine = await import(base(months[0]) + "pagefind.js");
  await engine.options({ basePath: base(months[0]), noWorker: true });  // small indexes: no worker to wait for
  for (const month of months.slice(1)) await engine.mergeIndex(base(month));
  return engine;
}
async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { said.textContent = ""; return; }
  if (location.protocol === "file:" || !months.length) {
    said.textContent = months.length ? "Search works when the archive is served: run `brief --serve` and open the address it prints." : "Nothing is indexed yet.";
    return;
  }
  const found = await (await load()).search(query);
  const results = await Promise.all(found.results.slice(0, 50).map((result) => result.data()));
  said.textContent = `${found.results.length} brief${found.results.length === 1 ? "" : "s"} found for “${query}”`;
  for (const data of results) {
    const item = document.createElement("li"), link = document.createElement("a"), excerpt = document.createElement("div");
    link.href = new URL(data.url.replace(/^\\//, ""), location.href).href;
    link.textContent = data.meta.title || data.url;
    excerpt.className = "meta";
    excerpt.textContent = [data.meta.outlet, data.meta.date].filter(Boolean).join(" · ");
    item.append(link, excerpt);
    list.append(item);
  }
}
form.addEventListener("submit", (event) => { event.preventDefault(); history.replaceState(null, "", `?q=${encodeURIComponent(box.value)}`); run(box.value); });
const asked = new URLSearchParams(location.search).get("q");
if (asked) { box.value = asked; run(asked).catch((error) => { said.textContent = `Search failed: ${error}`; }); }
"""

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

# The list macro every archive page uses; `_HEAD` is how each page starts.
_LIST = """\
{% macro brief_list(groups, up) %}
<ol class="briefs">
{% for lead, others in groups %}
<li><a href="{{ up }}{{ lead.stem }}.html" lang="en">{{ lead.headline }}</a>
<div class="meta">{{ lead.outlet }} · {{ (lead.published or lead.created)[:16].replace("T", " ") }}</div>
<div lang="en">{{ lead.summary_en }}</div>
{% if others %}<div class="also">Also in: {% for other in others %}<a href="{{ up }}{{ other.stem }}.html">{{ other.outlet }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</div>{% endif %}
</li>
{% endfor %}
</ol>
{% endmacro %}
"""

_HEAD = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
"""

_INDEX = _ENV.from_string(
    _LIST
    + _HEAD
    + """\
<title>Brief archive</title>
<link rel="alternate" type="application/atom+xml" title="Briefs" href="feed.xml">
<style>{{ style }}</style>
</head>
<body>
<div class="page">
<h1>Brief archive</h1>
<nav><a href="feed.xml">Atom feed</a> · {{ total }} brief{{ "" if total == 1 else "s" }} on {{ days | length }} day{{ "" if days | length == 1 else "s" }}</nav>
<form id="search" role="search"><input type="search" name="q" placeholder="Search the briefs, in English or Dutch" aria-label="Search the briefs, in English or Dutch"><button>Search</button></form>
<p class="note" id="found" aria-live="polite"></p>
<ol class="briefs" id="results"></ol>
<h2>Latest</h2>
{{ brief_list(latest, "") }}
<h2>Every day</h2>
<ul class="days">
{% for day, count in days %}<li><a href="archive/{{ day }}.html">{{ day }}</a> ({{ count }})</li>
{% endfor %}
</ul>
</div>
<script type="application/json" id="months">{{ months }}</script>
<script type="module">{{ search }}</script>
</body>
</html>
"""
)

_DAY_PAGE = _ENV.from_string(
    _LIST
    + _HEAD
    + """\
<title>Briefs of {{ day }}</title>
<style>{{ style }}</style>
</head>
<body>
<div class="page">
<nav><a href="../index.html">← Archive and search</a>{% if newer %} · <a href="{{ newer }}.html">{{ newer }} →</a>{% endif %}{% if older %} · <a href="{{ older }}.html">← {{ older }}</a>{% endif %}</nav>
<h1>Briefs of {{ day }}</h1>
<p class="note">{{ count }} brief{{ "" if count == 1 else "s" }}{% if groups | length < count %} in {{ groups | length }} stor{{ "y" if groups | length == 1 else "ies" }}{% endif %}</p>
{{ brief_list(groups, "../") }}
</div>
</body>
</html>
"""
)


def by_story(listings: Sequence[Listing]) -> list[tuple[Listing, list[Listing]]]:
    """(shown, others) per story in the order of its first listing; listings without a story alone."""
    order: dict[str, list[Listing]] = {}
    for number, listing in enumerate(listings):
        order.setdefault(listing.story or f"\0{number}", []).append(listing)
    return [(members[0], members[1:]) for members in order.values()]


def index_page(latest: Sequence[Listing], days: Sequence[tuple[str, int]], months: Sequence[str]) -> str:
    """`index.html`: search, the `latest` listings by story, and every (day, count), newest first."""
    import json

    months_json = Markup(json.dumps(list(months)).replace("<", "\\u003c"))
    return _INDEX.render(
        style=Markup(STYLE), search=Markup(SEARCH), latest=by_story(latest), days=list(days),
        total=sum(count for _, count in days), months=months_json,
    )


def day_page(day: str, listings: Sequence[Listing], newer: str | None = None, older: str | None = None) -> str:
    """`archive/<day>.html`: the day's listings by story, linking each brief (`../<stem>.html`)."""
    groups = by_story(listings)
    return _DAY_PAGE.render(style=Markup(STYLE), day=day, groups=groups, count=len(listings), newer=newer, older=older)


def months_of(days: Sequence[str]) -> list[str]:
    """The months (YYYY-MM) of `days`, newest first, each once."""
    return [month for month, _ in groupby(sorted((day[:7] for day in days), reverse=True))]
