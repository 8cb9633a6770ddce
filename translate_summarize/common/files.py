"""Ground-floor file helpers: atomic writes, safe file stems and the product's own folders.

Everything that writes a file another run may read (briefs, records, feed state, cached pages) writes
it with `atomic_write`; every cache lives in a `private_folder` under `cache_dir()`. Imports nothing
from the package but `errors`, so any layer may use it.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from ..errors import ConfigError

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; a brief gets the mode any new file gets under the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def safe_stem(name: str) -> str:
    """A file stem that cannot leave the output folder or hide itself: no separators, no leading dots."""
    stem = _UNSAFE.sub("_", Path(name).stem).strip("._") or "article"
    return stem[:120]


def private_folder(folder: Path | str, *, create: bool = True) -> Path:
    """`folder`, made (with its parents) mode 0700 when missing, or checked when it is there: it must
    be a folder owned by this user and not writable by others (a group-writable one, as umask 002
    makes, is the user's own choice), and, when it is a symbolic
    link, the link must be this user's too (a link planted in a shared /tmp is someone else's).
    Raises ConfigError (one line naming the folder) otherwise: whatever another user can put in a
    cache (a translation memory, a page) would end up in the briefs. With `create=False` a missing
    folder is returned as is. A folder that cannot be made (read-only disk) is returned as is too:
    its users report that as they always did. (Issue #19.)"""
    folder = Path(folder)
    if create and not os.path.lexists(folder):
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)  # whatever the umask
        except FileExistsError:
            pass  # made by another run meanwhile: checked below
        except OSError:
            return folder
    try:
        link = os.lstat(folder)
        info = os.stat(folder)
    except FileNotFoundError:
        return folder
    except OSError as error:
        raise ConfigError(f"cache folder {folder}: cannot be used ({error.strerror or error})") from None
    uid = os.getuid() if hasattr(os, "getuid") else None
    if not stat.S_ISDIR(info.st_mode):
        raise ConfigError(f"cache folder {folder}: is not a folder; remove it or set BRIEF_CACHE_DIR")
    if uid is not None and (info.st_uid != uid or link.st_uid != uid):
        raise ConfigError(
            f"cache folder {folder}: is owned by another user (uid {link.st_uid if link.st_uid != uid else info.st_uid}),"
            " so it is not used; set BRIEF_CACHE_DIR to a folder of your own"
        )
    if hasattr(os, "getuid") and info.st_mode & stat.S_IWOTH:
        raise ConfigError(
            f"cache folder {folder}: others can write to it (mode {stat.S_IMODE(info.st_mode):o}), so it is not"
            f" used; make it private (chmod 700 {folder}) or set BRIEF_CACHE_DIR"
        )
    return folder


def cache_dir() -> Path:
    """`$BRIEF_CACHE_DIR`, else `$XDG_CACHE_HOME/brief`, else `~/.cache/brief`; without HOME
    `$TMPDIR/brief-<uid>`. Made 0700 when missing and refused (ConfigError) when another user owns
    it or others can write to it (`private_folder`): never a shared folder someone else made."""
    if os.environ.get("BRIEF_CACHE_DIR"):
        folder = Path(os.environ["BRIEF_CACHE_DIR"]).expanduser()
    elif os.environ.get("XDG_CACHE_HOME"):
        folder = Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "brief"
    elif os.environ.get("HOME"):
        folder = Path(os.environ["HOME"]) / ".cache" / "brief"
    else:
        uid = os.getuid() if hasattr(os, "getuid") else "user"
        folder = Path(tempfile.gettempdir()) / f"brief-{uid}"
    return private_folder(folder)


def config_folder() -> Path | None:
    """`$XDG_CONFIG_HOME/brief` (XDG_CONFIG_HOME defaults to ~/.config, by the XDG Base Directory
    Specification); None without HOME or XDG_CONFIG_HOME."""
    base = os.environ.get("XDG_CONFIG_HOME")
    if not base and os.environ.get("HOME"):
        base = str(Path(os.environ["HOME"]) / ".config")
    return Path(base) / "brief" if base else None
