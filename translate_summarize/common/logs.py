"""Logging to stderr: rich when stderr is a terminal, plain lines otherwise, JSON for log collectors."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import datetime
from functools import cache

# Between INFO and WARNING: what a default run says (the closing summary line, "nothing to do"),
# shown without a level name.
NOTICE = 25
logging.addLevelName(NOTICE, "NOTICE")


class TextFormatter(logging.Formatter):
    """`brief: LEVEL: message`, and `brief: message` for notices. A record below NOTICE (shown only
    with -v) that carries an exception gets its traceback under it: what `unexpected_reason`
    promises; above that level a user never sees one."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == NOTICE:
            return f"brief: {record.getMessage()}"
        line = f"brief: {record.levelname}: {record.getMessage()}"
        if record.exc_info and record.levelno < NOTICE:
            line += "\n" + self.formatException(record.exc_info)
        return line


def rfc3339(created: float) -> str:
    """A log record's time as RFC 3339 in local time with its offset: `2026-11-30T06:00:01.250+01:00`."""
    return datetime.fromtimestamp(created).astimezone().isoformat(timespec="milliseconds")


@cache
def console():
    """The one rich console on stderr that the log handler and the progress bar share."""
    from rich.console import Console

    return Console(stderr=True)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what journald/Loki/ELK ingest without parsing rules."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": rfc3339(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def fatal_line(message: str, log_format: str = "text") -> str:
    """The line a run that stops prints on stderr: `brief: error: ...`, or one JSON object (level
    "error", RFC 3339 time) when logs are JSON, so a log collector sees the run's end too."""
    if log_format == "json":
        entry = {"time": rfc3339(time.time()), "level": "error", "logger": "brief", "message": message}
        return json.dumps(entry, ensure_ascii=False)
    return f"brief: error: {message}"


def setup_logging(*, verbose: int = 0, quiet: bool = False, log_format: str = "text") -> None:
    level = logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else NOTICE
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    if log_format == "json":
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
    elif sys.stderr.isatty():
        from rich.logging import RichHandler
        from rich.text import Text

        handler = RichHandler(
            console=console(),
            show_path=False,
            markup=False,
            log_time_format=lambda moment: Text(moment.astimezone().isoformat(timespec="seconds")),
            omit_repeated_times=False,
        )
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # Library chatter (transformers, hub) stays quiet unless asked for.
    for noisy in ("transformers", "huggingface_hub", "filelock", "urllib3", "httpx"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose > 2 else logging.ERROR)
    # trafilatura and its helpers log ERRORs for an empty or article-less page ("lxml parsing failed",
    # "empty HTML tree"): the run's own one line (`webpage.NO_ARTICLE`) names the page instead.
    for noisy in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose > 2 else logging.CRITICAL)
