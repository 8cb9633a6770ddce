"""Conversion of a Hugging Face seq2seq model to CTranslate2, once per model version, into a cache.

The cache folder name is derived from the model's identity (hub id + revision + snapshot commit, or for
a local folder a hash of its config, tokenizer and weight files), the quantization and the converter's
version. The conversion is written to a temporary folder and renamed into place, under a file lock, so
concurrent runs neither convert twice nor see a half-written model. `brief --download-models` converts
ahead (`prepare`), so nightly runs only load.

BART and Marian models with safetensors weights are converted streamed (`ct2_stream.py`): one module's
float32 weights in memory at a time, the same files as CTranslate2's whole-model way, which converts
anything else.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ..common.files import cache_dir
from ..common.logs import NOTICE
from ..errors import ModelUnavailableError
from .ct2_stream import NotStreamable, StreamingSetters, streamed_spec
from .identity import model_identity

log = logging.getLogger(__name__)

CT2_SUBDIR = "ct2"
# Bump when the conversion below changes in a way that changes the converted files.
_CONVERSION_LAYOUT = 2
_COMPLETE_MARK = "brief-conversion.json"

# Conversions done by this process (tests use it to prove the cache is used).
conversions = 0


def ct2_cache_dir() -> Path:
    return cache_dir() / CT2_SUBDIR


def usable_cores() -> int:
    """The cores this process may use: its CPU affinity, capped by `OMP_NUM_THREADS` when that is a
    positive integer. Ray sets `OMP_NUM_THREADS` in each actor to the CPUs it was given
    (`--ray-cpus-per-actor`), so N actors on one node share its cores instead of each taking all."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        cores = max(1, os.cpu_count() or 1)
    limit = os.environ.get("OMP_NUM_THREADS", "").strip()
    if limit.isdigit() and int(limit) > 0:
        cores = min(cores, int(limit))
    return cores


def resolve_ct2_device(device: str) -> str:
    """`auto` means CUDA when CTranslate2 sees a GPU (it may see one where torch is CPU-only), else CPU;
    ModelUnavailableError (one line) for `cuda` where CTranslate2 cannot use one."""
    import ctranslate2

    try:
        count = ctranslate2.get_cuda_device_count()
    except RuntimeError:  # e.g. "CUDA driver version is insufficient"
        count = 0
    if device == "auto":
        return "cuda" if count > 0 else "cpu"
    if device.startswith("cuda") and count == 0:
        raise ModelUnavailableError(
            f"CTranslate2 on {device}: no usable CUDA GPU here; use --device cpu or auto"
        )
    return device


def default_quantization(device: str) -> str:
    """int8 weights on CPU, float16 on CUDA; float32 where the hardware supports neither."""
    import ctranslate2

    wanted = "float16" if device == "cuda" else "int8"
    supported = ctranslate2.get_supported_compute_types(device)
    return wanted if wanted in supported else "float32"


# ---------------------------------------------------------------------------------------------------
# Conversion


