"""A half-written, empty or vocabulary-less CTranslate2 conversion is converted again; a conversion
killed half way leaves no temporary folder for good (issue 19)."""

from __future__ import annotations

import pytest

pytest.importorskip("ctranslate2")

from translate_summarize.engines import ct2_convert  # noqa: E402
from translate_summarize.engines.ct2_convert import converted_model  # noqa: E402

from ..conftest import MARIAN  # noqa: E402


def _empty_model(path):
    (path / "model.bin").write_bytes(b"")


def _no_vocabulary(path):
    for vocabulary in path.glob("*vocabulary*"):
        vocabulary.unlink()


def _half_model(path):
    model = path / "model.bin"
    model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])


def _bad_marker(path):
    (path / "brief-conversion.json").write_text("[1", encoding="utf-8")


@pytest.mark.parametrize("damage", [_empty_model, _no_vocabulary, _half_model, _bad_marker])
def test_a_broken_conversion_is_converted_again(tmp_path, damage):
    cache = tmp_path / "ct2"
    target, converted = converted_model(MARIAN, None, "int8", cache)
    assert converted
    damage(target)
    again, converted = converted_model(MARIAN, None, "int8", cache)
    assert again == target and converted
    import ctranslate2

    ctranslate2.Translator(str(target), device="cpu")  # loads


def test_a_stale_temporary_folder_is_removed(tmp_path):
    cache = tmp_path / "ct2"
    target, _ = converted_model(MARIAN, None, "int8", cache)
    leftover = cache / f".{target.name}.tmp-killed"
    (leftover / "model").mkdir(parents=True)
    (target / "model.bin").write_bytes(b"")
    before = ct2_convert.conversions
    converted_model(MARIAN, None, "int8", cache)
    assert ct2_convert.conversions == before + 1
    assert not leftover.exists()


def test_an_old_temporary_folder_of_another_key_is_removed(tmp_path):
    import os
    import time

    cache = tmp_path / "ct2"
    converted_model(MARIAN, None, "int8", cache)
    old = cache / ".other-model-int8-0123.tmp-abc"
    fresh = cache / ".other-model-int8-4567.tmp-def"
    old.mkdir()
    fresh.mkdir()
    os.utime(old, (time.time() - 7 * 3600,) * 2)
    converted_model(MARIAN, None, "int8", cache)
    assert not old.exists() and fresh.exists()
