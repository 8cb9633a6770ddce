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
from pathlib import Path

from ..errors import InputError
from .markup import strip_markup

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


_SOFT_HYPHEN_BREAK = re.compile("\u00ad[ \t]*\n[ \t]*")


def normalise(text: str) -> str:
    """Unix line ends, plain spaces, no invisible characters; visible characters are kept as they are.

    Line separators (CR, CRLF, U+2028, NEL) become newlines, paragraph separators and form feeds blank
    lines; a soft hyphen at a line end joins the word it split; every other whitespace character
    (tab, nbsp, thin space) a space; format characters
    (zero-width spaces and joiners, BOMs, soft hyphens, direction marks) and control characters go.
    """
    text = _LINE_BREAK.sub(lambda match: _LINE_BREAKS[match.group(0)], text)
    text = _SOFT_HYPHEN_BREAK.sub("", text)  # voetbal\u00ad⏎velden: one word, hyphenated only by the layout
    text = _SPACE.sub(" ", text)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return unicodedata.normalize("NFC", text)


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
