"""Settings, resolved once and in one place: defaults < TOML file < environment < flags.

`Settings` is the typed record of everything a user can set. `resolve` builds it: each command
(`brief`, `brief-eval`, the bench) passes what its flags and environment variables gave (typer reads
`BRIEF_*` into the same parameters, so env < flag already holds there; unset is None), and whatever is
still unset comes from the TOML file (`--config`, else `$XDG_CONFIG_HOME/brief/config.toml`), then from
the field's default here. TOML values are checked against the field's type and choices: a wrong type
or an unknown key is one `ConfigError` line naming the key and the file (exit 2), with the nearest
key or choice when one is close (`did you mean out_dir?`).

Every long option of `brief` is a TOML key, with dashes written as underscores; `--from` is `from`,
and the repeatable `--feed` is the list `feeds` (`OPTION_KEYS`). `to` is a list too (repeated
`--to`), and a single string is one entry of it. The one-shot actions `--resend`, `--config`,
`--version` and `--help` are not keys.
"""

from __future__ import annotations

import difflib
import math
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any

from .common.files import config_folder
from .engines.lock import locked, read_lock
from .engines.models import (
    BACK_TRANSLATION_MODEL,
    BACK_TRANSLATION_REVISION,
    SUMMARIZATION_MODEL,
    SUMMARIZATION_REVISION,
    TRANSLATION_MODEL,
    TRANSLATION_REVISION,
    ModelSpec,
)
from .engines.registry import default_engine, engine_line, engine_names
from .errors import ConfigError
from .executors import ExecutorOptions, executor_names
from .render import FORMATS as RENDERERS
from .render.email_format import default_sender, parse_addresses
from .run.deliver import DEFAULT_SENDMAIL, sendmail_argv
from .text.language import check_source_lang
from .text.reader import DEFAULT_MAX_BYTES

FORMATS = tuple(RENDERERS)  # the output formats registered in render/__init__.py
DEVICES = ("auto", "cpu", "cuda")
ENGINES = engine_names()  # the engine registry: torch, ctranslate2 and any registered before this import
LOG_FORMATS = ("text", "json")
EXECUTORS = executor_names()  # the executor registry: local, ray
# The same choices as typed CLI parameters (typer shows and checks them).
Format = Enum("Format", {name: name for name in FORMATS}, type=str)
Device = Enum("Device", {name: name for name in DEVICES}, type=str)
Engine = Enum("Engine", {name: name for name in ENGINES}, type=str)
LogFormat = Enum("LogFormat", {name: name for name in LOG_FORMATS}, type=str)
Executor = Enum("Executor", {name: name for name in EXECUTORS}, type=str)


