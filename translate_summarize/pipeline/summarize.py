"""English summary with the summarizer's own generation defaults, chunked instead of truncated.

Input longer than the model's limit (1,024 tokens for BART) is cut at sentence boundaries into chunks
that fit; each chunk is summarized and the chunk summaries are joined in article order, so the end
of a long article is never silently ignored.

The model card's length settings stay as they are (distilbart-cnn-12-6: `max_length` 142,
`min_length` 56 tokens). Each chunk summary must end at the end of a sentence (`ends_cleanly`): in
final punctuation, not after an abbreviation, and not on a number its chunk continues. "ruim 1.450."
of "1.450.300 euro" (or "1,450." of "1,450,300", "2." of "2.5 billion") ends in a period that is the
number's separator, not a sentence end.

A chunk summary that stopped at the length limit without a complete final sentence, or that ends on
such a number, is decoded once more, with more room (`RETRY_ROOM` times the model's `max_length`,
within its positions: distilbart 213 tokens) and the beam's n-best list; the new summary replaces it if
it ends cleanly, else the best-scoring n-best hypothesis that does. When none does, the first summary
ends at its last complete sentence; with none complete, its whole words are kept and "…" marks the cut
(`Summary.cut`, reported as the `summary-cut` check). A summary that ends cleanly the first time is kept
as it is, with no second call; so is one the model ended itself without final punctuation or on an
abbreviation, which is trimmed as before.

Summaries keep to the facts of their source, as Zhao et al. (EMNLP 2020, "Reducing Quantity
Hallucinations in Abstractive Summarization", Herman) do it: beam search's best summary may state a
number, date or name its source never gave, while a lower-scoring summary in the same beam keeps to it.
A chunk summary (after the trimming above) with a number or name its own chunk does not contain
(`checks.summary.unsupported`: the `hallucination` check's own tests) is decoded once more with the
beam's n-best list (the model's `num_beams`, at least `MIN_NBEST`; `num_beams` raised to match), and the
best-scoring hypothesis that is non-empty, ends cleanly and is fully supported replaces it. When none
is, the first summary stays (and the hallucination check flags it). A chunk decoded again for its end
prefers, in that decoding, a hypothesis that ends cleanly and is supported, else one that ends cleanly.
Every replacement is noted in `Summary.chosen`. A summary that is supported the first time costs no
second call; each reason (end, support) costs at most one more pass, all chunks that need it together.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..checks.base import join_items
from ..checks.summary import unsupported
from ..data import StageStats
from ..engines.base import Generated, Seq2SeqEngine
from ..text.sentences import is_boundary, sentence_spans
from ..text.spans import cut_at_whitespace
from .translate import nbest_size

_LIMIT_MARGIN = 2
ELLIPSIS = "…"
# Source tokens in one summarization call per engine worker (CTranslate2 deals a call out to one worker
# per core when several articles come at once): two full 1,024-token BART chunks, or three articles of
# the sample's length. Memory grows with it: on the real-shape distilbart (CTranslate2 int8, beam 4)
# one call took about 70 KB more per source token (8 chunks of 1,020 tokens: +549 MB; 4: +204 MB).
MAX_BATCH_TOKENS = 2048
# The second decoding of a chunk summary that did not end cleanly gets this many times the model's
# `max_length` (bounded by its positions): distilbart 142 -> 213 tokens.
RETRY_ROOM = 1.5

# A numeral (1.450.300, 1,450, 3.5, 2) not inside a word or another number.
_NUMERAL = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
# A text that ends on a numeral, the final period and any closing quotes or brackets.
_ENDS_ON_NUMERAL = re.compile(r"(?<![\w.,])(?P<numeral>\d+(?:[.,]\d+)*)\.[’”»\"')\]]*$")


def _complete(text: str) -> bool:
    """Ends a sentence: in . ! ? or … (then any closing quotes), not after an abbreviation ("Ajax vs.")."""
    return is_boundary(text, "The")


def _shape(numeral: str) -> str:
    """A numeral's digit groups, with either separator: "1.450,30" and "1,450.30" -> "1,450,30"."""
    return numeral.replace(".", ",")


