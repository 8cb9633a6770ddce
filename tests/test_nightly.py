"""Cron's world: locale-free bytes, idempotent re-runs, kill-safety and overlapping runs."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from .conftest import MODEL_ARGS, SAMPLE, edited_copies
from .test_cli import BRIEF, run_brief


def _complete(path: Path) -> bool:
    return path.read_text(encoding="utf-8").rstrip().endswith("| torch |")


def test_cron_environment_gives_the_same_bytes(tmp_path):
    args = [str(SAMPLE), *MODEL_ARGS]
    interactive = run_brief([*args, "--out-dir", str(tmp_path / "a")])
    assert interactive.returncode == 0, interactive.stderr.decode()
    cron_env = {"LANG": "C", "LC_ALL": "C", "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]}
    cron_env |= {"HF_HUB_OFFLINE": "1"}
    cron = subprocess.run(
        ["env", "-i", *[f"{k}={v}" for k, v in cron_env.items()], str(BRIEF), *args, "--out-dir", str(tmp_path / "b")],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        cwd=tmp_path,
    )
    assert cron.returncode == 0, cron.stderr.decode()
    assert cron.stdout == interactive.stdout
    assert (tmp_path / "b" / "000_5456f33a95982729.md").read_bytes() == interactive.stdout
    assert "auto’s" in cron.stdout.decode("utf-8")  # UTF-8 whatever the locale


def test_unchanged_article_loads_no_model_and_rewrites_nothing(tmp_path):
    out = tmp_path / "out"
    first = run_brief([str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out), "-v"])
    assert first.returncode == 0 and b"loaded translation model" in first.stderr
    target = out / "000_5456f33a95982729.md"
    stamp = target.stat().st_mtime_ns
    second = run_brief([str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out), "-v"])
    assert second.returncode == 0
    assert b"loaded" not in second.stderr, "no model is loaded when nothing needs work"
    assert b"0 briefed, 1 unchanged" in second.stderr
    assert target.stat().st_mtime_ns == stamp
    assert second.stdout == first.stdout
    forced = run_brief([str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out), "-v", "--force"])
    assert b"loaded translation model" in forced.stderr and b"1 briefed" in forced.stderr
    assert target.stat().st_mtime_ns != stamp


def test_changed_article_is_redone(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Dit is het eerste artikel.", encoding="utf-8")
    out = tmp_path / "out"
    assert run_brief([str(article), *MODEL_ARGS, "--out-dir", str(out)]).returncode == 0
    article.write_text("Dit is het tweede artikel.", encoding="utf-8")
    again = run_brief([str(article), *MODEL_ARGS, "--out-dir", str(out), "-v"])
    assert b"1 briefed, 0 unchanged" in again.stderr
    assert "tweede" in (out / "a.md").read_text(encoding="utf-8")


def test_killed_run_leaves_no_partial_file_and_next_run_finishes(tmp_path):
    inputs = edited_copies(tmp_path / "in", 6)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [str(BRIEF), *inputs, *MODEL_ARGS, "--out-dir", str(out), "-v"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    # Killed once the second article is briefed: by then the first one's file is written (no polling).
    briefed = 0
    for line in process.stderr:
        briefed += b": briefed" in line
        if briefed == 2:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    written = list(out.glob("*.md"))
    assert 0 < len(written) < 6, "killed mid-way"
    assert all(_complete(path) for path in written)
    again = run_brief([*inputs, *MODEL_ARGS, "--out-dir", str(out), "-v"])
    assert again.returncode == 0, again.stderr.decode()
    assert sorted(p.name for p in out.glob("*.md")) == [f"{n:03d}_artikel.md" for n in range(6)]
    assert all(_complete(path) for path in out.glob("*.md"))
    assert not [p for p in out.rglob("*.tmp")]
    assert f"{6 - len(written)} briefed, {len(written)} unchanged".encode() in again.stderr


def test_overlapping_runs_write_each_brief_once(tmp_path):
    inputs = edited_copies(tmp_path / "in", 3)
    out = tmp_path / "out"
    command = [str(BRIEF), *inputs, *MODEL_ARGS, "--out-dir", str(out), "-v"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    assert first.returncode == 0 and second.returncode == 0
    stderr = b"".join(err for _, err in outputs)
    assert stderr.count(b": briefed") == 3, "each brief is made once; the later run reuses them"
    assert outputs[0][0] == outputs[1][0]
    assert all(_complete(path) for path in out.glob("*.md"))


def test_no_wait_exits_3_while_another_run_holds_the_folder(tmp_path):
    from filelock import FileLock

    out = tmp_path / "out"
    out.mkdir()
    with FileLock(str(out / ".brief.lock")):
        result = run_brief([str(SAMPLE), *MODEL_ARGS, "--out-dir", str(out), "--no-wait"])
    assert result.returncode == 3
    assert b"another brief run is using this output folder" in result.stderr


def test_out_files_follow_the_umask(tmp_path):
    import os

    from translate_summarize.common.files import atomic_write

    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.md", b"x")
        os.umask(0o077)
        atomic_write(tmp_path / "b.md", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.md").stat().st_mode & 0o777 == 0o600
