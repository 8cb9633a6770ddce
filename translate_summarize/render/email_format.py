"""E-mail brief: a MIME message (text/plain + text/html alternatives) built with the standard library.

One brief gives one message with the subject "Brief: <headline>"; several (or a run's status) give
ONE digest message ("Briefs: N articles (<date>)") laid out for the inbox by `inbox.plan_digest`:
status and failures, the list of headlines, every summary, full texts within the HTML budget, the
rest attached; the text part carries every full text.

Safety: headers are built only from cleaned values. CR, LF and other control characters are
removed from the subject (and from a headline used in it), text that looks like an RFC 2047
encoded word ("=?utf-8?q?...?=") is kept literal, the subject is capped at SUBJECT_MAX
characters, and every address is parsed strictly and validated; anything doubtful raises
ValueError with a one-line message. Non-ASCII in headers is RFC 2047-encoded by the policy
(utf8=False), so the message is 7-bit clean in its headers and passes any MTA.

Line endings: `build_message` uses `email.policy.SMTP` (CRLF), the wire format, so
`smtplib.SMTP.send_message(msg)` and `bytes(msg)` are right for SMTP. `render_email` returns the
message with LF line ends instead: that is what `sendmail -t` (and an .eml file on Unix) expects
on stdin; the MTA converts to CRLF itself, and CRLF input would risk doubled CRs. Call
`sendmail -t -oi` (or `-i`) so a line holding only "." can never end the message early (the
renderer also base64-encodes a part that has such a line).
"""

from __future__ import annotations

import os
import re
import socket
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timezone
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, make_msgid

from ..data import Brief, RunStatus
from .fields import digest_title
from .html import render_html
from .inbox import HTML_BUDGET, plan_digest
from .mime import POLICY, SENDMAIL_POLICY, set_body, transfer_encoding
from .stories import story_entries
from .text import render_text

