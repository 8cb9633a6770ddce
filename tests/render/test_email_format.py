"""E-mail renderer: valid MIME, both parts decode back to the brief, no header injection, real SMTP."""

from __future__ import annotations

import smtplib
import socket
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

import pytest
from hypothesis import given, settings

from translate_summarize.render import FORMATS
from translate_summarize.render.email_format import (
    SUBJECT_MAX,
    build_message,
    clean_header,
    parse_addresses,
    render_email,
)
from translate_summarize.render.html import render_html, render_html_digest
from translate_summarize.render.text import render_text, render_text_digest

from ..briefs import NASTY_LINES, brief_strategy, make_brief, nasty_brief

MAIL = {"to": "Redactie <redactie@example.nl>", "sender": "Briefs Bot <briefs@news.example.org>"}
DATE = datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
HEADERS = {"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"}


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[return-value]


def subject(message: EmailMessage) -> str:
    """The decoded Subject. When the whole subject fits on a line of its own, Python folds it
    onto a continuation line ("Subject:\\n Brief: ...") and its parser keeps the folding space;
    mail readers drop it, and so do we."""
    return str(message["Subject"]).lstrip(" ")


def parts(message: EmailMessage) -> dict[str, str]:
    """Each part's text. A base64 part (chosen when a line is a lone ".") carries text in its
    canonical form, CRLF line ends (RFC 2045, 6.8), which decode as such: compared as LF here."""
    return {part.get_content_type(): part.get_content().replace("\r\n", "\n") for part in message.iter_parts()}


def test_single_brief_message():
    brief = make_brief(headline="Één Chinese fabriek: ‘groot potentieel’")
    raw = render_email([brief], **MAIL, date=DATE)
    assert raw.isascii()  # 7-bit clean: RFC 2047 headers, quoted-printable bodies
    assert b"\r" not in raw  # LF line ends, as `sendmail -t` reads them
    message = parse(raw)
    assert set(message.keys()) == HEADERS
    assert message.get_content_type() == "multipart/alternative"
    assert subject(message) == "Brief: Één Chinese fabriek: ‘groot potentieel’"
    assert message["From"].addresses[0].addr_spec == "briefs@news.example.org"
    assert message["From"].addresses[0].display_name == "Briefs Bot"
    assert [a.addr_spec for a in message["To"].addresses] == ["redactie@example.nl"]
    assert message["MIME-Version"] == "1.0"
    assert parsedate_to_datetime(message["Date"]) == DATE
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@news.example.org>")
    assert not message.defects and all(not part.defects for part in message.walk())
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    for part in message.iter_parts():
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
    decoded = parts(message)
    assert decoded["text/plain"] == render_text(brief)
    assert decoded["text/html"] == render_html(brief)
    assert "één volledig" in decoded["text/plain"] and "één volledig" in decoded["text/html"]


def test_build_message_is_wire_format_and_render_email_is_lf():
    message = build_message(make_brief(), **MAIL)
    assert b"\r\n" in message.as_bytes() and b"\n" not in message.as_bytes().replace(b"\r\n", b"")
    assert render_email(make_brief(), **MAIL) .count(b"\r") == 0
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None  # default date: now, local


def test_digest_is_one_message_with_contents():
    briefs = [make_brief(headline=f"Kop {n} één", article={"name": f"a{n}.txt"}) for n in (1, 2, 3)]
    message = parse(render_email(briefs, **MAIL, date=DATE))
    assert subject(message) == "Briefs: 3 articles (2024-05-01)"
    decoded = parts(message)
    assert decoded["text/plain"] == render_text_digest(briefs)
    assert decoded["text/html"] == render_html_digest(briefs)
    for n in (1, 2, 3):
        assert f"{n}. Kop {n} één\n" in decoded["text/plain"]
        assert f'<a href="#text-{n}"' in decoded["text/html"]


