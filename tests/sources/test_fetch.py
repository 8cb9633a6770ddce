"""Fetching URLs from the local test site: retries, timeouts, robots.txt, the size cap and the conditional cache."""

from __future__ import annotations

import socket
import time

import pytest

from tests.httpserver import LAST_MODIFIED, WEB
from translate_summarize import __version__
from translate_summarize.errors import InputError
from translate_summarize.sources.fetch import Fetcher, FetchSettings, content_type, is_url

FAST = dict(timeout=2.0, retries=2, backoff=0.0)


def fetcher(**settings) -> Fetcher:
    return Fetcher(FetchSettings(**{**FAST, **settings}))


def failure(fetch, url: str) -> str:
    with pytest.raises(InputError) as caught:
        fetch.fetch(url)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{url}: ")
    return message.removeprefix(f"{url}: ")


def test_fetches_a_page_with_its_type_and_user_agent(web_site):
    url = web_site.url("/pages/fietsenstalling.html")
    with fetcher() as fetch:
        page = fetch.fetch(url)
    assert page.status == 200 and page.final_url == url and not page.not_modified and not page.from_cache
    assert page.data == (WEB / "fietsenstalling.html").read_bytes()
    assert (page.content_type, page.charset) == ("text/html", "utf-8")
    agent = web_site.headers_of("/pages/fietsenstalling.html")[0]["User-Agent"]
    assert agent.startswith(f"brief/{__version__} ")
    assert web_site.headers_of("/robots.txt")[0]["User-Agent"] == agent


def test_an_unchanged_page_with_an_etag_is_not_downloaded_again(web_site, tmp_path):
    url = web_site.url("/etag/woningbouw.html")
    with fetcher(cache_dir=tmp_path / "pages") as fetch:
        first = fetch.fetch(url)
        second = fetch.fetch(url)
    assert first.status == 200 and first.etag and not first.not_modified
    assert second.status == 304 and second.not_modified and second.from_cache
    assert second.data == first.data and second.content_type == "text/html" and second.etag == first.etag
    sent = web_site.headers_of("/etag/woningbouw.html")
    assert "If-None-Match" not in sent[0] and sent[1]["If-None-Match"] == first.etag
    # The next run (a new Fetcher on the same folder) revalidates too.
    with fetcher(cache_dir=tmp_path / "pages") as fetch:
        assert fetch.fetch(url).not_modified
    assert web_site.hits("/etag/woningbouw.html") == 3


def test_a_page_with_last_modified_is_fetched_conditionally(web_site, tmp_path):
    url = web_site.url("/last-modified/fietsenstalling.html")
    with fetcher(cache_dir=tmp_path) as fetch:
        first, second = fetch.fetch(url), fetch.fetch(url)
    assert first.last_modified == LAST_MODIFIED and not first.not_modified
    assert second.not_modified and second.data == first.data
    assert web_site.headers_of("/last-modified/fietsenstalling.html")[1]["If-Modified-Since"] == LAST_MODIFIED


def test_a_changed_page_is_downloaded_and_replaces_the_cached_copy(web_site, tmp_path):
    url = web_site.url("/etag/page.html")
    web_site.files["/etag/page.html"] = "fietsenstalling.html"
    with fetcher(cache_dir=tmp_path) as fetch:
        old = fetch.fetch(url)
        web_site.files["/etag/page.html"] = "woningbouw.html"
        new = fetch.fetch(url)
        again = fetch.fetch(url)
    assert not new.not_modified and new.data != old.data and new.etag != old.etag
    assert again.not_modified and again.data == new.data


def test_without_a_cache_folder_every_fetch_downloads(web_site):
    url = web_site.url("/etag/woningbouw.html")
    with fetcher() as fetch:
        assert not fetch.fetch(url).not_modified and not fetch.fetch(url).not_modified
    assert all("If-None-Match" not in headers for headers in web_site.headers_of("/etag/woningbouw.html"))


