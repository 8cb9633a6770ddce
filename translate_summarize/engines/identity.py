"""What identifies a model's weights, for cache keys: hub id + revision, or a local folder's contents.

A local folder is identified by the sha256 of its config, tokenizer and weight files (memoised in the
cache folder by size, mtime and inode, so gigabyte weights are hashed once), never by its path: a copy
of the same model keeps its key, a retrained one gets a new key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from ..common.files import cache_dir

log = logging.getLogger(__name__)

# Files whose contents define a local model: configuration, tokenizer and weights.
_MODEL_FILE_SUFFIXES = (".json", ".spm", ".model", ".txt", ".safetensors", ".bin")
_HASH_MEMO = "file-hashes.json"


def _file_digest(path: Path, memo: dict[str, Any]) -> str:
    """sha256 of a file, memoised by (path, size, mtime, inode) so gigabyte weights are hashed once."""
    stat = path.stat()
    stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    key = str(path.resolve())
    known = memo.get(key)
    if known and known.get("stamp") == stamp:
        return known["sha256"]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    memo[key] = {"stamp": stamp, "sha256": digest.hexdigest()}
    return memo[key]["sha256"]


def folder_fingerprint(folder: Path) -> str:
    """A hash of the contents of a model folder's config, tokenizer and weight files."""
    memo_path = cache_dir() / _HASH_MEMO
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    before = json.dumps(memo, sort_keys=True)
    overall = hashlib.sha256()
    for path in sorted(Path(folder).iterdir()):
        if path.is_file() and not path.name.startswith(".") and path.name.endswith(_MODEL_FILE_SUFFIXES):
            overall.update(f"{path.name}\0{_file_digest(path, memo)}\n".encode())
    if json.dumps(memo, sort_keys=True) != before:
        try:  # best effort: a lost memo only costs a re-hash
            memo_path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=memo_path.parent, prefix=".hashes-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(memo, out)
            os.replace(temporary, memo_path)
        except OSError as error:
            log.debug("could not save the file-hash memo: %s", error)
    return overall.hexdigest()


def model_identity(spec: Any, folder: Path | None = None) -> dict[str, str | None]:
    """What identifies a model's weights: hub id + revision (+ snapshot commit), or a local folder's contents."""
    if spec is None or spec.is_local:
        source = Path(folder if folder is not None else spec.name).expanduser()
        return {"name": source.name, "content": folder_fingerprint(source)}
    identity = {"name": spec.name, "revision": spec.revision}
    if folder is not None and Path(folder).parent.name == "snapshots":
        identity["commit"] = Path(folder).name  # the hub cache names snapshots by commit hash
    return identity
