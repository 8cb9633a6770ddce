"""`brief` on saved web pages and URLs (issue #13 stage 2): the article only, its source, one line per bad URL."""

from __future__ import annotations

import io
import logging
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.httpserver import WEB
from translate_summarize.cli import app
from translate_summarize.run.inputs import input_stems, url_stem
from translate_summarize.run.options import RunSettings
from translate_summarize.run.runner import Run
from translate_summarize.sources.fetch import FetchSettings

from ..conftest import MODEL_ARGS, SAMPLE, fixture_options
from ..test_cli import BRIEF, run_brief

runner = CliRunner()


def brief(args: list[str]):
    return runner.invoke(app, [*args, *MODEL_ARGS])


def test_a_saved_web_page_is_briefed_from_its_article_only(tmp_path):
    page = tmp_path / "opgeslagen.htm"  # found by content, not by name
    page.write_bytes((WEB / "woningbouw.html").read_bytes())
    result = brief([str(page), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out" / "opgeslagen.md").read_text(encoding="utf-8")
    assert "cookie" not in written.lower() and "Lees ook" not in written
    assert written.count("**NL** ") >= 3


def test_a_url_is_fetched_once_per_run_and_revalidated_the_next(web_site, tmp_path):
    url = web_site.url("/etag/fietsenstalling.html")
    args = [url, "--out-dir", str(tmp_path / "out")]
    first = brief(args)
    assert first.exit_code == 0, first.output
    written = (tmp_path / "out" / f"{url_stem(url)}.md").read_text(encoding="utf-8")
    assert "fietsenstalling" in written.lower() and "Lees ook" not in written
    assert "Zorgen over de kosten" in written  # the page's subheading
    again = brief(args)
    assert again.exit_code == 0, again.output
    assert web_site.hits("/etag/fietsenstalling.html") == 2
    assert web_site.headers_of("/etag/fietsenstalling.html")[1].get("If-None-Match")  # a 304, the cached copy
    assert "1 unchanged" in again.output
    # Where it came from, in the brief written now and in the one reused from the cache.
    link = "- **Source:** De Noorderbode, <https://www.noorderbode.example/groningen/2026/11/28/grootste-fietsenstalling-onder-station>"
    assert link in written
    assert link in again.stdout


def test_each_url_has_its_own_out_file():
    a, b = "https://x.example/a/index.html", "https://x.example/b/index.html"
    stems = input_stems([a, b, str(SAMPLE), "https://x.example/a/index.html?x=1"])
    assert len(set(stems)) == 4 and stems[2] == SAMPLE.stem
    assert stems[0].startswith("x.example_index-")


def test_each_bad_url_is_one_line_and_the_others_are_briefed(web_site, tmp_path, caplog):
    bad = {
        "/missing": "HTTP 404",
        "/broken": "HTTP 500",
        "/slow": "timed out",
        "/loop": "redirect loop",
        "/pages/geen-artikel.html": "no article text",
        "/pages/duits.html": "German",
        "/private/fietsenstalling.html": "robots.txt",
    }
    web_site.slow_seconds = 2.0
    inputs = [web_site.url(path) for path in bad] + [web_site.url("/pages/fietsenstalling.html"), str(SAMPLE)]
    settings = RunSettings(
        out_dir=tmp_path / "out", brief=fixture_options(), fetch=FetchSettings(timeout=0.5, retries=0)
    )
    with caplog.at_level(logging.ERROR, logger="translate_summarize"):
        report = Run(settings).execute(inputs, io.BytesIO())
    assert report.made == 2 and len(report.failures) == len(bad)
    lines = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(lines) == len(bad)
    for line, (path, reason) in zip(lines, bad.items()):
        assert line.startswith(web_site.url(path) + ": ") and reason in line and "\n" not in line, line
    assert len(list(Path(tmp_path / "out").glob("*.md"))) == 2


def test_a_bad_url_exits_1_naming_it(web_site, tmp_path):
    result = brief([web_site.url("/missing"), str(SAMPLE), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{web_site.url('/missing')}: HTTP 404" in result.output
    assert (tmp_path / "out" / f"{SAMPLE.stem}.md").exists()


def test_read_gives_the_pages_blocks_and_source(briefer, tmp_path):
    page = tmp_path / "pagina.txt"  # a whole HTML document, whatever its name
    page.write_bytes((WEB / "woningbouw.html").read_bytes())
    article = briefer.read(page)
    assert article.source.url == "https://stadsblad.example/nieuws/binnenland/kabinet-woningen-starters"
    assert article.source.author == "Ahmed El Amrani" and article.date == "2026-11-29"
    kinds = [(block.kind.value, block.text) for block in article.blocks]
    assert ("subheading", "Kritiek van de VNG") in kinds and kinds[0][0] == "title"
    assert not any("reacties" in text or "privacy" in text.lower() for _, text in kinds)


def test_fetch_timeout_and_retries_are_options(web_site, tmp_path):
    web_site.slow_seconds = 1.5
    slow = brief([web_site.url("/slow"), "--out-dir", str(tmp_path / "a"), "--fetch-timeout", "0.3", "--fetch-retries", "0"])
    assert slow.exit_code == 1 and f"{web_site.url('/slow')}: timed out after 0.3 s" in slow.output, slow.output
    flaky = web_site.url("/flaky")  # 500 twice, then the page
    once = brief([flaky, "--out-dir", str(tmp_path / "b"), "--fetch-retries", "0"])
    assert once.exit_code == 1 and "HTTP 500" in once.output, once.output
    again = brief([flaky, "--out-dir", str(tmp_path / "c"), "--fetch-retries", "1"])
    assert again.exit_code == 0, again.output
    assert web_site.hits("/flaky") == 3
    assert "fetch_retries must be 0 or more" in brief(["x.txt", "--fetch-retries", "-1"]).output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_run_stuck_on_a_download_stops_at_once_on_ctrl_c_or_sigterm(web_site, tmp_path, signum):
    web_site.slow_seconds = 60
    out = tmp_path / "out"
    command = [str(BRIEF), str(SAMPLE), web_site.url("/slow"), *MODEL_ARGS, "--out-dir", str(out), "--fetch-timeout", "120"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while web_site.hits("/slow") == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert web_site.hits("/slow") == 1, "the run never asked for the slow page"
    sent = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 10, "it waited for the download"
    assert process.returncode == 130 and b"interrupted" in stderr, stderr.decode()
    assert not list(out.rglob("*.tmp")) and not list(out.glob("*.md"))


def test_an_empty_page_is_one_line_on_stderr_with_no_library_chatter(web_site, tmp_path):
    result = run_brief([web_site.url("/empty"), *MODEL_ARGS, "--out-dir", str(tmp_path / "out")])
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert lines[0] == f"brief: ERROR: {web_site.url('/empty')}: has no article text that could be extracted", lines
    assert len(lines) == 2 and "1 failed" in lines[1], lines  # the run's summary line


def test_urls_brief_does_not_fetch_and_bad_limits_are_one_line(tmp_path):
    ftp = brief(["ftp://ftp.example/artikel.html", "--out-dir", str(tmp_path / "out")])
    assert ftp.exit_code == 1 and "ftp://ftp.example/artikel.html: is not a file, and brief fetches only http and https URLs" in ftp.output
    assert "max_bytes must be 1 or more, not -5" in brief([str(SAMPLE), "--max-bytes", "-5"]).output
    alone = brief([str(SAMPLE), "--since", "2026-11-28", "--out-dir", str(tmp_path / "out")])
    assert alone.exit_code == 0 and "--since does nothing without --feed" in alone.output


def test_an_input_given_twice_is_briefed_once(web_site, tmp_path):
    page = web_site.url("/pages/fietsenstalling.html")
    out = tmp_path / "out"
    args = [page, f"{page}?utm_source=nieuwsbrief&utm_medium=email#reacties", str(SAMPLE), str(SAMPLE), "--out-dir", str(out)]
    result = brief([*args, "--format", "text"])
    assert result.exit_code == 0 and "2 briefed, 0 unchanged, 0 failed" in result.output, result.output
    assert result.stdout.count("Briefed: ") == 2 and len(list(out.glob("*.txt"))) == 2
    assert web_site.hits("/pages/fietsenstalling.html") == 1
    assert url_stem(page) == url_stem(f"{page}?utm_campaign=x") != url_stem(f"{page}?id=2")


def test_credentials_in_a_url_stay_out_of_error_lines_and_the_manifest(web_site, tmp_path):
    base = web_site.url("/")
    secret = base.replace("http://", "http://jan:geheim@")
    manifest = tmp_path / "manifest.jsonl"
    result = run_brief([secret + "missing", secret + "pages/fietsenstalling.html", *MODEL_ARGS, "--out-dir", str(tmp_path / "out"), "--manifest", str(manifest)])
    assert result.returncode == 1 and f"{base}missing: HTTP 404 Not Found".encode() in result.stderr, result.stderr.decode()
    assert b"geheim" not in result.stderr and b"geheim" not in result.stdout
    assert "geheim" not in manifest.read_text(encoding="utf-8") and manifest.read_text(encoding="utf-8").count("\n") == 2
