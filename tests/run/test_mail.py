"""The nightly mail: a digest that arrives whole (budget, attachments, failures), and --sendmail."""

from __future__ import annotations

import email
import logging
import mailbox
import os
import time
import uuid
from email import policy
from pathlib import Path

import pytest

from translate_summarize.data import Failure, RunStatus
from translate_summarize.render.email_format import build_message
from translate_summarize.render.html import render_html_digest
from translate_summarize.render.inbox import HTML_BUDGET, attachment_names, encoded_size, plan_digest

from ..briefs import P, S, make_brief
from ..conftest import MODEL_ARGS, edited_copies
from ..test_cli import run_brief

MAIL = {"to": "redactie@example.nl", "sender": "brief@example.nl"}


def ordinary_brief(n: int):
    """A brief of an ordinary news article: about 1.9 KB of Dutch in six paragraphs and a subheading."""
    nl = f"In artikel {n} meldt de gemeente dat de bouw van {n * 10} woningen in de wijk vertraging oploopt door stikstofregels en hogere kosten."
    en = f"In article {n} the municipality reports that the construction of {n * 10} homes in the district is delayed by nitrogen rules and higher costs."
    blocks = [(P, [(nl, en), (nl.replace("bouw", "sloop"), en.replace("construction", "demolition"))])] * 3
    blocks = blocks[:2] + [(S, [(f"Reactie {n}", f"Response {n}")])] + blocks * 2
    return make_brief(
        headline=f"Article {n}: homes delayed by nitrogen rules",
        summary_en=f"Summary EN {n}: the construction of {n * 10} homes is delayed. Costs rise.",
        summary_nl=f"Samenvatting NL {n}: de bouw van {n * 10} woningen loopt vertraging op. Kosten stijgen.",
        article={"name": f"{n:03d}_artikel.txt"},
        blocks=blocks,
    )


def full_text_row(brief, block) -> str:
    """How the HTML digest shows one paragraph of a full text: the English cell, then the Dutch."""
    return f'<td lang="en"><b class="l">EN </b>{block.target}</td><td lang="nl"><b class="l">NL </b>{block.source}</td>'


