"""The model lock (lock.py): --download-models records the commits of moving revisions, runs use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_summarize import cli
from translate_summarize.engines.lock import lock_path, read_lock
from translate_summarize.errors import ConfigError
from translate_summarize.settings import resolve

COMMIT_1 = "1" * 40
COMMIT_2 = "2" * 40


def _fake_hub(tmp_path: Path, monkeypatch, commit: str) -> list:
    """`download` answers with a hub-cache snapshot folder at `commit`; records the specs it was given."""
    asked = []

    def download(spec):
        asked.append(spec)
        folder = tmp_path / "hub" / f"models--{spec.name.replace('/', '--')}" / "snapshots" / (
            spec.revision if spec.revision and len(spec.revision) == 40 else commit
        )
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    monkeypatch.setattr(cli, "download", download)
    return asked


def test_download_records_moving_revisions_and_runs_use_the_commit(tmp_path, monkeypatch):
    _fake_hub(tmp_path, monkeypatch, COMMIT_1)
    result = CliRunner().invoke(cli.app, ["--download-models", "--engine", "torch"])
    assert result.exit_code == 0, result.stderr
    path = lock_path()
    assert path.is_file() and str(path) in result.stderr
    # distilbart is pinned to a commit already; the two opus-mt models follow main and get locked.
    assert read_lock() == {
        ("Helsinki-NLP/opus-mt-nl-en", "main"): COMMIT_1,
        ("Helsinki-NLP/opus-mt-en-nl", "main"): COMMIT_1,
    }
    options = resolve({}).brief_options()
    assert options.translation.revision == COMMIT_1 and options.back_translation.revision == COMMIT_1
    assert options.translation.label == f"Helsinki-NLP/opus-mt-nl-en@{COMMIT_1[:12]}"
    assert options.summarization.revision == resolve({}).model_spec("summarization").revision


def test_update_models_fetches_main_again_and_moves_the_lock(tmp_path, monkeypatch):
    _fake_hub(tmp_path, monkeypatch, COMMIT_1)
    assert CliRunner().invoke(cli.app, ["--download-models", "--engine", "torch"]).exit_code == 0
    asked = _fake_hub(tmp_path, monkeypatch, COMMIT_2)
    assert CliRunner().invoke(cli.app, ["--download-models", "--engine", "torch"]).exit_code == 0
    assert asked[0].revision == COMMIT_1  # a plain download keeps the lock
    assert read_lock()[("Helsinki-NLP/opus-mt-nl-en", "main")] == COMMIT_1
    asked = _fake_hub(tmp_path, monkeypatch, COMMIT_2)
    assert CliRunner().invoke(cli.app, ["--update-models", "--engine", "torch"]).exit_code == 0
    assert asked[0].revision == "main"
    assert read_lock()[("Helsinki-NLP/opus-mt-nl-en", "main")] == COMMIT_2


def test_no_lock_behaves_as_before_and_a_broken_lock_is_one_line():
    assert read_lock() == {}
    assert resolve({}).brief_options().translation.revision == "main"
    lock_path().parent.mkdir(parents=True, exist_ok=True)
    lock_path().write_text("[[model]\n")
    with pytest.raises(ConfigError, match="broken model lock"):
        resolve({}).brief_options()
