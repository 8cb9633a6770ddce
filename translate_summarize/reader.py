"""Read an article file into normalised text, or fail with a one-line reason naming the file.

Files arrive as UTF-8 (with or without BOM), UTF-16, or cp1252/latin-1 from older systems; with CRLF
or CR line ends, non-breaking and zero-width spaces. charset-normalizer detects what is not UTF-8,
because guessing by hand gets cp1252 vs latin-1 wrong.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

DEFAULT_MAX_BYTES = 1_000_000
STDIN = "-"

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def decode(data: bytes, name: object) -> tuple[str, str]:
    """Text and the encoding it was read with; raises InputError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if _looks_binary(data):
        raise InputError(name, "looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_16", "iso8859_15", "mac_roman"]).best()
    if best is None:
        raise InputError(name, "cannot tell its text encoding (not UTF-8, UTF-16 or cp1252)")
    return str(best), best.encoding


def normalise(text: str) -> str:
    """Unix line ends, plain spaces, no invisible characters; visible characters are kept as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def read_source(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one input (a path, or `-` for stdin) as normalised text."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        path = Path("stdin.txt")
        name: object = "<stdin>"
    else:
        path = Path(path)
        name = path
        if not path.exists():
            raise InputError(name, "no such file")
        if path.is_dir():
            raise InputError(name, "is a directory, not an article file")
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise InputError(name, f"is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")
            data = path.read_bytes()
        except PermissionError:
            raise InputError(name, "permission denied") from None
        except OSError as error:
            raise InputError(name, f"cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:
        raise InputError(name, f"is over the {max_bytes:,}-byte limit (--max-bytes)")
    text, encoding = decode(data, name)
    text = normalise(text)
    if not text.strip():
        raise InputError(name, "is empty" if not data else "contains only whitespace")
    return SourceText(path=path, text=text, encoding=encoding)