def test_thirty_articles_index_summaries_english_first_full_texts_while_they_fit():
    """30 ordinary articles (issue #22): status and failures, then every headline in an index linked to
    its entry, every summary (English, then Dutch) and its checks in words, in the HTML part under the
    budget; full texts in the HTML body while they fit (12 of 30: the text alone of 30, ~125 KB, is
    more than the budget), the rest attached; the text part carries every full text, English first."""
    briefs = [ordinary_brief(n) for n in range(1, 31)]
    assert 1700 < sum(len(block.source) for block in briefs[0].blocks) < 2300  # ordinary length
    status = RunStatus(30, 0, (Failure("in/missing.txt", "file not found"), Failure("in/leeg.txt", "is empty")))
    message = email.message_from_bytes(bytes(build_message(briefs, **MAIL, status=status)), policy=policy.default)
    html_part = message.get_body(("html",))
    assert len(html_part.get_payload().encode()) + html_part.get_payload().count("\n") <= HTML_BUDGET  # as sent, CRLF
    html, text = html_part.get_content(), message.get_body(("plain",)).get_content()
    flat = " ".join(text.split())
    first = html.index('id="brief-1"')
    # The run's status and its failures first, in a box of their own (not styled as a check warning).
    failures = html[html.index('<div class="status failed"') : html.index("</div>")]
    assert "30 briefed, 0 unchanged, 2 failed" in failures and "2 inputs failed:" in failures
    assert "✗ in/missing.txt: file not found</li>" in failures and "✗ in/leeg.txt: is empty</li>" in failures
    assert flat.index("FAILED in/missing.txt: file not found") < flat.index("Contents")
    # The index: every headline and its source, linked to its entry, before the first entry.
    for n, brief in enumerate(briefs, 1):
        assert f'<li><a href="#brief-{n}">{brief.headline}</a> · {n:03d}_artikel.txt</li>' in html[:first]
        assert f"{n:>2}. {brief.headline} ({n:03d}_artikel.txt)" in text
    # Every entry: its headline, English summary, Dutch summary and checks in words, in that order.
    at = {"html": first, "text": flat.index("About the checks")}
    for n, brief in enumerate(briefs, 1):
        for name, part in (("html", html), ("text", flat)):
            head = part.index(f"{n}. {brief.headline}", at[name])
            en, nl = part.index(brief.summary_en, head), part.index(brief.summary_nl, head)
            said = part.index("1 of 2 checks flagged: names missing in 1 sentence", head)
            assert head < en < nl < said, (name, n)
            at[name] = said
    # Full texts: each in the HTML body or attached, never both, never lost; 12 in the body (6 before #22).
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    in_body = [brief for brief in briefs if full_text_row(brief, brief.blocks[-1]) in html]
    assert len(in_body) >= 12 and len(in_body) + len(attachments) == 30
    for brief, name in zip(briefs, attachment_names(briefs)):
        attached = name in attachments
        assert (brief in in_body) != attached and (f"Full text: attached as {name}" in html) == attached
        if attached:
            assert full_text_row(brief, brief.blocks[-1]) in attachments[name] and brief.summary_en in attachments[name]
            assert attachments[name].index(brief.summary_en) < attachments[name].index(brief.summary_nl)
    # The text part carries every full text (no client clips it), each English paragraph above its Dutch.
    assert text.count("Full text (English / Nederlands)") == 30 and "attached" not in text
    for brief in briefs:
        for block in brief.blocks:
            assert f"EN {block.target} NL {block.source}" in flat or f"EN § {block.target} NL § {block.source}" in flat
    assert "001_artikel.txt" in flat and "\\" not in text  # plain text: file names as they are, no escapes
    assert message["Subject"].startswith("Briefs: 30 articles (") and message["Subject"].endswith(", 2 failed")


