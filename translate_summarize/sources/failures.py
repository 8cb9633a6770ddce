"""Why a fetch failed, in one line: requests' and urllib3's exceptions turned into the reasons users read.

`fetch_failure(url, error, ...)` gives the `InputError`; `transient` is set unless the URL itself (or
a redirect) is at fault, so a run tomorrow may succeed where this one failed. The lines are listed in
`fetch.py`'s docstring.
"""

from __future__ import annotations

import requests
import urllib3
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError

from ..errors import InputError


def failure_reason(error: Exception, *, timeout: float, max_redirects: int) -> str:
    """One line for a requests or urllib3 exception (the urllib3 cause when retries ran out); `timeout`
    (seconds) and `max_redirects` are the fetch's settings, named in the line."""
    if isinstance(error, requests.TooManyRedirects):
        return f"redirect loop (more than {max_redirects} redirects)"
    cause: object = error
    for _ in range(4):  # requests error -> MaxRetryError -> urllib3 error
        if isinstance(cause, MaxRetryError):
            cause = cause.reason
        elif isinstance(cause, requests.RequestException) and cause.args and isinstance(cause.args[0], Exception):
            cause = cause.args[0]
        else:
            break
    # NewConnectionError is a ConnectTimeoutError to urllib3 (a historical quirk): test it first.
    if isinstance(cause, NameResolutionError):
        return "cannot connect (host not found)"
    if isinstance(cause, NewConnectionError):
        return "cannot connect (connection refused)" if "refused" in str(cause).lower() else "cannot connect"
    if isinstance(error, requests.Timeout) or isinstance(cause, (Urllib3TimeoutError, TimeoutError)):
        return f"timed out after {timeout:g} s"
    if isinstance(error, requests.exceptions.SSLError) or isinstance(cause, Urllib3SSLError):
        return "cannot connect (TLS/SSL error)"
    if isinstance(error, requests.ConnectionError):
        text = str(cause).lower()
        if "reset" in text or "aborted" in text or "broken" in text or "closed" in text:
            return "the connection was broken off"
        return "cannot connect"
    if isinstance(error, urllib3.exceptions.ProtocolError):
        return "the connection was broken off"
    cut_off = (
        requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError,
        urllib3.exceptions.DecodeError,
    )
    if isinstance(error, cut_off):
        return "the answer was cut off or could not be decoded"
    if isinstance(error, requests.exceptions.InvalidSchema):  # a redirect to ftp:, mailto:, ...
        return "redirects to a URL that is not http or https"
    if isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema)):
        return "is not a valid URL"
    return f"cannot be fetched ({type(error).__name__})"

def fetch_failure(url: str, error: Exception, *, timeout: float, max_redirects: int) -> InputError:
    """The InputError for a requests exception: transient unless the URL or its redirects are at fault."""
    lasting = (
        requests.TooManyRedirects,
        requests.exceptions.InvalidURL,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidSchema,
    )
    reason = failure_reason(error, timeout=timeout, max_redirects=max_redirects)
    return InputError(url, reason, transient=not isinstance(error, lasting))
