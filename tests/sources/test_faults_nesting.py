"""Issue #19 C: an article nested hundreds of <div>s deep is extracted like any other (lxml's
parser and trafilatura must not give up on deep trees)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from translate_summarize.cli import app
from translate_summarize.sources.webpage import extract_page

from ..conftest import MODEL_ARGS

PARAGRAPHS = [
    "De gemeenteraad van Utrecht heeft dinsdagavond ingestemd met het plan om de binnenstad vanaf volgend jaar autoluw te maken.",
    "Wethouder Janssen noemde het besluit een belangrijke stap voor de leefbaarheid van de stad en de gezondheid van de bewoners.",
    "Ondernemers in het centrum zijn verdeeld: sommigen vrezen minder klanten, anderen verwachten juist meer bezoekers te voet.",
    "De gemeente trekt de komende vier jaar ruim twaalf miljoen euro uit voor nieuwe fietsenstallingen en extra groen in de straten.",
    "Bewoners kunnen tot eind januari reageren op de precieze uitwerking van het plan tijdens inloopavonden in de wijkcentra.",
]


def nested_page(depth: int) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    article = f"<article><h1>Utrecht maakt binnenstad autoluw</h1>{body}</article>"
    wrapped = "<div class=\"w\">" * depth + article + "</div>" * depth
    return (
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
        "<title>Utrecht maakt binnenstad autoluw - Het Stadsblad</title>"
        "<meta property=\"og:type\" content=\"article\">"
        "<meta property=\"og:title\" content=\"Utrecht maakt binnenstad autoluw\">"
        f"</head><body>{wrapped}</body></html>"
    ).encode("utf-8")


@pytest.mark.parametrize("depth", [10, 300, 1000, 5000])
def test_a_deeply_nested_article_is_extracted(depth):
    page = extract_page(nested_page(depth), "https://stadsblad.example/utrecht-autoluw", name="nested.html")
    for text in PARAGRAPHS:
        assert text in page.text
    assert "Utrecht maakt binnenstad autoluw" in page.text.splitlines()[0]


def test_the_cli_briefs_a_saved_deeply_nested_page(tmp_path):
    saved = tmp_path / "diep.html"
    saved.write_bytes(nested_page(1000))
    result = CliRunner().invoke(app, [str(saved), "--out-dir", str(tmp_path / "out"), *MODEL_ARGS])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    written = (tmp_path / "out" / "diep.md").read_text(encoding="utf-8")
    assert "autoluw" in written