def test_an_ordinary_night_of_twelve_arrives_whole():
    """The issue's night: 12 ordinary articles, every full text in the HTML body, nothing attached
    (before #22: 8 of 12 in the body)."""
    briefs = [ordinary_brief(n) for n in range(1, 13)]
    message = email.message_from_bytes(bytes(build_message(briefs, **MAIL, status=RunStatus(12))), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative" and not list(message.iter_attachments())
    html = message.get_body(("html",)).get_content()
    for brief in briefs:
        assert all(full_text_row(brief, block) in html for block in brief.blocks if not block.kind.is_heading)
    assert plan_digest(briefs, RunStatus(12)).html_bytes <= HTML_BUDGET


def test_a_full_text_costs_at_most_1_6_bytes_of_html_per_byte_of_text():
    """The full-text section, as sent (quoted-printable, CRLF), per byte of its Dutch and English
    (bench/bench_digest.py measures the same on real text: 2.15 before #22)."""
    briefs = [ordinary_brief(n) for n in range(1, 7)]
    names = dict(enumerate(attachment_names(briefs)))
    cost = encoded_size(render_html_digest(briefs, None, {})) - encoded_size(render_html_digest(briefs, None, names))
    text = sum(len(block.source.encode()) + len(block.target.encode()) for brief in briefs for block in brief.blocks)
    assert cost / text <= 1.6, cost / text


def test_budget_is_kept_exactly_and_everything_fits_when_small():
    briefs = [ordinary_brief(n) for n in range(1, 6)]
    assert plan_digest(briefs).attachments == {}  # five fit whole
    tight = plan_digest(briefs, budget=encoded_size(plan_digest(briefs[:1]).html) + 9000)
    assert tight.html_bytes <= encoded_size(plan_digest(briefs[:1]).html) + 9000
    assert tight.html_bytes == encoded_size(tight.html)
    assert 0 < len(tight.attachments) < 5
    assert list(tight.attachments) == [name for name in attachment_names(briefs) if name in tight.attachments]


def test_summaries_over_the_budget_attach_every_full_text_and_warn(caplog):
    with caplog.at_level(logging.WARNING):  # whatever level an earlier in-process run or Ray left behind
        plan = plan_digest([ordinary_brief(n) for n in range(1, 4)], budget=2000)
    assert len(plan.attachments) == 3 and "Gmail will clip it" in caplog.text


def test_attachment_names_are_unique_and_safe():
    briefs = [make_brief(article={"name": name}) for name in ("a.txt", "a.txt", "../../etc/passwd", ".x")]
    assert attachment_names(briefs) == ["a.html", "a-2.html", "passwd.html", "x.html"]
    # Unique where names are compared without case, and decomposed accents (macOS) composed first.
    cased = [make_brief(article={"name": name}) for name in ("A.txt", "a.txt", "e\u0301e\u0301n.txt")]
    assert attachment_names(cased) == ["A.html", "a-2.html", "\u00e9\u00e9n.html"]


@pytest.mark.parametrize("lone_dot", [False, True])
def test_budget_counts_the_part_as_sent_in_either_encoding(lone_dot):
    """A lone "." line makes the part base64 (4/3 of the CRLF text), otherwise quoted-printable."""
    text = "x\n" * 3000 + (".\nend" if lone_dot else "end")
    briefs = [make_brief(blocks=[(P, [(text, text)])], article={"name": "l.txt"})] + [ordinary_brief(n) for n in range(1, 20)]
    raw = bytes(build_message(briefs, **MAIL))
    html_part = email.message_from_bytes(raw, policy=policy.default).get_body(("html",))
    assert html_part["Content-Transfer-Encoding"] == ("base64" if lone_dot else "quoted-printable")
    sent = len(html_part.get_payload().encode())
    assert sent <= HTML_BUDGET and sent == plan_digest(briefs).html_bytes


def test_empty_run_note():
    message = build_message([], **MAIL, status=RunStatus(0, 3))
    assert message["Subject"].startswith("Briefs: no new articles (")
    assert "0 briefed, 3 unchanged, 0 failed" in message.get_body(("plain",)).get_content()


# --- the CLI: --sendmail, --send-empty, --new-only --------------------------------------------------


def _catcher(tmp_path: Path) -> tuple[str, Path]:
    """A BRIEF_SENDMAIL that saves each message it is given (one file per call) and exits 0."""
    box = tmp_path / "sent"
    box.mkdir()
    script = tmp_path / "fake-sendmail"
    script.write_text(f'#!/bin/sh\n[ "$1 $2" = "-t -oi" ] || exit 64\ncat > "{box}/$(date +%s%N).eml"\n')
    script.chmod(0o755)
    return f"{script} -t -oi", box


def _sent(box: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(box.iterdir())]


def _mail_args(out: Path) -> list[str]:
    return [*MODEL_ARGS, "--sendmail", "--to", "redactie@example.nl", "--from", "brief@example.nl", "--out-dir", str(out)]


def test_sendmail_mails_news_and_failures_once_then_nothing(tmp_path):
    command, box = _catcher(tmp_path)
    env = os.environ | {"BRIEF_SENDMAIL": command}
    inputs = edited_copies(tmp_path / "in", 3)
    (tmp_path / "in" / "leeg.txt").write_text("")
    out = tmp_path / "out"
    first = run_brief([*inputs, str(tmp_path / "in" / "leeg.txt"), str(tmp_path / "weg.txt"), *_mail_args(out)], env=env)
    assert first.returncode == 1 and first.stdout == b""
    [mail] = _sent(box)
    text = mail.get_body(("plain",)).get_content()
    assert "3 briefed, 0 unchanged, 2 failed" in text and "leeg.txt" in text and "weg.txt" in text
    assert mail["Subject"].endswith(", 2 failed") and mail["To"] == "redactie@example.nl"
    assert b"3 briefed, 0 unchanged, 2 failed" in first.stderr

    again = run_brief([*inputs, *_mail_args(out)], env=env)  # nothing new, nothing failed: no mail
    assert again.returncode == 0 and again.stdout == b"" and len(_sent(box)) == 1
    assert b"no mail sent" in again.stderr

    Path(inputs[1]).write_text(Path(inputs[1]).read_text(encoding="utf-8") + "\nNieuwe alinea.\n", encoding="utf-8")
    changed = run_brief([*inputs, *_mail_args(out)], env=env)
    assert changed.returncode == 0 and len(_sent(box)) == 2
    news = _sent(box)[1].get_body(("plain",)).get_content()
    assert "1 briefed, 2 unchanged, 0 failed" in news and "001_artikel.txt" in news and "000_artikel.txt" not in news

    empty = run_brief([*inputs, *_mail_args(out), "--send-empty"], env=env)
    assert empty.returncode == 0 and len(_sent(box)) == 3
    assert _sent(box)[2]["Subject"].startswith("Briefs: no new articles")


@pytest.mark.parametrize(
    "command, said",
    [
        ("false", "mail not sent: `false` exited with status 1: it printed nothing"),
        ("/nonexistent/sendmail -t", "mail not sent: /nonexistent/sendmail: command not found"),
        ("sh -c 'echo relay refused >&2; exit 75'", "exited with status 75: relay refused"),
    ],
)
def test_failed_delivery_is_one_line_and_exit_4(tmp_path, command, said):
    [article] = edited_copies(tmp_path / "in", 1)
    result = run_brief([article, *_mail_args(tmp_path / "out")], env=os.environ | {"BRIEF_SENDMAIL": command})
    assert result.returncode == 4, result.stderr
    assert result.stdout == b""
    errors = [line for line in result.stderr.decode().splitlines() if "error" in line]
    assert len(errors) == 1 and said in errors[0]
    assert b"1 briefed, 0 unchanged, 0 failed" in result.stderr  # the run's own summary line still comes
    assert (tmp_path / "out" / "000_artikel.eml").exists()  # the briefs are written all the same


def test_news_stays_news_until_a_mail_carries_it(tmp_path):
    """A failed delivery, or a run that only wrote files, does not use up the news."""
    command, box = _catcher(tmp_path)
    inputs = edited_copies(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert run_brief([*inputs, *MODEL_ARGS, "--out-dir", str(out)]).returncode == 0  # files only, no mail
    failed = run_brief([*inputs, *_mail_args(out)], env=os.environ | {"BRIEF_SENDMAIL": "false"})
    assert failed.returncode == 4 and b"0 briefed, 2 unchanged" in failed.stderr
    delivered = run_brief([*inputs, *_mail_args(out)], env=os.environ | {"BRIEF_SENDMAIL": command})
    assert delivered.returncode == 0 and len(_sent(box)) == 1
    text = _sent(box)[0].get_body(("plain",)).get_content()
    assert "000_artikel.txt" in text and "001_artikel.txt" in text
    again = run_brief([*inputs, *_mail_args(out)], env=os.environ | {"BRIEF_SENDMAIL": command})
    assert again.returncode == 0 and len(_sent(box)) == 1 and b"no mail sent" in again.stderr


def test_sendmail_command_that_cannot_be_split_is_exit_2_before_any_work(tmp_path):
    result = run_brief(["x.txt", *_mail_args(tmp_path / "out")], env=os.environ | {"BRIEF_SENDMAIL": "'unbalanced"})
    assert result.returncode == 2 and b"cannot be split" in result.stderr and b"Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_hung_sendmail_is_killed_with_what_it_started(tmp_path):
    from translate_summarize.errors import DeliveryError
    from translate_summarize.run.deliver import sendmail

    pids = tmp_path / "pids"
    began = time.monotonic()
    with pytest.raises(DeliveryError, match="did not finish within 1 s"):
        sendmail(b"x", f"sh -c 'echo $$ > {pids}; sleep 60 & echo $! >> {pids}; wait'", timeout=1)
    assert time.monotonic() - began < 10  # not waiting for the grandchild either
    time.sleep(0.2)
    for pid in map(int, pids.read_text().split()):
        status = Path(f"/proc/{pid}/status")
        # Gone, or a zombie waiting for its new parent (the init of this sandbox) to reap it: not running.
        assert not status.exists() or "\nState:\tZ" in status.read_text(), status.read_text()


def test_sendmail_mails_the_email_format_whatever_the_format_setting(tmp_path):
    command, box = _catcher(tmp_path)
    [article] = edited_copies(tmp_path / "in", 1)
    env = os.environ | {"BRIEF_SENDMAIL": command, "BRIEF_FORMAT": "markdown"}
    result = run_brief([article, *_mail_args(tmp_path / "out")], env=env)
    assert result.returncode == 0 and len(_sent(box)) == 1
    assert b"format markdown is not used" in result.stderr and (tmp_path / "out" / "000_artikel.eml").exists()


def test_new_only_leaves_unchanged_briefs_out_of_stdout(tmp_path):
    inputs = edited_copies(tmp_path / "in", 2)
    out = ["--out-dir", str(tmp_path / "out"), *MODEL_ARGS]
    assert run_brief([*inputs, *out]).stdout.count(b"## Full text") == 2
    assert run_brief([*inputs, *out]).stdout.count(b"## Full text") == 2  # as before without --new-only
    assert run_brief([*inputs, *out, "--new-only"]).stdout == b""
    Path(inputs[0]).write_text("Een heel ander artikel over de gemeente.", encoding="utf-8")
    changed = run_brief([*inputs, *out, "--new-only"]).stdout.decode()
    assert changed.count("## Full text") == 1 and "heel ander artikel" in changed


# --- a real MTA: Debian's exim4, where CI installed it ------------------------------------------------

EXIM = Path("/usr/sbin/exim4")


@pytest.mark.skipif(not EXIM.exists() or os.geteuid() != 0, reason="needs exim4 (Debian) and root to read the spool")
def test_thirty_article_digest_arrives_through_the_local_mta(tmp_path):
    """`brief --sendmail` with the default sendmail hands a 30-article digest to exim4, which
    delivers it to a local mailbox: whole, every summary in the HTML part before Gmail's clip."""
    inputs = edited_copies(tmp_path / "in", 30)
    tag = uuid.uuid4().hex[:12]
    # --no-group: 30 edited copies of one article would be one story (issue #23); this is about 30 entries.
    args = [*_mail_args(tmp_path / "out"), "--to", "root@localhost", "--subject", f"digest {tag}", "--no-group"]
    result = run_brief([*inputs, *args], env=os.environ | {"BRIEF_SENDMAIL": "/usr/sbin/sendmail -t -oi -odf"}, timeout=900)
    assert result.returncode == 0, result.stderr.decode()
    message = None
    for _ in range(100):  # exim delivers in the foreground with -odf; allow a slow disk
        for path in (Path("/var/mail/mail"), Path("/var/mail/root")):
            if path.exists():
                for item in mailbox.mbox(str(path)):
                    if item["Subject"] == f"digest {tag}":
                        message = email.message_from_bytes(item.as_bytes(), policy=policy.default)
        if message is not None:
            break
        time.sleep(0.1)
    assert message is not None, "the digest did not arrive in the local mailbox"
    html_part = message.get_body(("html",))
    assert len(html_part.get_payload().encode()) < HTML_BUDGET
    html = html_part.get_content()
    assert html.count('<b class="lb">EN </b>') == 30 and html.count('<b class="lb">NL </b>') == 30
    assert "30 briefed, 0 unchanged, 0 failed" in html
    assert all(f"{n:03d}_artikel.txt" in html for n in range(30))
    assert list(message.iter_attachments()), "30 ordinary articles do not all fit: some full texts are attached"
