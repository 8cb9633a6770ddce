"""English summary with the summarizer's own generation defaults, chunked instead of truncated.

Input longer than the model's limit (1,024 tokens for BART) is cut at sentence boundaries into chunks
that fit; each chunk is summarized and the chunk summaries are joined in article order, so the end
of a long article is never silently ignored.
"""

from __future__ import annotations

from .data import StageStats
from .engine import Seq2SeqEngine
from .translate import split_long_sentence

_LIMIT_MARGIN = 2


class Summarizer:
    def __init__(self, engine: Seq2SeqEngine):
        self.engine = engine
        self.stats = StageStats()

    @property
    def chunk_limit(self) -> int:
        return self.engine.max_input_tokens - _LIMIT_MARGIN

    def chunks(self, sentences: list[str]) -> list[str]:
        """Consecutive sentences packed into chunks of at most `chunk_limit` tokens."""
        limit = self.chunk_limit
        count = lambda text: self.engine.count_tokens([text])[0]  # noqa: E731
        parts = [piece for s in sentences if s.strip() for piece in split_long_sentence(s, count, limit)]
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
        chunks = self.chunks(sentences)
        if not chunks:
            return ""
        lengths = self.engine.count_tokens(chunks)
        # The model's min_length is meant for full articles; never force a summary longer than its input.
        default_min = int(getattr(getattr(self.engine, "generation_config", None), "min_length", 0) or 0)
        min_length = min([default_min] + [length // 2 for length in lengths])
        results = self.engine.generate(chunks, min_length=min_length)
        self.stats.items += len(chunks)
        for result in results:
            self.stats.input_tokens += result.input_tokens
            self.stats.output_tokens += result.output_tokens
        return " ".join(result.text for result in results if result.text)
