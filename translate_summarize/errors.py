"""Errors the CLI turns into one-line messages and documented exit codes (never a traceback)."""

from __future__ import annotations

# Exit codes, documented in the README and `brief --help`.
EXIT_OK = 0
EXIT_SOME_FAILED = 1  # at least one article could not be briefed; the others were
EXIT_CONFIG = 2  # usage error, bad configuration, or a model that cannot be loaded
EXIT_LOCKED = 3  # another run holds the output folder and --no-wait was given
EXIT_DELIVERY = 4  # --sendmail: the sendmail command failed, the mail was not sent
EXIT_INTERRUPTED = 130  # SIGINT / SIGTERM


class BriefError(Exception):
    """Base class: the message is shown to the user as is, on one line."""

    exit_code = EXIT_CONFIG


class InputError(BriefError):
    """One article cannot be read or used; the run goes on with the others.

    `transient` marks a failure that may pass by itself (a timeout, a refused connection, an HTTP
    5xx or 429 after the retries): a feed entry that failed so is tried again on the next runs, while
    one that failed for good (a 404, no article text, another language) waits until it changes.
    """

    exit_code = EXIT_SOME_FAILED

    def __init__(self, path: object, reason: str, *, transient: bool = False):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.transient = transient


class ModelUnavailableError(BriefError):
    """A model is neither a local folder, nor cached, nor downloadable: nothing can be briefed."""

    exit_code = EXIT_CONFIG


class ConfigError(BriefError):
    exit_code = EXIT_CONFIG


class LockedError(BriefError):
    exit_code = EXIT_LOCKED


class DeliveryError(BriefError):
    """--sendmail could not hand the mail over (the briefs in the out-dir are written)."""

    exit_code = EXIT_DELIVERY
