"""The model lock: which commit each moving hub revision (such as `main`) resolved to.

`brief --download-models` records, for every hub model whose revision is not a commit, the commit its
snapshot was downloaded at, in `models.lock.toml` in the config folder (`lock_path`). Later runs use the
locked commit instead of the moving revision, so an upstream push cannot change tomorrow's briefs, and
the brief's Models section shows the commit. `brief --update-models` downloads the moving revisions
again and records their new commits. Without a lock (and without network) runs behave as before.

The file (TOML, written with tomli-w):

    [[model]]
    name = "Helsinki-NLP/opus-mt-nl-en"
    revision = "main"
    commit = "0123…"            # 40 hex digits
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path

from ..common.files import config_folder
from ..errors import ConfigError
from .models import ModelSpec

LOCK_NAME = "models.lock.toml"
_COMMIT = re.compile(r"[0-9a-f]{40}")


def is_commit(revision: str | None) -> bool:
    """Whether a revision names one commit (40 hex digits), not a branch or tag that can move."""
    return bool(revision and _COMMIT.fullmatch(revision))


def lock_path() -> Path | None:
    """`$XDG_CONFIG_HOME/brief/models.lock.toml` (XDG_CONFIG_HOME defaults to ~/.config)."""
    folder = config_folder()
    return folder / LOCK_NAME if folder else None


def read_lock(path: Path | None = None) -> dict[tuple[str, str], str]:
    """(hub id, moving revision) -> locked commit; {} without a lock file. ConfigError for a broken one."""
    path = path or lock_path()
    if path is None or not os.path.lexists(path):
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries = data.get("model", [])
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise TypeError("'model' must be a list of tables ([[model]])")
        for entry in entries:
            for field in ("name", "revision", "commit"):
                if not isinstance(entry.get(field), str):
                    raise TypeError(f"a [[model]] entry's {field!r} must be a string")
        return {(entry["name"], entry["revision"]): entry["commit"] for entry in entries if is_commit(entry["commit"])}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(f"broken model lock: {path} ({reason}); delete it or run brief --update-models") from None


def locked(spec: ModelSpec, lock: dict[tuple[str, str], str]) -> ModelSpec:
    """`spec` at its locked commit when its revision can move and the lock has it; else `spec`."""
    revision = spec.revision or "main"  # a hub id given without a revision follows main
    if spec.is_local or is_commit(revision):
        return spec
    commit = lock.get((spec.name, revision))
    return replace(spec, revision=commit) if commit else spec


def snapshot_commit(folder: Path) -> str | None:
    """The commit of a hub-cache snapshot folder (`…/snapshots/<commit>`), or None."""
    return folder.name if folder.parent.name == "snapshots" and is_commit(folder.name) else None


def record(entries: dict[tuple[str, str], str], path: Path | None = None) -> Path | None:
    """Add or replace (hub id, moving revision) -> commit entries in the lock file, atomically.

    Returns the lock's path (None when there is no config folder, e.g. no HOME).
    """
    import tomli_w

    path = path or lock_path()
    if path is None:
        return None
    try:
        current = read_lock(path)
    except ConfigError as error:  # --update-models is the advertised fix: a broken lock is replaced
        logging.getLogger(__name__).warning("%s; writing a new one", error)
        current = {}
    current.update(entries)
    document = {
        "model": [
            {"name": name, "revision": revision, "commit": commit}
            for (name, revision), commit in sorted(current.items())
        ]
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".models-lock-", suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(b"# Written by `brief --download-models`; refresh with `brief --update-models`.\n")
        tomli_w.dump(document, out)
    os.replace(temporary, path)
    return path
