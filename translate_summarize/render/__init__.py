"""Output formats: name -> Format(ext, render(brief), digest(briefs)).

`render` takes one Brief, `digest` a sequence of them; both return str, except e-mail, whose
functions return bytes (LF line ends, for `sendmail -t -oi` or an .eml file) and need the mail
options as keywords: to=..., sender=..., and optionally subject, date, html, text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .email_format import render_email
from .html import render_html, render_html_digest
from .json_format import render_json, render_json_digest
from .markdown import render_markdown, render_markdown_digest
from .text import render_text, render_text_digest


@dataclass(frozen=True)
class Format:
    name: str
    ext: str
    render: Callable[..., Any]
    digest: Callable[..., Any]
    binary: bool = False  # True: the functions return bytes (write with "wb")


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("markdown", ".md", render_markdown, render_markdown_digest),
        Format("text", ".txt", render_text, render_text_digest),
        Format("html", ".html", render_html, render_html_digest),
        Format("json", ".json", render_json, render_json_digest),
        Format("email", ".eml", render_email, render_email, binary=True),
    )
}

__all__ = ["FORMATS", "Format"]
