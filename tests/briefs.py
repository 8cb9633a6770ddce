"""Hand-built Briefs for the renderer tests (no models needed).

`make_brief(**overrides)` returns a realistic brief: Dutch article blocks with a subheading,
curly quotes, non-ASCII ("één"), stats for every stage and one failed check. Any Brief field can
be overridden; `blocks=` may also be given as (kind, [(nl, en), ...]) tuples, and the article's
blocks always follow the aligned blocks, as the pipeline builds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from translate_summarize.data import (
    AlignedBlock,
    Article,
    Block,
    BlockKind,
    Brief,
    Check,
    ModelInfo,
    SentencePair,
    StageStats,
)

P, S = BlockKind.PARAGRAPH, BlockKind.SUBHEADING

SAMPLE_BLOCKS = [
    (
        P,
        [
            (
                "Chinese automakers zijn de meest concurrerende in de wereld.",
                "Chinese automakers are the most competitive in the world.",
            ),
            (
                "Dat vindt althans Tesla-baas Elon Musk, die sprak op een onlineforum in China.",
                "At least that is what Tesla boss Elon Musk thinks, who spoke at an online forum in China.",
            ),
            (
                "Hij prees het ‘grote potentieel’ van de Chinese markt voor elektrische auto’s.",
                "He praised the ‘great potential’ of the Chinese market for electric cars.",
            ),
        ],
    ),
    (S, [("Omvangrijke steun Peking", "Extensive support from Beijing")]),
    (
        P,
        [
            (
                "Tesla is vooralsnog de enige buitenlandse autoproducent met één volledig eigen fabriek.",
                "Tesla is so far the only foreign carmaker with one fully owned factory.",
            ),
            (
                "“Ik heb veel respect voor de vele Chinese automakers”, aldus Musk.",
                "“I have a lot of respect for the many Chinese automakers,” said Musk.",
            ),
        ],
    ),
]


def aligned(kind: BlockKind, pairs: list[tuple[str, str]], marker: str | None = None) -> AlignedBlock:
    """A block of `pairs`; a list item gets `marker` (default `•`), other kinds none."""
    sentences = tuple(SentencePair(nl, en) for nl, en in pairs)
    kind = BlockKind(kind)
    return AlignedBlock(
        kind,
        " ".join(pair.source for pair in sentences),
        " ".join(pair.target for pair in sentences),
        sentences,
        (marker or "•") if kind is BlockKind.LIST_ITEM else None,
    )


def make_brief(**overrides: Any) -> Brief:
    blocks = overrides.pop("blocks", SAMPLE_BLOCKS)
    blocks = tuple(block if isinstance(block, AlignedBlock) else aligned(*block) for block in blocks)
    article_fields = {
        "path": Path("articles/tesla-china.txt"),
        "name": "tesla-china.txt",
        "date": "2021-09-15",
        "encoding": "utf-8",
        "language": "nl",
        "sha256": "5456f33a95982729" * 4,
    }
    article_fields.update(overrides.pop("article", {}))
    article = Article(blocks=tuple(Block(block.kind, block.source, block.marker) for block in blocks), **article_fields)
    fields: dict[str, Any] = {
        "article": article,
        "headline": "Musk praises Chinese carmakers as the most competitive in the world",
        "summary_en": "Elon Musk called Chinese automakers the world’s most competitive. "
        "Tesla wants to win back trust in China.",
        "summary_nl": "Elon Musk noemde Chinese autobouwers de meest concurrerende ter wereld. "
        "Tesla wil het vertrouwen in China terugwinnen.",
        "blocks": blocks,
        "models": (
            ModelInfo("translation", "Helsinki-NLP/opus-mt-nl-en", "9c0a7b1", "torch"),
            ModelInfo("summarization", "/models/local-bart", None, "ctranslate2"),
            ModelInfo("back_translation", "Helsinki-NLP/opus-mt-en-nl", "0f3e2d4", "torch"),
        ),
        "created": "2024-05-01T09:30:00+00:00",
        "checks": (
            Check("numbers", True, "all numbers in the summary occur in the article"),
            Check("names", False, "name “Xpeng” in the summary is not in the article", "summary_en"),
        ),
        "stats": {
            "split": StageStats(0.0125, items=6),
            "translate": StageStats(1.5, input_tokens=180, output_tokens=170, items=6, cached=1),
            "summarize": StageStats(2.25, input_tokens=170, output_tokens=40, items=1),
            "back_translate": StageStats(0.75, input_tokens=40, output_tokens=44, items=2),
        },
        "key": "b3c1f0e9d2a4",
    }
    fields.update(overrides)
    return Brief(**fields)


# Text that must stay inert (never markup, header, template or encoded word) in every format.
NASTY = "<script>alert('x')</script> </td></tr> =?utf-8?q?Hacked?= {{ 7*7 }} {% if 1 %}x{% endif %} a&amp;b"
NASTY_LINES = "Eerste regel\r\nBcc: victim@example.org\r\n\r\nnog één regel\nX-Injected: yes"


def nasty_brief() -> Brief:
    return make_brief(
        headline=f"{NASTY} {NASTY_LINES}",
        summary_en=f"{NASTY} {NASTY_LINES}",
        summary_nl=f"{NASTY} één",
        blocks=[
            (S, [(f"Kop {NASTY}", f"Heading {NASTY}")]),
            (P, [(NASTY_LINES, NASTY_LINES), (NASTY, NASTY)]),
        ],
        article={"name": "<b>name</b> {{ x }}.txt"},
        checks=(Check("names", False, f"warning {NASTY}"),),
    )


# --- helpers and Hypothesis strategies shared by the renderer tests -----------------------


def words(text: str) -> str:
    """Text with every run of whitespace made one space: how a wrapped or HTML text compares."""
    from translate_summarize.render.text import clean_text

    return " ".join(clean_text(text).split())


def brief_strategy(max_text: int = 30):
    """Briefs with arbitrary Unicode (control characters and lone surrogates included) everywhere."""
    from hypothesis import strategies as st

    text = st.text(st.characters(exclude_categories=()), max_size=max_text)
    pairs = st.lists(st.tuples(text, text), min_size=1, max_size=3)
    block = st.tuples(st.sampled_from(BlockKind), pairs, st.sampled_from(["•", "-", "*", "3.", "12)", "b)", "C)"]))
    stats = st.builds(
        StageStats,
        seconds=st.floats(min_value=0, max_value=1e6, allow_nan=False),
        input_tokens=st.integers(0, 10**9),
        output_tokens=st.integers(0, 10**9),
        items=st.integers(0, 10**6),
        cached=st.integers(0, 10**6),
    )
    model = st.builds(ModelInfo, text, text, st.none() | text, text)
    check = st.builds(Check, text, st.booleans(), text, text)

    @st.composite
    def build(draw: Any) -> Brief:
        return make_brief(
            headline=draw(text),
            summary_en=draw(text),
            summary_nl=draw(text),
            blocks=draw(st.lists(block, max_size=3)),
            article={
                "name": draw(text),
                "path": Path(draw(text)),
                "date": draw(st.none() | text),
                "encoding": draw(text),
                "language": draw(text),
                "sha256": draw(text),
            },
            models=tuple(draw(st.lists(model, max_size=3))),
            checks=tuple(draw(st.lists(check, max_size=3))),
            stats=draw(st.dictionaries(text, stats, max_size=3)),
            created=draw(text),
            key=draw(text),
        )

    return build()


def brief_texts(brief: Brief) -> list[str]:
    """Every piece of article-derived text a renderer must show."""
    texts = [brief.headline, brief.summary_en, brief.summary_nl, brief.article.name, brief.article.date or ""]
    for block in brief.blocks:
        texts += [block.source, block.target]
        texts += [text for pair in block.sentences for text in (pair.source, pair.target)]
    texts += [check.message for check in brief.warnings]
    texts += [model.name for model in brief.models]
    return texts
