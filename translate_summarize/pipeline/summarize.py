"""English summary with the summarizer's own generation defaults, chunked instead of truncated.

Input longer than the model's limit (1,024 tokens for BART) is cut at sentence boundaries into chunks
that fit; each chunk is summarized and the chunk summaries are joined in article order, so the end
of a long article is never silently ignored.

The model card's length settings stay as they are (distilbart-cnn-12-6: `max_length` 142,
`min_length` 56 tokens), so a summary can stop at the length limit mid-sentence or mid-word. Each
chunk summary then ends at its last complete sentence; with none complete, its whole words are kept
and "…" marks the cut (`Summary.cut`, reported as the `summary-cut` check).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data import StageStats
from ..engines.base import Generated, Seq2SeqEngine
from ..text.sentences import is_boundary, sentence_spans
from ..text.spans import cut_at_whitespace

_LIMIT_MARGIN = 2
ELLIPSIS = "…"
# Source tokens in one summarization call per engine worker (CTranslate2 deals a call out to one worker
# per core when several articles come at once): two full 1,024-token BART chunks, or three articles of
# the sample's length. Memory grows with it: on the real-shape distilbart (CTranslate2 int8, beam 4)
# one call took about 70 KB more per source token (8 chunks of 1,020 tokens: +549 MB; 4: +204 MB).
MAX_BATCH_TOKENS = 2048


def _complete(text: str) -> bool:
    """Ends a sentence: in . ! ? or … (then any closing quotes), not after an abbreviation ("Ajax vs.")."""
    return is_boundary(text, "The")


@dataclass(frozen=True)
class Summary:
    """The English summary; `cut` when a chunk summary had no complete sentence and ends in "…"."""

    text: str
    cut: bool = False


def end_cleanly(result: Generated) -> tuple[str, bool]:
    """`result.text` ending at a sentence end: (text, cut).

    A text that ends without final punctuation, or after an abbreviation (stopped at the length limit,
    or ended early by the model), loses its incomplete last sentence. When no sentence is complete,
    the last word goes too (it may be a fragment: "gegevensbee"), and "…" is added; `cut` is then True.
    """
    text = result.text.strip()
    if not text or _complete(text):
        return text, False
    spans = sentence_spans(text, "en")
    if len(spans) > 1 and _complete(text[: spans[-2][1]]):
        return text[: spans[-2][1]], False
    words = text.split(" ")
    if len(words) > 1:  # unpunctuated, the last word may be a fragment even when the model ended there
        words = words[:-1]
    return " ".join(words).rstrip(" ,;:–—-") + ELLIPSIS, True


class Summarizer:
    """Summaries with one engine. `max_batch_tokens`: the most source tokens in one `generate` call
    for each of the engine's `workers` (see `MAX_BATCH_TOKENS`)."""

    def __init__(self, engine: Seq2SeqEngine, max_batch_tokens: int = MAX_BATCH_TOKENS):
        self.engine = engine
        self.max_batch_tokens = max_batch_tokens
        self.stats = StageStats()

    @property
    def chunk_limit(self) -> int:
        return self.engine.max_input_tokens - _LIMIT_MARGIN

    def chunks(self, sentences: list[str]) -> list[str]:
        """Consecutive sentences packed into chunks of at most `chunk_limit` tokens."""
        limit = self.chunk_limit
        count = lambda text: self.engine.count_tokens([text])[0]  # noqa: E731
        parts = [
            piece.text
            for sentence in sentences
            if sentence.strip()
            for piece in cut_at_whitespace(sentence.strip(), count, limit)
            if piece.translate  # not the whitespace, nor a word (a long URL) longer than the window on its own
        ]
        lengths = self.engine.count_tokens(parts)
        chunks: list[list[str]] = []
        size = 0
        for part, length in zip(parts, lengths):
            if chunks and size + length <= limit:
                chunks[-1].append(part)
                size += length
            else:
                chunks.append([part])
                size = length
        return [" ".join(chunk) for chunk in chunks]

    def summarize(self, sentences: list[str]) -> str:
        """The English summary of `sentences` (English, in article order) as text."""
        return self.summary(sentences).text

    def summary(self, sentences: list[str]) -> Summary:
        """Summarize `sentences` chunk by chunk; each chunk summary ends at a sentence end (see module doc)."""
        return self.summaries([sentences])[0]

    def summaries(self, articles: list[list[str]]) -> list[Summary]:
        """One `Summary` per article (each a list of English sentences), generated together: the
        chunks of all articles that share a `min_length` go to the engine together, in calls of at
        most `max_batch_tokens` source tokens per engine worker (longest first; a call's chunk count
        a multiple of the workers, so no core idles while another decodes a lone chunk). Several
        articles fill one batch, memory stays bounded however many articles come at once, and each
        chunk is decoded as it would be alone."""
        chunked = [self.chunks(sentences) for sentences in articles]
        lengths = [self.engine.count_tokens(chunks) for chunks in chunked]
        # The model's min_length is meant for full articles; never force a summary longer than its input.
        default_min = int(getattr(getattr(self.engine, "generation_config", None), "min_length", 0) or 0)
        minimum = [min([default_min] + [length // 2 for length in counts]) if counts else 0 for counts in lengths]
        results: dict[tuple[int, int], Generated] = {}
        for min_length in sorted(set(minimum[i] for i, chunks in enumerate(chunked) if chunks)):
            keys = [(i, j) for i, chunks in enumerate(chunked) if chunks and minimum[i] == min_length for j in range(len(chunks))]
            workers = max(1, int(getattr(self.engine, "workers", 1) or 1))
            size = lambda key: lengths[key[0]][key[1]]  # noqa: E731
            for call in token_budget_batches(keys, size, self.max_batch_tokens * workers, multiple=workers):
                generated = self.engine.generate([chunked[i][j] for i, j in call], min_length=min_length)
                self.stats.items += len(call)
                for key, result in zip(call, generated):
                    results[key] = result
                    self.stats.input_tokens += result.input_tokens
                    self.stats.output_tokens += result.output_tokens
        summaries = []
        for i, chunks in enumerate(chunked):
            ended = [end_cleanly(results[(i, j)]) for j in range(len(chunks))]
            summaries.append(Summary(" ".join(text for text, _ in ended if text), any(cut for _, cut in ended)))
        return summaries


def token_budget_batches(items: list, length, budget: int, multiple: int = 1) -> list[list]:
    """`items` longest first (ties in their order), cut into consecutive batches whose `length`s
    (tokens) sum to at most `budget`; an item longer than the budget is a batch of its own. With
    `multiple` > 1, a batch that is not the last keeps a multiple of that many items where it can
    (the rest start the next batch), so each of `multiple` workers gets a like share."""
    batches: list[list] = []
    pending = sorted(items, key=length, reverse=True)
    while pending:
        batch, total = [pending[0]], length(pending[0])
        for item in pending[1:]:
            if total + length(item) > budget:
                break
            batch.append(item)
            total += length(item)
        if multiple > 1 and len(batch) < len(pending) and len(batch) > multiple:
            batch = batch[: len(batch) - len(batch) % multiple]
        batches.append(batch)
        pending = pending[len(batch) :]
    return batches
