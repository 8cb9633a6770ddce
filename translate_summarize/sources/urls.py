"""A URL as it names a page, for naming its brief and telling inputs apart (no network, no requests)."""

from __future__ import annotations


def same_page(url: str) -> str:
    """The URL as it names a page: courlan's normalisation (scheme and host lower-cased, the default
    port and tracking parameters such as `utm_*`, `gclid` and `fbclid` dropped, the query sorted),
    without the fragment, so that the links a newsletter or a feed decorates lead to one brief.
    Other query parameters stay (`?id=7` and `?id=8` are two pages)."""
    import urllib.parse

    from courlan import normalize_url

    try:
        page = normalize_url(url.strip())
    except ValueError:
        page = url.strip()
    return urllib.parse.urldefrag(page).url
