"""`brief --serve`: the out-dir on http://127.0.0.1:PORT/, for the archive's search.

Browsers refuse the search's module scripts from `file://`; any static web server will do (the
archive's links are relative), and this is the one that comes with `brief`: the standard library's
`http.server`, bound to the loopback address only, serving the out-dir and nothing above it,
read-only, until Ctrl-C or SIGTERM. One line on stderr says the address; each request is logged
at `-v`.
"""

from __future__ import annotations

import functools
import logging
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..common.logs import NOTICE
from ..errors import ConfigError

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class _Handler(SimpleHTTPRequestHandler):
    """Static files of the out-dir. Nothing whose path, once decoded, has a part starting with a dot
    (`.brief/`, the run's state and kept mails; the lock) is served, nor anything a link leads to
    outside the out-dir."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".pf_meta": "application/octet-stream"}

    def send_head(self):
        path = self.translate_path(self.path)  # decoded (%2e, %2f) and normalised, as it will be opened
        root = os.path.realpath(self.directory)
        inside = os.path.relpath(path, root)
        real = os.path.realpath(path)
        if inside.startswith("..") or any(part.startswith(".") for part in Path(inside).parts) or not (real == root or real.startswith(root + os.sep)):
            self.send_error(404, "not served")
            return None
        return super().send_head()

    def log_message(self, format: str, *args) -> None:  # noqa: A002  http.server's signature
        log.info("serve: %s", format % args)


def make_server(out_dir: Path, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """A server of `out_dir` on 127.0.0.1:`port` (0: any free port). Raises ConfigError (one line)
    when the folder is not there or the port cannot be had."""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}: a port is 0 (any free one) to 65535")
    if not (out_dir / "index.html").is_file():
        raise ConfigError(f"{out_dir}: no archive here (index.html) to serve; run brief with this --out-dir first")
    handler = functools.partial(_Handler, directory=str(out_dir))
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise ConfigError(f"--port {port}: cannot serve on {HOST} ({error.strerror or error})") from None


def serve(out_dir: Path, port: int = DEFAULT_PORT) -> None:
    """Serve `out_dir` until Ctrl-C or SIGTERM (then return: stopping is how it ends)."""
    server = make_server(out_dir, port)
    host, bound = server.server_address[:2]
    log.log(NOTICE, "serving %s at http://%s:%d/ (Ctrl-C stops)", out_dir, host, bound)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log.log(NOTICE, "stopped serving %s", out_dir)
