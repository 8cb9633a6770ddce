"""A conditional-request cache: a page's validators and body, so an unchanged page is not downloaded again.

Inputs: the URL asked for and, after a download, what the server sent (`Fetched`). Outputs: the request
headers for the next fetch of that URL (`If-None-Match` with the stored `ETag`, `If-Modified-Since` with
the stored `Last-Modified`; RFC 9110 §13.1.2 and §13.1.3) and, when the server answers `304 Not
Modified` (RFC 9110 §15.4.5), the stored body to use instead (RFC 9111 §4.3.4).

Every lookup revalidates: freshness (`Cache-Control: max-age`, `Expires`) is not used, so a page is
never taken from the cache without asking the server. That is a cache that always validates, which
RFC 9111 §4.3 allows; it costs one small request per page and never shows a stale article. A
response with `Cache-Control: no-store` (RFC 9111 §5.2.2.5), or without either validator, is not
stored.

One file per URL in the cache folder, named by the SHA-256 of the URL: a JSON line of metadata, then
the body's bytes. Files are written atomically (`common.files.atomic_write`), so two runs or a kill never
leave a half entry; an entry that cannot be read is treated as absent. Sizes are in bytes.

Why not requests-cache: it reads the whole body into memory before storing it (its
`CachedHTTPResponse._copy_body`), so the streamed `max_bytes` cap could not stop an oversized page;
and it would mean one more dependency for a dozen lines of validator handling.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..common.files import atomic_write, private_folder

FORMAT = 1


@dataclass(frozen=True)
class CachedPage:
    """What was stored for a URL: the response's validators, type and body (`data`, bytes)."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    data: bytes

    def conditional_headers(self) -> dict[str, str]:
        """The request headers that ask the server whether this copy is still current."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def cacheable(headers: dict[str, str] | object) -> bool:
    """Whether a 200 response with these headers may be stored: it has a validator and no `no-store`."""
    get = headers.get  # type: ignore[attr-defined]
    directives = {part.strip().split("=", 1)[0].lower() for part in (get("Cache-Control") or "").split(",")}
    return "no-store" not in directives and bool(get("ETag") or get("Last-Modified"))


class PageCache:
    """The cache folder (created 0700 when the first page is stored), one file per URL. A folder
    that another user owns or others can write to is refused (`common.files.private_folder`,
    ConfigError): a planted page would be briefed as the article."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._checked = False

    def _file(self, url: str, *, create: bool = False) -> Path:
        if not self._checked:
            private_folder(self.folder, create=create)
            self._checked = self.folder.is_dir()
        return self.folder / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.page"

    def get(self, url: str) -> CachedPage | None:
        """The stored copy of `url`, or None when there is none or it cannot be read."""
        try:
            raw = self._file(url).read_bytes()
            head, _, data = raw.partition(b"\n")
            meta = json.loads(head)
        except (OSError, ValueError):
            return None
        if meta.get("format") != FORMAT or meta.get("url") != url or len(data) != meta.get("size"):
            return None
        return CachedPage(
            url=url,
            final_url=meta["final_url"],
            status=meta["status"],
            content_type=meta["content_type"],
            charset=meta.get("charset"),
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
            data=data,
        )

    def put(self, page: CachedPage) -> None:
        """Store `page` for its URL, replacing any older copy (atomically)."""
        meta = {
            "format": FORMAT,
            "url": page.url,
            "final_url": page.final_url,
            "status": page.status,
            "content_type": page.content_type,
            "charset": page.charset,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "size": len(page.data),
        }
        head = json.dumps(meta, ensure_ascii=True).encode("ascii")
        atomic_write(self._file(page.url, create=True), head + b"\n" + page.data)

    def drop(self, url: str) -> None:
        """Forget `url` (a page that is gone, or now says `no-store`)."""
        self._file(url).unlink(missing_ok=True)
