"""The out-dir as a place to read briefs (issue #24): the Atom feed, the archive pages, search
bundles, incremental updates, `--serve`, and faults in the archive's state that never cost a brief."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import urllib.request
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.publish import Archive, ArchiveOptions
from translate_summarize.publish.catalogue import Catalogue, Listing
from translate_summarize.run.serve import make_server

from ..briefs import make_brief
from ..conftest import MODEL_ARGS

DEV = Path(__file__).resolve().parent.parent / "data" / "stories" / "dev"
ARTICLES = {
    "brand.txt": DEV / "bolder-bakkerijen-brand" / "01-origineel.txt",
    "banen.txt": DEV / "bolder-bakkerijen-banenverlies" / "01-origineel.txt",
    "museum.txt": DEV / "museum-de-valk-inbraak" / "01-origineel.txt",
}


def run(inputs: list[str], out: Path, *more: str):
    result = CliRunner().invoke(app, [*inputs, "-o", str(out), *more, *MODEL_ARGS])
    assert "Traceback" not in result.stderr, result.stderr
    return result


def night(folder: Path, names=ARTICLES) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(ARTICLES[name], folder / name)
    return [str(folder / name) for name in names]


def test_the_feed_has_one_entry_per_brief_with_stable_ids_and_updates(tmp_path, monkeypatch):
    inputs, out = night(tmp_path / "in"), tmp_path / "out"
    assert run(inputs, out).exit_code == 0
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo and feed.feed.id.startswith("urn:uuid:") and len(feed.entries) == 3
    records = {path.stem: json.loads(path.read_text())["brief"] for path in (out / ".brief").glob("*.json") if path.stem in ("brand", "banen", "museum")}
    by_link = {entry.link: entry for entry in feed.entries}
    assert set(by_link) == {"brand.html", "banen.html", "museum.html"}
    entry = by_link["brand.html"]
    assert entry.title == records["brand"]["headline"] and entry.summary == records["brand"]["summary"]["en"]
    assert entry.content[0].type == "text/html" and records["brand"]["blocks"][1]["en"][:40] in entry.content[0].value
    assert [(link.rel, link.get("type")) for link in entry.links] == [("alternate", "text/html")]
    assert entry.author == "brand.txt" and entry.published and entry.updated
    ids = {entry.link: entry.id for entry in feed.entries}
    # Again, nothing changed: the same ids and dates. Then one article changes: same id, new date.
    assert run(inputs, out).exit_code == 0
    again = feedparser.parse(str(out / "feed.xml"))
    assert {e.link: (e.id, e.updated) for e in again.entries} == {e.link: (e.id, e.updated) for e in feed.entries}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(os.environ.get("SOURCE_DATE_EPOCH", "1790000000")) + 86_400))  # a day later
    Path(inputs[0]).write_text(Path(inputs[0]).read_text(encoding="utf-8") + "\nEen extra alinea met nieuws.\n", encoding="utf-8")
    assert run(inputs, out).exit_code == 0
    changed = {e.link: e for e in feedparser.parse(str(out / "feed.xml")).entries}
    assert changed["brand.html"].id == ids["brand.html"] and changed["brand.html"].updated != by_link["brand.html"].updated
    assert changed["banen.html"].updated == by_link["banen.html"].updated
    assert feedparser.parse(str(out / "feed.xml")).entries[0].link == "brand.html"  # newest first


def test_the_archive_lists_every_brief_and_every_brief_links_back(tmp_path):
    inputs, out = night(tmp_path / "in"), tmp_path / "out"
    assert run(inputs, out, "--format", "json").exit_code == 0  # any format: the archive has HTML pages
    index = (out / "index.html").read_text(encoding="utf-8")
    for stem in ("brand", "banen", "museum"):
        assert f'href="{stem}.html"' in index
        assert 'href="index.html"' in (out / f"{stem}.html").read_text(encoding="utf-8")
    (day,) = list((out / "archive").glob("*.html"))
    page = day.read_text(encoding="utf-8")
    assert all(f'href="../{stem}.html"' in page for stem in ("brand", "banen", "museum"))
    assert 'href="../index.html"' in page and f'href="archive/{day.name}"' in index
    assert list((out / "pagefind").iterdir())[0].name == day.stem[:7]
    assert (out / "pagefind" / day.stem[:7] / "pagefind.js").is_file()
    assert "cdn" not in index.lower() and "https://" not in index  # nothing from elsewhere


def test_no_archive_writes_none_of_it(tmp_path):
    out = tmp_path / "out"
    assert run(night(tmp_path / "in"), out, "--no-archive").exit_code == 0
    assert not any((out / name).exists() for name in ("index.html", "feed.xml", "pagefind", "archive", "brand.html"))


def test_feed_per_digest_has_one_entry_per_run(tmp_path):
    out = tmp_path / "out"
    assert run(night(tmp_path / "in", ["brand.txt", "banen.txt"]), out, "--feed-per-digest").exit_code == 0
    assert run(night(tmp_path / "in2", ["museum.txt"]), out, "--feed-per-digest").exit_code == 0
    assert run(night(tmp_path / "in2", ["museum.txt"]), out, "--feed-per-digest").exit_code == 0  # nothing new
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo and len(feed.entries) == 2
    assert feed.entries[0].title.startswith("Briefs: 1 article (") and feed.entries[1].title.startswith("Briefs: 2 articles (")
    museum = json.loads((out / ".brief" / "museum.json").read_text(encoding="utf-8"))["brief"]["headline"]
    assert feed.entries[0].link.startswith("archive/") and museum in feed.entries[0].content[0].value
    assert museum not in feed.entries[1].content[0].value


def test_archive_url_makes_the_feed_links_absolute(tmp_path):
    out = tmp_path / "out"
    assert run(night(tmp_path / "in", ["brand.txt"]), out, "--archive-url", "https://example.org/briefs").exit_code == 0
    feed = feedparser.parse(str(out / "feed.xml"))
    assert feed.entries[0].link == "https://example.org/briefs/brand.html"
    assert any(link.rel == "self" and link.href == "https://example.org/briefs/feed.xml" for link in feed.feed.links)
    assert run(["x.txt"], out, "--archive-url", "ftp://example.org/").exit_code == 2


def listing(stem: str, day: str) -> Listing:
    return Listing(stem, day, f"{day}T06:00:00+01:00", f"Headline {stem}", "NU.nl", "Summary.", "k" + stem)


def test_a_run_on_a_big_archive_writes_only_what_it_changed(tmp_path):
    """10,000 briefs over 100 days, then 20 new ones today: only today's day (and the day before,
    whose "newer" link changes), the index and the feed are written; no other day or page."""
    out, state = tmp_path / "out", tmp_path / "out" / ".brief"
    catalogue = Catalogue(state / "archive" / "days")
    days = [f"2026-08-{d:02d}" for d in range(1, 32)] + [f"2026-09-{d:02d}" for d in range(1, 31)] + [f"2026-10-{d:02d}" for d in range(1, 32)] + [f"2026-11-{d:02d}" for d in range(1, 9)]
    for n in range(10_000):
        catalogue.add(listing(f"old{n:05d}", days[n % len(days)]))
    catalogue.save()
    archive = Archive(out, state, ArchiveOptions())
    archive._days(set(archive.catalogue.days))  # the day pages of the old archive, once
    for month in ("2026-08", "2026-09", "2026-10", "2026-11"):  # and its search bundles (made by earlier runs)
        (out / "pagefind" / month).mkdir(parents=True)
        (out / "pagefind" / month / "pagefind.js").write_text("// bundle")
    before = {path: path.stat().st_mtime_ns for path in (out / "archive").glob("*.html")}
    before.update({path: path.stat().st_mtime_ns for path in (state / "archive" / "days").glob("*.json")})
    time.sleep(0.01)
    archive = Archive(out, state, ArchiveOptions(feed_entries=20))
    for n in range(20):
        brief = make_brief(headline=f"New {n}", created="2026-12-07T06:00:00+01:00", article={"name": f"new{n}.txt"})
        archive.add(f"new{n:02d}", brief, True)
    started = time.perf_counter()
    archive.finish()
    seconds = time.perf_counter() - started
    changed = sorted(path.name for path, mtime in before.items() if path.stat().st_mtime_ns != mtime)
    assert changed == ["2026-11-08.html"]  # its "newer" link now leads to today
    assert (out / "archive" / "2026-12-07.html").is_file() and (state / "archive" / "days" / "2026-12-07.json").is_file()
    assert sorted(path.name for path in (out / "pagefind").iterdir() if (path / "pagefind.js").read_text() != "// bundle") == ["2026-12"]
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 20
    assert seconds < 60, seconds  # a sanity bound, not a timing claim: bench/bench_archive.py measures


def test_broken_archive_state_is_one_line_and_never_a_failure(tmp_path, monkeypatch):
    inputs, out = night(tmp_path / "in", ["brand.txt"]), tmp_path / "out"
    assert run(inputs, out).exit_code == 0
    days = list((out / ".brief" / "archive" / "days").glob("*.json"))
    days[0].write_text("{broken", encoding="utf-8")
    (out / ".brief" / "archive" / "feed.json").write_text("[1, 2]", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    result = run(night(tmp_path / "in2", ["banen.txt"]), out)
    assert result.exit_code == 0, result.stderr
    assert "archive day left out" in result.stderr and "feed state unreadable" in result.stderr
    assert "search index not updated: Pagefind cannot run" in result.stderr
    assert (out / "banen.md").is_file() and 'href="banen.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 1  # the broken day's brief returns when briefed again


def test_serve_gives_the_out_dir_on_the_loopback_and_not_its_state(tmp_path):
    out = tmp_path / "out"
    assert run(night(tmp_path / "in", ["brand.txt"]), out).exit_code == 0
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://{host}:{port}/index.html") as answer:
            assert b"Brief archive" in answer.read()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://{host}:{port}/.brief/brand.json")
        assert refused.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
    result = CliRunner().invoke(app, ["--serve", "-o", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "no archive here" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_archive_folder_is_a_warning(tmp_path):
    out = tmp_path / "out"
    assert run(night(tmp_path / "in", ["brand.txt"]), out).exit_code == 0
    (out / "archive").chmod(0o500)
    try:
        result = run(night(tmp_path / "in2", ["banen.txt"]), out)
    finally:
        (out / "archive").chmod(0o700)
    assert result.exit_code == 0 and "archive days not updated" in result.stderr


def test_the_feed_keeps_the_rules_of_rfc_4287(tmp_path):
    """No Atom validator runs offline here (the W3C feedvalidator is a web service; jing needs Java),
    so the RFC's rules that feed readers rely on are checked one by one (RFC 4287 §4.1.1, §4.1.2,
    §3.3 dates, §4.2.7 links)."""
    import re

    from lxml import etree

    out = tmp_path / "out"
    assert run(night(tmp_path / "in"), out, "--archive-url", "https://example.org/briefs/").exit_code == 0
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = etree.parse(str(out / "feed.xml")).getroot()
    date = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated"):  # exactly one each (§4.1.1)
        assert len(feed.findall(f"a:{name}", ns)) == 1
    assert date.match(feed.findtext("a:updated", namespaces=ns))
    assert feed.find("a:author/a:name", ns) is not None
    assert [link.get("rel") for link in feed.findall("a:link", ns)].count("self") == 1
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 3 and len({e.findtext("a:id", namespaces=ns) for e in entries}) == 3
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{name}", ns)) == 1
        assert re.match(r"^urn:uuid:[0-9a-f-]{36}$", entry.findtext("a:id", namespaces=ns))
        assert date.match(entry.findtext("a:updated", namespaces=ns)) and date.match(entry.findtext("a:published", namespaces=ns))
        assert entry.find("a:content", ns).get("type") == "html" and entry.find("a:summary", ns) is not None
        links = entry.findall("a:link", ns)
        alternates = [(link.get("type"), link.get("hreflang")) for link in links if link.get("rel") == "alternate"]
        assert len(alternates) == len(set(alternates)) == 1  # §4.1.2: one alternate per type and language
        assert all(link.get("rel") in ("alternate", "via", "related") and link.get("href", "").startswith("https://") for link in links)


def test_serve_refuses_encoded_and_linked_ways_out(tmp_path):
    out = tmp_path / "out"
    assert run(night(tmp_path / "in", ["brand.txt"]), out).exit_code == 0
    (out / "elsewhere").symlink_to(tmp_path / "in")
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for path in ("/%2ebrief/brand.json", "/%2Ebrief/", "/x/..%2f.brief/stories.json", "/archive/..%2f.brief%2fstories.json",
                     "/.brief.lock", "/elsewhere/brand.txt"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base + path)
            assert refused.value.code == 404, path
    finally:
        server.shutdown()
        server.server_close()
    for port in ("70000", "-1"):
        result = CliRunner().invoke(app, ["--serve", "-o", str(out), "--port", port])
        assert result.exit_code == 2 and "a port is 0" in result.stderr, result.stderr


def test_an_article_named_index_keeps_its_page(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES["brand.txt"], folder / "index.txt")
    out = tmp_path / "out"
    assert run([str(folder / "index.txt")], out, "--format", "html").exit_code == 0
    assert "Brief archive" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "index-article.html").is_file() and (out / "index-article.md").exists() is False
    assert feedparser.parse(str(out / "feed.xml")).entries[0].link == "index-article.html"


def test_a_deeply_nested_state_and_a_broken_bundle_cost_nothing(tmp_path):
    from translate_summarize.publish import search

    out = tmp_path / "out"
    assert run(night(tmp_path / "in", ["brand.txt"]), out).exit_code == 0
    day = next((out / ".brief" / "archive" / "days").glob("*.json"))
    day.write_text("[" * 100_000, encoding="utf-8")
    (out / ".brief" / "archive" / "feed.json").write_text("[" * 100_000, encoding="utf-8")
    result = run(night(tmp_path / "in2", ["banen.txt"]), out)
    assert result.exit_code == 0 and "archive day left out (RecursionError)" in result.stderr
    assert "feed state unreadable (RecursionError)" in result.stderr
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 1  # the left-out day's brief returns when briefed again
    bundle = next((out / "pagefind").iterdir())
    (bundle / "pagefind-entry.json").write_text("", encoding="utf-8")
    with pytest.raises(RuntimeError, match="broken bundle"):
        search._check_bundle(bundle)


def test_the_feed_keeps_its_ids_when_its_state_is_lost(tmp_path):
    out = tmp_path / "out"
    assert run(night(tmp_path / "in", ["brand.txt"]), out).exit_code == 0
    ids = [entry.id for entry in feedparser.parse(str(out / "feed.xml")).entries]
    (out / ".brief" / "archive" / "feed.json").unlink()
    (out / ".brief" / "archive" / "feed.json").mkdir()  # cannot be read nor written again
    for _ in range(2):
        result = run(night(tmp_path / "in2", ["banen.txt"]), out, "--force")
        assert result.exit_code == 0
        entries = feedparser.parse(str(out / "feed.xml")).entries
        assert ids[0] in [entry.id for entry in entries]


def test_day_pages_deleted_by_hand_come_back_on_the_next_run(tmp_path):
    inputs, out = night(tmp_path / "in", ["brand.txt"]), tmp_path / "out"
    assert run(inputs, out).exit_code == 0
    shutil.rmtree(out / "archive")
    assert run(inputs, out).exit_code == 0  # nothing new
    assert len(list((out / "archive").glob("*.html"))) == 1


def test_two_runs_in_one_second_are_two_feed_entries(tmp_path):
    out, state = tmp_path / "out", tmp_path / "out" / ".brief"
    state.mkdir(parents=True)
    for name in ("first", "second"):  # well within one second
        archive = Archive(out, state, ArchiveOptions(per_digest=True))
        archive.add(name, make_brief(headline=f"Headline {name}", article={"name": f"{name}.txt"}), True)
        archive.finish()
    entries = feedparser.parse(str(out / "feed.xml")).entries
    assert len(entries) == 2 and entries[0].id != entries[1].id
    assert "Headline second" in entries[0].content[0].value and "Headline second" not in entries[1].content[0].value
