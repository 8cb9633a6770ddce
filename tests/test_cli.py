"""Each CLI behaviour, in-process (typer's runner) and as a real subprocess of the installed `brief`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
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
    assert "- **Source:** 000_5456f33a95982729.txt" in written  # no Markdown escape a plain-text reader sees
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


def test_readme_usage_table_matches_the_cli():
    """Every option and environment variable of `brief` is in the README's Usage table, and nothing else."""
    import re

    import typer

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Usage", 1)[1].split("### Exit status", 1)[0]
    # -vv: -v given twice; -t -oi: sendmail's own flags, in the default of --sendmail-command
    documented = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", table)) - {"-vv", "-t", "-oi"}
    documented_env = set(re.findall(r"BRIEF_[A-Z_]+", table))
    command = typer.main.get_command(app)
    options, env = set(), set()
    for param in command.params:
        options.update(opt for opt in [*param.opts, *param.secondary_opts] if opt.startswith("-"))
        if isinstance(param.envvar, str):
            env.add(param.envvar)
    options |= {"--help", "-h"}
    assert options == documented
    revision_env = {name for name in env if name.endswith("_REVISION")}
    assert revision_env == {"BRIEF_TRANSLATION_REVISION", "BRIEF_SUMMARIZATION_REVISION", "BRIEF_BACK_TRANSLATION_REVISION"}
    assert env - revision_env == documented_env - {"BRIEF_"}


def test_help_documents_exit_codes_and_overlap():
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for text in ("Exit status", "--no-wait", "--download-models", "BRIEF_TRANSLATION_MODEL", "--format"):
        assert text in result.stdout


