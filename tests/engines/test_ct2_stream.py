"""Streamed conversion (ct2_stream.py): the same files as CTranslate2's whole-model conversion, with one
module's float32 weights in memory at a time, and one clear error for weights it cannot read.

That the converted models decode as torch does is tests/engines/test_ct2_engine.py's part (its conversions are
streamed); here the files are compared byte for byte with those of the whole-model way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import weakref
from pathlib import Path

import pytest

ctranslate2 = pytest.importorskip("ctranslate2")

from translate_summarize.engines import ct2_convert, ct2_stream  # noqa: E402
from translate_summarize.engines.ct2_engine import CTranslate2Engine  # noqa: E402
from translate_summarize.errors import ModelUnavailableError  # noqa: E402

from ..conftest import BART, MARIAN  # noqa: E402

needs_fixtures = pytest.mark.skipif(
    not all((folder / "model.safetensors").is_file() for folder in (MARIAN, BART)), reason="fixture models not built"
)
WHOLE_MODEL = "converting with the whole model in memory"


def converted_files(folder: Path, out: Path, quantization: str, streamed: bool = True) -> dict[str, str]:
    """SHA-256 of each file one conversion writes."""
    converter = ct2_convert._converter_class()(str(folder))
    converter.streamed = streamed
    converter.convert(str(out), quantization=quantization)
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(out.iterdir())}


@needs_fixtures
@pytest.mark.parametrize("quantization", ["int8", "float16", "int8_float16"])
@pytest.mark.parametrize("folder", [MARIAN, BART], ids=["marian", "bart"])
def test_streamed_files_equal_the_whole_model_conversion(folder: Path, quantization: str, tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="translate_summarize.engines.ct2_convert"):
        streamed = converted_files(folder, tmp_path / "streamed", quantization)
    assert WHOLE_MODEL not in caplog.text  # it really was streamed
    assert streamed == converted_files(folder, tmp_path / "whole", quantization, streamed=False)
    assert set(streamed) >= {"model.bin", "config.json", "shared_vocabulary.json"}


@needs_fixtures
def test_float32_weights_are_freed_module_by_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every weight read is freed once quantized: never half of the model in memory at once (here ~30%:
    the embedding while it is quantized, and the float32 norms, biases and positions int8 leaves)."""
    live: dict[int, int] = {}
    peak, read_bytes = [0], [0]
    read = ct2_stream.SafetensorsWeights.read

    def counting_read(self, name):
        tensor = read(self, name)
        storage = tensor.untyped_storage()
        live[id(storage)] = storage.nbytes()
        weakref.finalize(storage, live.pop, id(storage), None)
        read_bytes[0] += storage.nbytes()
        peak[0] = max(peak[0], sum(live.values()))
        return tensor

    monkeypatch.setattr(ct2_stream.SafetensorsWeights, "read", counting_read)
    converted_files(BART, tmp_path / "out", "int8")
    model_bytes = (BART / "model.safetensors").stat().st_size
    assert read_bytes[0] >= model_bytes * 0.9  # everything was read, the tied embedding more than once
    assert peak[0] < model_bytes * 0.5, f"{peak[0]} of {model_bytes} bytes in memory at once"


@needs_fixtures
def test_sharded_safetensors_are_streamed(tmp_path: Path, caplog) -> None:
    from safetensors.torch import load_file, save_file

    folder = tmp_path / "sharded"
    shutil.copytree(BART, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    tensors = load_file(BART / "model.safetensors")
    names = sorted(tensors)
    shards = {"model-00001-of-00002.safetensors": names[: len(names) // 2], "model-00002-of-00002.safetensors": names[len(names) // 2 :]}
    for shard, part in shards.items():
        save_file({name: tensors[name] for name in part}, str(folder / shard), metadata={"format": "pt"})
    weight_map = {name: shard for shard, part in shards.items() for name in part}
    (folder / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="translate_summarize.engines.ct2_convert"):
        streamed = converted_files(folder, tmp_path / "streamed", "int8")
    assert WHOLE_MODEL not in caplog.text
    assert streamed == converted_files(BART, tmp_path / "whole", "int8", streamed=False)


@needs_fixtures
def test_weights_without_safetensors_are_converted_whole(tmp_path: Path, caplog) -> None:
    import torch
    from safetensors.torch import load_file

    folder = tmp_path / "bin-only"
    shutil.copytree(MARIAN, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    torch.save(load_file(MARIAN / "model.safetensors"), folder / "pytorch_model.bin")
    with caplog.at_level(logging.INFO, logger="translate_summarize.engines.ct2_convert"):
        files = converted_files(folder, tmp_path / "out", "int8")
    assert WHOLE_MODEL in caplog.text and "no safetensors weights" in caplog.text
    assert files == converted_files(MARIAN, tmp_path / "streamed", "int8")


@needs_fixtures
@pytest.mark.parametrize("damage", ["truncated", "not-safetensors"])
def test_unreadable_weights_are_one_line_naming_the_model(damage: str, tmp_path: Path) -> None:
    folder = tmp_path / "damaged-marian"
    shutil.copytree(MARIAN, folder)
    weights = folder / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"\xff" * 64)
    cache = tmp_path / "cache"
    with pytest.raises(ModelUnavailableError) as raised:
        CTranslate2Engine(folder, None, device="cpu", cache=cache)
    message = str(raised.value)
    assert "\n" not in message and str(folder) in message and "could not be converted for CTranslate2" in message
    assert not [path for path in cache.iterdir() if path.is_dir()]  # nothing half-written stays
