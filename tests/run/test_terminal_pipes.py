"""An honest bar when stdout is not the terminal: `brief ... | jq`, `brief ... | less`.

stderr is a pseudo terminal (pexpect) and stdout a pipe into a reader that prints on that same
terminal, as a shell pipeline does; pyte (a VT100 emulator) turns what both wrote into the screen.
The `Tally` tests below need no terminal: they drive the count and the time left with a fake clock.
"""

from __future__ import annotations

import os
import re
import shlex
import sys

import pytest

from translate_summarize.run.terminal import STEPS, Tally, clock_text

from ..conftest import MODEL_ARGS, edited_copies
from ..test_cli import BRIEF

COLUMNS, LINES = 120, 50
FRAME = re.compile(r"(\d+)/(\d+) steps, (\d+)/(\d+) articles")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# A stand-in for `less`: it takes the terminal out of canonical mode, reads its input to the end,
# shows how much it got, and after a while gives the terminal back, as quitting a pager does.
PAGER = """
import os, sys, termios, time
tty = os.open("/dev/tty", os.O_RDWR)
before = termios.tcgetattr(tty)
raw = termios.tcgetattr(tty)
raw[3] &= ~(termios.ICANON | termios.ECHO)
termios.tcsetattr(tty, termios.TCSANOW, raw)
got = sys.stdin.buffer.read()
os.write(tty, b"pager: %d bytes\\r\\n" % len(got))
time.sleep(1.5)
termios.tcsetattr(tty, termios.TCSANOW, before)
os.write(tty, b"pager: quit\\r\\n")
"""


def run_pipeline(command: str, cwd) -> tuple[str, list[str], int]:
    """(everything the terminal got, the screen's lines, scrolled-off ones first, exit status) of a
    shell `command` whose stdin, stdout and stderr are a pty."""
    pexpect = pytest.importorskip("pexpect")
    pyte = pytest.importorskip("pyte")
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn("bash", ["-c", command], cwd=str(cwd), env=env, dimensions=(LINES, COLUMNS), timeout=600)
    child.expect(pexpect.EOF)
    child.close()
    raw = child.before.decode("utf-8", "replace")
    screen = pyte.HistoryScreen(COLUMNS, LINES, history=20000)
    pyte.Stream(screen).feed(raw)
    history = ["".join(char.data for char in line.values()).rstrip() for line in screen.history.top]
    return raw, [*history, *(line.rstrip() for line in screen.display)], child.exitstatus


def brief_command(inputs: list[str], *extra: str) -> str:
    return shlex.join([str(BRIEF), *inputs, *MODEL_ARGS, "--out-dir", "out", *extra])


def frames(raw: str) -> list[str]:
    """Each frame of the bar that was drawn, in order (colours and cursor moves taken out)."""
    return [part for part in re.split(r"[\r\n]", ANSI.sub("", raw)) if FRAME.search(part)]


def test_piped_output_never_lands_on_the_bar_and_the_bar_moves_within_one_window(tmp_path):
    inputs = [os.path.relpath(path, tmp_path) for path in edited_copies(tmp_path / "in", 3, blocks=4)]
    # The reader (as `jq` would) prints on the terminal the bar is on; it is slow to take its input.
    reader = """(IFS= read -r first; sleep 1; printf '%s\\n' "$first"; cat)"""
    raw, lines, status = run_pipeline(f"{brief_command(inputs, '--format', 'json')} | {reader}", tmp_path)
    assert status == 0, raw[-3000:]
    text = [line for line in lines if line.strip()]
    # The reader's output starts on a line of its own: no frame of the bar before it, none left anywhere.
    first = next(number for number, line in enumerate(text) if "{" in line)
    assert text[first] == "{", text[max(0, first - 2) : first + 2]
    assert not [line for line in text if "━" in line or FRAME.search(line)]
    # The closing line comes last, after all the reader printed, on a line of its own.
    assert "3 briefed, 0 unchanged, 0 failed; 1 story from 3 articles -> out/" in text[-1]  # copies of one article: one story
    assert text[-2] == "}", text[-3:]
    # The bar was there, and moved while the one window of 3 was being briefed, before any brief was done.
    shown = frames(raw)
    steps_before_done = {int(match[1]) for match in map(FRAME.search, shown) if match[3] == "0"}
    assert len(steps_before_done) >= 3, sorted(steps_before_done)
    assert all(FRAME.search(frame)[2] == str(3 * len(STEPS)) for frame in shown)
    # Loading the models is a stage of its own, not "translating"; the time left comes with a rate only.
    assert any(frame.startswith("loading models") for frame in shown), shown[:20]
    assert not [frame for frame in shown if FRAME.search(frame)[1] == "0" and "ETA" in frame]
    assert any("ETA" in frame for frame in shown)


