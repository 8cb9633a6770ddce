"""Streamed conversion to CTranslate2: one module's float32 weights in memory at a time.

CTranslate2's converter loads the whole float32 model, then quantizes it, so the float32 weights and
their quantized copies are in memory together (distilbart-cnn-12-6: 1.2 GB of float32 weights, a
conversion peak of ~2.0 GB RSS). Here the model is built on torch's meta device (no memory), and the
project's loaders (`ct2_convert._converter_class`, CTranslate2's own loader code) run over it with their
setters wrapped (`StreamingSetters`): each setter's module gets its real weights from the safetensors
file just before the loader takes them, and what the loader set is quantized right after, with
CTranslate2's own `_quantize`, so each float32 weight is freed once its int8 copy exists (distilbart:
~0.6 GB above the libraries).

The files written are byte for byte those of the whole-model path (tests/engines/test_ct2_stream.py compares
them); a model these readers cannot stream (`NotStreamable`) is converted the whole-model way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import struct
from pathlib import Path
from typing import Any, Iterator

_DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16", "I64": "int64", "I32": "int32",
           "I16": "int16", "I8": "int8", "U8": "uint8", "BOOL": "bool"}
_UNSET = object()


class NotStreamable(Exception):
    """The weights cannot be streamed (no safetensors file, a weight not in it): convert the whole-model way."""


class SafetensorsWeights:
    """The tensors of a folder's `model.safetensors` (or the shards `model.safetensors.index.json` lists),
    read one at a time with plain reads; floating tensors come as float32, as `from_pretrained(...,
    dtype=torch.float32)` gives them. Not memory-mapped: each page of a mapped file counts in the
    process's RSS once read, and a conversion reads them all.

    Raises NotStreamable where the folder has no safetensors weights, ValueError for a file that is not
    one, OSError (`read`) for one shorter than its header says.
    """

    def __init__(self, folder: Path):
        index = folder / "model.safetensors.index.json"
        if index.is_file():
            files = sorted({folder / name for name in json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()})
        elif (folder / "model.safetensors").is_file():
            files = [folder / "model.safetensors"]
        else:
            raise NotStreamable("no safetensors weights")
        self.entries: dict[str, tuple[Path, str, list[int], int, int]] = {}  # name -> file, dtype, shape, byte range
        for path in files:
            with open(path, "rb") as file:
                try:
                    (size,) = struct.unpack("<Q", file.read(8))
                    if size > path.stat().st_size - 8:
                        raise ValueError(f"a header of {size} bytes")
                    header = json.loads(file.read(size))
                except (struct.error, ValueError) as error:
                    raise ValueError(f"{path.name} is not a safetensors file ({error})") from error
            for name, entry in header.items():
                if name != "__metadata__":
                    start, end = entry["data_offsets"]
                    self.entries[name] = (path, entry["dtype"], entry["shape"], 8 + size + start, 8 + size + end)

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def read(self, name: str) -> Any:
        """The tensor `name`, in memory of its own (its float32 bytes, or its dtype's)."""
        import torch

        path, dtype, shape, start, end = self.entries[name]
        if dtype not in _DTYPES:
            raise NotStreamable(f"{name} has dtype {dtype}")
        data = torch.empty(end - start, dtype=torch.uint8)
        with open(path, "rb") as file:
            file.seek(start)
            if file.readinto(memoryview(data.numpy())) != end - start:
                raise OSError(f"{path.name} is shorter than its header says ({name})")
        tensor = data.view(getattr(torch, _DTYPES[dtype])).reshape(shape)
        return tensor.to(torch.float32) if tensor.is_floating_point() else tensor


class Stream:
    """Real weights for one module at a time of a model built on the meta device, and the spec's
    variables wrapped (as `LayerSpec.validate` wraps them), fingerprinted and quantized as soon as the
    loader has set them.

    CTranslate2's `optimize` aliases variables of equal value before it quantizes them; here the float32
    values are gone by then, so equality is decided on fingerprints taken before quantization (type,
    dtype, shape, SHA-256 of the bytes), and `alias` makes the same choices as `_alias_variables`. Byte
    equality differs from `torch.equal` only for -0.0 against 0.0 and for NaN. Tied copies of a weight
    (BART and Marian tie three) are quantized once.
    """

    def __init__(self, model: Any, weights: SafetensorsWeights, quantization: str | None):
        self.weights, self.quantization = weights, quantization
        self.depth = 0  # > 0 inside a setter: the setters it calls (set_attention's set_linear) pass through
        self.names: dict[int, list[str]] = {}  # id of a meta tensor -> its names (tied weights have several)
        for name, tensor in [*model.named_parameters(remove_duplicate=False), *model.named_buffers(remove_duplicate=False)]:
            self.names.setdefault(id(tensor), []).append(name)
        # (id of layer spec, attribute) -> (fingerprint, or None where quantization made it; the value done)
        self.done: dict[tuple[int, str], tuple[tuple | None, Any]] = {}
        self.prior: dict[tuple[int, str], Any] = {}  # ... -> its `<attribute>_scale` before quantization
        self.quantized: dict[tuple, tuple[Any, Any]] = {}  # (fingerprint, quantizable) -> (value, scale)

    def _tensor(self, module: Any, attribute: str, meta: Any) -> Any:
        names = self.names.get(id(meta), [attribute])
        for name in names:
            if name in self.weights:
                return self.weights.read(name)
        if attribute == "weight" and hasattr(module, "create_weight"):
            return module.create_weight()  # Marian's sinusoidal positions are not saved: computed as on loading
        raise NotStreamable(f"{names[0]} is not in the weights")

    @contextlib.contextmanager
    def materialized(self, module: Any, buffers_only: bool = False) -> Iterator[None]:
        """`module`'s weights (or only its buffers) read from the file while the block runs, then meta again."""
        import torch

        swapped = []
        try:
            for sub in module.modules():
                for table in (sub._buffers,) if buffers_only else (sub._parameters, sub._buffers):
                    for attribute, meta in list(table.items()):
                        if meta is not None and meta.is_meta:
                            tensor = self._tensor(sub, attribute, meta)
                            swapped.append((table, attribute, meta))
                            is_parameter = table is sub._parameters
                            table[attribute] = torch.nn.Parameter(tensor, requires_grad=False) if is_parameter else tensor
            yield
        finally:
            for table, attribute, meta in swapped:
                table[attribute] = meta

    def finish(self, layer: Any) -> None:
        """Wrap, fingerprint and quantize (CTranslate2's `_quantize`) the variables of `layer` not yet done."""
        import torch
        from ctranslate2.specs.model_spec import PyTorchVariable, Variable, visit_spec

        todo: dict[str, tuple[Any, str, Any]] = {}

        def collect(spec: Any, name: str, value: Any) -> None:
            attribute = name.rsplit("/", 1)[-1]
            if self.done.get((id(spec), attribute), (None, _UNSET))[1] is value:
                return
            if isinstance(value, torch.Tensor):
                value = PyTorchVariable(value)
                setattr(spec, attribute, value)
            if isinstance(value, Variable):
                todo[name] = (spec, attribute, value)

        visit_spec(layer, collect)
        fresh = {}
        for name, (spec, attribute, value) in todo.items():
            key = _fingerprint(value)
            self.prior[(id(spec), attribute)] = scale = getattr(spec, f"{attribute}_scale", _UNSET)
            kind = (key, scale is not _UNSET)
            if kind not in self.quantized:
                fresh[name] = (spec, attribute, kind)
                continue
            self._set(spec, attribute, kind, *self.quantized[kind])  # a tied copy: the first one's result
        layer._quantize(self.quantization, variable_filter=fresh.__contains__)
        for spec, attribute, kind in fresh.values():
            scale = getattr(spec, f"{attribute}_scale", _UNSET)
            self.quantized[kind] = (getattr(spec, attribute), _UNSET if scale is self.prior[(id(spec), attribute)] else scale)
            self._set(spec, attribute, kind, *self.quantized[kind])

    def _set(self, spec: Any, attribute: str, kind: tuple, value: Any, scale: Any) -> None:
        setattr(spec, attribute, value)
        self.done[(id(spec), attribute)] = (kind[0], value)
        if scale is not _UNSET:
            setattr(spec, f"{attribute}_scale", scale)
            self.done[(id(spec), f"{attribute}_scale")] = (None, scale)  # made by quantization: never aliased

    def alias(self, root: Any) -> None:
        """`LayerSpec._alias_variables` on the fingerprints: a variable equal to one before it in name order
        becomes that one's name, and gets back the scale it had before quantization."""
        from ctranslate2.specs.model_spec import OPTIONAL, SKIP_CREATING_ALIAS, visit_spec

        entries = []
        visit_spec(root, lambda spec, name, value: entries.append((name, spec, name.rsplit("/", 1)[-1], value)))
        first: dict[tuple, str] = {}
        for name, spec, attribute, value in sorted(entries, key=lambda entry: entry[0]):
            if isinstance(value, str) and value == OPTIONAL or value.is_scalar():
                continue
            key = self.done[(id(spec), attribute)][0]
            kept = name if key is None else first.setdefault(key, name)
            if kept != name and attribute not in SKIP_CREATING_ALIAS:
                setattr(spec, attribute, kept)
                if hasattr(spec, f"{attribute}_scale"):
                    setattr(spec, f"{attribute}_scale", self.prior[(id(spec), attribute)])


def _fingerprint(value: Any) -> tuple:
    """(type, dtype, shape, SHA-256 of the bytes) of a spec variable: equal for equal values."""
    import numpy
    import torch

    tensor = getattr(value, "tensor", None)  # a PyTorchVariable (contiguous), else a NumpyVariable
    if tensor is not None:
        data = tensor.reshape(-1).view(torch.uint8).numpy()
    else:
        data = numpy.ascontiguousarray(value.numpy()).reshape(-1).view(numpy.uint8)
    return (type(value).__name__, value.dtype, tuple(value.shape), hashlib.sha256(data).hexdigest())


class StreamingSetters:
    """Loader setters that, while `stream` is set, give each module its real weights for the call and
    finish what the loader set (`Stream.finish`); mixed in before CTranslate2's loader classes."""

    stream: Stream | None = None

    def _through(self, setter: Any, spec: Any, module: Any, *args: Any, **kwargs: Any) -> None:
        stream = self.stream
        if stream is None or stream.depth:
            return setter(spec, module, *args, **kwargs)
        with stream.materialized(module):
            stream.depth += 1
            try:
                setter(spec, module, *args, **kwargs)
            finally:
                stream.depth -= 1
            stream.finish(spec)
        return None

    def set_linear(self, spec, module, *args, **kwargs):
        return self._through(super().set_linear, spec, module, *args, **kwargs)

    def set_layer_norm(self, spec, module):
        return self._through(super().set_layer_norm, spec, module)

    def set_embeddings(self, spec, module):
        return self._through(super().set_embeddings, spec, module)

    def set_position_encodings(self, spec, module):
        return self._through(super().set_position_encodings, spec, module)

    def set_attention(self, spec, attention, *args, **kwargs):
        return self._through(super().set_attention, spec, attention, *args, **kwargs)


def streamed_spec(folder: Path, loader: Any, model_class: Any, config: Any, quantization: str | None) -> Any:
    """The quantized, aliased CTranslate2 spec of the model in `folder`, ready to `save`.

    `loader` is a `StreamingSetters` loader instance, `model_class` its transformers class. Raises
    NotStreamable (before anything is written) where the weights cannot be streamed; ValueError and
    OSError for weights that are not what their files say.
    """
    import torch
    import transformers

    weights = SafetensorsWeights(Path(folder))
    with torch.device("meta"):
        model = model_class(config)
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, local_files_only=True)
    loader.stream = stream = Stream(model, weights, quantization)
    with torch.no_grad(), stream.materialized(model, buffers_only=True):  # BART's final_logits_bias
        spec = loader(model, tokenizer)
    spec.validate()
    stream.finish(spec)  # what the loader set outside the setters, wrapped by validate
    stream.alias(spec)
    return spec
