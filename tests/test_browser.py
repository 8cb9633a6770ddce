"""The HTML digest in a real browser: headless Chromium at a desktop (1280 px) and a phone (390 px)
width, with a light and a dark colour-scheme preference (`--force-dark-mode`, which this Chromium
turns into `prefers-color-scheme: dark`; `--blink-settings=preferredColorScheme=0` does the same).

A copy of the page gets a small script that measures its layout; the page is shown in an iframe of
the width under test, and the script posts what it measured to the host page, which `chromium
--dump-dom` prints. Screenshots are taken of the page itself and checked by their pixels (a tiny PNG
reader below); set KEEP_SCREENSHOTS to a folder to keep them for a look (`doubt.png`: a brief with a
low-confidence sentence marked). Skipped where Chromium is not installed (CI installs Debian's).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from translate_summarize.data import EarlierVersion, Failure, RunStatus, Source, StoryLink
from translate_summarize.render.html import render_html, render_html_digest

from .briefs import make_brief
from .run.test_mail import ordinary_brief

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a closed network and a root user, as the machine notes advise.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DARK = ["--force-dark-mode"]

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed")

MEASURE = """<script>
const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
const lines = (el, node) => { const range = document.createRange(); range.selectNodeContents(node || el.lastChild);
  return Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => r.left); };
