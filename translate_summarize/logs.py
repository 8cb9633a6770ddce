"""Logging to stderr: rich when stderr is a terminal, plain lines otherwise, JSON for log collectors."""

from __future__ import annotations

import json
import logging
import sys
import time

# Between INFO and WARNING: what a default run says (the closing summary line, "nothing to do"),
# shown without a level name.
NOTICE = 25
logging.addLevelName(NOTICE, "NOTICE")


class TextFormatter(logging.Formatter):
    """`brief: LEVEL: message`, and `brief: message` for notices."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == NOTICE:
            return f"brief: {record.getMessage()}"
        return f"brief: {record.levelname}: {record.getMessage()}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what journald/Loki/ELK ingest without parsing rules."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(*, verbose: int = 0, quiet: bool = False, log_format: str = "text") -> None:
    level = logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else NOTICE
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    if log_format == "json":
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
    elif sys.stderr.isatty():
        from rich.console import Console
        from rich.logging import RichHandler

        handler = RichHandler(console=Console(stderr=True), show_path=False, markup=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # Library chatter (transformers, hub) stays quiet unless asked for.
    for noisy in ("transformers", "huggingface_hub", "filelock", "urllib3", "httpx"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose > 2 else logging.ERROR)
