"""Delivering the run's mail: pipe the message to a sendmail-compatible command and check it took it.

`brief --sendmail` calls `BRIEF_SENDMAIL` (default `/usr/sbin/sendmail -t -oi`): `-t` takes the
recipients from the message's To header, `-oi` keeps a line holding only "." from ending the
message early (sendmail(8); exim4, Postfix and msmtp all accept both). The message goes to the
command's standard input with LF line ends, which is what these programs expect. Delivery succeeded
only when the command exits 0; anything else is a `DeliveryError` (exit 4) with one line that
names the command and the last thing it said. A command still running after SENDMAIL_TIMEOUT_S
(120 s) is killed, with every process it started.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import subprocess

from .errors import DeliveryError

log = logging.getLogger(__name__)

DEFAULT_SENDMAIL = "/usr/sbin/sendmail -t -oi"
# A local MTA answers in well under a second; a hung one must not keep the nightly unit running.
SENDMAIL_TIMEOUT_S = 120.0


def sendmail_argv(command: str) -> list[str]:
    """`command` split like a shell line (shlex); ValueError with one line if it cannot be, or is empty."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise ValueError(f"the sendmail command (BRIEF_SENDMAIL) {command!r} cannot be split: {error}") from None
    if not argv:
        raise ValueError("the sendmail command (BRIEF_SENDMAIL) is empty")
    return argv


def sendmail(message: bytes, command: str = DEFAULT_SENDMAIL, timeout: float = SENDMAIL_TIMEOUT_S) -> None:
    """Hand `message` (RFC 5322 bytes) to `command` on its standard input.

    `command` is split like a shell line (shlex), but no shell runs it. It runs in a session of its
    own, so a command that outlives `timeout` seconds is killed with everything it started. Raises
    DeliveryError when the command is empty, cannot be started, runs too long, or exits non-zero.
    What the command prints goes to the debug log, never to brief's stdout.
    """
    try:
        argv = sendmail_argv(command)
    except ValueError as error:
        raise DeliveryError(f"mail not sent: {error}") from None
    try:
        process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
    except FileNotFoundError:
        raise DeliveryError(f"mail not sent: {argv[0]}: command not found (set BRIEF_SENDMAIL)") from None
    except PermissionError:
        raise DeliveryError(f"mail not sent: {argv[0]}: permission denied") from None
    try:
        out, err = process.communicate(message, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise DeliveryError(f"mail not sent: `{command}` did not finish within {timeout:.0f} s (killed)") from None
    said = (err or out or b"").decode("utf-8", "replace").strip()
    if said:
        log.debug("%s said: %s", argv[0], said)
    if process.returncode != 0:
        last = said.splitlines()[-1] if said else "it printed nothing"
        raise DeliveryError(f"mail not sent: `{command}` exited with status {process.returncode}: {last}")
