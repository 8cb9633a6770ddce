"""Read an article file into normalised plain text, or fail with a one-line reason naming the file.

Files arrive as UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the zero bytes give
it away), or cp1252/latin-1 from older systems; with CRLF or CR line ends, tabs, non-breaking and
zero-width spaces; sometimes as Markdown (``# Title``, ``**bold**``) or as an HTML page. charset-normalizer
detects what is not UTF-8, because guessing by hand gets cp1252 vs latin-1 wrong. HTML is reduced to
its text with the standard library's `html.parser` (tags dropped, entities unescaped, scripts and
styles skipped; nothing is executed or fetched).

Every refusal is an `InputError` whose message is one line: ``<file>: <reason>``.
"""

from __future__ import annotations

import codecs
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError

DEFAULT_MAX_BYTES = 1_000_000
STDIN = "-"
STDIN_NAME = "<stdin>"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# File signatures worth naming in the error: people do pass the PDF or the Word file by mistake.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, e.g. .docx or .odt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
)
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x0c": "\n\n", "\x0b": "\n"}
_LINE_BREAK = re.compile("|".join(re.escape(key) for key in _LINE_BREAKS))
_SPACE = re.compile(r"[^\S\n]")  # any whitespace but a line end: tabs, nbsp, thin and ideographic spaces
_BLANK_LINES = re.compile(r"\n[ ]*\n(?:[ ]*\n)+")


@dataclass(frozen=True)
class SourceText:
    """An input's text, normalised, with how it was read (for verbose logs and the JSON output)."""

    path: Path
    text: str
    encoding: str
    markup: str = "text"  # "text", "markdown" or "html": which markup was removed


def display_name(path: object) -> str:
    """The name used in messages, kept on one line even when the file name holds a line break."""
    name = str(path)
    return name if name.isprintable() else ascii(name)


def input_name(path: object) -> str:
    """How messages about an input name it: `<stdin>` for `-`, else its one-line display name."""
    return STDIN_NAME if str(path) == STDIN else display_name(path)


# ---------------------------------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------------------------------


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes are UTF-16 text without a byte-order mark, else None.

    Mostly-Latin text in UTF-16 has a zero byte in every other position; that pattern, and a clean
    decode without control characters, is the evidence.
    """
    sample = data[:8192]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    for zeros, others, encoding in ((odd_zeros, even_zeros, "utf-16-le"), (even_zeros, odd_zeros, "utf-16-be")):
        if zeros >= pairs * 0.3 and others <= pairs * 0.02:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0c" for ch in text):
                return encoding
    return None


def decode(data: bytes, name: object) -> tuple[str, str]:
    """Text and the encoding it was read with; raises InputError for binary or undecodable data."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(name, f"starts with a {label} byte-order mark but is not valid {label}") from None
    kind = _binary_kind(data)
    if kind:
        raise InputError(name, f"looks like {kind}, not text")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16), utf16
    if _looks_binary(data):
        raise InputError(name, "looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15"]).best()
    if best is not None:
        return str(best), {"latin_1": "latin-1", "iso8859_15": "iso8859-15"}.get(best.encoding, best.encoding)
    # Too little text for a verdict (a byte or two): cp1252 is what such files nearly always are.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise InputError(name, "cannot tell its text encoding (not UTF-8, UTF-16 or cp1252)") from None


def normalise(text: str) -> str:
    """Unix line ends, plain spaces, no invisible characters; visible characters are kept as they are.

    Line separators (CR, CRLF, U+2028, NEL) become newlines, paragraph separators and form feeds blank
    lines; every other whitespace character (tab, nbsp, thin space) a space; format characters
    (zero-width spaces and joiners, BOMs, soft hyphens, direction marks) and control characters go.
    """
    text = _LINE_BREAK.sub(lambda match: _LINE_BREAKS[match.group(0)], text)
    text = _SPACE.sub(" ", text)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------------
# Markup to text
# ---------------------------------------------------------------------------------------------------

_HTML_TAG = re.compile(
    r"<\s*/?\s*(?:!doctype|html|head|body|p|div|br|hr|h[1-6]|article|section|header|footer|main|span|a|ul|ol|li"
    r"|strong|em|b|i|u|table|tr|td|th|title|meta|link|script|style|blockquote|figure|figcaption|img|time)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_DOCUMENT = re.compile(r"^\s*<\s*(?:!doctype\s+html|html|body)\b", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z][a-zA-Z0-9]{1,9});")


