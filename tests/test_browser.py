"""The HTML digest in a real browser: headless Chromium at a desktop (1280 px) and a phone (390 px) width.

A copy of the page gets a small script that measures its layout; the page is shown in an iframe of
the width under test (Chromium's own window is never narrower than 500 px), and the script posts
what it measured to the host page, which `chromium --dump-dom` prints. Skipped where Chromium is not installed (CI installs Debian's).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from translate_summarize.data import Failure, RunStatus
from translate_summarize.render.html import render_html_digest

from .run.test_mail import ordinary_brief

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a closed network and a root user, as the machine notes advise.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

MEASURE = """<script>
const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
const nl = document.querySelectorAll("td.nl"), en = document.querySelectorAll("td.en");
const result = {
  pairs: Array.from(nl).slice(0, 6).map((cell, i) => ({nl: box(cell), en: box(en[i])})),
  labels: Array.from(document.querySelectorAll("span.lab")).map((el) => [el.textContent, getComputedStyle(el).display, box(el).width]),
  heads: Array.from(document.querySelectorAll("th.hd")).map((el) => getComputedStyle(el).display),
  scrollWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
};
parent.postMessage(JSON.stringify(result), "*");
</script>"""

HOST = """<!DOCTYPE html><html><body style="margin:0"><pre id="measured"></pre>
<iframe src="{src}" width="{width}" height="900" style="border:0;display:block"></iframe>
<script>addEventListener("message", (event) => {{ document.getElementById("measured").textContent = event.data; }});</script>
</body></html>"""


def measure(tmp_path, html: str, width: int) -> dict:
    page = tmp_path / f"digest-{width}.html"
    page.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    host = tmp_path / f"host-{width}.html"
    host.write_text(HOST.format(src=page.name, width=width), encoding="utf-8")
    profile = tmp_path / f"profile-{width}"
    window = f"--window-size={max(width, 800)},1000"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", window, "--virtual-time-budget=5000", "--dump-dom", host.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="measured">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.fixture(scope="module")
def digest() -> str:
    briefs = [ordinary_brief(n) for n in range(1, 4)]
    return render_html_digest(briefs, RunStatus(3, 0, (Failure("in/leeg.txt", "is empty"),)), {1: "002_artikel.html"})


@pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed")
def test_desktop_shows_dutch_and_english_side_by_side(tmp_path, digest):
    layout = measure(tmp_path, digest, 1280)
    assert layout["viewport"] == 1280 and layout["scrollWidth"] <= 1280
    for pair in layout["pairs"]:
        assert pair["nl"]["right"] <= pair["en"]["left"] + 1 and abs(pair["nl"]["top"] - pair["en"]["top"]) < 1
    assert all(display == "none" and width == 0 for _, display, width in layout["labels"])
    assert "none" not in layout["heads"]


@pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed")
def test_phone_stacks_each_dutch_paragraph_above_its_labelled_english(tmp_path, digest):
    layout = measure(tmp_path, digest, 390)
    assert layout["viewport"] == 390 and layout["scrollWidth"] <= 390  # nothing wider than the phone
    for pair in layout["pairs"]:
        assert pair["nl"]["bottom"] <= pair["en"]["top"] + 1  # Dutch, then its English under it
        assert pair["nl"]["width"] > 300 and pair["en"]["width"] > 300  # full width, not two narrow columns
    labels = layout["labels"]
    assert [text for text, _, _ in labels[:4]] == ["NL", "EN", "NL", "EN"]
    assert all(display != "none" and width > 0 for _, display, width in labels)
    assert set(layout["heads"]) == {"none"}