@dataclass(frozen=True)
class Settings:
    """Everything `brief` can be told, typed, with its defaults. Field names are the TOML keys, except
    `sender` (key `from`)."""

    out_dir: Path = Path("out")
    format: str | None = None  # None: markdown; --sendmail always writes email (`output_format`)
    digest: bool = False
    new_only: bool = False
    group: bool = True  # copies of one story grouped, briefed once, shown once (`stories/`)
    story_days: int = 3  # days a briefed story is remembered for tomorrow's copies and updates
    archive: bool = True  # feed.xml, index.html, day pages and search in the out-dir (`publish/`)
    feed_entries: int = 50
    feed_per_digest: bool = False
    archive_url: str | None = None  # where the out-dir is served: the feed's absolute links
    sendmail: bool = False
    sendmail_command: str = DEFAULT_SENDMAIL
    send_empty: bool = False
    to: tuple[str, ...] = ()  # recipients: repeated --to, or `to = [...]` (a single string is one)
    sender: str | None = None
    subject: str | None = None
    translation_model: str = TRANSLATION_MODEL
    translation_revision: str | None = None
    summarization_model: str = SUMMARIZATION_MODEL
    summarization_revision: str | None = None
    back_translation_model: str = BACK_TRANSLATION_MODEL
    back_translation_revision: str | None = None
    device: str = "auto"
    engine: str | None = None  # None: ctranslate2 when installed, else torch (`engines.registry.default_engine`)
    source_lang: str = "auto"
    translation_memory: bool = True
    glossary: Path | None = None  # a TSV of Dutch<TAB>English terms honoured in translation (`text/glossary.py`)
    confidence_floor: float = 0.2  # sentences below this confidence are marked (`pipeline/confidence.py`)
    confidence_relative: float = 0.5  # ... and those below this fraction of their article's median
    max_bytes: int = DEFAULT_MAX_BYTES
    article_timeout: float = 1800.0  # wall-time budget of one article, seconds; 0: none (`timelimit`)
    feeds: tuple[str, ...] = ()  # RSS/Atom feeds, URLs or files (--feed, repeatable)
    since: str | None = None  # feed entries published before this date are left out (`sources.parse_since`)
    fetch_timeout: float = 10.0  # seconds to connect and for each read of an answer (`sources.fetch.FetchSettings`)
    fetch_retries: int = 3  # extra attempts after a network error or a 5xx answer
    allow_private_addresses: bool = False  # feed links and redirects to private addresses (`sources.fetch`)
    batch_articles: int = 8  # articles briefed together (README: Many articles)
    manifest: Path | None = None
    executor: str = "local"  # where briefs are made: this process, or a Ray cluster (`executors/`)
    ray_address: str | None = None  # None: Ray's own RAY_ADDRESS, else a local cluster
    ray_actors: int = 2
    ray_cpus_per_actor: float = 1.0
    ray_gpus_per_actor: float = 0.0
    force: bool = False
    wait: bool = True
    download_models: bool = False
    update_models: bool = False
    quiet: bool = False
    verbose: int = 0
    log_format: str = "text"

    @property
    def executor_options(self):
        """The `executors.ExecutorOptions` these settings describe."""
        return ExecutorOptions(
            self.executor,
            self.ray_address,
            self.ray_actors,
            float(self.ray_cpus_per_actor),
            float(self.ray_gpus_per_actor),
            float(self.article_timeout) or None,
        )

    @property
    def output_format(self) -> str:
        """The format written: email with `sendmail` (it mails the email format), else `format`, else markdown."""
        return "email" if self.sendmail else self.format or "markdown"

    def model_spec(self, role: str) -> ModelSpec:
        """The `translation`, `summarization` or `back_translation` model; a default hub model keeps its
        pinned revision unless one is given, a model of the user's own has none unless given."""
        defaults = {
            "translation": (TRANSLATION_MODEL, TRANSLATION_REVISION),
            "summarization": (SUMMARIZATION_MODEL, SUMMARIZATION_REVISION),
            "back_translation": (BACK_TRANSLATION_MODEL, BACK_TRANSLATION_REVISION),
        }
        default_name, default_revision = defaults[role]
        name = getattr(self, f"{role}_model")
        revision = getattr(self, f"{role}_revision")
        if revision is None and name == default_name:
            revision = default_revision
        return ModelSpec(role.replace("_", "-"), name, revision, f"--{role.replace('_', '-')}-model")

    def brief_options(self, *, use_lock: bool = True, **overrides: Any):
        """The `pipeline.briefer.BriefOptions` these settings describe (`overrides` replace fields of it).

        With `use_lock`, a hub model at a moving revision (`main`) runs at the commit the model lock
        recorded for it (`engines/lock.py`); `--update-models` resolves without it.
        """
        from .pipeline.briefer import BriefOptions  # here, not at the top: `brief --help` need not load the stages
        from .pipeline.confidence import ConfidenceOptions
        from .text.glossary import load_glossary

        lock = read_lock() if use_lock else {}
        options = BriefOptions(
            translation=locked(self.model_spec("translation"), lock),
            summarization=locked(self.model_spec("summarization"), lock),
            back_translation=locked(self.model_spec("back_translation"), lock),
            device=self.device,
            engine=self.engine or default_engine(),
            max_bytes=self.max_bytes,
            source_lang=check_source_lang(self.source_lang),
            translation_memory=self.translation_memory,
            # ConfigError: one line naming the file and line. `--glossary ''` turns off the config's.
            glossary=load_glossary(self.glossary) if self.glossary and str(self.glossary) != "." else None,
            confidence=ConfidenceOptions(self.confidence_floor, self.confidence_relative),
        )
        return replace(options, **overrides)

    def mail_options(self):
        """The run's `run.options.MailOptions`: the recipients as one header value, the sender (default
        `default_sender()`) and the subject. With the email format, every address is checked here,
        before any model loads: ConfigError (one line) for no recipient or a bad address."""
        from .run.options import MailOptions

        to = ", ".join(self.to) or None
        if self.output_format != "email":
            return MailOptions(to, self.sender, self.subject)
        if not to:
            raise ConfigError("--format email needs a recipient: --to ADDRESS (or BRIEF_MAIL_TO, or to = [...] in the config)")
        try:
            parse_addresses(list(self.to), "recipient address")
            if self.sender:
                parse_addresses(self.sender, "sender address")
        except ValueError as error:
            raise ConfigError(str(error)) from None
        return MailOptions(to, self.sender or default_sender(), self.subject)

    def run_settings(self, *, resend: bool = False):
        """The `run.options.RunSettings` of one `brief` run over these settings (the run's modules are
        imported here, so `brief --help` and a bad flag stay fast). Raises ConfigError as
        `mail_options` and `sources.parse_since` do."""
        from .publish import ArchiveOptions
        from .run.options import RunSettings
        from .sources.feeds import parse_since
        from .sources.fetch import FetchSettings

        return RunSettings(
            out_dir=self.out_dir,
            format=self.output_format,
            digest=self.digest,
            force=self.force,
            wait=self.wait,
            new_only=self.new_only,
            group=self.group,
            story_days=self.story_days,
            archive=ArchiveOptions(self.archive, self.feed_entries, self.feed_per_digest, self.archive_url or ""),
            batch_articles=self.batch_articles,
            manifest=self.manifest,
            sendmail=self.sendmail_command if self.sendmail else None,
            send_empty=self.send_empty,
            mail=self.mail_options(),
            brief=self.brief_options(),
            executor=self.executor_options,
            feeds=self.feeds,
            since=parse_since(self.since) if self.since is not None else None,
            fetch=FetchSettings(
                timeout=self.fetch_timeout,
                retries=self.fetch_retries,
                allow_private_addresses=self.allow_private_addresses,
            ),
        )

    def engine_line(self) -> str:
        """One line for `brief -v`: the engine that briefs, and why that one (`registry.engine_line`)."""
        return engine_line(self.engine)