const rows = Array.from(document.querySelectorAll("table.ft tr")).filter((tr) => tr.querySelector("td"));
const style = (el) => getComputedStyle(el);
const result = {
  pairs: rows.slice(0, 6).map((tr) => ({en: box(tr.querySelector("td[lang=en]")), nl: box(tr.querySelector("td[lang=nl]"))})),
  columns: Array.from(document.querySelectorAll("table.ft")).slice(0, 1).map((table) =>
    ["en", "nl"].map((lang) => [lines(table.querySelector(`th[lang=${lang}]`))[0], lines(table.querySelector(`td[lang=${lang}]`))[0]])),
  labels: Array.from(document.querySelectorAll("b.l")).slice(0, 8).map((el) => [el.textContent.trim(), style(el).display, box(el).width]),
  summaries: Array.from(document.querySelectorAll("p.s")).map((p) => ({label: box(p.querySelector("b.lb")), lines: lines(p)})),
  meta: Array.from(document.querySelectorAll("table.meta td")).map((td) => lines(td, td.firstChild)[0]),
  heads: Array.from(document.querySelectorAll("table.ft th")).map((el) => style(el).display),
  dark: matchMedia("(prefers-color-scheme: dark)").matches,
  colors: {body: style(document.body).backgroundColor, page: style(document.querySelector(".page")).backgroundColor,
           text: style(document.querySelector(".page")).color, failed: style(document.querySelector(".status") || document.body).backgroundColor},
  also: Array.from(document.querySelectorAll("ul.also li, p.upd")).map((el) => box(el)),
  scrollWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
};
parent.postMessage(JSON.stringify(result), "*");
</script>"""

HOST = """<!DOCTYPE html><html><body style="margin:0"><pre id="measured"></pre>
<iframe src="{src}" width="{width}" height="900" style="border:0;display:block"></iframe>
<script>addEventListener("message", (event) => {{ document.getElementById("measured").textContent = event.data; }});</script>
</body></html>"""


def chromium(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / ('profile-' + name)}", "--virtual-time-budget=5000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def measure(tmp_path: Path, html: str, width: int, dark: bool = False, script: str = MEASURE) -> dict:
    name = f"{width}-{'dark' if dark else 'light'}"
    page = tmp_path / f"page-{name}.html"
    page.write_text(html.replace("</body>", script + "</body>"), encoding="utf-8")
    host = tmp_path / f"host-{name}.html"
    host.write_text(HOST.format(src=page.name, width=width), encoding="utf-8")
    window = f"--window-size={max(width, 800)},1000"
    result = chromium(tmp_path, name, *(DARK if dark else []), window, "--dump-dom", host.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def screenshot(tmp_path: Path, html: str, width: int, dark: bool) -> Path:
    name = f"digest-{width}-{'dark' if dark else 'light'}"
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    png = tmp_path / f"{name}.png"
    result = chromium(tmp_path, name, *(DARK if dark else []), f"--window-size={width},2400", f"--screenshot={png}", page.as_uri())
    assert png.exists(), result.stderr[-2000:]
    if os.environ.get("KEEP_SCREENSHOTS"):
        shutil.copy(png, Path(os.environ["KEEP_SCREENSHOTS"]) / png.name)
    return png


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def png_rows(path: Path, count: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `count` rows (RGB bytes) of an 8-bit RGB or RGBA, non-interlaced
    PNG, which is what Chromium writes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunk = data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and color in (2, 6) and not interlace
            step = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        at += 12 + length
    raw, stride = zlib.decompress(idat), width * step + 1
    rows, previous = [], bytearray(width * step)
    for y in range(min(count, height)):
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1 : (y + 1) * stride])
        for x in range(len(line)):
            a, b = line[x - step] if x >= step else 0, previous[x]
            c = previous[x - step] if x >= step else 0
            line[x] = (line[x] + (0, a, b, (a + b) // 2, _paeth(a, b, c) if kind == 4 else 0)[kind]) & 0xFF
        rows.append(bytes(v for i, v in enumerate(line) if step == 3 or i % 4 != 3))
        previous = line
    return width, height, rows


def brightness(rows: list[bytes], top: int, bottom: int) -> float:
    """Mean of the RGB values of rows `top` to `bottom` of `png_rows` (0 black, 255 white)."""
    values = [v for row in rows[top:bottom] for v in row]
    return sum(values) / len(values)


@pytest.fixture(scope="module")
def digest() -> str:
    briefs = [ordinary_brief(n) for n in range(1, 4)]
    source = Source("https://nieuws.example.nl/binnenland/2026/12/01/artikel-2", "Het Noorderblad", None, "2026-12-01T06:15:00+01:00")
    briefs[1] = replace(briefs[1], article=replace(briefs[1].article, source=source))
    briefs[2] = replace(briefs[2], summary_en=" ".join([briefs[2].summary_en] * 3), summary_nl=" ".join([briefs[2].summary_nl] * 3))
    # The first article's story is told by two more outlets (issue #23): one entry, "Also in" both.
    earlier = EarlierVersion("Council approves the budget", "2026-12-05", "1 paragraph added, 1 changed", True, "De Stentor")
    briefs[0].story = StoryLink("s1", True, (), earlier)
    copies = []
    for n, outlet in ((4, "Dagblad van het Noorden met een lange naam die op een telefoon moet afbreken"), (5, "RTV Oost")):
        copy = ordinary_brief(n)
        copy = replace(copy, article=replace(copy.article, source=Source(f"https://{n}.example.nl/nieuws/{'heel-lang-pad-' * 6}{n}", outlet)))
        copy.story = StoryLink("s1", False, (1,) if n == 4 else ())
        copies.append(copy)
    return render_html_digest([briefs[0], copies[0], *briefs[1:], copies[1]], RunStatus(5, 0, (Failure("in/leeg.txt", "is empty"),)), {1: "002_artikel.html"})


def test_desktop_dutch_left_english_right_labels_aligned_with_their_text(tmp_path, digest):
    layout = measure(tmp_path, digest, 1280)
    assert layout["viewport"] == 1280 and layout["scrollWidth"] <= 1280 and not layout["dark"]
    for pair in layout["pairs"]:
        assert pair["nl"]["right"] <= pair["en"]["left"] + 1 and abs(pair["nl"]["top"] - pair["en"]["top"]) < 1
    assert all(display == "none" and width == 0 for _, display, width in layout["labels"])
    assert "none" not in layout["heads"]
    # Each column's heading starts where its text does.
    for head, text in layout["columns"][0]:
        assert abs(head - text) < 1
    # Summaries: every EN/NL label in one column, and every line of the text after it (the first
    # and the wrapped ones) starting at one x, so the labels hang in a gutter of their own.
    summaries = layout["summaries"]
    assert len(summaries) == 6 and len({round(s["label"]["left"]) for s in summaries}) == 1
    starts = [left for s in summaries for left in s["lines"]]
    assert max(starts) - min(starts) < 1 and min(starts) > summaries[0]["label"]["right"]
    assert any(len(s["lines"]) > 1 for s in summaries)  # a wrapped summary is measured too


def test_the_metadata_values_of_a_page_line_up(tmp_path):
    source = Source("https://nieuws.example.nl/a/1", "Het Noorderblad", "Redactie", "2026-12-01T06:15:00+01:00")
    layout = measure(tmp_path, render_html(make_brief(article={"source": source})), 1280)
    assert len(layout["meta"]) == 4 and max(layout["meta"]) - min(layout["meta"]) < 1


def test_phone_shows_each_english_paragraph_above_its_labelled_dutch(tmp_path, digest):
    layout = measure(tmp_path, digest, 390)
    assert layout["viewport"] == 390 and layout["scrollWidth"] <= 390  # nothing wider than the phone
    for pair in layout["pairs"]:
        assert pair["en"]["bottom"] <= pair["nl"]["top"] + 1  # the English, then its Dutch under it
        assert pair["nl"]["width"] > 300 and pair["en"]["width"] > 300  # full width, not two narrow columns
    labels = layout["labels"]
    assert [text for text, _, _ in labels[:4]] == ["EN", "NL", "EN", "NL"]
    assert all(display != "none" and width > 0 for _, display, width in labels)
    assert set(layout["heads"]) == {"none"}


@pytest.mark.parametrize("width", [390, 1280])
def test_a_story_shows_its_other_outlets_within_the_page(tmp_path, digest, width):
    layout = measure(tmp_path, digest, width)
    assert len(layout["also"]) == 3  # the update line, then one line per other outlet
    assert all(0 <= box["left"] and box["right"] <= width and box["width"] > 100 for box in layout["also"])
    assert layout["scrollWidth"] <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_dark_preference_gives_a_dark_page(tmp_path, digest, width):
    light, dark = measure(tmp_path, digest, width), measure(tmp_path, digest, width, dark=True)
    assert not light["dark"] and dark["dark"]
    assert light["colors"]["page"] == "rgb(255, 255, 255)" and light["colors"]["text"] == "rgb(26, 26, 26)"
    assert dark["colors"]["page"] == dark["colors"]["body"] == "rgb(22, 22, 22)" and dark["colors"]["text"] == "rgb(230, 230, 230)"
    assert dark["colors"]["failed"] == "rgb(59, 23, 21)" != light["colors"]["failed"]  # the failures' box, dark too
    assert dark["pairs"] == light["pairs"]  # the same layout


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_light_and_dark(tmp_path, digest, width):
    light, dark = (png_rows(screenshot(tmp_path, digest, width, mode), 240) for mode in (False, True))
    assert light[0] == dark[0] == width and light[1] == dark[1] == 2400
    assert brightness(light[2], 0, 240) > 200 and brightness(dark[2], 0, 240) < 70  # the title and the status


# --- the archive (issue #24): served from 127.0.0.1, searched in both languages -------------------


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory):
    """An out-dir with the archive of two briefs (real English beside the Dutch), served on 127.0.0.1."""
    import threading

    from translate_summarize.data import BlockKind
    from translate_summarize.publish import Archive, ArchiveOptions
    from translate_summarize.render.json_format import brief_to_dict
    from translate_summarize.run.serve import make_server

    from .briefs import aligned

    out = tmp_path_factory.mktemp("archive") / "out"
    state = out / ".brief"
    state.mkdir(parents=True)
    housing = [
        aligned(BlockKind.PARAGRAPH, [("Het kabinet bouwt 40.000 sociale huurwoningen in Utrecht.", "The cabinet is building 40,000 social rental homes in Utrecht.")]),
        aligned(BlockKind.PARAGRAPH, [("Woningcorporaties reageren verheugd op de plannen.", "Housing associations welcome the plans.")]),
    ]
    briefs = {
        "tesla": make_brief(created="2026-12-06T06:00:00+01:00"),
        "woningen": make_brief(blocks=housing, headline="Cabinet builds 40,000 social homes", created="2026-12-07T06:00:00+01:00",
                               summary_en="The cabinet is building 40,000 social rental homes.", summary_nl="Het kabinet bouwt 40.000 sociale huurwoningen.",
                               article={"name": "woningen.txt"}),
    }
    archive = Archive(out, state, ArchiveOptions())
    for stem, brief in briefs.items():
        (state / f"{stem}.json").write_text(json.dumps({"brief": brief_to_dict(brief)}), encoding="utf-8")
        (out / f"{stem}.html").write_bytes(archive.page(brief))
        archive.add(stem, brief, True)
    archive.finish()
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def dump(tmp_path: Path, url: str, width: int = 1280) -> str:
    """The DOM of `url` once its scripts have run: the search loads Pagefind's worker and index
    files, so it gets more virtual time than a static page."""
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile-dump'}", "--virtual-time-budget=20000",
               f"--window-size={width},1200", "--dump-dom", url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [("concurrerende", "tesla.html", "woningen.html"), ("competitive", "tesla.html", "woningen.html"),
     ("huurwoningen", "woningen.html", "tesla.html"), ("rental", "woningen.html", "tesla.html")],
)
def test_the_archive_finds_a_brief_by_a_dutch_or_an_english_word(tmp_path, archive_site, query, found, not_found):
    _, base = archive_site
    page = dump(tmp_path, f"{base}/index.html?q={query}")
    results = page.split('id="results"', 1)[1].split("</ol>", 1)[0]
    assert f"{base}/{found}" in results and not_found not in results, page[-3000:]
    assert f"found for “{query}”" in page


def test_the_archive_lists_both_days_and_a_brief_links_back(tmp_path, archive_site):
    out, base = archive_site
    index = dump(tmp_path, f"{base}/index.html")
    assert 'href="archive/2026-12-07.html"' in index and 'href="archive/2026-12-06.html"' in index
    assert index.index("woningen.html") < index.index("tesla.html")  # newest first
    brief = dump(tmp_path, f"{base}/tesla.html")
    assert 'href="index.html"' in brief and "Archive and search" in brief
    day = dump(tmp_path, f"{base}/archive/2026-12-07.html")
    assert 'href="../woningen.html"' in day and 'href="../index.html"' in day
    # From the file system the lists work and the search says how to get it.
    local = dump(tmp_path, (out / "index.html").as_uri() + "?q=tesla")
    assert "brief --serve" in local and 'href="tesla.html"' in local


@pytest.mark.parametrize("width", [390, 1280])
def test_archive_screenshots(tmp_path, archive_site, width):
    _, base = archive_site
    for dark in (False, True):
        name = f"archive-{width}-{'dark' if dark else 'light'}"
        png = tmp_path / f"{name}.png"
        chromium(tmp_path, name, *(DARK if dark else []), f"--window-size={width},1400", f"--screenshot={png}", f"{base}/index.html?q=cabinet")
        assert png.exists()
        if os.environ.get("KEEP_SCREENSHOTS"):
            shutil.copy(png, Path(os.environ["KEEP_SCREENSHOTS"]) / png.name)
        w, h, rows = png_rows(png, 200)
        assert (w, h) == (width, 1400)
        assert (brightness(rows, 0, 200) < 70) == dark  # the page follows the dark preference


# --- low-confidence sentences (issue #25): the mark is visible, light and dark, on a page and in the mail ---

MARKS = """<script>
const style = (el) => getComputedStyle(el);
const marks = Array.from(document.querySelectorAll("mark.doubt")).map((el) => { const r = el.getBoundingClientRect();
  return {background: style(el).backgroundColor, color: style(el).color, cell: style(el.closest("td")).backgroundColor,
          page: style(document.querySelector(".page")).backgroundColor, text: el.textContent, title: el.title,
          left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          lines: Array.from(el.getClientRects()).map((l) => [l.left, l.top, l.right, l.bottom])}; });
