"""Fetching a URL politely: timeouts, retries with backoff, robots.txt, a size cap and a conditional cache.

`Fetcher(settings).fetch(url)` returns a `Fetched` (the final URL after redirects, the status, the
body's bytes, its content type and charset, its validators, and whether the body came from the cache
after a `304 Not Modified`), or raises `errors.InputError(url, reason)` with a one-line reason
(`transient` for timeouts, network failures, an unreachable robots.txt and 408/425/429/5xx answers):

    HTTP 404 Not Found                               the server's answer, after the retries for 5xx
    timed out after 10 s                             connect or read (each wait), after the retries
    took longer than 60 s to download                the whole body (a server that trickles)
    redirect loop (more than 10 redirects)
    is over the 1,000,000-byte limit (--max-bytes)   Content-Length, or the streamed body (decoded)
    disallowed by robots.txt                         RFC 9309, for the product token `brief`
    cannot connect (connection refused)              also: host not found, TLS error, ...

Library work: `requests` for HTTP (redirects, gzip, proxies from the environment), urllib3's `Retry`
for retries with exponential backoff on connect and read errors and on 500, 502, 503 and 504
(`Retry-After` honoured, at most `RETRY_AFTER_MAX` seconds), and Scrapy's `protego` for robots.txt
(RFC 9309: the longest matching rule wins, `Allow` over `Disallow` on a tie, `*` and `$` patterns),
which is fetched through the same session once per host and Fetcher. The conditional cache is
`cache.PageCache` (RFC 9110 §13.1, RFC 9111 §4.3).

Private addresses (SSRF, issue #19): a feed entry's link is not fetched from a non-global address;
see `addresses.py`, whose `PolicyAdapter` every request of a Fetcher goes through.

robots.txt per RFC 9309 §2.3.1: a 2xx answer is parsed (its first 500 KiB, §2.5); a 4xx means
there are no rules (allowed); a 5xx or a network failure means "unreachable", so nothing is fetched
from that host.

Units: seconds for times, bytes for sizes. A Fetcher holds a `requests.Session`: use it from one
thread at a time, and `close()` it (or use it as a context manager) when done.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from pathlib import Path

import requests
import urllib3
from protego import Protego
from urllib3.util.retry import Retry

from .. import __version__
from ..errors import InputError
from ..text.reader import DEFAULT_MAX_BYTES
from .addresses import PolicyAdapter, PrivateAddressError, at_non_global_address
from .cache import CachedPage, PageCache, cacheable
from .failures import fetch_failure
from .feeds import FeedLink

PRODUCT = "brief"  # the robots.txt product token (RFC 9309 §2.2.1), first word of the User-Agent
USER_AGENT = f"{PRODUCT}/{__version__} (translate_summarize: Dutch news to bilingual briefs)"
RETRY_STATUSES = (500, 502, 503, 504)
TRANSIENT_STATUSES = frozenset({408, 425, 429, *RETRY_STATUSES})  # answers that may be different tomorrow
BACKOFF_MAX = 10.0  # seconds between two tries at most, however many --fetch-retries (urllib3's own cap is 120)
RETRY_AFTER_MAX = 30.0  # seconds: a longer Retry-After is cut to this, so a nightly run cannot hang for hours
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least the first 500 KiB
CHUNK_BYTES = 64 * 1024
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1"
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch: the limits of one download and where the conditional cache lives.

    - `timeout`: seconds to connect, and to wait for each read of the answer;
    - `total_timeout`: seconds for the whole body once the answer has begun;
    - `retries`: extra attempts after a connect or read error or a 500/502/503/504 answer;
    - `backoff`: seconds; urllib3 waits 0 before the first retry, then `backoff * 2**(n-1)` before
      retry n (so 0, 1, 2, 4 s with 0.5), at most `BACKOFF_MAX` seconds;
    - `max_bytes`: the largest body accepted, in bytes (after gzip decoding), as `--max-bytes`;
    - `max_redirects`: more than this many redirects is a redirect loop;
    - `user_agent`: sent with every request; its first word is the robots.txt product token;
    - `cache_dir`: folder of the conditional cache (`cache.PageCache`); None fetches every time;
    - `robots`: honour robots.txt (off only for tests and for pages the user owns);
    - `allow_private_addresses`: fetch feed links and redirects to loopback, private, link-local and
      other non-global addresses too (`--allow-private-addresses`; see the module's docstring).
    """

    timeout: float = 10.0
    total_timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    cache_dir: Path | None = None
    robots: bool = True
    allow_private_addresses: bool = False


