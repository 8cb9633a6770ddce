"""An honest terminal: `brief` in a pseudo terminal, its screen read back through a terminal emulator.

stdout and stderr are the same terminal here, as when an editor runs `brief` by hand. pexpect gives
the program a real pty; pyte (a VT100 emulator) turns the bytes it wrote, cursor moves and erasures
included, into the screen the editor would see.
"""

from __future__ import annotations

import os
import re

import pytest

from ..conftest import MODEL_ARGS, edited_copies
from ..test_cli import BRIEF

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

COLUMNS, LINES = 120, 50


def run_in_terminal(args: list[str], cwd) -> tuple[str, list[str]]:
    """(everything written, the screen's lines, scrolled-off ones first) of `brief args` in a pty."""
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(str(BRIEF), args, cwd=str(cwd), env=env, dimensions=(LINES, COLUMNS), timeout=300)
    child.expect(pexpect.EOF)
    child.close()
    raw = child.before.decode("utf-8", "replace")
    screen = pyte.HistoryScreen(COLUMNS, LINES, history=5000)
    stream = pyte.Stream(screen)
    stream.feed(raw.replace("\n", "\r\n") if "\r\n" not in raw else raw)
    history = ["".join(char.data for char in line.values()).rstrip() for line in screen.history.top]
    return raw, [*history, *(line.rstrip() for line in screen.display)], child.exitstatus


def test_briefs_never_land_on_the_bar_and_the_run_ends_with_its_summary(tmp_path):
    inputs = [os.path.relpath(path, tmp_path) for path in edited_copies(tmp_path / "in", 3)]  # short log lines
    raw, lines, status = run_in_terminal([*inputs, *MODEL_ARGS, "--out-dir", "out", "-v"], tmp_path)
    assert status == 0, raw[-2000:]
    text = [line for line in lines if line.strip()]
    # Each brief starts at the start of a line, and nothing of the bar is left on any line.
    headlines = [line for line in text if line.startswith("# ")]
    assert len(headlines) == 3, text
    assert not [line for line in text if "━" in line], [line for line in text if "━" in line]
    # The bar was there, and told the stage, the file and the time left for the run.
    assert "━" in raw
    for stage in ("reading", "translating", "summarizing", "back-translating"):
        assert re.search(rf"{stage} 00\d_artikel\.txt", raw), stage
    assert "ETA" in raw
    # Log lines (-v) share the bar's console: printed above it, each whole, with an RFC 3339 time.
    logged = [line for line in text if re.search(r"00\d_artikel\.txt: briefed", line)]
    assert len(logged) == 3 and all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ", line) for line in logged), logged
    assert "3 briefed, 0 unchanged, 0 failed; 1 story from 3 articles -> out/" in text[-1]  # copies of one article: one story


def test_quiet_terminal_shows_briefs_only(tmp_path):
    [article] = edited_copies(tmp_path / "in", 1)
    raw, lines, status = run_in_terminal([article, *MODEL_ARGS, "--out-dir", "out", "--quiet"], tmp_path)
    assert status == 0
    assert "━" not in raw and "briefed" not in raw
    assert [line for line in lines if line.strip()][0].startswith("# ")
