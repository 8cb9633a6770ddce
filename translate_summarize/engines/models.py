"""Where models come from: hub ids with pinned revisions, local folders, the Hugging Face cache.

Locating a model is kept apart from loading it so that a missing model is reported in one clear line,
quickly: without this, an offline machine spends minutes in the hub client's retries and then fails
with a traceback. Weights are always loaded from a local folder with `local_files_only=True`, never
with remote code.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..errors import ModelUnavailableError

# Files a seq2seq model needs; excludes TF/Flax/Rust weights that would multiply the download.
MODEL_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors", "pytorch_model.bin"]


@dataclass(frozen=True)
class ModelSpec:
    """A model as the user names it: a hub id (with a revision) or a local folder."""

    role: str
    name: str
    revision: str | None = None
    option: str = ""

    @property
    def is_local(self) -> bool:
        return Path(self.name).expanduser().is_dir()

    @property
    def label(self) -> str:
        if self.is_local or not self.revision:
            return self.name
        return f"{self.name}@{self.revision[:12]}"


# Default revisions are pinned so an upstream push cannot change tomorrow's briefs silently.
# The distilbart commit is the one transformers' own summarization default pinned. The opus-mt
# repositories are pinned to `main` until their commit hashes are verified against the hub (this
# project is built offline); override with BRIEF_*_REVISION.
TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-nl-en"
TRANSLATION_REVISION = "main"
BACK_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-en-nl"
BACK_TRANSLATION_REVISION = "main"
SUMMARIZATION_MODEL = "sshleifer/distilbart-cnn-12-6"
SUMMARIZATION_REVISION = "a4f8f3ea906ed274767e9906dbaede7531d660ff"


def offline_mode() -> bool:
    """HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE, read at call time so tests and cron envs are honoured."""
    truthy = {"1", "true", "yes", "on"}
    return any(os.environ.get(var, "").strip().lower() in truthy for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_cache_dir() -> Path:
    """The hub cache the user configured (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if "HOME" in os.environ else Path("/tmp"))
    return Path(xdg) / "huggingface" / "hub"


def _hub_endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def hub_unreachable_reason(timeout: float = 5.0) -> str | None:
    """Why the hub cannot be reached, or None; a fast probe instead of the client's long retry loop."""
    endpoint = urlparse(_hub_endpoint())
    host = endpoint.hostname or "huggingface.co"
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as error:
        return f"{host}: {error.strerror or error}"


def _fix_hint(spec: ModelSpec) -> str:
    return (
        f"fix: run `brief --download-models` once with network access, "
        f"or pass a local folder with {spec.option or 'the model option'}"
    )


def _cached_snapshot(spec: ModelSpec) -> Path | None:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = snapshot_download(
            spec.name,
            revision=spec.revision,
            cache_dir=hub_cache_dir(),
            local_files_only=True,
            allow_patterns=MODEL_FILES,
        )
    except (LocalEntryNotFoundError, FileNotFoundError, ValueError, OSError):
        return None
    folder = Path(folder)
    return folder if (folder / "config.json").is_file() else None


def download(spec: ModelSpec) -> Path:
    """Fetch a hub model into the cache (for `--download-models`), failing fast when offline."""
    if spec.is_local:
        return Path(spec.name).expanduser()
    if offline_mode():
        cached = _cached_snapshot(spec)
        if cached:
            return cached
        raise ModelUnavailableError(
            f"{spec.role} model {spec.label} cannot be downloaded: HF_HUB_OFFLINE is set; unset it to download"
        )
    reason = hub_unreachable_reason()
    if reason:
        raise ModelUnavailableError(
            f"{spec.role} model {spec.label} cannot be downloaded: the Hugging Face Hub is unreachable ({reason})"
        )
    from huggingface_hub import snapshot_download

    try:
        return Path(
            snapshot_download(spec.name, revision=spec.revision, cache_dir=hub_cache_dir(), allow_patterns=MODEL_FILES)
        )
    except Exception as error:  # the hub client raises many types; all mean "not downloaded"
        raise ModelUnavailableError(f"{spec.role} model {spec.label} could not be downloaded: {error}") from error


def locate(spec: ModelSpec) -> Path:
    """A local folder holding the model's files, or a ModelUnavailableError that says how to get one."""
    if spec.is_local:
        folder = Path(spec.name).expanduser()
        if not (folder / "config.json").is_file():
            raise ModelUnavailableError(f"{spec.role} model folder {folder} has no config.json; {_fix_hint(spec)}")
        return folder
    if spec.name.startswith((".", "/", "~")) or spec.name.count("/") > 1:
        raise ModelUnavailableError(f"{spec.role} model {spec.name}: no such folder; {_fix_hint(spec)}")
    cached = _cached_snapshot(spec)
    if cached:
        return cached
    if offline_mode():
        raise ModelUnavailableError(
            f"{spec.role} model {spec.label} is not in the Hugging Face cache ({hub_cache_dir()}) "
            f"and HF_HUB_OFFLINE is set; {_fix_hint(spec)}"
        )
    reason = hub_unreachable_reason()
    if reason:
        raise ModelUnavailableError(
            f"{spec.role} model {spec.label} is not in the Hugging Face cache ({hub_cache_dir()}) "
            f"and the Hugging Face Hub is unreachable ({reason}); {_fix_hint(spec)}"
        )
    return download(spec)
