"""JSON brief: every field of a Brief, for other programs and as the on-disk cache.

`brief_from_dict(brief_to_dict(b)) == b` holds exactly (Path, enums, tuples, StageStats, checks)
for a brief whose sentence confidences have at most 3 decimals (they are written rounded to 3), so a
cached brief can be re-rendered in any format without loading a model. The schema is
documented field by field in docs/json-schema.md; bump SCHEMA_VERSION on any change that an
old reader could misread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..data import (
    AlignedBlock,
    Article,
    Block,
    BlockKind,
    Brief,
    Check,
    ModelInfo,
    RunStatus,
    SentencePair,
    Source,
    StageStats,
)
from .stories import story_entries

SCHEMA_VERSION = 6

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """A Brief as plain JSON-ready data; key order is part of the schema (see docs/json-schema.md)."""
    article = brief.article
    return {
        "schema_version": SCHEMA_VERSION,
        "article": {
            "name": article.name,
            "path": str(article.path),
            "date": article.date,
            "encoding": article.encoding,
            "language": article.language,
            "sha256": article.sha256,
            "source": _source_to_dict(article.source),
        },
        "headline": brief.headline,
        "summary": {"en": brief.summary_en, "nl": brief.summary_nl},
        "summary_of": brief.summary_of,
        "blocks": [
            {
                "kind": block.kind.value,
                **({"marker": block.marker} if block.kind is BlockKind.LIST_ITEM else {}),
                "nl": block.source,
                "en": block.target,
                "sentences": [_pair_to_dict(pair) for pair in block.sentences],
            }
            for block in brief.blocks
        ],
        "models": [
            {"role": model.role, "name": model.name, "revision": model.revision, "engine": model.engine}
            for model in brief.models
        ],
        "stats": {
            stage: {
                "seconds": stats.seconds,
                "input_tokens": stats.input_tokens,
                "output_tokens": stats.output_tokens,
                "items": stats.items,
                "cached": stats.cached,
            }
            for stage, stats in brief.stats.items()
        },
        "checks": [
            {"name": check.name, "ok": check.ok, "message": check.message, "where": check.where}
            for check in brief.checks
        ],
        "created": brief.created,
        "key": brief.key,
    }


def _pair_to_dict(pair: SentencePair) -> dict[str, Any]:
    """One sentence pair: the Dutch, the English, the confidence rounded to 3 decimals (null where
    nothing was translated) and whether the sentence is marked low-confidence."""
    confidence = None if pair.confidence is None else round(float(pair.confidence), 3)
    return {"nl": pair.source, "en": pair.target, "confidence": confidence, "low_confidence": pair.low_confidence}


def _pair_from_dict(data: Any, where: str) -> SentencePair:
    confidence = _get(data, "confidence", (int, float, type(None)), where)
    if confidence is not None and not 0 <= confidence <= 1:  # also refuses NaN
        raise ValueError(f"{where}.confidence is not a number from 0 to 1 ({confidence!r})")
    return SentencePair(
        _get(data, "nl", str, where),
        _get(data, "en", str, where),
        None if confidence is None else float(confidence),
        _get(data, "low_confidence", bool, where),
    )


def _dumps(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    # A lone surrogate cannot be written as UTF-8; write it as a \\uXXXX escape, which
    # json.loads turns back into the same character (it can only occur inside a string).
    text = _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text + "\n"


def render_json(brief: Brief) -> str:
    """One brief as a JSON document (UTF-8 text, 2-space indent, trailing newline)."""
    return _dumps(brief_to_dict(brief))


def render_json_digest(briefs: Sequence[Brief], status: RunStatus | None = None) -> str:
    """All briefs of a run in one JSON document: {"schema_version": 6, "stories": [...], "briefs": [...]},
    with "run": {"briefed", "unchanged", "failed": [{"input", "reason"}]} first when `status` is given.
    `stories` has one object per story (`render.stories`): its id, its lead's `article.name` and
    each member's name, in the order of `briefs` (docs/json-schema.md)."""
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if status is not None:
        failed = [{"input": failure.input, "reason": failure.reason} for failure in status.failures]
        document["run"] = {"briefed": status.briefed, "unchanged": status.unchanged, "failed": failed}
    document["stories"] = stories_to_list(briefs)
    document["briefs"] = [brief_to_dict(brief) for brief in briefs]
    return _dumps(document)


def _member(brief: Brief, lead: Brief) -> dict[str, Any]:
    link = brief.story
    earlier = link.earlier if link is not None else None
    return {
        "name": brief.article.name,
        "lead": brief is lead,
        "adds": [brief.blocks[i].target for i in (link.added if link else ()) if 0 <= i < len(brief.blocks)],
        "earlier": None
        if earlier is None
        else {
            "headline": earlier.headline,
            "outlet": earlier.outlet,
            "url": earlier.url,
            "seen": earlier.seen,
            "updated": earlier.updated,
            "changes": earlier.changes,
        },
    }


