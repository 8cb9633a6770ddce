"""MIME body parts as mail clients and sendmail expect them; shared by the mail format and the digest plan.

`POLICY` is the RFC 5322 policy of the real message (CRLF line ends, so base64 parts are encoded
as they will be sent); `SENDMAIL_POLICY` writes the same message with LF line ends, as sendmail(8)
reads it on stdin.
"""

from __future__ import annotations

import re
from email import policy as email_policy
from email.message import EmailMessage

POLICY = email_policy.SMTP
SENDMAIL_POLICY = email_policy.SMTP.clone(linesep="\n")
# A line that is a lone "." ends the message for a sendmail run without -i (RFC 5321 section 4.5.2).
_LONE_DOT_LINE = re.compile(r"^\.$", re.MULTILINE)


def transfer_encoding(body: str) -> str:
    """Quoted-printable, which keeps the body readable and 7-bit; base64 if a line is a lone "."
    (which a sendmail without -i would take as the end of the message)."""
    return "base64" if _LONE_DOT_LINE.search(body) else "quoted-printable"


def set_body(message: EmailMessage, body: str, subtype: str, first: bool) -> None:
    """Put `body` (text) into `message` as its first part (`first`) or as one more alternative, UTF-8."""
    cte = transfer_encoding(body)
    if first:
        message.set_content(body, subtype=subtype, charset="utf-8", cte=cte)
    else:
        message.add_alternative(body, subtype=subtype, charset="utf-8", cte=cte)
