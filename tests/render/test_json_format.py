"""JSON renderer: exact round trip (it is the cache), stable key order, strict reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from translate_summarize.data import BlockKind, Brief, Check
from translate_summarize.render.json_format import (
    SCHEMA_VERSION,
    brief_from_dict,
    brief_to_dict,
    render_json,
    render_json_digest,
)

from ..briefs import brief_strategy, make_brief, nasty_brief

TOP_KEYS = ["schema_version", "article", "headline", "summary", "summary_of", "blocks", "models", "stats", "checks", "created", "key"]


def test_round_trip_is_exact():
    brief = make_brief()
    again = brief_from_dict(brief_to_dict(brief))
    assert again == brief
    assert isinstance(again.article.path, Path)
    assert isinstance(again.blocks, tuple) and isinstance(again.blocks[0].sentences, tuple)
    assert again.blocks[1].kind is BlockKind.SUBHEADING
    assert isinstance(again.checks, tuple) and again.checks[1] == Check(
        "names", False, "name “Xpeng” in the summary is not in the article", "summary_en"
    )
    assert again.stats["translate"].cached == 1 and again.stats["split"].seconds == 0.0125
    assert again.article.blocks == brief.article.blocks
    assert again.warnings == brief.warnings


def test_round_trip_through_json_text():
    for brief in (make_brief(), nasty_brief(), make_brief(article={"date": None}, checks=(), stats={}, blocks=[])):
        assert brief_from_dict(json.loads(render_json(brief))) == brief


def test_key_order_is_stable():
    data = brief_to_dict(make_brief())
    assert list(data) == TOP_KEYS
    assert list(data["article"]) == ["name", "path", "date", "encoding", "language", "sha256", "source"]
    assert list(data["summary"]) == ["en", "nl"]
    assert list(data["blocks"][0]) == ["kind", "nl", "en", "sentences"]
    assert list(data["blocks"][0]["sentences"][0]) == ["nl", "en", "confidence", "low_confidence"]
    assert list(data["models"][0]) == ["role", "name", "revision", "engine"]
    assert list(data["stats"]) == ["split", "translate", "summarize", "back_translate"]
    assert list(data["stats"]["translate"]) == ["seconds", "input_tokens", "output_tokens", "items", "cached"]
    assert list(data["checks"][0]) == ["name", "ok", "message", "where"]
    text = render_json(make_brief())
    assert list(json.loads(text)) == TOP_KEYS
    assert text == render_json(brief_from_dict(json.loads(text)))  # byte-identical after a round trip


def test_values():
    data = brief_to_dict(make_brief())
    assert data["schema_version"] == SCHEMA_VERSION == 6
    assert data["article"]["path"] == "articles/tesla-china.txt"
    assert data["blocks"][1] == {
        "kind": "subheading",
        "nl": "Omvangrijke steun Peking",
        "en": "Extensive support from Beijing",
        "sentences": [
            {
                "nl": "Omvangrijke steun Peking",
                "en": "Extensive support from Beijing",
                "confidence": None,
                "low_confidence": False,
            }
        ],
    }
    assert data["models"][1] == {
        "role": "summarization",
        "name": "/models/local-bart",
        "revision": None,
        "engine": "ctranslate2",
    }
    assert data["stats"]["translate"] == {
        "seconds": 1.5,
        "input_tokens": 180,
        "output_tokens": 170,
        "items": 6,
        "cached": 1,
    }
    assert data["checks"][1]["ok"] is False and data["checks"][1]["where"] == "summary_en"
    json.dumps(data)  # plain JSON data only


def test_text_format():
    text = render_json(make_brief())
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "headline": "Musk praises' in text  # indent 2
    assert "één" in text and "\\u00e9" not in text  # ensure_ascii=False
    assert text == render_json(make_brief())


def test_nasty_text_stays_data():
    text = render_json(nasty_brief())
    data = json.loads(text)
    assert "{{ 7*7 }}" in data["headline"] and "\r\n" in data["headline"]
    assert "<script>" in data["summary"]["en"]


def test_lone_surrogate_is_escaped_and_round_trips():
    brief = make_brief(headline="bad \ud800 half", summary_en="\udfff")
    text = render_json(brief)
    text.encode("utf-8")  # writable as UTF-8
    assert "\\ud800" in text
    assert brief_from_dict(json.loads(text)) == brief


def test_digest():
    briefs = [make_brief(headline=f"H{n}") for n in range(3)]
    text = render_json_digest(briefs)
    data = json.loads(text)
    assert list(data) == ["schema_version", "stories", "briefs"] and data["schema_version"] == SCHEMA_VERSION
    assert [brief_from_dict(item) for item in data["briefs"]] == briefs
    assert text.endswith("\n")
    assert json.loads(render_json_digest([])) == {"schema_version": SCHEMA_VERSION, "stories": [], "briefs": []}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema_version=1), "unsupported brief schema version 1"),
        (lambda d: d.pop("schema_version"), "schema_version is missing"),
        (lambda d: d.update(schema_version="1"), "schema_version has the wrong type"),
        (lambda d: d.pop("headline"), "headline is missing"),
        (lambda d: d["blocks"][0].update(kind="table"), "blocks[0].kind"),
        (lambda d: d["blocks"][0]["sentences"][0].pop("en"), "blocks[0].sentences[0].en is missing"),
        (lambda d: d["stats"]["split"].update(items=True), "stats.split.items has the wrong type"),
        (lambda d: d["checks"][0].update(ok="yes"), "checks[0].ok has the wrong type"),
        (lambda d: d.update(models={}), "models has the wrong type"),
        (lambda d: d.update(article=[]), "article has the wrong type"),
        (lambda d: d["blocks"].append("x"), "blocks[3] is not an object"),
    ],
)
def test_malformed_data_is_a_one_line_value_error(change, message):
    data = brief_to_dict(make_brief())
    change(data)
    with pytest.raises(ValueError) as error:
        brief_from_dict(data)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_not_an_object():
    with pytest.raises(ValueError, match="brief is not an object"):
        brief_from_dict([])  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(brief_strategy())
def test_round_trip_property(brief: Brief):
    data = brief_to_dict(brief)
    assert brief_from_dict(data) == brief
    text = render_json(brief)
    text.encode("utf-8")
    assert brief_from_dict(json.loads(text)) == brief
    assert list(json.loads(text)) == TOP_KEYS
