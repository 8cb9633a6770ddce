"""List items rendered as lists in every format (issue #21): Markdown `-`/`3.`, HTML `<ul>`/`<ol>`,
text with bullets, JSON `list_item` with its marker; each Dutch item beside its English."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from translate_summarize.data import BlockKind
from translate_summarize.render import FORMATS
from translate_summarize.render.json_format import brief_from_dict

from ..briefs import aligned, make_brief

P, L = BlockKind.PARAGRAPH, BlockKind.LIST_ITEM


def listed_brief():
    return make_brief(
        blocks=[
            aligned(P, [("De bond eist:", "The union demands:")]),
            aligned(L, [("meer loon", "more pay")], "•"),
            aligned(L, [("kortere werkweken", "shorter working weeks")], "-"),
            aligned(P, [("En verder:", "And further:")]),
            aligned(L, [("Eerst praten.", "Talk first.")], "3."),
            aligned(L, [("Dan staken.", "Then strike.")], "4."),
            aligned(L, [("wachten", "wait")], "b)"),
        ]
    )


def render(name: str) -> str:
    document = FORMATS[name].document([listed_brief()], digest=False, mail={})
    return document.decode("utf-8") if isinstance(document, bytes) else document


def test_markdown_items_are_list_items_with_their_english():
    markdown = render("markdown")
    tokens = MarkdownIt("commonmark").parse(markdown[markdown.index("## Full text") : markdown.index("## Models")])
    opened = [(token.type, token.attrs.get("start")) for token in tokens if token.type.endswith("list_open")]
    assert opened == [("bullet_list_open", None), ("ordered_list_open", 3), ("bullet_list_open", None)]
    items = [token.content for token in tokens if token.type == "inline" and token.content.startswith("**EN** ")]
    assert any("more pay" in item and "meer loon" in item for item in items)  # the English, its Dutch under it
    assert any("b) **EN** wait" in token.content for token in tokens if token.type == "inline")


class _Lists(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, dict, str]] = []
        self.stack: list[tuple[str, dict]] = []
        self.text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.stack.append((tag, dict(attrs)))
        elif tag == "li":
            self.text = []

    def handle_endtag(self, tag):
        if tag == "li" and self.text is not None:
            self.items.append((*self.stack[-1], "".join(self.text)))
            self.text = None
        elif tag in ("ul", "ol"):
            self.stack.pop()

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def test_html_items_are_li_in_ul_or_numbered_ol_in_both_columns():
    parser = _Lists()
    html = render("html")
    parser.feed(html[html.index('<table class="ft"') :])  # the full text (the checks are a list too)
    found = [(tag, attrs.get("start"), attrs.get("type"), text) for tag, attrs, text in parser.items]
    assert found == [
        ("ul", None, None, "EN more pay"),
        ("ul", None, None, "NL meer loon"),
        ("ul", None, None, "EN shorter working weeks"),
        ("ul", None, None, "NL kortere werkweken"),
        ("ol", "3", None, "EN Talk first."),
        ("ol", "3", None, "NL Eerst praten."),
        ("ol", "4", None, "EN Then strike."),
        ("ol", "4", None, "NL Dan staken."),
        ("ol", "2", "a", "EN wait"),
        ("ol", "2", "a", "NL wachten"),
    ]


def test_text_items_have_their_bullet_or_number():
    text = render("text")
    for line in ("NL  • meer loon", "EN  • more pay", "NL  3. Eerst praten.", "EN  4. Then strike.", "NL  b) wachten"):
        assert line in text


def test_json_items_have_their_kind_and_marker_and_read_back():
    data = json.loads(render("json"))
    items = [(block["kind"], block.get("marker"), block["nl"]) for block in data["blocks"]]
    assert items[1] == ("list_item", "•", "meer loon") and items[4] == ("list_item", "3.", "Eerst praten.")
    assert "marker" not in data["blocks"][0]
    assert brief_from_dict(data).blocks == listed_brief().blocks