def cut_number(text: str, source: str) -> bool:
    """Whether `text` (characters) ends on a number followed by its final period while `source` (the text
    it was made from) has that number only continued: the period is then the number's separator.

    "… ruim 1.450." of "1.450.300 euro", "… 1,450." of "1,450,300", "… 1.450." of "1.450,30" and "… 2."
    of "2.5 billion" are; "… in 2023." is not, nor a number the source also has whole ("3." when it has
    both "3 ministers" and "3.5 billion"). Either separator counts for either (a summary may rewrite them).
    """
    match = _ENDS_ON_NUMERAL.search(text.rstrip())
    if not match or not source:
        return False
    numeral = _shape(match["numeral"])
    shapes = {_shape(found.group()) for found in _NUMERAL.finditer(source)}
    return numeral not in shapes and any(shape.startswith(numeral + ",") for shape in shapes)


def ends_cleanly(text: str, source: str = "") -> bool:
    """Whether `text` ends at the end of a sentence: `_complete`, and not on a number `source` continues."""
    text = text.strip()
    return bool(text) and _complete(text) and not cut_number(text, source)


@dataclass(frozen=True)
class Summary:
    """The English summary; `cut` when a chunk summary had no complete sentence and ends in "…";
    `chosen`: one note per chunk summary replaced by a lower-ranked beam hypothesis for keeping to
    its source ("chunk 2: beam hypothesis 3 of 4 chosen; the first summary said 54, which is not …")."""

    text: str
    cut: bool = False
    chosen: tuple[str, ...] = ()


def end_cleanly(result: Generated, source: str = "") -> tuple[str, bool]:
    """`result.text` ending at a sentence end: (text, cut).

    A text that ends without final punctuation, after an abbreviation (stopped at the length limit,
    or ended early by the model) or on a number that `source` continues (`cut_number`), loses its
    incomplete last sentence. When no sentence is complete, the last word goes too (it may be a
    fragment: "gegevensbee", "1.450."), and "…" is added; `cut` is then True.
    """
    text = result.text.strip()
    if not text or ends_cleanly(text, source):
        return text, False
    spans = sentence_spans(text, "en")
    if len(spans) > 1 and ends_cleanly(text[: spans[-2][1]], source):
        return text[: spans[-2][1]], False
    words = text.split(" ")
    if len(words) > 1:  # unpunctuated, the last word may be a fragment even when the model ended there
        words = words[:-1]
    return " ".join(words).rstrip(" ,;:–—-") + ELLIPSIS, True


def needs_retry(result: Generated, source: str) -> bool:
    """Whether a chunk summary is decoded again: it stopped at the length limit without a complete final
    sentence, or it ends on a number `source` continues."""
    text = result.text.strip()
    return bool(text) and ((not result.finished and not _complete(text)) or cut_number(text, source))


def choose(result: Generated, source: str, supported: bool = True) -> tuple[int, str] | None:
    """(index in `result.texts`, text) of the first candidate that is non-empty, ends cleanly
    (`ends_cleanly` against `source`, the chunk's text) and, with `supported`, has no number or name
    `source` lacks (`checks.summary.unsupported`); None when none is."""
    for rank, text in enumerate(result.texts):
        if ends_cleanly(text, source) and not (supported and unsupported(text, source)):
            return rank, text
    return None


