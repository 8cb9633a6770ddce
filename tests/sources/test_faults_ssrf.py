"""Issue #19 A: links a feed gives, and redirects, never reach private addresses unless allowed (SSRF).

The local test site is on 127.0.0.1: a feed URL given by the user there is their own choice, but the
links inside it (to 127.0.0.1 pages) are the feed's, and are refused unless allowed.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.errors import InputError
from translate_summarize.sources import FeedState, addresses, feed_items
from translate_summarize.sources.addresses import non_global
from translate_summarize.sources.feeds import FeedLink
from translate_summarize.sources.fetch import Fetcher, FetchSettings

from ..conftest import MODEL_ARGS

ATOM = "/feeds/atom.xml"  # two summary-only entries linking to pages on the same site
PAGES = ("/etag/woningbouw.html", "/last-modified/fietsenstalling.html")


def settings(tmp_path, **more) -> FetchSettings:
    return FetchSettings(**{"timeout": 2, "retries": 0, "cache_dir": tmp_path / "pages", **more})


class _Redirector:
    """A server on 127.0.0.1 that answers every GET with a 302 to `location`."""

    def __init__(self, location: str):
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                outer.hits += 1
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
     "240.0.0.1", "100.64.0.1", "::1", "::", "fe80::1%eth0", "fc00::1", "ff02::1", "::ffff:127.0.0.1",
     "::ffff:10.0.0.1", "2002:7f00:1::1"],
)
def test_non_global_addresses(address):
    assert non_global(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_global_addresses(address):
    assert not non_global(address)


def test_feed_links_to_a_private_address_are_refused_one_line_each(web_site, tmp_path):
    url = web_site.url(ATOM)  # the user's own feed, on 127.0.0.1: fetched
    with Fetcher(settings(tmp_path)) as fetcher:
        items = list(feed_items(url, fetcher, FeedState(tmp_path / ".brief")))
    assert web_site.hits(ATOM) == 1
    assert len(items) == 2 and all(item.text is None for item in items)
    for item, path in zip(items, PAGES):
        message = str(item.error)
        assert isinstance(item.error, InputError) and "\n" not in message
        assert message.startswith(web_site.url(path)) and "private address" in message
        assert "127.0.0.1" in message and "--allow-private-addresses" in message
        assert web_site.hits(path) == 0  # not even asked
    assert web_site.hits("/robots.txt") <= 1  # the feed's own robots.txt only


def test_feed_links_are_fetched_when_allowed(web_site, tmp_path):
    with Fetcher(settings(tmp_path, allow_private_addresses=True)) as fetcher:
        items = list(feed_items(web_site.url(ATOM), fetcher, FeedState(tmp_path / ".brief")))
    assert [item.error for item in items] == [None, None]
    assert "Wat verandert er voor gemeenten?" in items[0].text.text
    assert all(web_site.hits(path) == 1 for path in PAGES)


def test_a_pooled_connection_for_the_users_url_is_not_reused_for_a_feed_link(web_site, tmp_path):
    with Fetcher(settings(tmp_path, robots=False)) as fetcher:
        assert fetcher.fetch(web_site.url("/pages/fietsenstalling.html")).status == 200  # the user's: fetched
        with pytest.raises(InputError, match="private address"):
            fetcher.fetch(FeedLink(web_site.url("/pages/fietsenstalling.html")))
        with pytest.raises(InputError, match="private address"):
            fetcher.fetch(web_site.url("/pages/fietsenstalling.html"), user=False)
        assert fetcher.fetch(web_site.url("/pages/fietsenstalling.html")).status == 200
    assert web_site.hits("/pages/fietsenstalling.html") == 2


def test_a_users_private_url_may_redirect_within_its_network(web_site, tmp_path):
    with Fetcher(settings(tmp_path)) as fetcher:
        fetched = fetcher.fetch(web_site.url("/moved"))
    assert fetched.status == 200 and fetched.final_url == web_site.url("/pages/fietsenstalling.html")


@pytest.fixture
def local_is_public(monkeypatch):
    """127.0.0.1 counts as a public address (the test site stands for a site on the internet)."""
    real = addresses.non_global
    monkeypatch.setattr(addresses, "non_global", lambda address: address != "127.0.0.1" and real(address))


@pytest.mark.parametrize("target", ["http://127.0.0.2:{port}/x", "http://[::1]:{port}/x", "http://169.254.169.254/latest/meta-data/"])
def test_a_redirect_from_a_public_address_to_a_private_one_is_refused(web_site, tmp_path, local_is_public, target):
    redirector = _Redirector(target.format(port=web_site.url("").rsplit(":", 1)[1]))
    try:
        with Fetcher(settings(tmp_path, robots=False)) as fetcher:
            with pytest.raises(InputError) as caught:
                fetcher.fetch(redirector.url("/start"))
        message = str(caught.value)
        assert message.startswith(redirector.url("/start")) and "\n" not in message
        assert "redirects to" in message and "private address" in message
        assert not caught.value.transient
        with Fetcher(settings(tmp_path, robots=False, allow_private_addresses=True, timeout=0.5)) as fetcher:
            with pytest.raises(InputError) as allowed:  # allowed: it goes there (nothing answers)
                fetcher.fetch(redirector.url("/start"))
        assert "private address" not in str(allowed.value)
    finally:
        redirector.close()


def test_the_checked_address_is_the_one_connected_to(web_site, tmp_path, local_is_public, monkeypatch):
    """DNS rebinding: the name is resolved once per connection; a second answer is never used."""
    port = int(web_site.url("").rsplit(":", 1)[1])
    real = socket.getaddrinfo
    asked: list[str] = []

    def rebinding(host, *args, **kwargs):
        if host == "rebind.example":
            asked.append(host)
            address = "127.0.0.1" if len(asked) == 1 else "127.0.0.2"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with Fetcher(settings(tmp_path, robots=False)) as fetcher:
        fetched = fetcher.fetch(FeedLink(f"http://rebind.example:{port}/pages/fietsenstalling.html"))
    assert fetched.status == 200 and asked == ["rebind.example"]


def test_a_name_that_resolves_to_a_private_address_is_refused(web_site, tmp_path, monkeypatch):
    port = int(web_site.url("").rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def resolving(host, *args, **kwargs):
        if host == "intranet.example":  # a public name and a private one: any private one refuses it
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolving)
    with Fetcher(settings(tmp_path, robots=False)) as fetcher:
        with pytest.raises(InputError, match=r"private address \(127\.0\.0\.1\)"):
            fetcher.fetch(FeedLink(f"http://intranet.example:{port}/pages/fietsenstalling.html"))


def test_the_cli_refuses_a_feeds_private_links_in_one_line_each(web_site, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["--feed", web_site.url(ATOM), "--out-dir", str(out), *MODEL_ARGS])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for path in PAGES:
        lines = [line for line in result.output.splitlines() if web_site.url(path) in line]
        assert len(lines) == 1 and "private address" in lines[0], result.output
        assert web_site.hits(path) == 0
    written = "".join(path.read_text(encoding="utf-8") for path in out.glob("*.md")) if out.exists() else ""
    assert "starters" not in written.lower() and "fietsenstalling" not in written.lower()