def release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc's malloc_trim), so the RSS a
    conversion reached does not stay with the process that goes on to load the models."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _converter_class():
    """A TransformersConverter that handles the two models this project runs, under transformers 5."""
    import transformers
    from ctranslate2.converters.transformers import BartLoader, MarianMTLoader, TransformersConverter

    class Bart(StreamingSetters, BartLoader):
        def get_model_spec(self, model):
            # transformers 5 removed `normalize_before` from BartConfig; CTranslate2 4.8's BartLoader still
            # reads it and fails with AttributeError. BART is post-norm (HF's BartEncoderLayer normalises
            # after each residual), which is what `normalize_before=False` selects.
            if not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False
            return super().get_model_spec(model)

    class Marian(StreamingSetters, MarianMTLoader):
        """Keeps Hugging Face's decoder start exactly: start from the <pad> token's embedding.

        CTranslate2's stock Marian loader drops <pad> from the vocabulary and starts the decoder from a
        zero vector, which equals Hugging Face only while the <pad> embedding is zero (true for Marian-
        trained opus-mt, not for models trained or fine-tuned in transformers, where tied embeddings move
        it). Keeping <pad> costs one vocabulary row; generating it is prevented with `suppress_sequences`,
        as HF's generation_config does with `bad_words_ids`.
        """

        def get_model_spec(self, model):
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            return BartLoader.get_model_spec(self, model)

        def set_config(self, config, model, tokenizer):
            config.eos_token = tokenizer.eos_token
            config.unk_token = tokenizer.unk_token
            config.decoder_start_token = tokenizer.convert_ids_to_tokens(model.config.decoder_start_token_id)

        def set_decoder(self, spec, decoder):
            BartLoader.set_decoder(self, spec, decoder)

        def get_vocabulary(self, model, tokenizer):
            return BartLoader.get_vocabulary(self, model, tokenizer)

    loaders = {"BartConfig": Bart, "MarianConfig": Marian}

    class Converter(TransformersConverter):
        streamed = True  # False: always the whole-model way (the tests compare the two)

        def _load(self):
            import torch

            config = transformers.AutoConfig.from_pretrained(self._model_name_or_path, local_files_only=True)
            loader_class = loaders.get(type(config).__name__)
            if loader_class is None:
                # Anything else goes through CTranslate2's own registry.
                return super()._load()
            loader = loader_class()
            with torch.no_grad():
                model_class = getattr(transformers, loader.architecture_name)
                model = model_class.from_pretrained(
                    self._model_name_or_path, config=config, local_files_only=True, dtype=torch.float32
                )
                tokenizer = transformers.AutoTokenizer.from_pretrained(self._model_name_or_path, local_files_only=True)
                return loader(model, tokenizer)

        def convert(self, output_dir, vmap=None, quantization=None, force=False):
            """Streamed (`ct2_stream.py`) where the model allows it, else CTranslate2's whole-model way."""
            folder = self._model_name_or_path
            config = transformers.AutoConfig.from_pretrained(folder, local_files_only=True)
            loader_class = loaders.get(type(config).__name__)
            try:
                if loader_class is None or vmap is not None or not self.streamed:
                    raise NotStreamable(f"not streamed: {type(config).__name__}, vmap {vmap}, streamed={self.streamed}")
                loader = loader_class()
                model_class = getattr(transformers, loader.architecture_name)
                spec = streamed_spec(Path(folder), loader, model_class, config, quantization)
            except NotStreamable as reason:
                log.info("%s: converting with the whole model in memory (%s)", folder, reason)
                return super().convert(output_dir, vmap=vmap, quantization=quantization, force=force)
            os.makedirs(output_dir)
            spec.save(output_dir)
            return output_dir

    return Converter


