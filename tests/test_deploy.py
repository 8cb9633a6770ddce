"""Deployment as documented: the systemd units verify, keep the exit status, and are hardened; the
README's crontab line mails with --sendmail instead of a pipe."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest

from translate_summarize.settings import keys

from .conftest import ROOT
from .test_cli import BRIEF

DEPLOY = ROOT / "docs" / "deploy"


def unit(name: str) -> dict[str, list[str]]:
    """A unit file's `Key=value` lines by key (the values of repeated keys in order)."""
    settings: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def brief_options(argv: list[str]) -> set[str]:
    return {arg.split("=")[0] for arg in argv if arg.startswith("--")}


def known_options() -> set[str]:
    return {"--" + key.replace("_", "-") for key in keys()} | {"--from", "--quiet", "--verbose"}


def test_service_mails_itself_and_is_hardened():
    service = unit("brief.service")
    [command] = service["ExecStart"]
    assert "|" not in command and not command.startswith(("/bin/sh", "sh ")), "a pipe would hide brief's exit status"
    argv = shlex.split(command)
    assert argv[0].endswith("/bin/brief")
    assert {"--sendmail", "--out-dir", "--from", "--to"} <= brief_options(argv) <= known_options()
    assert argv[-1].endswith("/*.txt")  # quoted: brief expands it, an empty folder is a quiet night
    assert service.get("User") or service.get("DynamicUser") == ["yes"]
    assert service["StateDirectory"] == ["brief"] and service["CacheDirectory"] == ["brief"]
    for key, value in {"ProtectSystem": "strict", "ProtectHome": "yes", "NoNewPrivileges": "yes", "PrivateTmp": "yes"}.items():
        assert service.get(key) == [value], key
    assert "HF_HUB_OFFLINE=1" in service["Environment"]
    assert any(value.strip('"').startswith("BRIEF_SENDMAIL=") for value in service["Environment"])
    assert unit("brief.timer")["OnCalendar"] == ["*-*-* 06:00:00"]


def test_readme_crontab_line_mails_with_sendmail():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [line] = re.findall(r"^0 6 \* \* \* .*$", readme, re.MULTILINE)
    assert "|" not in line
    argv = shlex.split(line)[5:]
    assert argv[0] == "HF_HUB_OFFLINE=1" and argv[1].endswith("/bin/brief")
    assert {"--sendmail", "--out-dir", "--from", "--to"} <= brief_options(argv) <= known_options()
    assert argv[-1].endswith("/*.txt") and "'" in line  # quoted for brief, not expanded by cron's shell


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    """`systemd-analyze verify` with ExecStart pointed at this checkout's brief (the documented
    /opt/brief is not installed here): no warning about any key, value or the command."""
    service = (DEPLOY / "brief.service").read_text(encoding="utf-8").replace("/opt/brief/.venv/bin/brief", str(BRIEF))
    (tmp_path / "brief.service").write_text(service, encoding="utf-8")
    shutil.copy(DEPLOY / "brief.timer", tmp_path / "brief.timer")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", "brief.service", "brief.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = [line for line in (result.stdout + result.stderr).splitlines() if "brief" in line]
    assert result.returncode == 0 and not said, result.stdout + result.stderr
