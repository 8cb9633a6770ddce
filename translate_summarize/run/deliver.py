"""Delivering the run's mail: pipe the message to a sendmail-compatible command and check it took it.

`brief --sendmail` calls `BRIEF_SENDMAIL` (default `/usr/sbin/sendmail -t -oi`): `-t` takes the
recipients from the message's To header, `-oi` keeps a line holding only "." from ending the
message early (sendmail(8); exim4, Postfix and msmtp all accept both). The message goes to the
command's standard input with LF line ends, which is what these programs expect. Delivery succeeded
only when the command read the whole message and exits 0; anything else is a `DeliveryError` (exit 4) with one line that
names the command and the last thing it said. A command still running after SENDMAIL_TIMEOUT_S
(120 s) is killed, with every process it started.

A mail that was sent is kept, byte for byte, in the out-dir's `.brief/mail/<local time>.eml`
(`keep_sent`: written atomically, the newest SENT_KEPT kept), so that `brief --resend [WHEN]` can send
it again after it was lost on the way (`resend`: the newest, or the newest of a day).
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shlex
import signal
import struct
import subprocess
import termios
import threading
from datetime import datetime
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import BinaryIO

from ..common.files import atomic_write
from ..common.logs import NOTICE
from ..errors import ConfigError, DeliveryError, storage_error

log = logging.getLogger(__name__)

DEFAULT_SENDMAIL = "/usr/sbin/sendmail -t -oi"
# A local MTA answers in well under a second; a hung one must not keep the nightly unit running.
SENDMAIL_TIMEOUT_S = 120.0
SENT_KEPT = 14  # mails kept for --resend: two weeks of nightly digests
_SENT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}_\d{6})(?:_(\d+))?\.eml$")  # 2026-12-07_060012[_2].eml


def sendmail_argv(command: str) -> list[str]:
    """`command` split like a shell line (shlex); ValueError with one line if it cannot be, or is empty."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise ValueError(f"the sendmail command (BRIEF_SENDMAIL) {command!r} cannot be split: {error}") from None
    if not argv:
        raise ValueError("the sendmail command (BRIEF_SENDMAIL) is empty")
    return argv


def sendmail(message: bytes, command: str = DEFAULT_SENDMAIL, timeout: float = SENDMAIL_TIMEOUT_S, *, keep: Path | None = None) -> None:
    """Hand `message` (RFC 5322 bytes) to `command` on its standard input, and confirm it took it all.

    `command` is split like a shell line (shlex), but no shell runs it. It runs in a session of its
    own, so a command that outlives `timeout` seconds, or that is still running when brief is
    interrupted (Ctrl-C, SIGTERM), is killed with everything it started. The mail counts as
    delivered only when the command read the whole message (no byte left in the pipe, none refused)
    and exited 0: a sendmail that reads nothing or half and exits 0 has not delivered it. Raises
    DeliveryError (one line) otherwise. What the command prints goes to the debug log, never to
    brief's stdout. With `keep` (a folder), a delivered message is kept there (`keep_sent`).
    """
    try:
        argv = sendmail_argv(command)
    except ValueError as error:
        raise DeliveryError(f"mail not sent: {error}") from None
    # Our own pipe, with a second handle on its read end: after the command exits, what it left
    # unread is still in the pipe to count (FIONREAD); closing that handle then ends a write the
    # command left blocked (EPIPE).
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            argv, stdin=read_end, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
    except FileNotFoundError:
        _close(read_end, write_end)
        raise DeliveryError(f"mail not sent: {argv[0]}: command not found (set BRIEF_SENDMAIL)") from None
    except PermissionError:
        _close(read_end, write_end)
        raise DeliveryError(f"mail not sent: {argv[0]}: permission denied") from None
    except OSError as error:
        _close(read_end, write_end)
        raise DeliveryError(f"mail not sent: {argv[0]}: {error.strerror or error}") from None
    whole: list[bool] = []  # the writer's word: the whole message went into the pipe
    writer = threading.Thread(target=_write_all, args=(write_end, message, whole), name="brief-sendmail", daemon=True)
    writer.start()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        _close(read_end)
        raise DeliveryError(f"mail not sent: `{command}` did not finish within {timeout:.0f} s (killed)") from None
    except BaseException:  # Ctrl-C or SIGTERM while the command runs: it and its children go too
        _kill(process)
        _close(read_end)
        raise
    unread = _unread(read_end)
    _close(read_end)  # a writer the command left mid-message now fails (EPIPE) and ends
    writer.join(timeout=5)
    said = (err or out or b"").decode("utf-8", "replace").strip()
    if said:
        log.debug("%s said: %s", argv[0], said)
    if process.returncode != 0:
        last = said.splitlines()[-1] if said else "it printed nothing"
        raise DeliveryError(f"mail not sent: `{command}` exited with status {process.returncode}: {last}")
    if unread or not whole:
        taken = f"{len(message) - unread:,}" if whole else "part"
        raise DeliveryError(
            f"mail not sent: `{command}` exited 0 but read only {taken} of the message's {len(message):,} bytes"
        )
    if keep is not None:
        keep_sent(keep, message)