def looks_like_html(text: str) -> bool:
    """A document start (<!DOCTYPE html>, <html>, <body>) or at least two known tags."""
    if _HTML_DOCUMENT.search(text):
        return True
    tags = _HTML_TAG.findall(text[:200_000])
    return len(tags) >= 2


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML document: blocks become paragraphs, everything else runs on."""

    SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "iframe", "object", "canvas"})
    BLOCKS = frozenset(
        """p div article section header footer main aside nav blockquote figure figcaption table tr ul ol dl dd dt
        pre address form fieldset details summary h1 h2 h3 h4 h5 h6 hr body html""".split()
    )
    VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skipping:
            if tag in self.SKIP and tag not in self.VOID:
                self.skipping.append(tag)
            return
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
            if tag == "pre":
                self.pre += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.skipping and tag in ("br", "hr"):
            self.parts.append("\n" if tag == "br" else "\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            elif tag in self.skipping:  # a missing end tag inside: close up to this one
                del self.skipping[self.skipping.index(tag) :]
            return
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)  # HTML collapses whitespace; only tags make line breaks
        self.parts.append(data)

    def text(self) -> str:
        text = "".join(self.parts)
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n ")


def html_to_text(html: str) -> str:
    """The readable text of an HTML document or fragment (tags dropped, entities unescaped)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ ]+(?P<text>.+?)(?:[ ]+#+)?[ ]*$", re.MULTILINE)
_MD_SETEXT = re.compile(r"^(?P<text>[^\n]*\S[^\n]*)\n[ ]{0,3}(?:=+|-{2,})[ ]*$", re.MULTILINE)
_MD_RULE = re.compile(r"^[ ]{0,3}(?:(?:-[ ]*){3,}|(?:\*[ ]*){3,}|(?:_[ ]*){3,})$", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(?P<text>[^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_IMAGE_OR_LINK = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")
_MD_CODE = re.compile(r"`(?P<text>[^`\n]+)`")
_MD_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?", re.MULTILINE)
_MD_BULLET = re.compile(r"^(?P<indent>[ ]*)[*+](?=[ ]+\S)", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!>])")


def looks_like_markdown(text: str) -> bool:
    """An ATX heading line, bold text or a link: enough to tell Markdown from plain prose."""
    return bool(_MD_HEADING.search(text) or _MD_BOLD.search(text) or _MD_IMAGE_OR_LINK.search(text))


def markdown_to_text(text: str) -> str:
    """Markdown's text: headings become their own paragraphs, emphasis/link/code markers go.

    List items keep their "- " marker on their own line; what counts as a paragraph is left to the
    article parser, as for plain text.
    """
    text = _MD_HEADING.sub(lambda m: f"\n\n{m.group('text').strip()}\n\n", text)
    text = _MD_SETEXT.sub(lambda m: f"\n\n{m.group('text').strip()}\n\n", text)
    text = _MD_RULE.sub("\n", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_BULLET.sub(lambda m: f"{m.group('indent')}-", text)
    text = _MD_IMAGE_OR_LINK.sub(lambda m: m.group("text"), text)
    text = _MD_CODE.sub(lambda m: m.group("text"), text)
    text = _MD_BOLD.sub(lambda m: m.group("text"), text)
    text = _MD_ITALIC.sub(lambda m: m.group("text"), text)
    text = _MD_ESCAPE.sub(lambda m: m.group("char"), text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


def strip_markup(text: str) -> tuple[str, str]:
    """(plain text, what was removed: "html", "markdown" or "text")."""
    if looks_like_html(text):
        return html_to_text(text), "html"
    # Entities without tags (a CMS export): unescape the well-formed ones, leave "R&D" alone.
    if len(_ENTITY.findall(text)) >= 2:
        import html

        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if looks_like_markdown(text):
        return markdown_to_text(text), "markdown"
    return text, "text"


# ---------------------------------------------------------------------------------------------------
# Reading an input
# ---------------------------------------------------------------------------------------------------


def _read_stdin(max_bytes: int) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError(STDIN_NAME, "cannot be read (no standard input)")
    try:
        return stream.read(max_bytes + 1)
    except OSError as error:
        raise InputError(STDIN_NAME, f"cannot be read ({error.strerror or error})") from None


def _read_file(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink():
            raise InputError(name, "no such file (broken symbolic link)") from None
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", name)
        if scheme:  # ftp://..., file://...: a URL brief does not fetch, not a missing file
            raise InputError(name, "is not a file, and brief fetches only http and https URLs") from None
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as error:
        raise InputError(name, f"cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a directory, not an article file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(name, "is not a regular file")
    if info.st_size > max_bytes:
        raise InputError(name, f"is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not an article file") from None
    except OSError as error:
        raise InputError(name, f"cannot be read ({error.strerror or error})") from None


def read_bytes(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of one input (a path, or `-` for stdin): at most `max_bytes`, not empty.

    Raises InputError naming the input (`input_name`) when it cannot be read, is too big or is empty.
    """
    name = input_name(path)
    data = _read_stdin(max_bytes) if str(path) == STDIN else _read_file(Path(path), name, max_bytes)
    if len(data) > max_bytes:
        raise InputError(name, f"is over the {max_bytes:,}-byte limit (--max-bytes)")
    if not data:
        raise InputError(name, "is empty")
    return data


def source_path(path: Path | str) -> Path:
    """The path a `SourceText` records for an input: `stdin.txt` for `-`, else the path itself."""
    return Path("stdin.txt") if str(path) == STDIN else Path(path)


def read_source(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one input (a path, or `-` for stdin) as normalised plain text."""
    return text_from_bytes(read_bytes(path, max_bytes), source_path(path), input_name(path))


def text_from_bytes(data: bytes, path: Path, name: str) -> SourceText:
    """An input's bytes, already read, as normalised plain text; InputError naming it (`name`) if unusable."""
    text, encoding = decode(data, name)
    text = normalise(text)
    if not text.strip():
        raise InputError(name, "contains only whitespace")
    text, markup = strip_markup(text)
    text = normalise(text)  # unescaped entities may have brought back nbsp or zero-width characters
    if not text.strip():
        removed = "HTML tags are" if markup == "html" else "Markdown formatting is"
        raise InputError(name, f"has no text once its {removed} removed")
    return SourceText(path=path, text=text, encoding=encoding, markup=markup)
