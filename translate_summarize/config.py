"""Settings from a TOML file, then environment variables, then flags (later wins).

Typer fills each option from its flag or its environment variable; what is still unset comes from
the config file (`--config`, else `$XDG_CONFIG_HOME/brief/config.toml`), then from the defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError

# Keys allowed in config.toml; each matches a long option without its dashes.
KNOWN_KEYS = {
    "out_dir",
    "format",
    "digest",
    "to",
    "from",
    "subject",
    "translation_model",
    "translation_revision",
    "summarization_model",
    "summarization_revision",
    "back_translation_model",
    "back_translation_revision",
    "device",
    "engine",
    "max_bytes",
    "source_lang",
    "log_format",
    "wait",
    "translation_memory",
}


def default_config_path() -> Path | None:
    base = os.environ.get("XDG_CONFIG_HOME")
    if not base and os.environ.get("HOME"):
        base = str(Path(os.environ["HOME"]) / ".config")
    return Path(base) / "brief" / "config.toml" if base else None


def load_config(path: Path | None) -> dict[str, Any]:
    """The config file as a dict with `-` folded to `_`; an explicit missing file is an error."""
    explicit = path is not None
    path = path or default_config_path()
    if path is None or (not explicit and not path.is_file()):
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML ({error})") from None
    settings = {key.replace("-", "_"): value for key, value in data.items()}
    unknown = sorted(set(settings) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)}")
    return settings


def pick(flag_or_env: Any, config: dict[str, Any], key: str, default: Any) -> Any:
    """Flag/env value if given, else the config file's, else the default."""
    if flag_or_env is not None:
        return flag_or_env
    return config.get(key, default)
