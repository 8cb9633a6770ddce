"""A local web site for the source tests: a threaded http.server on 127.0.0.1, never the internet.

It serves `tests/data/web/` with `{{BASE}}` in a file replaced by the site's own base URL, and a
few routes that misbehave on purpose. Every request is recorded (`site.requests`: path and headers),
so tests can count downloads and see the conditional headers.

    /robots.txt                 tests/data/web/robots.txt (disallows /private/ for brief), or the
                                `site.robots_status` error
    /pages/<file>               the file; text/html, application/rss+xml, ... by extension
    /feeds/<file>               the same, for feeds (`site.files` can swap a path's file)
    /etag/<file>                with an ETag; If-None-Match that matches -> 304
    /last-modified/<file>       with Last-Modified; If-Modified-Since not older -> 304
    /missing                    404
    /broken                     500, always
    /flaky                      500 for the first `site.flaky_failures` requests, then a page
    /slow                       waits `site.slow_seconds` before answering
    /loop, /loop-2              redirect to each other
    /moved                      301 to /pages/fietsenstalling.html
    /big, /big-chunked          a page of `site.big_bytes`: with Content-Length / without (streamed)
    /private/<file>             the file, but robots.txt disallows it
    /empty                      200 text/html with no body
    /to-ftp                     302 to an ftp:// URL
    /trickle                    a few bytes every 0.1 s, no Content-Length, until the client hangs up
"""

from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).resolve().parent / "data" / "web"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
LAST_MODIFIED = formatdate(1_795_000_000, usegmt=True)  # a fixed moment: Sat, 19 Nov 2026


class LocalSite:
    """The server and what it saw. Use as a context manager (the `web_site` fixture does)."""

    def __init__(self, root: Path = WEB):
        self.root = root
        self.files: dict[str, str] = {}  # request path -> file name under root, overriding the default
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.flaky_failures = 2
        self.slow_seconds = 2.0
        self.big_bytes = 3_000
        self.robots_status = 200  # 503: robots.txt "unreachable" (RFC 9309 §2.3.1.4)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="local-site", daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for seen, _ in self.requests if seen == path)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        """The request headers of each request for `path`, in order."""
        with self._lock:
            return [headers for seen, headers in self.requests if seen == path]

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((path, headers))

    def body(self, path: str, name: str) -> bytes:
        data = (self.root / self.files.get(path, name)).read_bytes()
        return data.replace(b"{{BASE}}", self.base.encode("ascii"))

    def __enter__(self) -> LocalSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "LocalSite/1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

        def send(self, status: int, body: bytes = b"", content_type: str = TYPES[".html"], **headers) -> None:
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", content_type)
            if "length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                if name != "length" and value is not None:
                    self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if self.command != "HEAD" and status != 304:
                self.wfile.write(body)

        def file(self, path: str, name: str, **headers) -> None:
            try:
                body = site.body(path, name)
            except (FileNotFoundError, IsADirectoryError):
                self.send(404, b"<h1>Not found</h1>")
                return
            self.send(200, body, TYPES.get(Path(name).suffix, "application/octet-stream"), **headers)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            site.record(path, {name: value for name, value in self.headers.items()})
            first, _, rest = path.lstrip("/").partition("/")
            try:
                self.route(path, first, rest)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        def route(self, path: str, first: str, rest: str) -> None:
            if path == "/robots.txt":
                if site.robots_status == 200:
                    self.file(path, "robots.txt")
                else:
                    self.send(site.robots_status, b"robots.txt is not available", "text/plain")
            elif first in ("pages", "feeds", "private", "no-brief") and rest:
                self.file(path, rest)
            elif first == "etag" and rest:
                body = site.body(path, rest)
                tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == tag:
                    self.send(304, ETag=tag)
                else:
                    self.send(200, body, ETag=tag)
            elif first == "last-modified" and rest:
                since = self.headers.get("If-Modified-Since")
                if since and parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED):
                    self.send(304, Last_Modified=LAST_MODIFIED)
                else:
                    self.send(200, site.body(path, rest), Last_Modified=LAST_MODIFIED)
            elif path == "/missing":
                self.send(404, b"<h1>Pagina niet gevonden</h1>")
            elif path == "/broken":
                self.send(500, b"<h1>Er ging iets mis</h1>")
            elif path == "/flaky":
                if site.hits(path) <= site.flaky_failures:
                    self.send(500, b"<h1>Even geduld</h1>")
                else:
                    self.file(path, "fietsenstalling.html")
            elif path == "/slow":
                time.sleep(site.slow_seconds)
                self.file(path, "fietsenstalling.html")
            elif path in ("/loop", "/loop-2"):
                self.send(302, b"", Location="/loop-2" if path == "/loop" else "/loop")
            elif path == "/moved":
                self.send(301, b"", Location="/pages/fietsenstalling.html")
            elif path == "/big":
                self.send(200, b"<p>" + b"x" * site.big_bytes + b"</p>")
            elif path == "/to-ftp":
                self.send(302, b"", Location="ftp://ftp.example/artikel.html")
            elif path == "/empty":
                self.send(200, b"")
            elif path == "/trickle":
                self.send(200, b"", length=None)
                for _ in range(600):  # a minute at most, should the client never give up
                    self.wfile.write(b"<p>traag</p>\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            elif path == "/big-chunked":
                self.send(200, b"", length=None)  # no Content-Length: the body runs until the connection closes
                for _ in range(site.big_bytes // 1000 + 1):
                    self.wfile.write(b"<p>" + b"y" * 993 + b"</p>\n")
            else:
                self.send(404, b"<h1>Not found</h1>")

    return Handler
