"""Deeply nested pages (issue #19). libxml2, under lxml and trafilatura, drops everything below 256
levels of elements, so an article wrapped in 300 `<div>`s had "no article text". `flatten_wrappers`
first removes the wrapper elements that wrap nothing but another wrapper, once deeper than
`WRAPPER_DEPTH` (the innermost, which holds the text, stays), and any wrapper below `MAX_DEPTH`;
text and all other markup are left as they were, and a page that needs none of it is not touched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

WRAPPERS = frozenset({"div", "span", "section", "article", "main", "font", "center", "blockquote"})
WRAPPER_DEPTH = 48  # wrappers of wrappers deeper than this are dropped
MAX_DEPTH = 200  # any wrapper deeper than this is dropped (libxml2 stops at 256 without huge_tree)
_WRAPPER_RUN = re.compile(r"(?:<(?:div|span|section)\b[^<>]*>\s*){%d,}" % WRAPPER_DEPTH, re.IGNORECASE)
_WRAPPER_OPEN = re.compile(r"<(?:div|span|section|article|main|font|center|blockquote)\b", re.IGNORECASE)


def flatten_wrappers(html: str) -> str:
    """`html` with the excess of deeply nested wrappers removed (see the module's docstring); the
    same string when there is none. A streaming pass (the standard library's HTMLParser, which has
    no depth limit) that writes every token back as it was written, except the dropped tags."""
    if not _WRAPPER_RUN.search(html) and len(_WRAPPER_OPEN.findall(html)) <= MAX_DEPTH:
        return html

    out: list[str] = []
    stack: list[list] = []  # [tag, kept, index of its start tag in `out`], wrappers only
    pending: list = []  # the last wrapper start tag, while it is not yet known what follows it
    dropped = 0

    def settle(wrapper_follows: bool) -> None:
        nonlocal dropped
        if pending:
            entry = pending.pop()
            if wrapper_follows and len(stack) > WRAPPER_DEPTH:
                out[entry[2]] = ""
                entry[1] = False
                dropped += 1

    class Flattener(HTMLParser):
        def handle_starttag(self, tag, attrs):
            raw = self.get_starttag_text() or ""
            if tag not in WRAPPERS:
                settle(False)
                out.append(raw)
                return
            settle(True)
            entry = [tag, True, len(out)]
            out.append(raw)
            stack.append(entry)
            if len(stack) > MAX_DEPTH:
                out[entry[2]] = ""
                entry[1] = False
                nonlocal dropped
                dropped += 1
            else:
                pending.append(entry)

        def handle_startendtag(self, tag, attrs):
            settle(False)
            out.append(self.get_starttag_text() or "")

        def handle_endtag(self, tag):
            settle(False)
            if tag in WRAPPERS:
                for place in range(len(stack) - 1, -1, -1):
                    if stack[place][0] == tag:
                        kept = stack[place][1]
                        del stack[place:]
                        if kept:
                            out.append(f"</{tag}>")
                        return
            out.append(f"</{tag}>")

        def handle_data(self, data):
            if data.strip():
                settle(False)
            out.append(data)

        def handle_entityref(self, name):
            settle(False)
            out.append(f"&{name};")

        def handle_charref(self, name):
            settle(False)
            out.append(f"&#{name};")

        def handle_comment(self, data):
            out.append(f"<!--{data}-->")

        def handle_decl(self, decl):
            out.append(f"<!{decl}>")

        def handle_pi(self, data):
            out.append(f"<?{data}>")

        def unknown_decl(self, data):
            out.append(f"<![{data}]>")

    parser = Flattener(convert_charrefs=False)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # the standard parser gives up on very broken markup: leave it to lxml
        return html
    return "".join(out) if dropped else html