def test_a_pager_keeps_its_screen_and_the_closing_line_waits_until_it_quits(tmp_path):
    (pager := tmp_path / "pager.py").write_text(PAGER, encoding="utf-8")
    [article] = [os.path.relpath(path, tmp_path) for path in edited_copies(tmp_path / "in", 1, blocks=4)]
    command = f"{brief_command([article])} | {shlex.quote(sys.executable)} {shlex.quote(str(pager))}"
    raw, lines, status = run_pipeline(command, tmp_path)
    assert status == 0, raw[-3000:]
    # No bar is drawn over the pager's screen.
    assert "━" not in raw and not frames(raw)
    # The pager got the whole brief (brief let go of stdout, as `less -F` waits for), and the closing
    # line came once the pager had given the terminal back, on a line of its own.
    text = [line for line in lines if line.strip()]
    assert re.fullmatch(r"pager: [1-9]\d* bytes", text[-3]), text[-3:]
    assert text[-2] == "pager: quit", text[-3:]
    assert "1 briefed, 0 unchanged, 0 failed -> out/" in text[-1]


# -- the count and the time left, without a terminal


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_no_time_left_before_a_step_is_done_then_the_measured_rate_without_model_loading():
    clock = Clock()
    tally = Tally(clock)
    tally.start(2)
    items = ["a.txt", "b.txt"]
    tally.enter(items[:1], "reading")
    tally.setup(True)
    clock.now += 50  # loading models: not the articles' work
    tally.setup(False)
    tally.enter(items, "translating")
    assert tally.remaining() is None and tally.steps == (0, 8)
    clock.now += 6
    tally.enter(items, "summarizing")
    # 6 s for the translation of both (0.3 of an article's work each): 14 s for the other 0.7 of each.
    assert tally.remaining() == pytest.approx(14) and tally.steps == (2, 8)
    clock.now += 4
    assert tally.remaining() == pytest.approx(10)  # counts down with the work
    tally.setup(True)
    clock.now += 30  # a model that loads on first use stops the clock
    tally.setup(False)
    assert tally.remaining() == pytest.approx(10)
    clock.now += 7
    tally.enter(items, "back-translating")
    assert tally.steps == (4, 8)
    # 17 s of work for 0.85 of both articles: 3 s for the rest.
    assert tally.remaining() == pytest.approx(17 / 1.7 * 0.3)
    tally.enter(items, "checking")
    tally.done("a.txt", "briefed")
    assert tally.steps == (7, 8) and tally.finished == 1


def test_an_unchanged_article_is_done_without_flattering_the_rate():
    clock = Clock()
    tally = Tally(clock)
    tally.start(3)
    tally.done("same.txt", "unchanged")
    assert tally.steps == (4, 12) and tally.remaining() is None
    tally.enter(["a.txt", "b.txt"], "translating")
    clock.now += 3
    tally.enter(["a.txt", "b.txt"], "summarizing")
    assert tally.remaining() == pytest.approx(3 / 0.6 * 1.4)  # the unchanged article adds no work


def test_a_step_never_entered_is_left_out_not_counted_as_work():
    clock = Clock()
    tally = Tally(clock)
    tally.start(1)
    tally.enter(["english.txt"], "summarizing")  # English: no translating
    clock.now += 11
    tally.enter(["english.txt"], "back-translating")
    assert tally.steps == (2, 4)  # the step it skipped is behind it too
    assert tally.remaining() == pytest.approx(11 / 0.55 * 0.15)


def test_clock_text():
    assert clock_text(0) == "0:00:00" and clock_text(0.2) == "0:00:01" and clock_text(3661) == "1:01:01"
