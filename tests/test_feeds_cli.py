"""`brief --feed`: each new or changed feed entry briefed once, and only once (issue #13 stage 2)."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app

from .conftest import MODEL_ARGS, SAMPLE
from .run.test_mail import _catcher, _mail_args, _sent
from .test_cli import run_brief

RSS = "/feeds/rss.xml"
runner = CliRunner()


def test_done_when_a_feed_is_mailed_once_and_only_once_each_brief_linking_to_its_page(web_site, tmp_path):
    command, box = _catcher(tmp_path)
    env = os.environ | {"BRIEF_SENDMAIL": command}
    args = ["--feed", web_site.url(RSS), "--format", "email", *_mail_args(tmp_path / "out")]
    first = run_brief(args, env=env)
    assert first.returncode == 0, first.stderr.decode()
    [mail] = _sent(box)
    plain, html = (mail.get_body((kind,)).get_content() for kind in ("plain", "html"))
    page = web_site.url("/pages/fietsenstalling.html")
    busbaan = "https://www.noorderbode.example/groningen/2026/09/14/nieuwe-busbaan"
    for link in (page, busbaan):
        assert link in plain and f'href="{link}"' in html
    assert "De Noorderbode - Groningen" in plain and "2 briefed, 0 unchanged, 0 failed" in plain
    # The next night: nothing new in the feed, no mail.
    again = run_brief(args, env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert len(_sent(box)) == 1 and b"no mail sent" in again.stderr
    # A night later: a new item on top and a corrected one; only those two are mailed.
    web_site.files[RSS] = "rss-next.xml"
    third = run_brief(args, env=env)
    assert third.returncode == 0, third.stderr.decode()
    mails = _sent(box)
    assert len(mails) == 2
    plain = mails[1].get_body(("plain",)).get_content()
    assert "schouwburg-jong-publiek" in plain and busbaan in plain and page not in plain
    state = json.loads((tmp_path / "out" / ".brief" / "feeds" / "feeds.json").read_text(encoding="utf-8"))
    assert len(state["feeds"][web_site.url(RSS)]) == 3


def brief(args: list[str]):
    return runner.invoke(app, [*args, *MODEL_ARGS])


def test_feed_entries_follow_the_files_and_a_second_run_briefs_nothing_new(web_site, tmp_path):
    out = tmp_path / "out"
    args = [str(SAMPLE), "--feed", web_site.url(RSS), "--out-dir", str(out), "--new-only", "--format", "text"]
    first = brief(args)
    assert first.exit_code == 0, first.output
    assert first.stdout.count("Briefed: ") == 3
    assert first.stdout.index("Source:  000_5456f33a95982729.txt") < first.stdout.index("Source:  De Noorderbode - Groningen\n")
    again = brief(args)
    assert again.exit_code == 0, again.output
    assert "1 briefed" not in again.output and "0 briefed, 1 unchanged" in again.output
    assert again.stdout == ""


def test_bad_feeds_and_entries_are_one_line_each(web_site, tmp_path):
    feeds = [web_site.url("/missing"), web_site.url("/feeds/feed-problems.xml"), str(tmp_path / "weg.xml")]
    args = [arg for feed in feeds for arg in ("--feed", feed)]
    result = brief([*args, "--out-dir", str(tmp_path / "out"), "--format", "json", "--fetch-retries", "0", "--allow-private-addresses"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if ": " in line and "briefed" not in line]
    expected = [
        f"{web_site.url('/missing')}: HTTP 404 Not Found",
        f'{web_site.url("/feeds/feed-problems.xml")}: entry 1 ("Item zonder link") has no link and no full text',
        f"{web_site.url('/missing')}: HTTP 404 Not Found",
        f"{web_site.url('/pages/geen-artikel.html')}: has no article text that could be extracted",
        f"{tmp_path / 'weg.xml'}: no such file",
        f"{web_site.url('/pages/duits.html')}: looks like German",
        f"{web_site.url('/broken')}: HTTP 500 Internal Server Error",
    ]
    for want in expected:
        assert any(want in line for line in lines), (want, lines)
    assert "1 briefed, 0 unchanged, 7 failed" in result.output  # woningbouw.html, from the problem feed
    [written] = (tmp_path / "out").glob("*.json")
    assert json.loads(written.read_text(encoding="utf-8"))["article"]["source"]["outlet"] == "Probleemfeed"


def test_since_and_the_config_files_feeds(web_site, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'feeds = ["{web_site.url(RSS)}"]\nsince = "2026-10-01"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = brief(["--config", str(config), "--out-dir", str(out), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "1 briefed" in result.output and "fietsenstalling" in result.stdout and "busbaan" not in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('feeds = "not a list"\n', encoding="utf-8")
    assert "feeds must be a list of strings" in brief(["--config", str(bad)]).output
    assert "--since gisteren" in brief(["--feed", "x.xml", "--since", "gisteren"]).output


def test_failed_entries_are_named_once_unless_their_failure_may_pass(web_site, tmp_path):
    problems = web_site.url("/feeds/feed-problems.xml")
    args = ["--feed", problems, "--out-dir", str(tmp_path / "out"), "--format", "text", "--fetch-retries", "0", "--allow-private-addresses"]
    first = brief(args)
    assert first.exit_code == 1 and "1 briefed, 0 unchanged, 5 failed" in first.output, first.output
    # The next nights: the lasting failures (no link, 404, no article, German) are not named again;
    # the 500 is tried again, three runs in all, then it too waits until the feed changes the entry.
    for night in (2, 3):
        again = brief(args)
        assert again.exit_code == 1 and "0 briefed, 0 unchanged, 1 failed" in again.output, (night, again.output)
        assert f"{web_site.url('/broken')}: HTTP 500" in again.output and "/missing" not in again.output
    assert web_site.hits("/broken") == 3 and web_site.hits("/missing") == 1
    quiet = brief(args)
    assert quiet.exit_code == 0 and "0 briefed, 0 unchanged, 0 failed" in quiet.output, quiet.output
    assert web_site.hits("/broken") == 3
    # --force tries every entry again, and briefs the good one anew.
    forced = brief([*args, "--force"])
    assert forced.exit_code == 1 and "1 briefed, 0 unchanged, 5 failed" in forced.output, forced.output
    assert web_site.hits("/broken") == 4 and web_site.hits("/missing") == 2


def test_a_failed_entry_is_tried_again_once_the_feed_changes_it(web_site, tmp_path):
    feed = tmp_path / "feed.xml"
    page = web_site.url("/pages/later.html")  # 404 until the test puts a page there

    def write(title: str) -> None:
        item = f"<item><guid>lokaal-1</guid><title>{title}</title><link>{page}</link></item>"
        feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Lokaal</title>{item}</channel></rss>')

    args = ["--feed", str(feed), "--out-dir", str(tmp_path / "out"), "--format", "text", "--allow-private-addresses"]
    write("Nog niet klaar")
    assert brief(args).exit_code == 1
    web_site.files["/pages/later.html"] = "fietsenstalling.html"
    assert brief(args).exit_code == 0 and web_site.hits("/pages/later.html") == 1  # same entry: not tried
    write("Nu wel klaar")  # the outlet changed the entry
    fixed = brief(args)
    assert fixed.exit_code == 0 and "1 briefed" in fixed.output, fixed.output
    assert web_site.hits("/pages/later.html") == 2


def test_with_sendmail_a_failed_entry_is_remembered_only_once_a_mail_named_it(web_site, tmp_path):
    command, box = _catcher(tmp_path)
    feed = ["--feed", web_site.url("/feeds/feed-problems.xml"), "--fetch-retries", "0"]
    args = [*feed, *_mail_args(tmp_path / "out"), "--allow-private-addresses"]
    broken = run_brief(args, env=os.environ | {"BRIEF_SENDMAIL": "false"})
    assert broken.returncode == 4, broken.stderr.decode()
    sent = run_brief(args, env=os.environ | {"BRIEF_SENDMAIL": command})
    assert sent.returncode == 1, sent.stderr.decode()
    [mail] = _sent(box)
    plain = mail.get_body(("plain",)).get_content()
    assert "has no link and no full text" in plain and "HTTP 404 Not Found" in plain  # not lost with the first mail
    assert "Probleemfeed" in plain  # and the brief the first mail did not carry


def _full_text_feed(path, titles: list[str], link: str | None = None) -> None:
    """A feed file whose entries carry their whole text and no link (as some CMS exports do), or
    all one `link` (a liveblog's updates)."""
    body = "<p>" + "De gemeenteraad heeft dinsdagavond ingestemd met het plan voor nieuwe woningen in de wijk. " * 8 + "</p>"
    items = "".join(
        f"<item><guid isPermaLink='false'>id-{title}</guid><title>{title}</title>{f'<link>{link}</link>' if link else ''}"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        for title in titles
    )
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Lokaal</title>{items}</channel></rss>",
        encoding="utf-8",
    )