parent.postMessage(JSON.stringify({marks, dark: matchMedia("(prefers-color-scheme: dark)").matches}), "*");
</script>"""


def rgb(css: str) -> tuple[float, ...]:
    """`rgb(1, 2, 3)` or `rgba(1, 2, 3, 0.5)` as numbers (alpha 1 when not given)."""
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return tuple(values) if len(values) == 4 else (*values, 1.0)


def distance(one: str, other: str) -> float:
    """How far apart two colours are (RGB, 0 to 441): a highlight shows by its hue as much as by its lightness."""
    return sum((a - b) ** 2 for a, b in zip(rgb(one)[:3], rgb(other)[:3])) ** 0.5


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two opaque colours."""
    def luminance(css: str) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb(css)[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def doubt_pages() -> dict[str, str]:
    """A brief with one low-confidence sentence as a page, and the e-mail digest's HTML part with it."""
    from translate_summarize.render.inbox import plan_digest

    from .render.test_doubt import marked_brief

    brief = marked_brief()
    other = make_brief(headline="Other", article={"name": "b.txt"})
    return {"page": render_html(brief), "mail": plan_digest([brief, other]).html}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("which", ["page", "mail"])
def test_a_low_confidence_sentence_is_visibly_marked(tmp_path, doubt_pages, which, dark):
    found = measure(tmp_path, doubt_pages[which], 1280, dark, MARKS)
    assert found["dark"] == dark and len(found["marks"]) == 1
    mark = found["marks"][0]
    assert mark["text"].startswith("⚠ “I have a lot")
    assert mark["title"] == "Low confidence (0.12): check this sentence"
    assert rgb(mark["background"])[3] == 1  # an opaque highlight
    assert mark["background"] not in (mark["page"], mark["cell"])
    assert distance(mark["background"], mark["page"]) > 80  # stands out from the page
    assert contrast(mark["color"], mark["background"]) >= 7  # and its text reads well on it (WCAG AAA)
    assert mark["right"] - mark["left"] > 50 and mark["bottom"] - mark["top"] > 10


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshot_shows_the_mark(tmp_path, doubt_pages, dark):
    """The highlight's colour is on the screen where the mark is; the light page's screenshot is kept
    as doubt.png (and the dark one as doubt-dark.png) where KEEP_SCREENSHOTS says."""
    width, html = 1280, doubt_pages["page"]
    mark = measure(tmp_path, html, width, dark, MARKS)["marks"][0]
    height = int(mark["bottom"]) + 160
    name = "doubt-dark" if dark else "doubt"
    page, png = tmp_path / f"{name}.html", tmp_path / f"{name}.png"
    page.write_text(html, encoding="utf-8")
    window = f"--window-size={width},{height}"
    result = chromium(tmp_path, name, *(DARK if dark else []), window, f"--screenshot={png}", page.as_uri())
    assert png.exists(), result.stderr[-2000:]
    if os.environ.get("KEEP_SCREENSHOTS"):
        shutil.copy(png, Path(os.environ["KEEP_SCREENSHOTS"]) / png.name)
    _, _, rows = png_rows(png, height)
    want = rgb(mark["background"])[:3]

    def share(pixels: list[bytes]) -> float:
        return sum(all(abs(a - b) <= 3 for a, b in zip(pixel, want)) for pixel in pixels) / len(pixels)

    assert len(mark["lines"]) >= 1
    for left, top, right, bottom in mark["lines"]:  # each line of the sentence is highlighted (the rest is its text)
        xs, ys = range(round(left) + 1, round(right) - 1), range(round(top) + 1, round(bottom) - 1)
        box = [rows[y][x * 3 : x * 3 + 3] for y in ys for x in xs]
        assert share(box) > 0.5
    above = [row[x * 3 : x * 3 + 3] for row in rows[: int(mark["top"]) - 40] for x in range(0, width, 7)]
    assert share(above) < 0.01  # and nothing else is
