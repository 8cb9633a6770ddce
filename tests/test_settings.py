"""Settings (settings.py): defaults < config file < environment < flags, typed; bad config is one clear line."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
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


def test_documented_example_is_valid_and_so_is_each_commented_line(tmp_path):
    settings = load_config(EXAMPLE)
    assert not {"to", "from", "sendmail", "out_dir", "manifest"} & set(settings)  # the user fills these in
    # Each `# key = value` line, once the user takes the `# ` away, is a valid setting too.
    commented = re.findall(r"^# ?(\w+ = .*)$", EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE)
    lines = [line for line in commented if line.split(" = ")[0] in keys()]
    assert {"to", "from", "sendmail", "out_dir", "manifest"} <= {line.split(" = ")[0] for line in lines}
    (tmp_path / "all.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    filled = resolve({}, tmp_path / "all.toml")
    assert filled.to == ("redactie@example.org", "chef@example.org") and filled.sender == "brief@example.org"


_writes: list[str] | None = None  # while a list: every path the process writes, creates, renames or removes


def _audit(event: str, args: tuple) -> None:
    """An audit hook (sys.addaudithook, PEP 578) that records writes into `_writes` while it is a list."""
    if _writes is None:
        return
    if event == "open":
        path, _, flags = args
        if not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC):
            return
        if isinstance(path, (str, bytes, os.PathLike)) and os.path.isdir(path):
            return  # an unnamed temporary file (O_TMPFILE, as py3langid makes): nothing is left behind
        paths = [path]
    elif event in ("os.mkdir", "os.remove", "os.rmdir", "os.truncate", "os.chmod", "os.symlink", "os.link"):
        paths = [args[0]]
        dir_fd = args[-1] if event in ("os.mkdir", "os.remove", "os.rmdir") else None
        if isinstance(dir_fd, int) and dir_fd >= 0 and isinstance(args[0], str):  # shutil.rmtree: a name in an open folder
            paths = [os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), args[0])]
    elif event == "os.rename":
        paths = list(args[:2])
    elif event in ("sqlite3.connect", "tempfile.mkstemp", "tempfile.mkdtemp"):
        paths = [args[0]]
    else:
        return
    for path in paths:
        if isinstance(path, (str, bytes, os.PathLike)) and os.fsdecode(path) != ":memory:":
            _writes.append(os.path.abspath(os.fsdecode(path)))


def test_the_example_config_copied_as_is_sends_nothing_and_writes_only_out_in_its_folder(tmp_path, monkeypatch):
    """Issue #22: docs/config.example.toml, copied unchanged, mails nobody and writes nowhere but
    ./out (and brief's caches, here under a home in the same temp folder)."""
    global _writes
    from tests.run.test_mail import _catcher

    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    shutil.copy(EXAMPLE, work / "config.toml")
    command, box = _catcher(tmp_path)  # had the example mailed, it would be here
    monkeypatch.setenv("BRIEF_SENDMAIL", command)
    for name, value in {"HOME": home, "XDG_CONFIG_HOME": home / ".config", "XDG_CACHE_HOME": home / ".cache",
                        "BRIEF_CACHE_DIR": home / ".cache" / "brief", "HF_HOME": home / "hf",
                        "TORCHINDUCTOR_CACHE_DIR": home / "torchinductor"}.items():  # torch's own, else in /tmp
        monkeypatch.setenv(name, str(value))
    monkeypatch.chdir(work)
    tempfile.gettempdir()  # its first call probes /tmp with a file of its own
    if not getattr(sys, "_brief_audit_hook", False):
        sys.addaudithook(_audit)
        sys._brief_audit_hook = True
    _writes = []
    try:
        result = CliRunner().invoke(app, ["--config", "config.toml", str(SAMPLE), *MODEL_ARGS])
    finally:
        writes, _writes = _writes, None
    assert not list(box.iterdir()), "no mail sent"
    ignored = (".pyc", os.devnull)
    outside = {path for path in writes if not path.endswith(ignored)} - {str(work / "out"), str(home)}
    outside = {path for path in outside if not path.startswith((f"{work / 'out'}/", f"{home}/"))}
    assert not outside, sorted(outside)
    assert result.exit_code == 0, result.output
    assert (work / "out" / "000_5456f33a95982729.md").exists()
    assert any(path.startswith(f"{work / 'out'}/") for path in writes)  # the hook does see the writes


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


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ('ot_dir = "briefs"', "unknown setting(s): ot_dir (did you mean out_dir?)"),
        ('feed = ["nieuws.xml"]', "unknown setting(s): feed (did you mean feeds?)"),
        ('sender = "a@b.nl"', "unknown setting(s): sender (did you mean from?)"),
        ("send-emtpy = true", "unknown setting(s): send_emtpy (did you mean send_empty?)"),
        ('format = "markdwon"', "not 'markdwon' (did you mean markdown?)"),
    ],
)
def test_a_config_typo_gets_the_nearest_key(tmp_path, line, hint):
    config = tmp_path / "c.toml"
    config.write_text(line + "\n")
    result = CliRunner().invoke(app, [str(SAMPLE), "--config", str(config)])
    assert result.exit_code == 2 and hint in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_no_suggestion_when_no_key_is_near(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("colour = 1\n")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert str(error.value).endswith("unknown setting(s): colour")


def test_to_is_a_list_or_one_string(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('to = "Redactie <redactie@example.org>"\n')
    assert resolve({}, config).to == ("Redactie <redactie@example.org>",)
    config.write_text('to = ["a@example.org", "b@example.org"]\nformat = "email"\nfrom = "brief@example.org"\n')
    settings = resolve({}, config)
    assert settings.to == ("a@example.org", "b@example.org")
    assert settings.mail_options().to == "a@example.org, b@example.org"
    assert resolve({"to": ("c@example.org",)}, config).to == ("c@example.org",)  # a flag replaces the file's list
    config.write_text("to = 3\n")
    with pytest.raises(ConfigError, match="to must be a string or a list of strings, not 3"):
        resolve({}, config)
    config.write_text('to = ["a@example.org", "kapot"]\nformat = "email"\n')
    with pytest.raises(ConfigError, match="invalid recipient address: 'kapot'"):
        resolve({}, config).mail_options()


def _captured_run(monkeypatch) -> list:
    """Replace the run: the RunSettings the CLI hands it are appended to the returned list."""
    from translate_summarize.run import runner
    from translate_summarize.run.options import RunReport

    seen = []

    class Capture:
        def __init__(self, settings, progress=None):
            seen.append(settings)

        def execute(self, files, stdout):
            return RunReport()

    monkeypatch.setattr(runner, "Run", Capture)
    return seen


def test_repeated_to_and_brief_mail_to_with_names(monkeypatch):
    seen = _captured_run(monkeypatch)
    base = [str(SAMPLE), *MODEL_ARGS, "--format", "email", "--from", "brief@example.org"]
    assert CliRunner().invoke(app, [*base, "--to", "a@example.org", "--to", "Jan Jansen <jan@example.org>"]).exit_code == 0
    monkeypatch.setenv("BRIEF_MAIL_TO", "Jan Jansen <jan@example.org>, piet@example.org")
    assert CliRunner().invoke(app, base).exit_code == 0
    assert [settings.mail.to for settings in seen] == [
        "a@example.org, Jan Jansen <jan@example.org>",
        "Jan Jansen <jan@example.org>, piet@example.org",
    ]


def test_the_default_sender_is_the_fully_qualified_host_name(monkeypatch):
    import socket

    from translate_summarize.render.email_format import default_sender

    seen = _captured_run(monkeypatch)
    monkeypatch.setattr(socket, "getfqdn", lambda: "nieuws.example.org")
    result = CliRunner().invoke(app, [str(SAMPLE), *MODEL_ARGS, "--format", "email", "--to", "a@example.org"])
    assert result.exit_code == 0 and seen[0].mail.sender == "brief@nieuws.example.org"
    monkeypatch.setattr(socket, "getfqdn", lambda: "localhost")  # a host whose name resolves to 127.0.0.1 first
    monkeypatch.setattr(socket, "gethostname", lambda: "redactie-server")
    assert default_sender() == "brief@redactie-server"
    monkeypatch.setattr(socket, "gethostname", lambda: "not_a_domain")
    assert default_sender() == "brief@localhost"


def test_verbose_names_the_engine_and_why(monkeypatch):
    from translate_summarize.engines import registry

    monkeypatch.setattr(registry, "default_engine", lambda: "torch")
    assert "CTranslate2 is not installed" in Settings().engine_line() and "[fast]" in Settings().engine_line()
    assert "chosen with --engine" in Settings(engine="torch").engine_line()
    monkeypatch.setattr(registry, "default_engine", lambda: "ctranslate2")
    assert Settings().engine_line().startswith("engine: ctranslate2 (the default")
    _captured_run(monkeypatch)
    loud = CliRunner().invoke(app, [str(SAMPLE), *MODEL_ARGS, "-v"])
    assert loud.exit_code == 0 and "brief: INFO: engine: torch (chosen with --engine" in loud.stderr
    quiet = CliRunner().invoke(app, [str(SAMPLE), *MODEL_ARGS])
    assert "engine:" not in quiet.stderr


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
    # --resend and --serve (with its --port), like --config, --version and --help, are one-shot
    # actions, not settings to keep in a file.
    assert long_options - {"config", "version", "help", "resend", "serve", "port"} == set(keys())


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