def test_entries_without_a_link_each_keep_their_own_brief_file(tmp_path):
    feed, out = tmp_path / "nieuws.rss", tmp_path / "out"
    args = ["--feed", str(feed), "--out-dir", str(out), "--format", "text"]
    _full_text_feed(feed, ["Liveblog Oekraïne / Update"])
    assert brief(args).exit_code == 0
    [first] = out.glob("*.txt")
    before = first.read_bytes()
    # The next night a second entry comes on top, its title ending the same way.
    _full_text_feed(feed, ["Liveblog Gaza / Update", "Liveblog Oekraïne / Update"])
    again = brief(args)
    assert again.exit_code == 0 and "1 briefed" in again.output, again.output
    assert first.read_bytes() == before and len(list(out.glob("*.txt"))) == 2
    assert first.name.startswith("nieuws_liveblog-oekraïne-update-")


def test_a_page_given_as_a_url_and_in_a_feed_is_briefed_once(web_site, tmp_path):
    page = web_site.url("/pages/fietsenstalling.html?utm_source=nieuwsbrief")  # also the feed's first entry
    args = [page, "--feed", web_site.url(RSS), "--out-dir", str(tmp_path / "out"), "--format", "text"]
    first = brief(args)
    assert first.exit_code == 0 and "2 briefed, 0 unchanged" in first.output, first.output
    again = brief([*args, "--new-only"])
    assert again.exit_code == 0 and "0 briefed, 1 unchanged" in again.output, again.output  # the feed entry was marked