def test_help_groups_the_options_shows_examples_and_no_python_types():
    """Issue #22: panels in a fixed order, each option under its own, examples, no type names, no noise."""
    text = runner.invoke(app, ["--help"], terminal_width=100).stdout
    headings = [line for line in text.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["Input:", "Output:", "Mail:", "Archive:", "Models:", "Feeds and web pages:", "Scale:", "Run:"]
    where = {
        "FILES...": "Input:",
        "--out-dir": "Output:",
        "--to ADDRESS": "Mail:",
        "--resend": "Mail:",
        "--serve": "Archive:",
        "--feed-entries N": "Archive:",
        "--engine": "Models:",
        "--feed FEED": "Feeds and web pages:",
        "--batch-articles N": "Scale:",
        "--config FILE": "Run:",
        "--help": "Run:",
    }
    for option, panel in where.items():
        listed = re.search(rf"^  (-\w, )?{re.escape(option)}", text, re.MULTILINE)  # its line in the list
        assert listed, option
        before = [heading for heading in headings if text.index(heading) < listed.start()]
        assert before[-1] == panel, option
    examples = text.split("Examples:", 1)[1]
    for example in ("brief seeds/000_*.txt", "brief --feed https://", "0 6 * * * HF_HUB_OFFLINE=1 ", "brief --resend 2026-12-07", "brief --serve"):
        assert example in examples, example
    assert not re.search(r"<(list\[str\]|str|int|float|path)>", text), "a Python type name in --help"
    assert "[default: 0]" not in text and "\b" not in text


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


def test_email_format_is_one_parseable_message_for_the_run(tmp_path):
    import email
    from email import policy

    second = tmp_path / "tweede.txt"
    second.write_text("Het kabinet trekt 3,5 miljard euro uit voor Groningen. Dat meldt de NOS.", encoding="utf-8")
    result = run_brief(
        [str(SAMPLE), str(second), *MODEL_ARGS, "--out-dir", str(tmp_path / "out"), "--format", "email", "--to", "me@example.org"]
    )
    assert result.returncode == 0, result.stderr.decode()
    message = email.message_from_bytes(result.stdout, policy=policy.default)
    assert message["To"] == "me@example.org" and message["From"].startswith("brief@")
    assert message["Subject"].startswith("Briefs: 2 articles") and message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "tweede.txt" in plain and "000_5456f33a95982729.txt" in plain
    assert "Omvangrijke steun Peking" in html and "<script" not in html
    assert sorted(p.name for p in (tmp_path / "out").glob("*.eml")) == ["000_5456f33a95982729.eml", "tweede.eml"]


def test_email_format_needs_a_recipient(tmp_path):
    result = runner.invoke(app, [str(SAMPLE), *MODEL_ARGS, "--out-dir", str(tmp_path), "--format", "email"])
    assert result.exit_code == 2 and "--to" in result.stderr
    result = runner.invoke(app, [str(SAMPLE), *MODEL_ARGS, "--format", "email", "--to", "not an address\r\nBcc: x@y"])
    assert result.exit_code == 2 and "recipient address" in result.stderr


def test_non_dutch_input_is_skipped_with_a_clear_message(tmp_path):
    german = tmp_path / "de.txt"
    german.write_text(
        "Die Bundesregierung hat am Dienstag neue Maßnahmen beschlossen, um die Wirtschaft zu stärken. "
        "Der Finanzminister sagte, dass die Steuern nicht erhöht werden.",
        encoding="utf-8",
    )
    result = runner.invoke(app, [str(german), str(SAMPLE), *MODEL_ARGS, "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{german}: looks like German" in result.stderr and "--source-lang" in result.stderr
    assert (tmp_path / "out" / "000_5456f33a95982729.md").exists()


def test_english_input_needs_no_translation(tmp_path):
    english = tmp_path / "en.txt"
    english.write_text(
        "The Dutch government announced new measures on Tuesday to support the economy. "
        "The finance minister said taxes would not be raised this year.",
        encoding="utf-8",
    )
    result = runner.invoke(app, [str(english), *MODEL_ARGS, "--out-dir", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    import json

    document = json.loads(result.stdout)
    assert document["article"]["language"] == "en"
    assert document["blocks"][0]["en"] == document["blocks"][0]["nl"]
    assert document["stats"]["translate"]["input_tokens"] == 0


def test_quiet_is_silent_on_success(tmp_path):
    result = run_brief([str(SAMPLE), *MODEL_ARGS, "--out-dir", str(tmp_path), "--quiet"])
    assert result.returncode == 0 and result.stderr == b""


def test_json_logs_are_one_object_per_line(tmp_path):
    import json

    result = run_brief([str(tmp_path / "missing.txt"), *MODEL_ARGS, "--out-dir", str(tmp_path), "--log-format", "json"])
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stderr.decode().splitlines()]
    assert lines[0]["level"] == "error" and "missing.txt: no such file" in lines[0]["message"]
    assert all(RFC3339.fullmatch(line["time"]) for line in lines), lines


RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@pytest.mark.parametrize(
    "args, env, said",
    [
        (["--config", "/nonexistent/brief.toml"], {}, "/nonexistent/brief.toml: config file not found"),
        (["--format", "email"], {}, "--format email needs a recipient"),
        (["--translation-model", "/nonexistent/model"], {}, "/nonexistent/model"),
        (["--engine", "nonsense"], {}, None),
    ],
)
def test_fatal_errors_follow_log_format_json(tmp_path, args, env, said):
    import json

    result = run_brief(
        [str(SAMPLE), *MODEL_ARGS, "--out-dir", str(tmp_path), *args, "--log-format", "json"], env=os.environ | env
    )
    assert result.returncode == 2
    [line] = result.stderr.decode().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "error" and RFC3339.fullmatch(entry["time"])
    assert said is None or said in entry["message"]


def test_briefed_is_local_time_with_its_offset(tmp_path):
    env = os.environ | {"TZ": "Europe/Amsterdam", "SOURCE_DATE_EPOCH": "1764486000"}  # 2025-11-30 07:00 UTC
    result = run_brief([str(SAMPLE), *MODEL_ARGS, "--out-dir", str(tmp_path)], env=env)
    assert b"- **Briefed:** 2025-11-30T08:00:00+01:00" in result.stdout


def test_device_cuda_without_a_gpu_is_one_line_and_exit_2(tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    for engine in ("torch", "ctranslate2"):
        args = [a if a != "torch" else engine for a in MODEL_ARGS]
        args = [a if a != "cpu" else "cuda" for a in args]
        result = CliRunner().invoke(app, [str(SAMPLE), *args, "--out-dir", str(tmp_path / engine)])
        assert result.exit_code == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "no usable CUDA GPU" in result.stderr and "--device cpu" in result.stderr
