"""Reading inputs: every bad input gets its exact one-line message; every good one its text, whatever the wrapping."""

from __future__ import annotations

import io
import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from translate_summarize.data import BlockKind
from translate_summarize.errors import InputError
from translate_summarize.text import reader
from translate_summarize.text.article import parse_article
from translate_summarize.text.reader import DEFAULT_MAX_BYTES, read_source

TEXT = "Café ‘De Gouden Leeuw’ in Zürich kost €3,50.\n\nHet is 12 procent duurder dan in België."


# --- bad inputs: a table of (setup, expected message) ----------------------------------------------


def _write(data: bytes, name: str = "article.txt"):
    def setup(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return setup


def _missing(tmp: Path) -> Path:
    return tmp / "missing.txt"


def _missing_folder(tmp: Path) -> Path:
    return tmp / "nope" / "missing.txt"


def _broken_link(tmp: Path) -> Path:
    link = tmp / "link.txt"
    link.symlink_to(tmp / "gone.txt")
    return link


def _directory(tmp: Path) -> Path:
    folder = tmp / "folder"
    folder.mkdir()
    return folder


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe"
    os.mkfifo(path)
    return path


BAD_INPUTS = [
    # (id, setup, max_bytes, reason after "<path>: ")
    ("missing", _missing, DEFAULT_MAX_BYTES, "no such file"),
    ("missing-folder", _missing_folder, DEFAULT_MAX_BYTES, "no such file"),
    ("broken-link", _broken_link, DEFAULT_MAX_BYTES, "no such file (broken symbolic link)"),
    ("directory", _directory, DEFAULT_MAX_BYTES, "is a directory, not an article file"),
    ("fifo", _fifo, DEFAULT_MAX_BYTES, "is not a regular file"),
    ("empty", _write(b""), DEFAULT_MAX_BYTES, "is empty"),
    ("whitespace", _write(b" \n\t\r\n  \n"), DEFAULT_MAX_BYTES, "contains only whitespace"),
    ("nbsp-and-zero-width", _write("\u00a0\u200b \ufeff\n\u2060".encode()), DEFAULT_MAX_BYTES, "contains only whitespace"),
    ("bom-only", _write(b"\xef\xbb\xbf"), DEFAULT_MAX_BYTES, "contains only whitespace"),
    ("binary", _write(bytes(range(256)) * 4), DEFAULT_MAX_BYTES, "looks like a binary file, not text"),
    ("nul-bytes", _write(b"Het kabinet\x00\x00\x01\x02 viel.\x00\xff\xfe\x00"), DEFAULT_MAX_BYTES, "looks like a binary file, not text"),
    ("pdf", _write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), DEFAULT_MAX_BYTES, "looks like a PDF document, not text"),
    ("docx", _write(b"PK\x03\x04\x14\x00\x06\x00", "a.docx"), DEFAULT_MAX_BYTES, "looks like a ZIP archive, e.g. .docx or .odt, not text"),
    ("png", _write(b"\x89PNG\r\n\x1a\n\x00\x00"), DEFAULT_MAX_BYTES, "looks like a PNG image, not text"),
    ("too-big", _write(b"x" * 2001), 2000, "is 2,001 bytes, over the 2,000-byte limit (--max-bytes)"),
    ("bad-utf16-bom", _write(b"\xff\xfeH\x00e\x00\x00\xd8"), DEFAULT_MAX_BYTES, "starts with a UTF-16 byte-order mark but is not valid UTF-16"),
    ("html-without-text", _write(b"<html><head><title>x</title></head><body><script>alert(1)</script></body></html>"), DEFAULT_MAX_BYTES, "has no text once its HTML tags are removed"),
    ("markdown-without-text", _write(b"[](https://example.org/a)\n![](b.png)\n"), DEFAULT_MAX_BYTES, "has no text once its Markdown formatting is removed"),
]


@pytest.mark.parametrize(("setup", "max_bytes", "reason"), [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_message(tmp_path, setup, max_bytes, reason):
    path = setup(tmp_path)
    with pytest.raises(InputError) as caught:
        read_source(path, max_bytes=max_bytes)
    message = str(caught.value)
    if reason is not None:
        assert message == f"{path}: {reason}"
    assert message.startswith(f"{path}: ") and "\n" not in message


def test_permission_denied_when_opening(tmp_path, monkeypatch):
    path = _write(TEXT.encode())(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader, "open", refuse, raising=False)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value) == f"{path}: permission denied"


def test_permission_denied_on_the_folder(tmp_path, monkeypatch):
    path = tmp_path / "secret" / "a.txt"

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "stat", refuse)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value) == f"{path}: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_file(tmp_path):
    path = _write(TEXT.encode())(tmp_path)
    path.chmod(0)
    with pytest.raises(InputError, match=r": permission denied$"):
        read_source(path)


def test_other_os_errors_are_one_line(tmp_path, monkeypatch):
    path = _write(TEXT.encode())(tmp_path)

    def fail(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(reader, "open", fail, raising=False)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value) == f"{path}: cannot be read (Input/output error)"