def keep_sent(folder: Path, message: bytes, *, keep: int = SENT_KEPT, now: datetime | None = None) -> Path | None:
    """Keep a copy of a `message` that was sent: `folder/<local time>.eml` (`2026-12-07_060012.eml`,
    `_2` added for a second mail in the same second), written atomically; only the newest `keep`
    mails stay. Returns the copy's path, or None when it could not be written: then one warning,
    since the mail itself went out."""
    stem = (now or datetime.now()).astimezone().strftime("%Y-%m-%d_%H%M%S")
    path, number = folder / f"{stem}.eml", 1
    try:
        while path.exists():
            number += 1
            path = folder / f"{stem}_{number}.eml"
        atomic_write(path, message)
        for old in sent_mails(folder)[:-keep]:
            old.unlink(missing_ok=True)
    except OSError as error:
        log.warning("the mail was sent, but no copy is kept for --resend: %s", storage_error(error, path))
        return None
    return path


def sent_mails(folder: Path) -> list[Path]:
    """The mails kept in `folder` (`keep_sent`), oldest first; [] when there is none (or no folder)."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = sorted((match[1], int(match[2] or 1), name) for name in names if (match := _SENT_NAME.match(name)))
    return [folder / name for _, _, name in found]


def kept_mail(folder: Path, when: str | None = None) -> Path:
    """The kept mail to send again: the newest, or with `when` the newest whose time starts so (a
    day, `2026-12-07`, or a day and time, `2026-12-07T06:00` or `2026-12-07_0600`). Raises
    ConfigError (one line naming the folder, and the days it does keep) when there is none."""
    mails = sent_mails(folder)
    if not mails:
        raise ConfigError(f"{folder}: no sent mail is kept here (one is kept each time --sendmail sends; check --out-dir)")
    if when is None:
        return mails[-1]
    prefix = when.strip().replace("T", "_").replace(" ", "_").replace(":", "")
    matching = [path for path in mails if path.name.startswith(prefix)]
    if not prefix or not matching:
        days = ", ".join(sorted({path.name[:10] for path in mails}))
        raise ConfigError(f"--resend {when}: no mail of that time is kept in {folder} (kept: {days})")
    return matching[-1]


def resend(folder: Path, when: str | None, command: str = DEFAULT_SENDMAIL) -> Path:
    """Send a kept mail (`kept_mail(folder, when)`) again, byte for byte, through `command`, with the
    same confirmation as `sendmail` (DeliveryError otherwise). Returns the kept file."""
    path = kept_mail(folder, when)
    try:
        message = path.read_bytes()
    except OSError as error:
        raise storage_error(error, path) from None
    sendmail(message, command)
    to = BytesParser(policy=default_policy).parsebytes(message, headersonly=True).get("To", "its recipients")
    log.log(NOTICE, "sent %s again to %s", path, to)
    return path


def _write_all(fd: int, data: bytes, whole: list[bool]) -> None:
    """Write `data` to the pipe and close it (the command's end of input); `whole` gets True once
    every byte is in the pipe."""
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
            pipe.flush()
            whole.append(True)
    except OSError:  # every read end closed: `sendmail` has counted what was left unread
        pass


def _unread(fd: int) -> int:
    """Bytes still waiting in the pipe whose read end is `fd` (Linux, BSD, macOS: FIONREAD)."""
    try:
        return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
    except OSError:
        return 0


def _kill(process: subprocess.Popen) -> None:
    """End the command and every process it started (its own session), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.communicate(timeout=5)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass


def _close(*fds: int) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def to_stdout(stdout: BinaryIO, data: bytes, report) -> None:
    """Put `data` on stdout, unless its reader has gone (`| head`, a pager quit): then printing
    stops, once and quietly (`report.stdout_closed`, a `RunReport`; the CLI exits 141), while the
    run goes on writing every brief to the out-dir."""
    if report.stdout_closed:
        return
    try:
        stdout.write(data)
        stdout.flush()
    except (BrokenPipeError, ValueError) as error:  # ValueError: stdout was closed in-process
        report.stdout_closed = True
        log.log(NOTICE, "stdout was closed (%s): the rest of the briefs go to the out-dir only", type(error).__name__)
        try:  # nothing more reaches the closed pipe, not even the interpreter's last flush
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass
