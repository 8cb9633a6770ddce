"""The one cache key: what must match for a stored brief or a remembered translation to be reused.

`cache_key` is used by the brief cache (an unchanged article is not briefed again, `run/runner.py`) and by
the translation memory (a known sentence is not translated again, `memory.py`). In the key, and why:

- ``version``: this package's code changes output too (sentence splitting, protected spans, summary
  trimming, n-best repair), so a new version makes briefs and translations again;
- ``models``: each model's identity (`engines.identity.model_identity`): hub id + revision (+ the snapshot commit
  when known), or for a local folder a hash of its config, tokenizer and weight files, so a model
  retrained in place is noticed. A brief depends on all three models, a remembered translation on its
  one model;
- ``engine`` and ``device``: CTranslate2's int8 and CUDA's float16 decode slightly differently from
  torch's float32. The device is keyed as requested (`auto` resolves the same way on one machine);
- ``source_lang`` (briefs only): decides whether the article is translated at all;
- ``article`` (briefs only): the sha256 of the article's text;
- ``glossary`` (briefs and the translation model's sentences, only with `--glossary`): the sha256 of
  its entries, so a changed glossary translates again;
- ``confidence`` (briefs only): the thresholds that mark sentences.

Not in it: batching and worker counts (decoding is per sentence: they change speed, not the text),
the out-dir, the format and the mail options (they change how a brief is written, not what it says).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .. import __version__
from ..engines.identity import model_identity


def cache_key(options: Any, *, article: str | None = None, model: Any = None) -> str:
    """The key of a brief of the article with sha256 `article` under `options` (a BriefOptions), or,
    with `model` (a ModelSpec), the key of that model's sentence translations: "name|engine|digest"."""
    payload: dict[str, Any] = {
        "version": __version__.split("+")[0],
        "engine": options.engine,
        "device": options.device,
        "models": [model_identity(spec) for spec in ([model] if model is not None else options.specs)],
    }
    if model is None:
        payload.update(article=article, source_lang=options.source_lang)
        payload["confidence"] = [options.confidence.floor, options.confidence.relative]
    glossary = getattr(options, "glossary", None)
    if glossary is not None and (model is None or model.role == "translation"):
        payload["glossary"] = glossary.digest
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    if model is None:
        return digest
    return f"{payload['models'][0]['name']}|{options.engine}|{digest[:24]}"
