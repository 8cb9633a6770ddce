"""Each CLI behaviour, in-process (typer's runner) and as a real subprocess of the installed `brief`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from translate_summarize.cli import app

from .conftest import MODEL_ARGS, ROOT, SAMPLE

BRIEF = Path(sys.executable).with_name("brief")
runner = CliRunner()


def run_brief(args, *, env=None, cwd=None, stdin=subprocess.DEVNULL, timeout=300):
    return subprocess.run(
        [str(BRIEF), *args], capture_output=True, env=env or os.environ.copy(), cwd=cwd, stdin=stdin, timeout=timeout
    )


def test_sample_in_process_writes_file_and_stdout(tmp_path):
    result = runner.invoke(app, [str(SAMPLE), "--out-dir", str(tmp_path), *MODEL_ARGS])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "000_5456f33a95982729.md").read_text(encoding="utf-8")
    assert result.stdout == written
    assert "**Date:** 2021-09" in written
    assert "## Summary (English)" in written and "## Samenvatting (Nederlands)" in written
    assert written.count("**NL** ") == 7 and written.count("**EN** ") == 7
    assert "### Omvangrijke steun Peking" in written and "### Chiptekorten" in written
    assert "000\\_5456f33a95982729.txt" in written
    assert str(ROOT / "tests" / "fixtures" / "tiny-marian-copy").replace("_", "\\_") in written


def test_installed_brief_as_subprocess(tmp_path):
    result = run_brief([str(SAMPLE), "--out-dir", str(tmp_path), *MODEL_ARGS])
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == (tmp_path / "000_5456f33a95982729.md").read_bytes()
    assert b"Traceback" not in result.stderr


def test_missing_model_offline_is_one_clear_line(tmp_path):
    env = os.environ | {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "empty-cache")}
    result = run_brief([str(SAMPLE), "--out-dir", str(tmp_path / "out")], env=env)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.count("\n") == 1, stderr
    assert "Helsinki-NLP/opus-mt-nl-en" in stderr and "--download-models" in stderr
    assert "--translation-model" in stderr and "Traceback" not in stderr
    assert result.stdout == b""
    assert not list((tmp_path / "out").glob("*.md"))


def test_download_models_offline_fails_clearly(tmp_path):
    env = os.environ | {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "empty-cache")}
    result = run_brief(["--download-models"], env=env)
    assert result.returncode == 2
    assert b"HF_HUB_OFFLINE" in result.stderr and b"Traceback" not in result.stderr


def test_missing_input_is_named_and_others_still_briefed(tmp_path):
    result = runner.invoke(app, [str(tmp_path / "nope.txt"), str(SAMPLE), "--out-dir", str(tmp_path), *MODEL_ARGS])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.txt'}: no such file" in result.stderr
    assert (tmp_path / "000_5456f33a95982729.md").exists()
    assert "1 briefed, 0 unchanged, 1 failed" in result.stderr


def test_no_files_is_a_usage_error():
    result = runner.invoke(app, [])
    assert result.exit_code == 2


def test_help_documents_exit_codes_and_overlap():
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for text in ("Exit status", "--no-wait", "--download-models", "BRIEF_TRANSLATION_MODEL", "--format"):
        assert text in result.stdout


def test_local_folder_without_config_is_a_clear_error(tmp_path):
    result = runner.invoke(app, [str(SAMPLE), "--out-dir", str(tmp_path), "--translation-model", str(tmp_path)])
    assert result.exit_code == 2
    assert "has no config.json" in result.stderr and "--translation-model" in result.stderr


def test_env_vars_choose_models(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_TRANSLATION_MODEL", MODEL_ARGS[1])
    monkeypatch.setenv("BRIEF_SUMMARIZATION_MODEL", MODEL_ARGS[3])
    monkeypatch.setenv("BRIEF_BACK_TRANSLATION_MODEL", MODEL_ARGS[5])
    result = runner.invoke(app, [str(SAMPLE), "--out-dir", str(tmp_path), "--device", "cpu"])
    assert result.exit_code == 0, result.stderr
