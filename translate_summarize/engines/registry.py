"""Engine registry: each inference engine registers under a name, as CTranslate2's converters do per
model type. The CLI's `--engine` choices, the pipeline, `brief-eval` and `--download-models` read it.

An engine is a class that implements `engine.Seq2SeqEngine` and has three class methods:

- ``load(folder, spec, *, device, workers=None)``: the engine for a model in a local folder (`spec` is
  the `models.ModelSpec` it was located from; `workers` as for CTranslate2: None = one per core);
- ``available()``: whether its packages are installed (the default engine is the available one with
  the highest `preference`);
- ``prepare(folder, spec, device)`` (optional): work `brief --download-models` does ahead, e.g. a
  conversion, with a class attribute ``prepared`` that says what was done ("converted for CTranslate2").

Adding an engine is one module with one `@register_engine("name")` class, listed in `BUILTIN`
(or imported by the caller before use, as tests do).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from ..errors import ConfigError

# Modules whose import registers the engines that ship with brief.
BUILTIN = ("translate_summarize.engines.torch_engine", "translate_summarize.engines.ct2_engine")
_ENGINES: dict[str, type] = {}
_PREFERENCE: dict[str, int] = {}


def register_engine(name: str, *, preference: int = 0):
    """Class decorator: register an engine class under `name` (sets its `name` attribute)."""

    def decorate(cls: type) -> type:
        cls.name = name
        _ENGINES[name] = cls
        _PREFERENCE[name] = preference
        return cls

    return decorate


def _load_builtin() -> None:
    for module in BUILTIN:
        importlib.import_module(module)


def engine_names() -> tuple[str, ...]:
    """Registered engine names, in registration order."""
    _load_builtin()
    return tuple(_ENGINES)


def engine_class(name: str) -> type:
    """The class registered as `name`; ConfigError (exit 2) naming the known ones otherwise."""
    _load_builtin()
    if name not in _ENGINES:
        raise ConfigError(f"--engine {name}: unknown engine (known: {', '.join(_ENGINES)})")
    return _ENGINES[name]


def default_engine() -> str:
    """The available engine with the highest preference: ctranslate2 when the `fast` extra is installed."""
    _load_builtin()
    available = [name for name, cls in _ENGINES.items() if cls.available()]
    return max(available, key=lambda name: _PREFERENCE[name])


def create_engine(name: str, folder: Path, spec: Any, *, device: str, workers: int | None = None) -> Any:
    """Load the model in `folder` with the engine registered as `name`."""
    return engine_class(name).load(folder, spec, device=device, workers=workers)


def prepare_engine(name: str, folder: Path, spec: Any, device: str) -> tuple[Path, str] | None:
    """Run the engine's ahead-of-time step for a model: (where its result is, what was done, e.g.
    "converted for CTranslate2"), or None when the engine has no such step."""
    cls = engine_class(name)
    prepare = getattr(cls, "prepare", None)
    if prepare is None:
        return None
    return prepare(folder, spec, device), getattr(cls, "prepared", f"prepared for --engine {name}")


def engine_line(chosen: str | None) -> str:
    """One line for `brief -v`: the engine that briefs (`chosen`, or None for the default), and why that one."""
    if chosen:
        return f"engine: {chosen} (chosen with --engine, BRIEF_ENGINE or the config)"
    engine = default_engine()
    if engine == "torch":
        return (
            "engine: torch, the slower one: CTranslate2 is not installed"
            " (pip install 'translate_summarize[fast]' gives the faster ctranslate2 engine)"
        )
    return f"engine: {engine} (the default: the fast extra is installed; --engine torch for PyTorch)"
