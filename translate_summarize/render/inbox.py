"""The digest as an inbox shows it: every summary before the clip, full texts while they fit.

Gmail shows only the first ~102 KB of a message's HTML and hides the rest behind "View entire
message" (Google's Gmail help, "Some of your message is clipped"; measured by Email on Acid and
Litmus at 102 KB of HTML). `plan_digest` therefore builds the digest's HTML part in a fixed order
(the run's status and failures, the list of headlines, then each article's headline, summaries and
checks, then the full side-by-side texts) and keeps the part under `HTML_BUDGET` bytes, counted as
sent: after the part's Content-Transfer-Encoding, so quoted-printable's `=3D` and `=C3=A9` are
counted too. The full text of an article that does not fit is left out of the HTML body, which says
"attached as NAME.html", and the article's whole brief becomes an HTML attachment instead.

What fits: a full text costs about 1.3 bytes of HTML per byte of its Dutch and English text, as sent
(bench/bench_digest.py), so an ordinary article of 2.2 KB of Dutch costs ~6 KB and its entry at the
top ~1.2 KB: about 12 ordinary articles arrive whole; of 30, every summary and about 8 full texts
(the text alone of 30 full texts, ~130 KB, is more than the budget). The text/plain part, which no
client clips, always carries every full text.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from ..common.files import safe_stem
from ..data import Brief, RunStatus
from .html import render_html, render_html_digest
from .mime import POLICY, set_body
from .stories import story_entries
from .text import render_text_digest

log = logging.getLogger(__name__)

# Bytes of the encoded text/html part: 7 KB under Gmail's ~102 KB clip, for the headers of the part
# and for clients that count a little differently.
HTML_BUDGET = 95_000


@dataclass(frozen=True)
class DigestPlan:
    """The two bodies of a digest mail and its attachments (file name -> HTML page, one per article
    whose full text is not in the body)."""

    html: str
    text: str
    html_bytes: int
    attachments: dict[str, str] = field(default_factory=dict)


def encoded_size(body: str, subtype: str = "html") -> int:
    """Bytes of `body` as a mail part carries it on the wire: after quoted-printable or base64
    encoding, with CRLF line ends (RFC 5322)."""
    part = EmailMessage(policy=POLICY)  # the policy of the real message: base64 encodes CRLF line ends
    set_body(part, body, subtype, True)
    payload = str(part.get_payload()).replace("\r\n", "\n")
    return len(payload.encode("ascii")) + payload.count("\n")


def attachment_names(briefs: Sequence[Brief]) -> list[str]:
    """One safe `.html` file name per brief, from its article's name (NFC), unique even where file
    names are compared without case (Windows, macOS): `a.html`, `A-2.html`."""
    names: list[str] = []
    taken: set[str] = set()
    for brief in briefs:
        stem = safe_stem(unicodedata.normalize("NFC", brief.article.name))
        name, n = f"{stem}.html", 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}-{n}.html"
        names.append(name)
        taken.add(name.casefold())
    return names


def plan_digest(briefs: Sequence[Brief], status: RunStatus | None = None, budget: int = HTML_BUDGET) -> DigestPlan:
    """Bodies for one digest mail of `briefs`: HTML with the full text of each story's shown brief
    (`render.stories`), in order, while the encoded HTML part stays within `budget` bytes (a story
    whose full text would pass it is attached; a later, shorter one may still fit), and text with
    every story's full text. If even the summaries pass the budget, every full text is attached and
    a warning says the mail will be clipped."""
    briefs = list(briefs)
    shown = [entry.brief for entry in story_entries(briefs)]
    names = attachment_names(shown)
    attached = dict(enumerate(names))
    html = render_html_digest(briefs, status, attached)
    size = encoded_size(html)
    if size > budget:
        log.warning("the digest's summaries alone are %d bytes of HTML, over the %d-byte budget: Gmail will clip it", size, budget)
    else:
        for index in range(len(shown)):
            trial = {i: name for i, name in attached.items() if i != index}
            trial_html = render_html_digest(briefs, status, trial)
            trial_size = encoded_size(trial_html)
            if trial_size <= budget:
                attached, html, size = trial, trial_html, trial_size
    text = render_text_digest(briefs, status)
    attachments = {name: render_html(shown[index]) for index, name in attached.items()}
    if attachments:
        log.info("digest: %d of %d full texts attached to keep the HTML part at %d bytes", len(attachments), len(shown), size)
    return DigestPlan(html=html, text=text, html_bytes=size, attachments=attachments)