@dataclass(frozen=True)
class Fetched:
    """One fetched URL. `status` is what the server answered (304 when `not_modified`, the body then
    being the cached copy); `data` the body's bytes; `content_type` lower-case without parameters
    (`text/html`), `charset` the header's charset or None; `etag`/`last_modified` the validators."""

    url: str
    final_url: str
    status: int
    data: bytes
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    headers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def from_cache(self) -> bool:
        """The body came from the conditional cache (the server said it has not changed)."""
        return self.not_modified


class _Retry(Retry):
    """urllib3's Retry, with the server's Retry-After capped at `RETRY_AFTER_MAX` seconds."""

    def get_retry_after(self, response):  # type: ignore[override]
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, RETRY_AFTER_MAX)


def content_type(header: str | None) -> tuple[str, str | None]:
    """(`text/html`, `utf-8` or None) from a Content-Type header value."""
    if not header:
        return "", None
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type().lower(), (str(charset).strip().lower() or None) if charset else None


def is_url(text: str) -> bool:
    """An http or https URL with a host (what `brief https://...` fetches)."""
    parts = urllib.parse.urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def request_url(url: str) -> str:
    """The URL as it is asked for, and as robots.txt judges it: dot segments (`/a/b/../c`, also
    written `%2e%2e`) resolved as RFC 3986 §5.2.4 says, so a path cannot slip past a `Disallow`."""
    parts = urllib.parse.urlsplit(url.strip())
    path = re.sub(r"%2e", ".", parts.path, flags=re.IGNORECASE)
    segments = path.split("/")
    if not any(segment in (".", "..") for segment in segments):
        return url.strip()
    resolved = urllib.parse.urljoin(f"{parts.scheme}://{parts.netloc}/", path)
    return urllib.parse.urlunsplit(parts._replace(path=urllib.parse.urlsplit(resolved).path))


