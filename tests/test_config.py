"""Settings precedence: config file < environment < flags; bad config is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_summarize.config import load_config
from translate_summarize.errors import ConfigError
from translate_summarize.cli import app
from typer.testing import CliRunner

from .conftest import MODEL_ARGS, SAMPLE

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "config.example.toml"


def test_documented_example_is_valid():
    settings = load_config(EXAMPLE)
    assert settings["format"] == "email" and settings["from"] == "brief@example.org"


def test_default_location_is_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "brief").mkdir()
    (tmp_path / "brief" / "config.toml").write_text('format = "json"\n')
    assert load_config(None) == {"format": "json"}


def test_unknown_key_and_bad_toml_are_clear(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("colour = 1\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_config(bad)
    bad.write_text("format = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_precedence_file_then_env_then_flag(tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text(f'format = "json"\nout_dir = "{tmp_path / "from-file"}"\n')
    runner = CliRunner()
    base = [str(SAMPLE), *MODEL_ARGS, "--config", str(config)]
    result = runner.invoke(app, base)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{") and (tmp_path / "from-file" / "000_5456f33a95982729.json").exists()
    monkeypatch.setenv("BRIEF_FORMAT", "text")
    result = runner.invoke(app, base)
    assert (tmp_path / "from-file" / "000_5456f33a95982729.txt").exists()
    result = runner.invoke(app, [*base, "--format", "markdown", "--out-dir", str(tmp_path / "flag")])
    assert (tmp_path / "flag" / "000_5456f33a95982729.md").exists()
    assert result.stdout.startswith("# ")


def test_bad_config_exits_2(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("nonsense = true\n")
    result = CliRunner().invoke(app, [str(SAMPLE), "--config", str(config)])
    assert result.exit_code == 2 and "unknown setting(s): nonsense" in result.stderr