def test_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    path = tmp_path / "bad\nname.txt"
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert "\n" not in str(caught.value) and str(caught.value).endswith(": no such file")


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize(
    ("data", "max_bytes", "message"),
    [
        (b"", DEFAULT_MAX_BYTES, "<stdin>: is empty"),
        (b"  \n", DEFAULT_MAX_BYTES, "<stdin>: contains only whitespace"),
        (b"x" * 101, 100, "<stdin>: is over the 100-byte limit (--max-bytes)"),
        (b"\x00\x01\x02\x03binary", DEFAULT_MAX_BYTES, "<stdin>: looks like a binary file, not text"),
    ],
)
def test_bad_stdin(monkeypatch, data, max_bytes, message):
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    with pytest.raises(InputError) as caught:
        read_source("-", max_bytes=max_bytes)
    assert str(caught.value) == message


def test_closed_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError, match=r"^<stdin>: cannot be read \(no standard input\)$"):
        read_source("-")


def test_glob_that_matches_nothing(tmp_path):
    from translate_summarize.run import inputs as run_inputs

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    pattern = str(tmp_path / "*.md")
    inputs, unmatched = run_inputs.expand_inputs([str(tmp_path / "*.txt"), pattern])
    assert inputs == [str(tmp_path / "a.txt")]
    assert unmatched == [pattern]


# --- good inputs: encodings, line ends, invisible characters ---------------------------------------

ENCODED = [
    ("utf-8", TEXT.encode("utf-8"), "utf-8"),
    ("utf-8-bom", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    ("utf-16-bom-le", TEXT.encode("utf-16-le").join([b"\xff\xfe", b""]), "utf-16"),
    ("utf-16-bom-be", b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    ("utf-16-le", TEXT.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", TEXT.encode("utf-16-be"), "utf-16-be"),
    ("utf-32-bom", TEXT.encode("utf-32"), "utf-32"),
    ("cp1252", TEXT.encode("cp1252"), "cp1252"),
    ("latin-1", TEXT.replace("‘", "'").replace("’", "'").replace("€", "EUR ").encode("latin-1"), "cp1252"),
]


@pytest.mark.parametrize(("data", "encoding"), [case[1:] for case in ENCODED], ids=[case[0] for case in ENCODED])
def test_encodings(tmp_path, data, encoding):
    source = read_source(_write(data)(tmp_path))
    expected = TEXT if encoding != "cp1252" or b"EUR" not in data else data.decode("latin-1")
    assert source.text == expected
    assert source.encoding == encoding
    assert source.markup == "text"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Een.\r\n\r\nTwee.\r\n", "Een.\n\nTwee.\n"),
        ("Een.\r\rTwee.\r", "Een.\n\nTwee.\n"),
        ("Een.\u2029Twee.\u2028Drie.", "Een.\n\nTwee.\nDrie."),
        ("Het\tkabinet\u00a0viel\u202fdinsdag\u2003laat.", "Het kabinet viel dinsdag laat."),
        ("Het ka\u200bbinet\u00ad viel\u2060 op\u200d dins\ufeffdag.", "Het kabinet viel op dinsdag."),
        ("Links\u200e en\u202a rechts\u202c.", "Links en rechts."),
        ("Cafe\u0301 is open.", "Café is open."),  # NFC
        ("Een bel\x07 in een zin die gewoon doorgaat met tekst en nog meer tekst\x1b.", "Een bel in een zin die gewoon doorgaat met tekst en nog meer tekst."),
    ],
)
def test_normalisation(tmp_path, raw, text):
    assert read_source(_write(raw.encode("utf-8"))(tmp_path)).text == text


def test_very_long_line(tmp_path):
    line = " ".join(f"woord{i}" for i in range(40_000)) + "."
    assert read_source(_write(line.encode())(tmp_path)).text == line


def test_no_blank_lines_keeps_every_line(tmp_path):
    raw = "Eerste alinea zonder lege regel.\nTweede alinea.\nDerde alinea."
    source = read_source(_write(raw.encode())(tmp_path))
    assert source.text == raw
    article = parse_article(source.text, source.path)
    assert [block.text for block in article.blocks] == raw.split("\n")


def test_metadata_line_survives(tmp_path):
    raw = " date 2021-09 Chinese automakers zijn de meest concurrerende in de wereld.\n\nTweede alinea."
    article = parse_article(read_source(_write(raw.encode())(tmp_path)).text, tmp_path / "a.txt")
    assert article.date == "2021-09"


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(TEXT.encode("cp1252")))
    source = read_source("-")
    assert source.text == TEXT and source.encoding == "cp1252" and source.path == Path("stdin.txt")


# --- markup ---------------------------------------------------------------------------------------

MARKDOWN = """# Kabinet trekt 3,5 miljard uit

Het **kabinet** trekt [extra geld](https://example.org/nieuws "bron") uit voor *defensie*.

## Reacties
* De oppositie is kritisch.
* De NAVO is blij.

> ‘Dit is een goede stap’, zei de minister.

---
Tekst met een #hashtag, een snake_case_naam en 3 * 4 = 12.
"""