def test_a_page_without_validators_is_not_cached(web_site, tmp_path):
    with fetcher(cache_dir=tmp_path) as fetch:
        fetch.fetch(web_site.url("/pages/woningbouw.html"))
    assert not list(tmp_path.iterdir())


def test_http_errors_are_one_line(web_site):
    with fetcher() as fetch:
        assert failure(fetch, web_site.url("/missing")) == "HTTP 404 Not Found"
        assert failure(fetch, web_site.url("/broken")) == "HTTP 500 Internal Server Error"
    assert web_site.hits("/missing") == 1  # a 404 is not retried
    assert web_site.hits("/broken") == 3  # a 500 is, twice


def test_a_500_that_recovers_is_retried(web_site):
    with fetcher(retries=2) as fetch:
        page = fetch.fetch(web_site.url("/flaky"))
    assert page.status == 200 and web_site.hits("/flaky") == 3


def test_without_retries_a_500_is_final(web_site):
    with fetcher(retries=0) as fetch:
        assert failure(fetch, web_site.url("/flaky")) == "HTTP 500 Internal Server Error"
    assert web_site.hits("/flaky") == 1


def test_backoff_waits_between_retries(web_site):
    web_site.flaky_failures = 3
    started = time.monotonic()
    with fetcher(retries=3, backoff=0.1) as fetch:
        fetch.fetch(web_site.url("/flaky"))
    # urllib3: no wait before the first retry, then 0.1 * 2 and 0.1 * 4 seconds
    assert 0.55 <= time.monotonic() - started < 3


def test_a_slow_page_times_out(web_site):
    web_site.slow_seconds = 1.5
    started = time.monotonic()
    with fetcher(timeout=0.5, retries=0) as fetch:
        assert failure(fetch, web_site.url("/slow")) == "timed out after 0.5 s"
    assert time.monotonic() - started < 1.4


def test_a_timeout_is_retried_then_reported(web_site):
    web_site.slow_seconds = 1.0
    with fetcher(timeout=0.3, retries=1) as fetch:
        assert failure(fetch, web_site.url("/slow")) == "timed out after 0.3 s"
    assert web_site.hits("/slow") == 2


def test_a_redirect_loop(web_site):
    with fetcher() as fetch:
        assert failure(fetch, web_site.url("/loop")) == "redirect loop (more than 10 redirects)"
    assert web_site.hits("/loop") == 6 and web_site.hits("/loop-2") == 5


def test_a_redirect_is_followed(web_site):
    with fetcher() as fetch:
        page = fetch.fetch(web_site.url("/moved"))
    assert page.final_url == web_site.url("/pages/fietsenstalling.html") and page.status == 200


def test_robots_txt_is_honoured_and_fetched_once_per_host(web_site):
    with fetcher() as fetch:
        assert failure(fetch, web_site.url("/private/woningbouw.html")) == "disallowed by robots.txt"
        assert failure(fetch, web_site.url("/no-brief/woningbouw.html")) == "disallowed by robots.txt"
        fetch.fetch(web_site.url("/pages/woningbouw.html"))
    assert web_site.hits("/private/woningbouw.html") == 0 and web_site.hits("/no-brief/woningbouw.html") == 0
    assert web_site.hits("/robots.txt") == 1


def test_robots_txt_rules_follow_rfc_9309_longest_match_and_wildcards(web_site):
    with fetcher() as fetch:
        # `Allow: /private/artikel.txt` comes after `Disallow: /private/` and wins: it is longer.
        assert fetch.fetch(web_site.url("/private/artikel.txt")).status == 200
        assert failure(fetch, web_site.url("/pages/woningbouw.html?print=1")) == "disallowed by robots.txt"
        assert fetch.fetch(web_site.url("/pages/woningbouw.html?page=2")).status == 200
        # Dot segments, also percent-encoded, are resolved before robots.txt judges the path.
        for sneaky in ("/pages/../private/woningbouw.html", "/pages/%2e%2e/private/woningbouw.html"):
            assert failure(fetch, web_site.url(sneaky)) == "disallowed by robots.txt"
    assert web_site.hits("/private/woningbouw.html") == 0