def http_reason(status: int) -> str:
    """`HTTP 404 Not Found`: the code and the standard phrase (servers' own phrases vary)."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


class Fetcher:
    """Fetches URLs under one `FetchSettings`, with one session, robots.txt verdicts and cache."""

    def __init__(self, settings: FetchSettings | None = None, session: requests.Session | None = None):
        self.settings = settings or FetchSettings()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.settings.user_agent
        self.session.max_redirects = self.settings.max_redirects
        retry = _Retry(
            total=self.settings.retries,
            connect=self.settings.retries,
            read=self.settings.retries,
            status=self.settings.retries,
            other=0,
            backoff_factor=self.settings.backoff,
            backoff_max=BACKOFF_MAX,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        self._policy = threading.local()  # .checked: the fetch under way refuses non-global addresses
        adapter = PolicyAdapter(retry, lambda: getattr(self._policy, "checked", False))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.cache = PageCache(self.settings.cache_dir) if self.settings.cache_dir else None
        self._robots: dict[str, Protego | None | str] = {}  # origin -> rules, None (no rules), or why none can be had

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    # --- errors ---------------------------------------------------------------------------------

    def _failure(self, url: str, error: Exception) -> InputError:
        return fetch_failure(url, error, timeout=self.settings.timeout, max_redirects=self.settings.max_redirects)

    def _too_big(self, limit: int) -> str:
        return f"is over the {limit:,}-byte limit (--max-bytes)"

    # --- robots.txt (RFC 9309) ------------------------------------------------------------------

    def _rules(self, url: str) -> Protego | None | str:
        """The rules of `url`'s origin: parsed, None when there are none (all allowed), or the
        one-line reason nothing may be fetched from the host; fetched once per origin."""
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if origin in self._robots:
            return self._robots[origin]
        rules: Protego | None | str = None
        try:
            response = self.session.get(
                origin + "/robots.txt", headers={"Accept": "text/plain"}, timeout=self.settings.timeout, stream=True
            )
        except requests.TooManyRedirects:  # §2.3.1.2: after five or more redirects, "unavailable"
            rules = None
        except requests.RequestException as error:
            failure = self._failure(url, error)
            if not failure.reason.startswith("cannot connect"):  # the site answers, its robots.txt does not
                failure = InputError(url, f"robots.txt: {failure.reason}", transient=failure.transient)
            raise failure from None
        else:
            with response:
                status = response.status_code
                if 200 <= status < 300:
                    body = self._read(response, ROBOTS_MAX_BYTES, url, truncate=True)
                    rules = Protego.parse(body.decode("utf-8", errors="replace"))
                elif 400 <= status < 500:
                    rules = None
                else:
                    rules = f"robots.txt answered {http_reason(status)}, so nothing is fetched from the site (RFC 9309)"
        self._robots[origin] = rules
        return rules

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets `brief` fetch `url`; InputError when robots.txt is unreachable."""
        if not self.settings.robots:
            return True
        rules = self._rules(url)
        if isinstance(rules, str):
            raise InputError(url, rules, transient=True)
        return rules is None or rules.can_fetch(url, PRODUCT)

    # --- fetching -------------------------------------------------------------------------------

    def _read(self, response: requests.Response, limit: int, url: str, *, truncate: bool = False) -> bytes:
        """The body, streamed, at most `limit` bytes (InputError beyond it, or cut with `truncate`),
        within `total_timeout` seconds: each read returns what has arrived (urllib3's `read1`), so a
        server that trickles a few bytes at a time is stopped at the deadline, not after it."""
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    if truncate:
                        return b"".join(chunks)[:limit]
                    raise InputError(url, self._too_big(limit))
                if time.monotonic() - started > self.settings.total_timeout:
                    raise InputError(url, f"took longer than {self.settings.total_timeout:g} s to download", transient=True)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
            raise self._failure(url, error) from None
        return b"".join(chunks)

    def _checked(self, url: str, user: bool) -> bool:
        """Whether fetching `url` refuses non-global addresses (see the module's docstring): always,
        unless allowed by the settings or `url` is the user's and is itself at a non-global address."""
        if self.settings.allow_private_addresses:
            return False
        if not user:
            return True
        return not at_non_global_address(url)

    def _refused(self, url: str, error: PrivateAddressError) -> InputError:
        """The one line for a connection refused by the private-address check."""
        where = error.url or url
        asked = urllib.parse.urlsplit(url.strip())
        went = urllib.parse.urlsplit(where)
        hint = "--allow-private-addresses fetches it"
        if (went.hostname, went.port) == (asked.hostname, asked.port):
            return InputError(url, f"is at a private address ({error.address}); {hint}")
        return InputError(url, f"redirects to {where}, at a private address ({error.address}); {hint}")

    def fetch(
        self, url: str, *, accept: str = PAGE_ACCEPT, max_bytes: int | None = None, user: bool | None = None
    ) -> Fetched:
        """Fetch `url` (http or https) under the settings; `max_bytes` overrides the settings' cap.

        `user`: the URL is the user's own choice (so it may be at a private address); None means
        "unless it is a `feeds.FeedLink`", the type a feed entry's link has."""
        if user is None:
            user = not isinstance(url, FeedLink)
        if not is_url(url):
            raise InputError(url, "is not an http or https URL")
        before = getattr(self._policy, "checked", False)
        self._policy.checked = self._checked(url, user)
        try:
            return self._fetch(url, accept, max_bytes)
        except PrivateAddressError as error:
            raise self._refused(url, error) from None
        finally:
            self._policy.checked = before

    def _fetch(self, url: str, accept: str, max_bytes: int | None) -> Fetched:
        limit = self.settings.max_bytes if max_bytes is None else max_bytes
        target = request_url(url)
        if not self.allowed(target):
            raise InputError(url, "disallowed by robots.txt")
        cached = self.cache.get(url) if self.cache else None
        headers = {"Accept": accept, **(cached.conditional_headers() if cached else {})}
        try:
            response = self.session.get(target, headers=headers, timeout=self.settings.timeout, stream=True)
        except requests.RequestException as error:
            raise self._failure(url, error) from None
        with response:
            final_url = response.url or url
            if final_url != target and not self.allowed(final_url):
                raise InputError(url, f"redirects to {final_url}, which robots.txt disallows")
            status = response.status_code
            if status == 304 and cached is not None:
                return Fetched(
                    url=url,
                    final_url=cached.final_url,
                    status=304,
                    data=cached.data,
                    content_type=cached.content_type,
                    charset=cached.charset,
                    etag=response.headers.get("ETag") or cached.etag,
                    last_modified=response.headers.get("Last-Modified") or cached.last_modified,
                    not_modified=True,
                    headers=dict(response.headers),
                )
            if status >= 300:
                raise InputError(url, http_reason(status), transient=status in TRANSIENT_STATUSES)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise InputError(url, self._too_big(limit))
            data = self._read(response, limit, url)
            kind, charset = content_type(response.headers.get("Content-Type"))
            fetched = Fetched(
                url=url,
                final_url=final_url,
                status=status,
                data=data,
                content_type=kind,
                charset=charset,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                headers=dict(response.headers),
            )
            if self.cache is not None:
                self._remember(fetched, response.headers)
            return fetched

    def _remember(self, fetched: Fetched, headers) -> None:
        assert self.cache is not None
        if not cacheable(headers):
            self.cache.drop(fetched.url)
            return
        page = CachedPage(
            url=fetched.url,
            final_url=fetched.final_url,
            status=fetched.status,
            content_type=fetched.content_type,
            charset=fetched.charset,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            data=fetched.data,
        )
        try:
            self.cache.put(page)
        except OSError:  # a full or read-only cache folder costs a download next time, nothing more
            pass
