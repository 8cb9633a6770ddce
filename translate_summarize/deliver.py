"""Delivering the run's mail: pipe the message to a sendmail-compatible command and check it took it.

`brief --sendmail` calls `BRIEF_SENDMAIL` (default `/usr/sbin/sendmail -t -oi`): `-t` takes the
recipients from the message's To header, `-oi` keeps a line holding only "." from ending the
message early (sendmail(8); exim4, Postfix and msmtp all accept both). The message goes to the
command's standard input with LF line ends, which is what these programs expect. Delivery succeeded
only when the command exits 0; anything else is a `DeliveryError` (exit 4) with one line that
names the command and the last thing it said.
"""

from __future__ import annotations

import logging
import shlex
import subprocess

from .errors import DeliveryError

log = logging.getLogger(__name__)

DEFAULT_SENDMAIL = "/usr/sbin/sendmail -t -oi"
# A local MTA answers in well under a second; a hung one must not keep the nightly unit running.
SENDMAIL_TIMEOUT_S = 120.0


def sendmail(message: bytes, command: str = DEFAULT_SENDMAIL, timeout: float = SENDMAIL_TIMEOUT_S) -> None:
    """Hand `message` (RFC 5322 bytes) to `command` on its standard input.

    `command` is split like a shell line (shlex), but no shell runs it. Raises DeliveryError when
    the command is empty, cannot be started, runs longer than `timeout` seconds, or exits non-zero.
    What the command prints goes to the debug log, never to brief's stdout.
    """
    argv = shlex.split(command)
    if not argv:
        raise DeliveryError("mail not sent: the sendmail command (BRIEF_SENDMAIL) is empty")
    try:
        done = subprocess.run(argv, input=message, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise DeliveryError(f"mail not sent: {argv[0]}: command not found (set BRIEF_SENDMAIL)") from None
    except PermissionError:
        raise DeliveryError(f"mail not sent: {argv[0]}: permission denied") from None
    except subprocess.TimeoutExpired:
        raise DeliveryError(f"mail not sent: `{command}` did not finish within {timeout:.0f} s") from None
    said = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()
    if said:
        log.debug("%s said: %s", argv[0], said)
    if done.returncode != 0:
        last = said.splitlines()[-1] if said else "no message"
        raise DeliveryError(f"mail not sent: `{command}` exited with status {done.returncode}: {last}")
