"""The mail that went out is kept (`out/.brief/mail/`), and `brief --resend [WHEN]` sends it again (issue #22)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.errors import ConfigError
from translate_summarize.run.deliver import SENT_KEPT, keep_sent, kept_mail, sent_mails
from translate_summarize.run.output import remove_stale_temporaries, sent_folder

from ..conftest import SAMPLE
from .test_mail import _catcher, _mail_args, _sent

runner = CliRunner()


def brief(args: list[str]):
    return runner.invoke(app, args)


def test_resend_sends_the_kept_digest_byte_identical(tmp_path, monkeypatch):
    command, box = _catcher(tmp_path)
    monkeypatch.setenv("BRIEF_SENDMAIL", command)
    out = tmp_path / "out"
    first = brief([str(SAMPLE), *_mail_args(out)])
    assert first.exit_code == 0, first.output
    [sent] = sorted(box.iterdir())
    [kept] = sent_mails(sent_folder(out))
    assert kept.read_bytes() == sent.read_bytes() and kept.name.startswith(datetime.now().strftime("%Y-%m-%d_"))

    again = brief(["--resend", "--out-dir", str(out)])
    assert again.exit_code == 0, again.output
    assert f"sent {kept} again to redactie@example.nl" in again.stderr
    by_day = brief(["--resend", kept.name[:10], "--out-dir", str(out)])
    assert by_day.exit_code == 0, by_day.output
    resent = sorted(box.iterdir())[1:]
    assert len(resent) == 2 and all(path.read_bytes() == sent.read_bytes() for path in resent)
    assert sent_mails(sent_folder(out)) == [kept], "a mail sent again is not kept twice"

    other_day = brief(["--resend", "1999-01-01", "--out-dir", str(out)])
    assert other_day.exit_code == 2 and f"(kept: {kept.name[:10]})" in other_day.stderr
    assert other_day.stderr.count("\n") == 1 and len(list(box.iterdir())) == 3


def test_resend_has_the_same_delivery_check(tmp_path, monkeypatch):
    out = tmp_path / "out"
    keep_sent(sent_folder(out), b"To: redactie@example.nl\nSubject: x\n\nbody\n")
    monkeypatch.setenv("BRIEF_SENDMAIL", "true")  # exits 0 without reading the message
    half = brief(["--resend", "--out-dir", str(out)])
    assert half.exit_code == 4 and "exited 0 but read only" in half.stderr, half.output
    monkeypatch.setenv("BRIEF_SENDMAIL", "false")
    failed = brief(["--resend", "--out-dir", str(out)])
    assert failed.exit_code == 4 and "mail not sent: `false` exited with status 1" in failed.stderr
    nothing = brief(["--resend", "--out-dir", str(tmp_path / "elsewhere")])
    assert nothing.exit_code == 2 and "no sent mail is kept here" in nothing.stderr
    several = brief(["--resend", "2026-12-07", "2026-12-08", "--out-dir", str(out)])
    assert several.exit_code == 2 and "--resend takes one WHEN" in several.output


def test_repeated_to_gives_every_recipient_in_the_sent_mail(tmp_path, monkeypatch):
    command, box = _catcher(tmp_path)
    monkeypatch.setenv("BRIEF_SENDMAIL", command)
    result = brief([str(SAMPLE), *_mail_args(tmp_path / "out"), "--to", "Jan Jansen <jan@example.nl>"])
    assert result.exit_code == 0, result.output
    [mail] = _sent(box)
    assert mail["To"] == "redactie@example.nl, Jan Jansen <jan@example.nl>"
    assert "mailed 1 new brief to redactie@example.nl, Jan Jansen <jan@example.nl>" in result.stderr


def test_a_mail_that_was_not_sent_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_SENDMAIL", "false")
    out = tmp_path / "out"
    result = brief([str(SAMPLE), *_mail_args(out)])
    assert result.exit_code == 4, result.output
    assert sent_mails(sent_folder(out)) == []


def test_the_last_ones_are_kept_newest_last(tmp_path):
    folder = tmp_path / "mail"
    start = datetime(2026, 12, 1, 6, 0, 12).astimezone()
    for night in range(SENT_KEPT + 2):
        keep_sent(folder, f"mail {night}\n".encode(), now=start + timedelta(days=night))
    again = keep_sent(folder, b"same second\n", now=start + timedelta(days=SENT_KEPT + 1))
    kept = sent_mails(folder)
    assert len(kept) == SENT_KEPT and kept[-1] == again and again.name == "2026-12-16_060012_2.eml"
    assert kept[0].read_bytes() == b"mail 3\n"  # the three oldest made room
    assert kept_mail(folder) == again and kept_mail(folder, "2026-12-15").read_bytes() == b"mail 14\n"
    assert kept_mail(folder, "2026-12-16T06:00") == again
    with pytest.raises(ConfigError, match="no mail of that time is kept"):
        kept_mail(folder, "2026-12-01")
    assert not [path for path in folder.iterdir() if path.name.endswith(".tmp")]


def test_a_killed_write_leaves_no_partial_mail(tmp_path):
    folder = sent_folder(tmp_path)
    keep_sent(folder, b"whole\n")
    (folder / ".2026-12-07_060012.eml.x1y2.tmp").write_bytes(b"half")  # what a kill mid-write leaves
    remove_stale_temporaries(tmp_path)
    assert [path.read_bytes() for path in folder.iterdir()] == [b"whole\n"]


def test_a_copy_that_cannot_be_kept_is_a_warning_not_a_failure(tmp_path, caplog):
    blocked = tmp_path / "mail"
    blocked.write_text("a file where the folder should be")
    assert keep_sent(blocked, b"x") is None
    assert "no copy is kept for --resend" in caplog.text and Path(blocked).read_text().startswith("a file")