@pytest.mark.parametrize(
    "path, transient",
    [("/missing", False), ("/broken", True), ("/loop", False), ("/slow", True), ("/private/woningbouw.html", False)],
)
def test_failures_say_whether_they_may_pass(web_site, path, transient):
    web_site.slow_seconds = 1.0
    with fetcher(retries=0, timeout=0.3) as fetch, pytest.raises(InputError) as caught:
        fetch.fetch(web_site.url(path))
    assert caught.value.transient is transient


def test_robots_txt_can_be_switched_off(web_site):
    with fetcher(robots=False) as fetch:
        assert fetch.fetch(web_site.url("/private/woningbouw.html")).status == 200
    assert web_site.hits("/robots.txt") == 0


def test_a_missing_robots_txt_allows_everything(web_site):
    web_site.robots_status = 404
    with fetcher() as fetch:
        assert fetch.fetch(web_site.url("/private/woningbouw.html")).status == 200


def test_an_unreachable_robots_txt_disallows_everything(web_site):
    web_site.robots_status = 503
    with fetcher(retries=0) as fetch:
        reason = failure(fetch, web_site.url("/pages/woningbouw.html"))
    assert reason == "robots.txt answered HTTP 503 Service Unavailable, so nothing is fetched from the site (RFC 9309)"
    assert web_site.hits("/pages/woningbouw.html") == 0


def test_a_server_that_trickles_is_stopped_at_the_deadline(web_site):
    started = time.monotonic()
    with fetcher(total_timeout=1.0, timeout=2.0) as fetch:
        assert failure(fetch, web_site.url("/trickle")) == "took longer than 1 s to download"
    assert time.monotonic() - started < 5  # each read returns what has come; a 64 KiB read would wait ~45 s


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_a_page_over_the_size_limit(web_site, path):
    with fetcher(max_bytes=2_000) as fetch:
        assert failure(fetch, web_site.url(path)) == "is over the 2,000-byte limit (--max-bytes)"
        assert fetch.fetch(web_site.url(path), max_bytes=10_000).status == 200


def test_a_page_at_the_size_limit_is_fine(web_site):
    size = len((WEB / "woningbouw.html").read_bytes())
    with fetcher(max_bytes=size) as fetch:
        assert len(fetch.fetch(web_site.url("/pages/woningbouw.html")).data) == size
    with fetcher(max_bytes=size - 1) as fetch:
        assert failure(fetch, web_site.url("/pages/woningbouw.html")).startswith("is over the")


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with fetcher(retries=0) as fetch:
        assert failure(fetch, f"http://127.0.0.1:{port}/a.html") == "cannot connect (connection refused)"


def test_not_a_web_url():
    with fetcher() as fetch:
        assert failure(fetch, "ftp://example.org/a.html") == "is not an http or https URL"
    assert is_url("https://nos.nl/artikel/1") and is_url("HTTP://nos.nl") and not is_url("nos.nl/artikel")
    assert not is_url("seeds/000_x.txt") and not is_url("-")


def test_content_type_parsing():
    assert content_type('text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert content_type("application/rss+xml") == ("application/rss+xml", None)
    assert content_type(None) == ("", None)


def test_a_redirect_to_another_scheme_is_one_line(web_site):
    with fetcher() as fetch:
        assert failure(fetch, web_site.url("/to-ftp")) == "redirects to a URL that is not http or https"


def test_a_robots_txt_that_cannot_be_had_is_named(web_site):
    web_site.slow_seconds = 1.0
    with fetcher(timeout=0.3, retries=0) as fetch:
        fetch.session.get = _slow_robots(fetch.session.get, web_site)
        assert failure(fetch, web_site.url("/pages/woningbouw.html")) == "robots.txt: timed out after 0.3 s"


def _slow_robots(get, web_site):
    """The session's get, with robots.txt asked for at the slow route (which answers after a wait)."""

    def slow(url, **kwargs):
        return get(web_site.url("/slow") if url.endswith("/robots.txt") else url, **kwargs)

    return slow
