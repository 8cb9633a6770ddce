"""Issue #19 B: the cache folder is made 0700, and one that another user made, or that others can
write to, is refused with one line (a planted translation memory must not rewrite briefs)."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.common.files import cache_dir
from translate_summarize.errors import ConfigError
from translate_summarize.sources.cache import CachedPage, PageCache

from .conftest import MODEL_ARGS, SAMPLE


@pytest.fixture
def no_home(tmp_path, monkeypatch):
    """No BRIEF_CACHE_DIR, XDG_CACHE_HOME or HOME: the cache falls back to `$TMPDIR/brief-<uid>`."""
    for name in ("BRIEF_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    return shared / f"brief-{os.getuid()}"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_fresh_fallback_folder_is_made_0700(no_home):
    folder = cache_dir()
    assert folder == no_home and folder.is_dir() and mode(folder) == 0o700


def test_a_fresh_configured_folder_is_made_0700(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "deep" / "cache"))
    assert mode(cache_dir()) == 0o700


def test_a_planted_world_writable_fallback_is_refused(no_home):
    no_home.mkdir()
    no_home.chmod(0o777)
    with pytest.raises(ConfigError) as caught:
        cache_dir()
    assert str(no_home) in str(caught.value) and "\n" not in str(caught.value)
    assert mode(no_home) == 0o777  # left as it is, not used


@pytest.mark.parametrize("bits", [0o777, 0o707, 0o722])
def test_an_other_writable_folder_is_refused(tmp_path, monkeypatch, bits):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(bits)
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(folder))
    with pytest.raises(ConfigError):
        cache_dir()


@pytest.mark.parametrize("bits", [0o755, 0o775, 0o700])
def test_an_existing_own_folder_not_writable_by_others_is_used(tmp_path, monkeypatch, bits):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(bits)  # a team's group-writable cache (umask 002) is the user's choice
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(folder))
    assert cache_dir() == folder


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown needs root")
def test_a_fallback_folder_owned_by_another_user_is_refused(no_home):
    no_home.mkdir(mode=0o700)
    os.chown(no_home, 65534, 65534)
    with pytest.raises(ConfigError, match="another user|owned by"):
        cache_dir()


def test_a_symlink_planted_as_the_fallback_is_refused(no_home, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    no_home.symlink_to(target)
    if os.getuid() == 0:
        os.chown(no_home, 65534, 65534, follow_symlinks=False)
        with pytest.raises(ConfigError):
            cache_dir()


def test_the_cli_says_so_in_one_line(no_home, tmp_path):
    no_home.mkdir()
    no_home.chmod(0o777)
    (no_home / "memory.sqlite3").write_bytes(b"planted")
    result = CliRunner().invoke(app, [str(SAMPLE), "--out-dir", str(tmp_path / "out"), *MODEL_ARGS])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and str(no_home) in result.output
    assert not list((tmp_path / "out").glob("*.md")) if (tmp_path / "out").exists() else True


def test_the_page_cache_folder_is_made_0700_and_a_planted_one_refused(tmp_path):
    page = CachedPage("https://x.example/a", "https://x.example/a", 200, "text/html", None, '"e"', None, b"<p>x</p>")
    fresh = PageCache(tmp_path / "pages")
    fresh.put(page)
    assert mode(tmp_path / "pages") == 0o700 and fresh.get(page.url) == page
    planted = tmp_path / "planted"
    planted.mkdir()
    planted.chmod(0o777)
    PageCache(tmp_path / "pages2").put(page)
    (planted / os.listdir(tmp_path / "pages2")[0]).write_bytes((tmp_path / "pages2" / os.listdir(tmp_path / "pages2")[0]).read_bytes())
    with pytest.raises(ConfigError):
        PageCache(planted).get(page.url)