@pytest.mark.parametrize("link", ["https://www.noorderbode.example/liveblog", "javascript:void(0)", "#"])
def test_entries_sharing_a_link_or_without_a_real_one_each_get_a_brief(tmp_path, link):
    feed, out = tmp_path / "live.rss", tmp_path / "out"
    _full_text_feed(feed, ["Update 1", "Update 2", "Update 3"], link)
    result = brief(["--feed", str(feed), "--out-dir", str(out), "--format", "json"])
    assert result.exit_code == 0 and "3 briefed, 0 unchanged, 0 failed" in result.output, result.output
    written = sorted(out.glob("*.json"))
    assert len(written) == 3
    urls = {json.loads(path.read_text(encoding="utf-8"))["article"]["source"]["url"] for path in written}
    assert urls == ({link} if link.startswith("https:") else {None})


def test_a_feed_named_twice_is_read_once(web_site, tmp_path):
    feed = web_site.url(RSS)
    result = brief(["--feed", feed, "--feed", f"{feed}?utm_source=x", "--out-dir", str(tmp_path / "out"), "--format", "text"])
    assert result.exit_code == 0 and "2 briefed" in result.output, result.output
    assert web_site.hits(RSS) == 1


def test_a_second_run_says_how_many_feed_entries_were_already_briefed(web_site, tmp_path):
    """Issue #22: 'nothing new' is told from 'feed not read' on the closing line."""
    args = ["--feed", web_site.url(RSS), "--out-dir", str(tmp_path / "out"), "--format", "text"]
    first = brief(args)
    assert first.exit_code == 0 and "2 briefed, 0 unchanged, 0 failed, 0 already briefed from 1 feed" in first.stderr, first.output
    again = brief(args)
    assert again.exit_code == 0 and "0 briefed, 0 unchanged, 0 failed, 2 already briefed from 1 feed" in again.stderr, again.output
    web_site.files[RSS] = "rss-next.xml"  # a new entry on top, one corrected, one as it was
    third = brief(args)
    assert third.exit_code == 0 and "2 briefed, 0 unchanged, 0 failed, 1 already briefed from 1 feed" in third.stderr, third.output
    files = brief([str(SAMPLE), "--out-dir", str(tmp_path / "out"), "--format", "text"])
    assert files.exit_code == 0 and files.stderr.strip().endswith("1 briefed, 0 unchanged, 0 failed -> " + f"{tmp_path / 'out'}/")


def test_a_feed_that_cannot_be_read_is_a_failure_named(web_site, tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/rss.xml"
    feeds = [web_site.url(RSS), web_site.url("/missing"), closed]
    args = [arg for feed in feeds for arg in ("--feed", feed)]
    out = ["--out-dir", str(tmp_path / "out"), "--format", "text", "--fetch-retries", "0"]
    brief([args[0], args[1], *out])  # the good feed, briefed on an earlier night
    result = brief([*args, *out])
    assert result.exit_code == 1, result.output
    assert f"brief: ERROR: {web_site.url('/missing')}: HTTP 404 Not Found" in result.stderr
    assert f"brief: ERROR: {closed}: cannot connect (connection refused)" in result.stderr
    assert "0 briefed, 0 unchanged, 2 failed, 2 already briefed from 1 feed" in result.stderr, result.stderr
