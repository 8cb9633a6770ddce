"""Settings (settings.py): defaults < config file < environment < flags, typed; bad config is one clear line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.engines.registry import default_engine
from translate_summarize.errors import ConfigError
from translate_summarize.settings import OPTION_KEYS, Settings, keys, load_config, resolve

from .conftest import BART, MARIAN, MODEL_ARGS, SAMPLE

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


# --- one typed settings model for brief and brief-eval (issue #10) --------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('digest = "false"', "digest must be true or false, not 'false'"),
        ("max_bytes = 1.5", "max_bytes must be a whole number"),
        ('format = "pdf"', "format must be one of markdown, text, html, json, email, not 'pdf'"),
        ("out_dir = 3", "out_dir must be a string"),
        ("verbose = true", "verbose must be a whole number"),
    ],
)
def test_wrong_typed_value_is_one_line_naming_key_and_file_exit_2(tmp_path, line, message):
    config = tmp_path / "c.toml"
    config.write_text(line + "\n")
    result = CliRunner().invoke(app, [str(SAMPLE), *MODEL_ARGS, "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"brief: error: {config}: {message}") and result.stderr.count("\n") == 1


def test_every_long_option_is_a_config_key():
    import typer

    command = typer.main.get_command(app)
    long_options = {
        OPTION_KEYS.get(key, key)
        for param in command.params
        for name in param.opts
        if name.startswith("--")
        for key in [name[2:].split("/")[0].replace("-", "_")]
    }
    assert long_options - {"config", "version", "help"} == set(keys())


def test_quiet_from_the_config_file(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(f'out_dir = "{tmp_path / "out"}"\n')
    loud = CliRunner().invoke(app, [str(SAMPLE), *MODEL_ARGS, "--config", str(config), "--verbose"])
    assert loud.exit_code == 0 and loud.stderr
    config.write_text(f'quiet = true\nforce = true\nout_dir = "{tmp_path / "out"}"\n')
    quiet = CliRunner().invoke(app, [str(SAMPLE), *MODEL_ARGS, "--config", str(config)])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_brief_and_brief_eval_resolve_the_same_settings(tmp_path, monkeypatch):
    """The options `brief` hands to its run equal brief-eval's, but for the translation memory."""
    from translate_summarize.eval.harness import options_from
    from translate_summarize.run import runner
    from translate_summarize.run.options import RunReport

    config = tmp_path / "c.toml"
    config.write_text(f'translation_model = "{MARIAN}"\ndevice = "cpu"\nmax_bytes = 5000\n')
    monkeypatch.setenv("BRIEF_SUMMARIZATION_MODEL", str(BART))
    seen = []

    class Capture:
        def __init__(self, settings, progress=None):
            seen.append(settings)

        def execute(self, files, stdout):
            return RunReport()

    monkeypatch.setattr(runner, "Run", Capture)
    assert CliRunner().invoke(app, [str(SAMPLE), "--config", str(config)]).exit_code == 0
    from_brief = seen[0].brief
    from_eval = options_from(["--config", str(config)])
    assert from_eval == replace(from_brief, translation_memory=False)
    assert from_brief.engine == default_engine() and from_brief.translation.name == str(MARIAN)
    assert from_brief.summarization.name == str(BART) and from_brief.max_bytes == 5000


def test_resolve_precedence_and_types(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('format = "json"\ndigest = true\nfrom = "a@b.nl"\nout_dir = "~/briefs"\n')
    settings = resolve({"format": "text"}, config)
    assert settings.format == "text" and settings.digest is True and settings.sender == "a@b.nl"
    assert settings.out_dir == Path("~/briefs").expanduser()
    assert resolve({}, None) == Settings()


def test_a_bad_file_value_is_reported_even_when_a_flag_overrides_it(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('format = "pdf"\n')
    result = CliRunner().invoke(app, [str(SAMPLE), *MODEL_ARGS, "--config", str(config), "--format", "json"])
    assert result.exit_code == 2 and f"{config}: format must be one of" in result.stderr


def test_source_lang_in_the_file_names_the_key_and_the_file(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('source_lang = "xx"\n')
    with pytest.raises(ConfigError, match=f"{config}: source_lang must be nl, en or auto"):
        resolve({}, config)


def test_formats_are_the_registered_renderers():
    from translate_summarize.render import FORMATS as RENDERERS
    from translate_summarize.settings import FORMATS

    assert FORMATS == tuple(RENDERERS)


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_numbers_must_be_finite(value):
    with pytest.raises(ConfigError, match="fetch_timeout must be a finite number"):
        resolve({"fetch_timeout": float(value)})