def conversion_key(folder: Path, spec: Any, quantization: str) -> str:
    """Cache folder name: readable model name + a hash of everything that decides the converted files."""
    import ctranslate2

    identity = model_identity(spec, folder)
    payload = {
        "model": identity,
        "quantization": quantization,
        "ctranslate2": ctranslate2.__version__,
        "layout": _CONVERSION_LAYOUT,
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    readable = "".join(c if c.isalnum() or c in "-_." else "-" for c in str(identity["name"]))[-60:]
    return f"{readable}-{quantization}-{digest}"


_VOCABULARIES = ("shared_vocabulary.json", "source_vocabulary.json", "target_vocabulary.json")


def is_complete(path: Path) -> bool:
    """Whether `path` holds a whole conversion: its marker (for this key) and a non-empty model.bin and
    vocabulary (shared, or source and target), of the sizes the marker recorded when it has them."""
    try:
        mark = json.loads((path / _COMPLETE_MARK).read_text(encoding="utf-8"))
        if not isinstance(mark, dict) or mark.get("key") not in (None, path.name):
            return False
        names = ["model.bin"] + (["shared_vocabulary.json"] if (path / "shared_vocabulary.json").exists()
                                 else ["source_vocabulary.json", "target_vocabulary.json"])
        sizes = {name: (path / name).stat().st_size for name in names}
    except (OSError, ValueError):
        return False
    recorded = mark.get("sizes") if isinstance(mark.get("sizes"), dict) else {}
    return all(size > 0 and recorded.get(name, size) == size for name, size in sizes.items())


_STALE_SECONDS = 6 * 3600  # no conversion takes this long; an older temporary folder was left by a killed one


def _remove_old_staging(root: Path) -> None:
    """Temporary folders of any key that no conversion has touched for `_STALE_SECONDS`."""
    now = time.time()
    for leftover in root.glob(".*.tmp-*"):
        try:
            if leftover.is_dir() and now - leftover.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
                log.info("removed a half-written conversion %s", leftover)
        except OSError:
            pass


def _remove_stale_staging(root: Path, name: str) -> None:
    """Temporary folders a conversion killed half way left behind; the caller holds the key's lock,
    so no other conversion of this key is writing one."""
    for leftover in root.glob(f".{name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
        log.info("removed a half-written conversion %s", leftover)


def converted_model(folder: Path, spec: Any = None, quantization: str = "int8", cache: Path | None = None) -> tuple[Path, bool]:
    """The CTranslate2 conversion of `folder`, converting it first if needed: (path, converted_now).

    A first conversion of distilbart-cnn-12-6 takes ~3-6 s on 2 cores and ~0.6 GB above the libraries
    (streamed; the whole-model way ~1.7 GB). Raises what the conversion raises (OSError, ValueError,
    RuntimeError, ...), which `_convert` makes one ModelUnavailableError line; nothing half-written stays.
    """
    global conversions
    from filelock import FileLock

    root = Path(cache) if cache is not None else ct2_cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    name = conversion_key(Path(folder), spec, quantization)
    target = root / name
    _remove_old_staging(root)
    if is_complete(target):
        return target, False
    with FileLock(str(root / f".{name}.lock")):
        if is_complete(target):  # another process converted it while we waited
            return target, False
        _remove_stale_staging(root, name)
        if target.exists():
            log.log(NOTICE, "CTranslate2 conversion %s is incomplete or damaged; converting it again", target)
        started = time.perf_counter()
        staging = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}.tmp-"))
        try:
            output = staging / "model"
            _converter_class()(str(folder)).convert(str(output), quantization=quantization)
            sizes = {item.name: item.stat().st_size for item in output.iterdir() if item.is_file()}
            (output / _COMPLETE_MARK).write_text(
                json.dumps({"source": str(folder), "quantization": quantization, "key": name, "sizes": sizes}, indent=2) + "\n",
                encoding="utf-8",
            )
            if target.exists():  # an incomplete leftover (crash before this lock existed); replace it
                shutil.rmtree(target, ignore_errors=True)
            os.rename(output, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            release_memory()
        conversions += 1
        log.info("converted %s to CTranslate2 %s in %.1fs: %s", folder, quantization, time.perf_counter() - started, target)
    return target, True


def _require_ctranslate2() -> Any:
    """The ctranslate2 module, or a one-line error that says how to get it."""
    try:
        import ctranslate2
    except ImportError as error:
        raise ModelUnavailableError(
            "--engine ctranslate2 needs the ctranslate2 package: pip install 'translate_summarize[fast]', "
            "or use --engine torch"
        ) from error
    return ctranslate2


def _label(spec: Any, folder: Path) -> str:
    return getattr(spec, "label", None) or str(folder)


def _convert(folder: Path, spec: Any, quantization: str, cache: Path | None, label: str) -> tuple[Path, bool]:
    try:
        return converted_model(folder, spec, quantization, cache)
    except (OSError, RuntimeError, ValueError, NotImplementedError, KeyError, AttributeError) as error:
        raise ModelUnavailableError(
            f"model {label} could not be converted for CTranslate2 ({type(error).__name__}: {error}); "
            "use --engine torch"
        ) from error


def is_converted(folder: Path, spec: Any = None, device: str = "auto") -> bool:
    """Whether the cache already holds a whole conversion of `folder` for `device` (as `prepare` and
    `converted_model` would name it), so loading it converts nothing."""
    quantization = default_quantization(resolve_ct2_device(device))
    return is_complete(ct2_cache_dir() / conversion_key(Path(folder), spec, quantization))


def prepare(folder: Path, spec: Any = None, device: str = "auto") -> Path:
    """Convert a model ahead of time (`brief --download-models`), so briefing runs only load it.

    A first run would otherwise convert inside the nightly job, with the float32 model in memory.
    """
    _require_ctranslate2()
    return _convert(Path(folder), spec, default_quantization(resolve_ct2_device(device)), None, _label(spec, folder))[0]