SUBJECT_MAX = 200

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
# Bidirectional embedding/override/isolate marks can make a subject read differently than it is.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_header(text: str, limit: int = SUBJECT_MAX) -> str:
    """One safe header line: no control, line-separator or bidi characters, collapsed spaces,
    encoded-word syntax made literal, at most `limit` characters (cut with an ellipsis)."""
    chars = (" " if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") else c for c in text)
    text = " ".join(_BIDI.sub("", "".join(chars)).split())
    # A word joiner (invisible) after "=" keeps "=?charset?q?...?=" from being decoded as RFC 2047.
    text = text.replace("=?", "=\u2060?")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def parse_addresses(value: str | Sequence[str] | None, what: str = "address") -> tuple[Address, ...]:
    """Parse one or more addresses ("a@b.nl", "Name <a@b.nl>, c@d.nl", or a list of those).

    Strict: any parse defect, a missing or odd local part or domain, a domain literal, or a
    non-ASCII local part is a ValueError. Internationalised domains are converted to IDNA.
    """
    if value is None:
        raise ValueError(f"no {what} given")
    values = [value] if isinstance(value, str) else list(value)
    found: list[Address] = []
    for raw in values:
        if not isinstance(raw, str):
            raise ValueError(f"invalid {what}: {raw!r} is not a string")
        # Surrounding whitespace and a trailing newline (from a config file) are harmless;
        # a CR or LF inside is not, and makes the parse below fail.
        text = raw.strip()
        try:
            header = email_policy.default.header_factory("To", text)
            defects = list(header.defects)
            addresses = list(header.addresses)
        except Exception:  # the header parser can raise IndexError etc. on bad input
            raise ValueError(f"invalid {what}: {raw!r}") from None
        if defects or not addresses and text.strip(" ,;:"):
            raise ValueError(f"invalid {what}: {raw!r}")
        found += [_checked(address, raw, what) for address in addresses]
    if not found:
        raise ValueError(f"no {what} given")
    return tuple(found)


def _checked(address: Address, raw: str, what: str) -> Address:
    local, domain = address.username, address.domain
    if not local or not domain:
        raise ValueError(f"invalid {what}: {raw!r} (expected name@domain)")
    if not local.isascii():
        raise ValueError(f"invalid {what}: {raw!r} (non-ASCII before the @ is not supported)")
    if not _LOCAL_PART.match(local) or len(local) > 64:
        raise ValueError(f"invalid {what}: {raw!r}")
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        raise ValueError(f"invalid {what}: {raw!r} (bad domain)") from None
    labels = ascii_domain.rstrip(".").split(".")
    if not all(_LABEL.match(label) for label in labels) or len(ascii_domain) > 253:
        raise ValueError(f"invalid {what}: {raw!r} (bad domain)")
    name = clean_header(address.display_name, 100)
    return Address(display_name=name, username=local, domain=ascii_domain.lower())


_LOCAL_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def default_sender() -> str:
    """`brief@<this host's fully qualified name>` (`socket.getfqdn()`). Where that name is only
    `localhost` (a host whose own name resolves to 127.0.0.1 first) or is not a valid mail domain,
    the plain host name (`socket.gethostname()`) is used; `brief@localhost` only when neither will do."""
    for host in (socket.getfqdn(), socket.gethostname()):
        if not host or host.lower() in _LOCAL_HOSTS:
            continue
        try:
            parse_addresses(f"brief@{host}", "sender address")
        except ValueError:
            continue
        return f"brief@{host}"
    return "brief@localhost"


def _as_list(briefs: Brief | Sequence[Brief]) -> list[Brief]:
    return [briefs] if isinstance(briefs, Brief) else list(briefs)


def default_subject(
    briefs: Brief | Sequence[Brief], date: datetime | None = None, status: RunStatus | None = None
) -> str:
    """ "Brief: <headline>" for one brief alone, else "Briefs: N articles (YYYY-MM-DD)" (or "Briefs:
    12 stories from 20 articles (...)" where copies of one story were grouped, `render.stories`),
    with ", K failed" when the run's `status` names failures, or "Briefs: no new articles (...)"."""
    items = _as_list(briefs)
    failed = len(status.failures) if status else 0
    if len(items) == 1 and not failed:
        return clean_header(f"Brief: {items[0].headline}")
    day = (date or datetime.now().astimezone()).date().isoformat()
    title = digest_title(items, status, len(story_entries(items)))
    return f"{title} ({day})" + (f", {failed} failed" if failed else "")


def build_message(
    briefs: Brief | Sequence[Brief],
    *,
    to: str | Sequence[str] | None,
    sender: str | None,
    subject: str | None = None,
    date: datetime | None = None,
    html: bool = True,
    text: bool = True,
    status: RunStatus | None = None,
    budget: int = HTML_BUDGET,
) -> EmailMessage:
    """One message for all `briefs`: multipart/alternative (text/plain, then text/html).

    `to` is one address, a comma-separated list, or a sequence of those; `sender` must be one
    address. `subject` overrides the default subject (it is cleaned and capped just the same).
    `date` (default: now, or SOURCE_DATE_EPOCH when set) fills the Date header and the digest subject. With only one of
    `html`/`text` the message is a single part.

    Several briefs, or a run's `status`, make a digest laid out for the inbox (`inbox.plan_digest`):
    the status and failures first, the list of headlines, every summary, then full texts while the
    HTML part stays under `budget` bytes, and one attached HTML page per article whose full text did
    not fit (the message is then multipart/mixed); the text part carries every full text. With a `status`, `briefs` may be empty (a "no new articles" note).
    Raises ValueError for no briefs and no status, no part, or a bad address.
    """
    items = _as_list(briefs)
    if not items and status is None:
        raise ValueError("no briefs to mail")
    if not (html or text):
        raise ValueError("an e-mail needs a text part, an HTML part, or both")
    recipients = parse_addresses(to, "recipient address")
    senders = parse_addresses(sender, "sender address")
    if len(senders) != 1:
        raise ValueError(f"give exactly one sender address, not {len(senders)}")
    if date is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        date = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), timezone.utc)
    if date is not None and date.tzinfo is None:
        date = date.astimezone()  # naive: local time

    message = EmailMessage(policy=POLICY)
    message["From"] = senders[0]
    message["To"] = recipients
    message["Subject"] = clean_header(subject) if subject is not None else default_subject(items, date, status)
    message["Date"] = format_datetime(date) if date is not None else formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=senders[0].domain)
    message["MIME-Version"] = "1.0"

    if len(items) > 1 or status is not None:
        plan = plan_digest(items, status, budget)
        bodies, attachments = (plan.text, plan.html), plan.attachments
    else:
        bodies, attachments = (render_text(items[0]), render_html(items[0])), {}
    if text:
        set_body(message, bodies[0], "plain", True)
    if html:
        set_body(message, bodies[1], "html", not text)
    for name, page in attachments.items():
        cte = transfer_encoding(page)
        message.add_attachment(page, subtype="html", charset="utf-8", cte=cte, disposition="attachment", filename=name)
    return message


def render_email(briefs: Brief | Sequence[Brief], **options: object) -> bytes:
    """The message from `build_message(briefs, **options)` as bytes with LF line ends,
    ready for `sendmail -t -oi` or to be saved as an .eml file."""
    return build_message(briefs, **options).as_bytes(policy=SENDMAIL_POLICY)  # type: ignore[arg-type]