# Numeric settings with a least value: field -> (least, what the error says it must be).
_LEAST = {
    "batch_articles": (1, "1 or more"),
    "ray_actors": (1, "1 or more"),
    "ray_cpus_per_actor": (0, "0 or more"),
    "ray_gpus_per_actor": (0, "0 or more"),
    "max_bytes": (1, "1 or more"),
    "fetch_retries": (0, "0 or more"),
    "story_days": (0, "0 (this run only) or more"),
    "feed_entries": (1, "1 or more"),
}
CHOICES = {"format": FORMATS, "device": DEVICES, "engine": ENGINES, "log_format": LOG_FORMATS, "executor": EXECUTORS}
_KEYS = {"sender": "from"}  # field -> TOML key where they differ
OPTION_KEYS = {"feed": "feeds"}  # long option -> TOML key where the option is one item of a list
STRING_OR_LIST = {"to"}  # list keys where a single string is one entry
_MEANT = {**OPTION_KEYS, "sender": "from", "recipients": "to"}  # likely slips that difflib would not find


def _is_base_url(url: str) -> bool:
    """Whether `url` is an http(s) address with a host and no query, fragment or whitespace."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not (parts.query or parts.fragment or any(c.isspace() for c in url))


def toml_key(name: str) -> str:
    """The config-file key of a `Settings` field."""
    return _KEYS.get(name, name)


def keys() -> list[str]:
    """Every config-file key, in field order."""
    return [toml_key(field.name) for field in fields(Settings)]


def default_config_path() -> Path | None:
    """`$XDG_CONFIG_HOME/brief/config.toml` (XDG_CONFIG_HOME defaults to ~/.config); None without a home."""
    folder = config_folder()
    return folder / "config.toml" if folder else None


def did_you_mean(word: str, choices) -> str:
    """` (did you mean X?)` for the choice nearest to `word` (difflib), or "" when none is close."""
    choices = [str(choice) for choice in choices]
    meant = _MEANT.get(word) if _MEANT.get(word) in choices else None
    close = [meant] if meant else difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def load_config(path: Path | None) -> dict[str, Any]:
    """The config file's settings by TOML key (`-` folded to `_`); {} when the default file is absent.

    Raises ConfigError (one line, naming the file) for an explicit missing file, unreadable or invalid
    TOML, or unknown keys (each with the nearest known key, when one is close). Types are checked by
    `resolve`.
    """
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
    unknown = sorted(set(settings) - set(keys()))
    if unknown:
        named = ", ".join(f"{key}{did_you_mean(key, keys())}" for key in unknown)
        raise ConfigError(f"{path}: unknown setting(s): {named}")
    return settings


def _converted(name: str, value: Any, where: str) -> Any:
    """A config-file value as the field's type; ConfigError naming the key and the file otherwise."""
    kind = typing.get_type_hints(Settings)[name]
    base = kind if typing.get_origin(kind) is tuple else next((arg for arg in typing.get_args(kind) if arg is not type(None)), kind)
    key = toml_key(name)
    if name in STRING_OR_LIST and isinstance(value, str):
        value = [value]
    if base is bool and not isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be true or false, not {value!r}")
    if base is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{where}: {key} must be a whole number, not {value!r}")
    if base is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ConfigError(f"{where}: {key} must be a number, not {value!r}")
    if typing.get_origin(base) is tuple and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        kind = "a string or a list of strings" if name in STRING_OR_LIST else "a list of strings"
        raise ConfigError(f"{where}: {key} must be {kind}, not {value!r}")
    if base in (str, Path) and not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string, not {value!r}")
    if name in CHOICES and value not in CHOICES[name]:
        hint = did_you_mean(value, CHOICES[name]) if isinstance(value, str) else ""
        raise ConfigError(f"{where}: {key} must be one of {', '.join(CHOICES[name])}, not {value!r}{hint}")
    if name == "source_lang":
        try:
            check_source_lang(value)
        except ConfigError:
            raise ConfigError(f"{where}: {key} must be nl, en or auto, not {value!r}") from None
    if typing.get_origin(base) is tuple:
        return tuple(value)
    return Path(value).expanduser() if base is Path else float(value) if base is float else value


