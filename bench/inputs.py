"""The benchmark's inputs: the sample article's sentences, forced output lengths, and the engine wrapper that forces them."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import base
from base import BACK_TRANSLATION_SOURCE_TOKENS, LENGTH_RATIO, SAMPLE

# ---------------------------------------------------------------------------------------------------
# Inputs


def sample_sentences(limit: int | None) -> list[str]:
    from translate_summarize.text.article import parse_article
    from translate_summarize.text.sentences import split_sentences

    article = parse_article(SAMPLE.read_text(encoding="utf-8"), SAMPLE)
    sentences = [s for block in article.blocks for s in split_sentences(block.text, article.language)]
    return sentences[:limit] if limit else sentences


def back_translation_sentences(sentences: list[str], count_tokens) -> list[str]:
    """Stand-in for the English summary: leading sentences worth ~100 tokens (random models write no text)."""
    chosen, total = [], 0
    for sentence, length in zip(sentences, count_tokens(sentences)):
        if total >= BACK_TRANSLATION_SOURCE_TOKENS:
            break
        chosen.append(sentence)
        total += length
    return chosen


def fixed_new_tokens(source_tokens: int) -> int:
    return max(2, math.ceil(LENGTH_RATIO * source_tokens))




def summary_input(sentences: list[str], count_tokens, limit: int) -> list[str]:
    """Leading sentences that fit the summarizer in one chunk (all of the sample): every path summarizes the same text."""
    chosen, total = [], 0
    for sentence, length in zip(sentences, count_tokens(sentences)):
        if total + length > limit:
            break
        chosen.append(sentence)
        total += length
    return chosen


class FixedLength:
    """Wraps an engine so every generate() produces exactly the benchmark's output length.

    The Translator and Summarizer still do their own batching and chunking; only the lengths are pinned
    (min_new_tokens = n - 1 bans EOS until the last step, max_new_tokens = n ends there). Random weights
    write no text, so the input stands in for the output text: the Translator's retry of degenerate
    output (meant for real models) must not fire on noise and add work the naive rows do not do.
    """

    def __init__(self, engine, fixed: int | None = None, rows_finish: bool = False):
        self.engine = engine
        self.fixed = fixed
        self.rows_finish = rows_finish
        self._rows = None

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def count_tokens(self, texts):
        return self.engine.count_tokens(texts)

    def _run(self, texts, n):
        base.DECODED[0] += len(texts) * n
        results = self.engine.generate(texts, min_length=0, min_new_tokens=n - 1, max_new_tokens=n)
        return [replace(result, text=text) for result, text in zip(results, texts)]

    def generate(self, texts, **overrides):
        if self.fixed:
            return self._run(texts, self.fixed)
        targets = [fixed_new_tokens(length) for length in self.engine.count_tokens(texts)]
        if self.rows_finish:
            return self._run_rows(texts, targets)
        return self._run(texts, max(targets))

    def _run_rows(self, texts, targets):
        """CTranslate2 only: one batch in which each sentence ends at its own target length.

        A real CTranslate2 batch drops a sentence once it has ended. To get that with random weights, each
        row is forced through a target prefix of filler tokens as long as its target, and every token but
        the fillers is an end token, so the first free step ends the row and it leaves the batch. Forced
        steps cost what free ones do (a batch forced to one length this way takes the time of one run to
        that length); the long end-token list costs a little more per step, against CTranslate2. (A
        prefix that ends in </s> does not work: rows are kept in the batch until their prefix is done.)
        The engine's own mapping of max_new_tokens=n is n decoding steps (the last one HF's forced end
        token); so is each row's here.
        """
        from translate_summarize.engines.base import Generated

        engine = self.engine
        options = engine.decoding_options(min_length=0, max_new_tokens=max(targets))
        forced = options.pop("_prefix")
        options.pop("_forced_end", None)
        options["min_decoding_length"] = 0
        if self._rows is None:  # once per engine, outside the timed work of later calls
            self._rows = _fillers_and_ends(engine)
        fillers, ends = self._rows
        # Forced in the prefix, never chosen freely (tied embeddings make a random model repeat its input).
        options["suppress_sequences"] = (options.get("suppress_sequences") or []) + [[token] for token in fillers]
        prefixes = [forced + [fillers[i % len(fillers)] for i in range(n - 1 - len(forced))] for n in targets]
        sources = engine.source_tokens(texts)
        base.DECODED[0] += sum(targets)
        results = engine.run_batch(sources, prefixes, end_token=ends, **options)
        steps = [len(result.hypotheses[0]) for result in results]
        assert all(len(p) <= n <= len(p) + 1 for n, p in zip(steps, prefixes)), "a row did not end at its target"
        return [Generated(text, len(source), n) for text, source, n in zip(texts, sources, targets)]


def _fillers_and_ends(engine, count: int = 200) -> tuple[list[str], list[int]]:
    """Ordinary tokens for the forced prefixes, and the ids of all the other tokens, which end a row."""
    for name in ("shared_vocabulary.json", "target_vocabulary.json"):
        if (engine.model_dir / name).is_file():
            vocabulary = json.loads((engine.model_dir / name).read_text(encoding="utf-8"))
            break
    special = set(engine.tokenizer.all_special_tokens)
    fillers = [token for token in vocabulary if token not in special][:count]
    chosen = set(fillers)
    return fillers, [index for index, token in enumerate(vocabulary) if token not in chosen]
