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


EXIT_STDOUT_CLOSED = 141  # stdout closed early (`| head`): every brief still written to the out-dir (128 + SIGPIPE)


class StorageError(BriefError):
    """A file or folder the run must write (the out-dir, its state, the lock, the cache, the
    manifest) cannot be: a full disk, a read-only or foreign folder, a file where a folder belongs.
    The message names the path and what to do. The CLI exits 2 when nothing was written, else 1."""

    exit_code = EXIT_CONFIG


# errno -> what it means and what to do, for `storage_error`'s one line.
_SYSTEM_ERRORS = {
    "ENOSPC": "no space left on the device: free some space, or choose another folder",
    "EDQUOT": "over the disk quota: free some space, or choose another folder",
    "EROFS": "the file system is read-only: choose a writable folder",
    "EACCES": "permission denied: check the owner and mode of the folder",
    "EPERM": "not permitted: check the owner and mode of the folder",
    "ENOTDIR": "a file stands where a folder belongs: move it away, or choose another folder",
    "EISDIR": "a folder stands where a file belongs: move it away, or choose another path",
    "ENAMETOOLONG": "the name is too long for this file system",
    "EIO": "the disk reported an input/output error",
}


def storage_error(error: OSError, path: object = None) -> StorageError:
    """One line for an OSError on `path` (else the error's own file name): the path, what the
    errno means (ENOSPC, EROFS, EACCES, ENOTDIR, EISDIR, ...) and what to do."""
    import errno as errno_names

    name = errno_names.errorcode.get(error.errno or 0, "")
    where = path if path is not None else error.filename or "?"
    what = _SYSTEM_ERRORS.get(name) or (error.strerror or str(error)).lower()
    return StorageError(f"{where}: {what}")


def unexpected_reason(error: BaseException) -> str:
    """The one-line reason for a bug met while briefing one input (not a BriefError): what was
    raised, and a request to report it (the traceback is logged at -v)."""
    said = str(error).splitlines()[0][:200] if str(error) else ""
    return f"unexpected error ({type(error).__name__}{': ' + said if said else ''}); please report it (-v shows the traceback)"