def first_clean(result: Generated, source: str) -> str | None:
    """The text of `result` if it ends cleanly, else of its best-scoring n-best hypothesis that does; None
    when none does."""
    choice = choose(result, source, supported=False)
    return choice[1] if choice else None


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

    @property
    def retry_length(self) -> int:
        """`max_length` (tokens, decoder start included) of the second decoding: `RETRY_ROOM` times the
        model's, within its positions."""
        default = int(self.engine.default_max_length)
        return max(default, min(math.ceil(default * RETRY_ROOM), int(self.engine.max_input_tokens)))

    def summaries(self, articles: list[list[str]]) -> list[Summary]:
        """One `Summary` per article (each a list of English sentences), generated together: the
        chunks of all articles that share a `min_length` go to the engine together, in calls of at
        most `max_batch_tokens` source tokens per engine worker (longest first; a call's chunk count
        a multiple of the workers, so no core idles while another decodes a lone chunk). Several
        articles fill one batch, memory stays bounded however many articles come at once, and each
        chunk is decoded as it would be alone. Chunk summaries that did not end cleanly are decoded
        again together, once; so are, in one more pass, those with a number or name their chunk lacks,
        for the beam's n-best list (see the module doc). `Summary.chosen` notes each hypothesis chosen
        for keeping to its chunk. Engine errors propagate."""
        chunked = [self.chunks(sentences) for sentences in articles]
        lengths = [self.engine.count_tokens(chunks) for chunks in chunked]
        # The model's min_length is meant for full articles; never force a summary longer than its input.
        default_min = int(getattr(getattr(self.engine, "generation_config", None), "min_length", 0) or 0)
        minimum = [min([default_min] + [length // 2 for length in counts]) if counts else 0 for counts in lengths]
        keys = [(i, j) for i, chunks in enumerate(chunked) for j in range(len(chunks))]
        self.stats.items += len(keys)
        results = self._generate(keys, chunked, lengths, minimum)
        source = lambda key: chunked[key[0]][key[1]]  # noqa: E731
        again = [key for key in keys if needs_retry(results[key], source(key))]
        ended = {key: end_cleanly(results[key], source(key)) for key in keys}
        # Zhao et al. 2020: a summary with a number or name its chunk lacks (`unsupported`) is doubted.
        doubted = {key: unsupported(ended[key][0], source(key)) for key in keys if key not in again}
        doubted = {key: found for key, found in doubted.items() if found}
        texts: dict[tuple[int, int], str] = {}
        notes: dict[tuple[int, int], str] = {}

        def note(key: tuple[int, int], rank: int, result: Generated, said: tuple[str, list[str]]) -> str:
            return _note(key[1], len(chunked[key[0]]), rank, len(result.texts), said)

        if again:  # for its end: more room, and the n-best list; clean and supported, else clean
            retried = self._generate(again, chunked, lengths, minimum, max_length=self.retry_length, **self.n_best)
            for key in again:
                clean, kept = choose(retried[key], source(key), supported=False), choose(retried[key], source(key))
                if kept and clean and kept != clean:
                    said = "decoded again for its end, the best one that ended cleanly said"
                    notes[key] = note(key, kept[0], retried[key], (said, unsupported(clean[1], source(key))))
                if kept or clean:
                    texts[key] = (kept or clean)[1]
        if doubted:  # for its facts: the n-best list, with the first decoding's settings
            redone = self._generate(list(doubted), chunked, lengths, minimum, **self.n_best)
            for key, found in doubted.items():
                kept = choose(redone[key], source(key))
                if kept:
                    texts[key] = kept[1]
                    notes[key] = note(key, kept[0], redone[key], ("the first summary said", found))
        summaries = []
        for i, chunks in enumerate(chunked):
            done = [(texts[(i, j)], False) if (i, j) in texts else ended[(i, j)] for j in range(len(chunks))]
            chosen = tuple(notes[(i, j)] for j in range(len(chunks)) if (i, j) in notes)
            summaries.append(Summary(" ".join(text for text, _ in done if text), any(cut for _, cut in done), chosen))
        return summaries

    @property
    def n_best(self) -> dict[str, int]:
        """The overrides of a decoding for the n-best list (`translate.nbest_size`), as both the beam
        and the number of hypotheses."""
        size = nbest_size(self.engine)
        return {"num_beams": size, "num_hypotheses": size}

    def _generate(
        self,
        keys: list[tuple[int, int]],
        chunked: list[list[str]],
        lengths: list[list[int]],
        minimum: list[int],
        **overrides: Any,
    ) -> dict[tuple[int, int], Generated]:
        """The `Generated` of each (article, chunk) key: keys of one `min_length` together, in calls within
        the token budget (see `summaries`); `overrides` go to every call."""
        results: dict[tuple[int, int], Generated] = {}
        workers = max(1, int(getattr(self.engine, "workers", 1) or 1))
        size = lambda key: lengths[key[0]][key[1]]  # noqa: E731
        for min_length in sorted(set(minimum[i] for i, _ in keys)):
            group = [key for key in keys if minimum[key[0]] == min_length]
            for call in token_budget_batches(group, size, self.max_batch_tokens * workers, multiple=workers):
                generated = self.engine.generate([chunked[i][j] for i, j in call], min_length=min_length, **overrides)
                for key, result in zip(call, generated):
                    results[key] = result
                    self.stats.input_tokens += result.input_tokens
                    self.stats.output_tokens += result.output_tokens
        return results


def _note(chunk: int, chunks: int, rank: int, total: int, said: tuple[str, list[str]]) -> str:
    """One `Summary.chosen` note: chunk `chunk` (0-based) of `chunks`, candidate `rank` (0-based) of
    `total` chosen; `said`: who said what the chunk lacks ("the first summary said", ["54"])."""
    where = f"chunk {chunk + 1}" if chunks > 1 else "the summary"
    place = "that chunk of the article" if chunks > 1 else "the article"
    who, found = said
    verb = "is" if len(found) == 1 else "are"
    chosen = f"{where}: beam hypothesis {rank + 1} of {total} chosen"
    return f"{chosen}; {who} {join_items(found)}, which {verb} not in {place}"


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