def test_header_injection_via_headline_and_subject():
    for options in ({}, {"subject": f"Onderwerp {NASTY_LINES}"}):
        raw = render_email([nasty_brief()], **MAIL, **options)
        message = parse(raw)
        assert set(message.keys()) == HEADERS
        assert "Bcc" not in message and "X-Injected" not in message
        head = raw.split(b"\n\n", 1)[0]
        assert b"\nBcc:" not in head and b"\nX-Injected:" not in head
        line = subject(message)
        assert "\n" not in line and "\r" not in line
        assert "Bcc: victim@example.org" in line  # kept as text, on the one line
        assert len(line) <= SUBJECT_MAX
        assert [a.addr_spec for a in message["To"].addresses] == ["redactie@example.nl"]


def test_encoded_word_in_headline_stays_literal():
    message = parse(render_email([make_brief(headline="=?utf-8?q?Hacked?= news")], **MAIL))
    assert subject(message).replace("\u2060", "") == "Brief: =?utf-8?q?Hacked?= news"


def test_subject_is_cleaned_and_capped():
    assert clean_header("a\r\nb\tc\x00d\u2028e\u202eF") == "a b c d eF"
    long = "één " * 100
    message = parse(render_email([make_brief(headline=long)], **MAIL))
    assert SUBJECT_MAX - 2 <= len(subject(message)) <= SUBJECT_MAX and subject(message).endswith("…")
    assert subject(message).startswith("Brief: één één")
    override = parse(render_email([make_brief()], **MAIL, subject="  Mijn\n onderwerp  "))
    assert subject(override) == "Mijn onderwerp"


@pytest.mark.parametrize(
    "bad",
    [
        "foo",
        "a@",
        "@example.org",
        "",
        "   ",
        "a@b\r\nBcc: victim@example.org",
        "a@b.nl\nBcc: victim@example.org",
        "alice@example.org)<bob@example.org>",
        "a b@example.org",
        "x@[127.0.0.1]",
        "jan@-example.nl",
        "jan@exa_mple.nl",
        "jän@example.nl",
        "Undisclosed: ;",
        "a@b..nl",
        '"a b"@example.org',
    ],
)
def test_invalid_addresses_rejected_with_one_line(bad):
    for options in ({"to": bad, "sender": MAIL["sender"]}, {"to": MAIL["to"], "sender": bad}):
        with pytest.raises(ValueError) as error:
            build_message([make_brief()], **options)
        assert "\n" not in str(error.value) and "address" in str(error.value)


def test_valid_addresses():
    found = parse_addresses(["Jan Jansen <jan@example.nl>, piet.p+news@sub.example.org", "root@localhost\n"])
    assert [a.addr_spec for a in found] == ["jan@example.nl", "piet.p+news@sub.example.org", "root@localhost"]
    assert parse_addresses("Zoë <zoe@bücher.example>")[0].addr_spec == "zoe@xn--bcher-kva.example"
    to = "Zoë de Vries <zoe@example.nl>, b@example.org"
    message = parse(render_email([make_brief()], to=to, sender=MAIL["sender"]))
    assert [a.display_name for a in message["To"].addresses] == ["Zoë de Vries", ""]


def test_missing_addresses():
    with pytest.raises(ValueError, match="no recipient address given"):
        build_message([make_brief()], to=None, sender=MAIL["sender"])
    with pytest.raises(ValueError, match="no sender address given"):
        build_message([make_brief()], to=MAIL["to"], sender=None)


def test_default_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714555800")  # 2024-05-01T09:30:00Z
    message = parse(render_email([make_brief(), make_brief()], **MAIL))
    assert parsedate_to_datetime(message["Date"]) == datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
    assert subject(message) == "Briefs: 2 articles (2024-05-01)"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    date = parsedate_to_datetime(parse(render_email(make_brief(), **MAIL))["Date"])
    after = datetime.now(timezone.utc)
    assert before <= date <= after  # the time of rendering (the header has whole seconds)