def test_markdown(tmp_path):
    source = read_source(_write(MARKDOWN.encode(), "a.md")(tmp_path))
    assert source.markup == "markdown"
    assert source.text == (
        "Kabinet trekt 3,5 miljard uit\n\n"
        "Het kabinet trekt extra geld uit voor defensie.\n\n"
        "Reacties\n\n"
        "- De oppositie is kritisch.\n- De NAVO is blij.\n\n"
        "‘Dit is een goede stap’, zei de minister.\n\n"
        "Tekst met een #hashtag, een snake_case_naam en 3 * 4 = 12."
    )
    article = parse_article(source.text, source.path)
    assert [block.kind for block in article.blocks][:3] == [BlockKind.TITLE, BlockKind.PARAGRAPH, BlockKind.SUBHEADING]


HTML = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Nieuws</title>
<style>p { color: red }</style><script>document.write("<p>nep</p>")</script></head>
<body><h1>Kabinet trekt 3,5&nbsp;miljard uit</h1>
<p>Het kabinet &amp; de Kamer zijn het eens: &euro;&#8239;3,5 miljard voor <b>defensie</b>,
   zo <a href="https://example.org">meldt</a> de NOS.</p>
<ul><li>De oppositie is kritisch.</li><li>De NAVO is blij.</li></ul>
<p>Eerste regel<br>tweede regel &lt;geen tag&gt;</p>
<!-- commentaar --><noscript>Zet JavaScript aan.</noscript>
</body></html>
"""


def test_html(tmp_path):
    source = read_source(_write(HTML.encode(), "a.html")(tmp_path))
    assert source.markup == "html"
    assert source.text == (
        "Kabinet trekt 3,5 miljard uit\n\n"
        "Het kabinet & de Kamer zijn het eens: € 3,5 miljard voor defensie, zo meldt de NOS.\n\n"
        "- De oppositie is kritisch.\n- De NAVO is blij.\n\n"
        "Eerste regel\ntweede regel <geen tag>"
    )
    assert "nep" not in source.text and "color" not in source.text and "JavaScript" not in source.text


def test_html_fragment_and_plain_text_with_angle_brackets(tmp_path):
    fragment = read_source(_write(b"<p>Een.</p><p>Twee &amp; drie.</p>")(tmp_path))
    assert fragment.markup == "html" and fragment.text == "Een.\n\nTwee & drie."
    plain = read_source(_write("Als x < 3 en y > 4 dan <b> geldt R&D-aftrek.".encode())(tmp_path))
    assert plain.markup == "text" and plain.text == "Als x < 3 en y > 4 dan <b> geldt R&D-aftrek."


def test_entities_without_tags(tmp_path):
    source = read_source(_write(b"Prijs: &euro; 3,50 &amp; meer, zei &#8216;hij&#8217;. R&D blijft.")(tmp_path))
    assert source.text == "Prijs: € 3,50 & meer, zei ‘hij’. R&D blijft."


# --- properties -----------------------------------------------------------------------------------

# Characters that could start markup are left out here (markup has its own tests); so are control
# characters other than line ends and tabs, which make a file look binary.
_SAFE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&*_#[]`\\"),
        st.sampled_from("\n\r\t"),
    ),
    min_size=1,
    max_size=300,
)


def _word_characters(text: str) -> list[str]:
    """The word characters a reader must keep: NFC, without the invisible format characters it drops."""
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.findall(r"\w", unicodedata.normalize("NFC", visible))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=_SAFE_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_no_text_is_lost(tmp_path, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    assume(any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text))
    if encoding == "cp1252":
        # Bytes that are valid UTF-8 are read as UTF-8: "Â¡" in cp1252 is "¡" in UTF-8, undecidably.
        try:
            assume(data.decode("utf-8") == text)
        except UnicodeDecodeError:
            pass
    path = tmp_path / "prop.txt"
    path.write_bytes(data)
    source = read_source(path)
    assert _word_characters(source.text) == _word_characters(text)
    assert source.text.split() == unicodedata.normalize(
        "NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    ).split()
    assert "\r" not in source.text and "\t" not in source.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path, data):
    path = tmp_path / "bytes.bin"
    path.write_bytes(data)
    try:
        source = read_source(path)
    except InputError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
    else:
        assert source.text.strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_arbitrary_unicode_never_crashes(tmp_path, text):
    path = tmp_path / "any.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        source = read_source(path)
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert source.text.strip() and "\r" not in source.text


_WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëï", min_size=1, max_size=8), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(_WORDS, min_size=1, max_size=4), style=st.sampled_from(["html", "markdown"]))
def test_markup_keeps_every_word(tmp_path, paragraphs, style):
    if style == "html":
        body = "".join(f"<p>{' '.join(words)}</p>\n" for words in paragraphs)
        raw = f"<html><body><h1>Kop</h1>{body}</body></html>"
    else:
        raw = "# Kop\n\n" + "\n\n".join(f"**{words[0]}** {' '.join(words[1:])}".rstrip() for words in paragraphs)
    path = tmp_path / "markup.txt"
    path.write_text(raw, encoding="utf-8")
    source = read_source(path)
    assert source.markup == style
    assert source.text.split() == ["Kop"] + [word for words in paragraphs for word in words]
