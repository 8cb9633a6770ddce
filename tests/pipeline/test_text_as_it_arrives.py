"""Text as it arrives (issue #21), through the real pipeline with the copying Marian on both engines:
hard-wrapped copy, lists, escaped markup and headlines give whole sentences and list items, each its
own translation unit, nothing added or lost; list items reach the summarizer one sentence each."""

from __future__ import annotations

import re

import pytest

from translate_summarize.data import BlockKind
from translate_summarize.pipeline.briefer import Briefer, summary_input

from ..conftest import fixture_options
from ..dutch import BRAND, MAYOR, RIVER, hard_wrapped

INPUTS = {
    "wrapped-60.txt": hard_wrapped([BRAND, MAYOR, RIVER], 60),
    "wrapped-72-no-blank-lines.txt": "Brand in haven Vlissingen\n" + hard_wrapped([BRAND], 72, "\n"),
    "wrapped-80-indented.txt": "\n".join("  " + hard_wrapped([text], 80) for text in (BRAND, MAYOR)),
    "list.txt": "De bond eist:\n• meer loon\n• kortere werkweken\n\n1. Eerst praten.\n2. Dan staken.\n\n" + MAYOR,
    "escaped.txt": "C&amp;A opent &quot;grootste winkel&quot;\n\nDe keten C&amp;amp;A opent in Vlissingen. " + BRAND,
    "question.txt": "Wie betaalt de nieuwe sluis bij Terneuzen?\n\n" + RIVER + "\n\n" + MAYOR,
}
# What each input's blocks must read, word for word, once layout and escapes are undone.
WORDS = {
    "wrapped-60.txt": [BRAND, MAYOR, RIVER],
    "wrapped-72-no-blank-lines.txt": ["Brand in haven Vlissingen", BRAND],
    "wrapped-80-indented.txt": [BRAND, MAYOR],
    "list.txt": ["De bond eist:", "meer loon", "kortere werkweken", "Eerst praten.", "Dan staken.", MAYOR],
    "escaped.txt": ['C&A opent "grootste winkel"', "De keten C&A opent in Vlissingen. " + BRAND],
    "question.txt": ["Wie betaalt de nieuwe sluis bij Terneuzen?", RIVER, MAYOR],
}
_SENTENCE_END = re.compile(r"[.!?:…][’”»\"')]*$")


@pytest.mark.parametrize("engine", ["torch", "ctranslate2"])
def test_units_are_whole_sentences_or_items_and_nothing_is_added_or_lost(engine, tmp_path):
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    briefer = Briefer(fixture_options(engine=engine))
    paths = []
    for name, text in INPUTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    briefs = briefer.brief_batch([briefer.read(path) for path in paths])
    for path, brief in zip(paths, briefs):
        assert [block.source for block in brief.blocks] == WORDS[path.name], path.name
        for block in brief.blocks:
            assert " ".join(pair.source for pair in block.sentences) == block.source
            assert block.target == block.source  # the copying model: any change of text is the pipeline's
            for pair in block.sentences[:-1]:  # every unit but a block's last ends a sentence
                assert _SENTENCE_END.search(pair.source), (path.name, pair.source)
        assert "&amp;" not in brief.summary_en and "&quot;" not in brief.summary_en


def test_the_kinds_a_reader_sees(briefer, tmp_path):
    (tmp_path / "list.txt").write_text(INPUTS["list.txt"], encoding="utf-8")
    (tmp_path / "question.txt").write_text(INPUTS["question.txt"], encoding="utf-8")
    listed = briefer.read(tmp_path / "list.txt")
    assert [(block.kind, block.marker) for block in listed.blocks] == [
        (BlockKind.PARAGRAPH, None),
        (BlockKind.LIST_ITEM, "•"),
        (BlockKind.LIST_ITEM, "•"),
        (BlockKind.LIST_ITEM, "1."),
        (BlockKind.LIST_ITEM, "2."),
        (BlockKind.PARAGRAPH, None),
    ]
    question = briefer.brief(briefer.read(tmp_path / "question.txt"))
    assert question.blocks[0].kind is BlockKind.TITLE
    assert "Terneuzen?" not in question.summary_en  # the title is not summarized as the lead


def test_list_items_reach_the_summarizer_one_sentence_each(briefer, tmp_path):
    (tmp_path / "list.txt").write_text(INPUTS["list.txt"], encoding="utf-8")
    brief = briefer.brief(briefer.read(tmp_path / "list.txt"))
    sentences = list(summary_input(list(brief.blocks)))
    assert sentences[:5] == ["De bond eist:", "meer loon.", "kortere werkweken.", "Eerst praten.", "Dan staken."]