def resolve(given: Mapping[str, Any], config: Path | None = None) -> Settings:
    """Settings from flags/environment (`given`, by field name; None or absent = unset), then the config
    file, then the defaults. Raises ConfigError for a bad config file or a bad choice."""
    unknown = set(given) - {field.name for field in fields(Settings)}
    if unknown:
        raise TypeError(f"not settings: {', '.join(sorted(unknown))}")
    path = config or default_config_path()
    from_file = load_config(config)
    # Every value of the file is checked, also those a flag or the environment overrides: a broken
    # config file is reported the first time, not on the night the flag is dropped.
    checked = {
        field.name: _converted(field.name, from_file[toml_key(field.name)], str(path))
        for field in fields(Settings)
        if toml_key(field.name) in from_file
    }
    if str(checked.get("glossary") or ".") != "." and path is not None and not checked["glossary"].is_absolute():
        checked["glossary"] = path.parent / checked["glossary"]  # a relative glossary is beside its config
    values = {}
    for field in fields(Settings):
        value = given.get(field.name)
        if value is None:
            value = checked.get(field.name)
        if value is not None:
            if field.name in CHOICES and value not in CHOICES[field.name]:
                hint = did_you_mean(str(value), CHOICES[field.name])
                raise ConfigError(f"--{field.name.replace('_', '-')} {value}: must be one of {', '.join(CHOICES[field.name])}{hint}")
            values[field.name] = value
    settings = Settings(**values)
    for field in fields(Settings):  # nan and inf are floats to Python and typer, not to a timeout
        value = getattr(settings, field.name)
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{field.name} must be a finite number, not {value}")
    for name, (least, words) in _LEAST.items():
        if getattr(settings, name) < least:
            raise ConfigError(f"{name} must be {words}, not {getattr(settings, name)}")
    if settings.story_days > 3650:
        raise ConfigError(f"story_days must be at most 3650 (ten years), not {settings.story_days}")
    for name, what in (("confidence_floor", "a confidence"), ("confidence_relative", "a fraction of the article's median")):
        if not 0 <= getattr(settings, name) <= 1:
            raise ConfigError(f"{name} (--{name.replace('_', '-')}) must be {what}, from 0 to 1, not {getattr(settings, name):g}")
    if settings.article_timeout < 0:
        raise ConfigError(f"article_timeout must be 0 (none) or more seconds, not {settings.article_timeout:g}")
    if settings.fetch_timeout <= 0:
        raise ConfigError(f"fetch_timeout must be more than 0 seconds, not {settings.fetch_timeout:g}")
    if settings.archive_url is not None and not _is_base_url(settings.archive_url):
        raise ConfigError(f"archive_url must be an http(s) address of a folder (https://example.org/briefs/), not {settings.archive_url!r}")
    if settings.since is not None:
        from .sources.feeds import parse_since  # here: feedparser and lxml only when --since is given

        parse_since(settings.since)  # ConfigError: one line naming the value
    if settings.sendmail:
        try:
            sendmail_argv(settings.sendmail_command)
        except ValueError as error:
            raise ConfigError(str(error)) from None
    return settings