def stories_to_list(briefs: Sequence[Brief]) -> list[dict[str, Any]]:
    """The digest's `stories`: per story its `id` (null for a brief the run did not group), the
    `lead`'s article name and its `members` (name, lead, adds: the English of what it tells that
    the lead does not, earlier: the article of an earlier run it repeats, or null)."""
    stories = []
    for entry in story_entries(briefs):
        lead = entry.brief
        members = [brief for brief in briefs if brief is lead or (lead.story and brief.story and brief.story.id == lead.story.id)]
        stories.append(
            {
                "id": lead.story.id if lead.story is not None else None,
                "lead": lead.article.name,
                "members": [_member(brief, lead) for brief in members],
            }
        )
    return stories


# --- reading back -------------------------------------------------------------------------


def _get(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where or 'brief'} is not an object")
    if key not in data:
        raise ValueError(f"{where}.{key} is missing".lstrip("."))
    value = data[key]
    # bool is an int in Python; never accept it where a number is meant.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise ValueError(f"{where}.{key} has the wrong type ({type(value).__name__})".lstrip("."))
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _list(data: Any, key: str, where: str) -> list[Any]:
    return _get(data, key, list, where)


def _source_to_dict(source: Source | None) -> dict[str, str | None] | None:
    """Where a web article came from (`null` for a plain file): always all four keys, in this order."""
    if source is None:
        return None
    return {"url": source.url, "outlet": source.outlet, "author": source.author, "published": source.published}


def _source_from_dict(data: object) -> Source | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValueError("article.source: expected an object or null")
    values = {name: _get(data, name, (str, type(None)), "article.source") for name in ("url", "outlet", "author", "published")}
    return Source(**values)


def brief_from_dict(data: Mapping[str, Any]) -> Brief:
    """Rebuild the Brief that `brief_to_dict` was given.

    Raises ValueError (one line) for another schema version or malformed data, so a cache
    reader can treat it as a miss and brief the article again.
    """
    version = _get(data, "schema_version", int, "")
    if version != SCHEMA_VERSION:
        raise ValueError(f"unsupported brief schema version {version} (this program reads {SCHEMA_VERSION})")

    art = _get(data, "article", Mapping, "")
    blocks = []
    for i, item in enumerate(_list(data, "blocks", "")):
        where = f"blocks[{i}]"
        try:
            kind = BlockKind(_get(item, "kind", str, where))
        except ValueError as error:
            raise ValueError(f"{where}.kind: {error}") from None
        pairs = _list(item, "sentences", where)
        sentences = [_pair_from_dict(pair, f"{where}.sentences[{j}]") for j, pair in enumerate(pairs)]
        marker = _get(item, "marker", str, where) if kind is BlockKind.LIST_ITEM else None
        blocks.append(
            AlignedBlock(kind, _get(item, "nl", str, where), _get(item, "en", str, where), tuple(sentences), marker)
        )

    article = Article(
        path=Path(_get(art, "path", str, "article")),
        name=_get(art, "name", str, "article"),
        blocks=tuple(Block(block.kind, block.source, block.marker) for block in blocks),
        date=_get(art, "date", (str, type(None)), "article"),
        encoding=_get(art, "encoding", str, "article"),
        language=_get(art, "language", str, "article"),
        sha256=_get(art, "sha256", str, "article"),
        source=_source_from_dict(art.get("source")),
    )
    summary = _get(data, "summary", Mapping, "")
    models = tuple(
        ModelInfo(
            role=_get(item, "role", str, f"models[{i}]"),
            name=_get(item, "name", str, f"models[{i}]"),
            revision=_get(item, "revision", (str, type(None)), f"models[{i}]"),
            engine=_get(item, "engine", str, f"models[{i}]"),
        )
        for i, item in enumerate(_list(data, "models", ""))
    )
    stats = {}
    for stage, item in _get(data, "stats", Mapping, "").items():
        where = f"stats.{stage}"
        stats[stage] = StageStats(
            seconds=float(_get(item, "seconds", (int, float), where)),
            input_tokens=_get(item, "input_tokens", int, where),
            output_tokens=_get(item, "output_tokens", int, where),
            items=_get(item, "items", int, where),
            cached=_get(item, "cached", int, where),
        )
    checks = tuple(
        Check(
            name=_get(item, "name", str, f"checks[{i}]"),
            ok=_get(item, "ok", bool, f"checks[{i}]"),
            message=_get(item, "message", str, f"checks[{i}]"),
            where=_get(item, "where", str, f"checks[{i}]"),
        )
        for i, item in enumerate(_list(data, "checks", ""))
    )
    return Brief(
        article=article,
        headline=_get(data, "headline", str, ""),
        summary_en=_get(summary, "en", str, "summary"),
        summary_nl=_get(summary, "nl", str, "summary"),
        blocks=tuple(blocks),
        models=models,
        created=_get(data, "created", str, ""),
        checks=checks,
        stats=stats,
        key=_get(data, "key", str, ""),
        summary_of=_get(data, "summary_of", (str, type(None)), ""),
    )
