"""Output formats: name -> `Format`, which owns everything the runner needs to know about it.

A format knows its file extension, whether a run's stdout must be one document (one mail, one HTML
page), and how to turn briefs into bytes (`Format.document`). Adding a format is one renderer module
and one `Format(...)` line here; the runner has no per-format branches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..data import RunStatus
from .email_format import render_email
from .html import render_html, render_html_digest
from .json_format import render_json, render_json_digest
from .markdown import render_markdown, render_markdown_digest
from .text import render_text, render_text_digest


@dataclass(frozen=True)
class Format:
    """An output format.

    `render(brief)` makes one brief's document and `digest(briefs, status)` one document for several
    (with the run's `RunStatus`, or None); both return str. A `mail` format's functions instead take
    the list of briefs and the mail options as keywords (to=..., sender=..., subject=..., status=...)
    and return bytes (an RFC 5322 message).
    """

    name: str
    ext: str
    render: Callable[..., Any]
    digest: Callable[..., Any]
    one_document: bool = False  # a run's stdout is one document, even without --digest
    mail: bool = False

    def document(
        self,
        briefs: Sequence[Any],
        *,
        digest: bool,
        mail: Mapping[str, Any] | None = None,
        status: RunStatus | None = None,
    ) -> bytes:
        """The bytes of one file or of stdout: the briefs one after another, or (`digest`) the run's
        digest, which opens with `status` (the run's counts and failures) when given."""
        if self.mail:
            options = dict(mail or {}, status=status if digest else None)
            return (self.digest if digest else self.render)(list(briefs), **options)
        text = self.digest(list(briefs), status) if digest else "".join(self.render(brief) for brief in briefs)
        return text.encode("utf-8", "surrogateescape")


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("markdown", ".md", render_markdown, render_markdown_digest),
        Format("text", ".txt", render_text, render_text_digest),
        Format("html", ".html", render_html, render_html_digest, one_document=True),
        Format("json", ".json", render_json, render_json_digest),
        Format("email", ".eml", render_email, render_email, one_document=True, mail=True),
    )
}

__all__ = ["FORMATS", "Format"]