def test_exactly_one_sender():
    with pytest.raises(ValueError, match="exactly one sender"):
        build_message([make_brief()], to=MAIL["to"], sender="a@example.org, b@example.org")


def test_single_part_and_errors():
    text_only = parse(render_email(make_brief(), **MAIL, html=False))
    assert text_only.get_content_type() == "text/plain" and text_only.get_content() == render_text(make_brief())
    html_only = parse(render_email(make_brief(), **MAIL, text=False))
    assert html_only.get_content_type() == "text/html" and html_only.get_content() == render_html(make_brief())
    with pytest.raises(ValueError, match="text part"):
        build_message([make_brief()], **MAIL, html=False, text=False)
    with pytest.raises(ValueError, match="no briefs"):
        build_message([], **MAIL)


def test_lone_dot_line_is_base64():
    brief = make_brief(headline=".")
    message = parse(render_email(brief, **MAIL))
    plain = next(message.iter_parts())
    assert plain["Content-Transfer-Encoding"] == "base64"
    # base64 text carries canonical CRLF line breaks; a reader turns them back into newlines
    assert plain.get_content().replace("\r\n", "\n") == render_text(brief)
    assert render_text(brief).startswith(".\n")


def test_registry_entry():
    email = FORMATS["email"]
    assert email.ext == ".eml" and email.mail and email.one_document
    assert subject(parse(email.document([make_brief()], digest=False, mail=MAIL))).startswith("Brief: Musk praises")
    assert subject(parse(email.render(make_brief(), **MAIL))).startswith("Brief: Musk praises")
    assert subject(parse(email.digest([make_brief(), make_brief()], **MAIL))).startswith("Briefs: 2 articles")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_send_through_a_real_smtp_server():
    controller_module = pytest.importorskip("aiosmtpd.controller")

    class Sink:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 OK"

    sink = Sink()
    controller = controller_module.Controller(sink, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    try:
        briefs = [make_brief(headline="Kop één"), nasty_brief(), make_brief(headline="Derde")]
        message = build_message(briefs, to="a@example.nl, Bée <b@example.org>", sender=MAIL["sender"], date=DATE)
        with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
            refused = client.send_message(message)
        assert refused == {}
    finally:
        controller.stop()
    assert len(sink.envelopes) == 1
    envelope = sink.envelopes[0]
    assert envelope.mail_from == "briefs@news.example.org"
    assert envelope.rcpt_tos == ["a@example.nl", "b@example.org"]
    assert b"\r\n" in envelope.content  # SMTP carries CRLF lines; a reader turns them into newlines
    received = parse(envelope.content.replace(b"\r\n", b"\n"))
    assert subject(received) == "Briefs: 3 articles (2024-05-01)"
    assert "Bcc" not in received and "X-Injected" not in received
    decoded = parts(received)
    assert decoded["text/plain"] == render_text_digest(briefs)
    assert decoded["text/html"] == render_html_digest(briefs)


@settings(max_examples=40, deadline=None)
@given(brief_strategy())
def test_never_crashes_never_loses_text(brief):
    raw = render_email([brief], **MAIL, date=DATE)
    assert raw.isascii()
    message = parse(raw)
    assert set(message.keys()) == HEADERS
    assert "\n" not in subject(message) and len(subject(message)) <= SUBJECT_MAX
    decoded = parts(message)
    assert decoded["text/plain"] == render_text(brief)
    assert decoded["text/html"] == render_html(brief)


def test_lone_dot_text_part_decodes_to_the_text():
    """Found by the property test below: a lone "." line makes the part base64, whose text decodes
    with CRLF line ends; it is the same text."""
    brief = make_brief(summary_nl=".")
    message = parse(render_email([brief], **MAIL, date=DATE))
    assert [part["Content-Transfer-Encoding"] for part in message.iter_parts()][0] == "base64"
    assert parts(message)["text/plain"] == render_text(brief)
