"""Which addresses a fetch may connect to (SSRF, issue #19).

A URL the user gives (a page or a feed on the command line or
in the config) is fetched wherever it is. A URL that came from elsewhere, a feed entry's link
(`feeds.FeedLink`), is not fetched from a loopback, private, link-local, multicast, reserved,
unspecified or otherwise non-global address (also written as IPv4-mapped IPv6), nor is any
redirect or robots.txt on its way; nor does a redirect from a user's URL at a public address lead
into one. A user's URL at a private address (their own intranet) may redirect within it. The refusal
is one line naming the URL: `... is at a private address (127.0.0.1); --allow-private-addresses
fetches it` (`FetchSettings.allow_private_addresses` lifts it all). The check is made where the
connection is opened: the host is resolved once, every address it resolves to must be public, and
the socket connects to those checked addresses (the Host header, TLS SNI and certificate check keep
the host name), so a name that resolves to a public address for the check and to a private one for
the connection (DNS rebinding) gets nowhere. Through a proxy (from the environment) the proxy makes
the connection: the target's name is checked as this machine resolves it, which cannot be pinned.

Addresses are classified by the standard library's `ipaddress` (IANA's special-purpose registries,
RFC 6890); connections are urllib3's own, with `_new_conn` replaced so the socket goes to the
addresses that were checked.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse

from requests.adapters import BaseAdapter, HTTPAdapter
from requests.utils import select_proxy
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.retry import Retry


class PrivateAddressError(Exception):
    """A connection that would go to a non-global address under the checked policy. Deliberately
    not an OSError, so urllib3 neither wraps it nor retries it; `url` is filled in by the adapter."""

    def __init__(self, host: str, address: str, url: str | None = None):
        super().__init__(f"{host} is at a private address ({address})")
        self.host = host
        self.address = address
        self.url = url


def non_global(address: str) -> bool:
    """Whether an IP address (text, IPv6 possibly with a `%zone`) is one a feed may not send us to:
    loopback, private, link-local, multicast, reserved, unspecified or any other non-global one,
    also when written as IPv4-mapped IPv6 (`::ffff:127.0.0.1`)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True  # not an address we understand: not one we connect to
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        candidates = [ip.ipv4_mapped]  # ::ffff:a.b.c.d is a.b.c.d on the wire
    elif isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        candidates.append(ip.sixtofour)
    return any(
        one.is_private
        or one.is_loopback
        or one.is_link_local
        or one.is_multicast
        or one.is_reserved
        or one.is_unspecified
        or not one.is_global
        for one in candidates
    )


def resolve(host: str, port: int) -> list[tuple]:
    """`socket.getaddrinfo` for a TCP connection to `host` (a name or a literal address)."""
    return socket.getaddrinfo(host.strip("[]"), port, 0, socket.SOCK_STREAM)


def check_host(host: str, port: int) -> list[tuple]:
    """The addresses of `host`, all of them global; PrivateAddressError naming the first that is not."""
    found = resolve(host, port)
    for *_, sockaddr in found:
        if non_global(sockaddr[0]):
            raise PrivateAddressError(host, sockaddr[0])
    return found


def at_non_global_address(url: str) -> bool:
    """Whether the host of `url` resolves to a non-global address (`non_global`). False for a host that
    does not resolve: its fetch fails as "host not found" (or so) under either policy."""
    parts = urllib.parse.urlsplit(url.strip())
    try:
        port = parts.port
        found = resolve(parts.hostname or "", port or (443 if parts.scheme.lower() == "https" else 80))
    except (OSError, ValueError, UnicodeError):
        return False
    return any(non_global(sockaddr[0]) for *_, sockaddr in found)


class _CheckedConnectionMixin:
    """`_new_conn` that resolves the host once, refuses a non-global address and connects to the
    addresses it checked (no second lookup a DNS rebinding could answer differently). A connection
    to a proxy is the user's configuration and is made as usual."""

    def _new_conn(self) -> socket.socket:
        if getattr(self, "proxy", None):
            return super()._new_conn()  # type: ignore[misc]
        host = self._dns_host  # type: ignore[attr-defined]
        try:
            found = check_host(host, self.port)  # type: ignore[attr-defined]
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error  # type: ignore[attr-defined, arg-type]
        last: OSError | None = None
        for family, kind, proto, _, sockaddr in found:
            sock = socket.socket(family, kind, proto)
            try:
                for option in self.socket_options or ():  # type: ignore[attr-defined]
                    sock.setsockopt(*option)
                if self.timeout is not None:  # type: ignore[attr-defined]
                    sock.settimeout(self.timeout)  # type: ignore[attr-defined]
                if self.source_address:  # type: ignore[attr-defined]
                    sock.bind(self.source_address)  # type: ignore[attr-defined]
                sock.connect(sockaddr)
                return sock
            except TimeoutError as error:
                sock.close()
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"  # type: ignore[attr-defined]
                ) from error
            except OSError as error:
                sock.close()
                last = error
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}")  # type: ignore[arg-type]


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    """An HTTPAdapter whose pools open only checked connections (`_CheckedConnectionMixin`)."""

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[override]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}

    def proxy_manager_for(self, *args, **kwargs):  # type: ignore[override]
        manager = super().proxy_manager_for(*args, **kwargs)
        manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
        return manager


class PolicyAdapter(BaseAdapter):
    """Sends each request (each redirect and robots.txt too) through the open adapter or the checked
    one, as the fetch under way says (`checked()`). Two pools, so a connection opened for a user's
    URL at a private address is never reused for a feed's link to the same address."""

    def __init__(self, retry: Retry, checked):
        super().__init__()
        self.open = HTTPAdapter(max_retries=retry)
        self.strict = _CheckedAdapter(max_retries=retry)
        self.checked = checked

    def send(self, request, **kwargs):  # type: ignore[override]
        if not self.checked():
            return self.open.send(request, **kwargs)
        try:
            if select_proxy(request.url, kwargs.get("proxies") or {}):
                parts = urllib.parse.urlsplit(request.url)
                try:  # the proxy connects: check the name as resolved here (best effort, not pinned)
                    check_host(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
                except socket.gaierror:
                    pass
            return self.strict.send(request, **kwargs)
        except PrivateAddressError as error:
            error.url = request.url
            raise

    def close(self) -> None:
        self.open.close()
        self.strict.close()
