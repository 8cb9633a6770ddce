"""Sentence translation: length-sorted batches, protected spans kept, long sentences cut at whitespace.

The translator sees a flat list of sentences and returns exactly one translation per sentence, in the
same order; reassembling paragraphs is the pipeline's job. Repeated sentences are translated once.
Each sentence is first planned into spans (`text/spans.plan`): URLs, e-mail addresses, @handles and
#hashtags and the whitespace between pieces are copied, the rest is translated piece by piece, and the
translation is the spans joined again, so a protected span comes through byte-identical.

With a glossary (`text/glossary.py`), a piece whose translation does not honour a term is mended in
two steps (re-decoding a violated term, as Bogoychev & Chen, WMT 2023, do): first the best-scoring
hypothesis of the beam's n-best list that honours every term (and keeps every number and name);
failing that, the piece is decoded again with each term replaced by a placeholder the model copies,
and the term's English is put in the placeholder's place. `Translator.honoured_by` records which
sentences needed which; the `glossary` check names any occurrence still not honoured.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..checks.degenerate import degenerate_reason, length_ratio
from ..data import StageStats
from ..engines.base import Generated, Seq2SeqEngine
from ..text.glossary import Glossary, unhonoured
from ..text.placeholders import protect, restore
from ..text.spans import Span, cut_at_whitespace, plan
from .repair import choose_hypothesis, lost_facts

# The n-best list searched for a repair: the model's own beam, and at least this many hypotheses.
MIN_NBEST = 4
# The tokenizer adds an end-of-sentence token; leave room for it and a margin.
_LIMIT_MARGIN = 2


@dataclass(frozen=True)
class TranslationOptions:
    """Batching knobs; the decoding settings themselves come from the model's generation_config."""

    max_batch_tokens: int = 4096
    max_batch_size: int = 32
    length_ratio: float = 1.5
    extra_tokens: int = 10


def nbest_size(engine: Seq2SeqEngine) -> int:
    """The n-best list searched for a repair or a choice: the model's own beam (its generation_config's
    `num_beams`), and at least `MIN_NBEST` hypotheses."""
    beams = int(getattr(getattr(engine, "generation_config", None), "num_beams", None) or 1)
    return max(beams, MIN_NBEST)


class Translator:
    """Translates sentences with one engine; optional translation memory skips known sentences."""

    def __init__(
        self,
        engine: Seq2SeqEngine,
        options: TranslationOptions | None = None,
        memory=None,
        source_language: str = "nl",
        glossary: Glossary | None = None,
    ):
        self.engine = engine
        self.options = options or TranslationOptions()
        self.memory = memory
        self.source_language = source_language
        self.glossary = glossary if glossary is not None and len(glossary) else None
        # source sentence -> how its glossary terms were honoured: "n-best" or "placeholder"
        self.honoured_by: dict[str, str] = {}
        self.stats = StageStats()
        self.flagged: dict[str, str] = {}  # source sentence -> why its first translation was retried
        # source sentence -> (first translation of the repaired piece, why it was replaced)
        self.repaired: dict[str, tuple[str, str]] = {}

    @property
    def piece_limit(self) -> int:
        return self.engine.max_input_tokens - _LIMIT_MARGIN

    def _count(self, text: str) -> int:
        return self.engine.count_tokens([text])[0]

    def translate(self, sentences: list[str]) -> list[str]:
        """One translation per sentence, in order; empty sentences stay empty."""
        unique = list(dict.fromkeys(s for s in sentences if s.strip()))
        known = self.memory.lookup(unique) if self.memory else {}
        todo = [s for s in unique if s not in known]
        translated = dict(known)
        translated.update(self._translate_new(todo))
        if self.memory and todo:
            self.memory.store({s: translated[s] for s in todo})
        self.stats.items += len(unique)
        self.stats.cached += len(known)
        return [translated.get(s, "") if s.strip() else "" for s in sentences]

    def _translate_new(self, sentences: list[str]) -> dict[str, str]:
        if not sentences:
            return {}
        # Each sentence becomes spans; the translated ones are the pieces the model sees.
        plans = [plan(sentence, self._count, self.piece_limit) for sentence in sentences]
        pieces: list[tuple[int, str]] = [
            (index, span.text) for index, spans in enumerate(plans) for span in spans if span.translate
        ]
        lengths = self.engine.count_tokens([piece for _, piece in pieces])
        generated = self._generate(pieces, lengths, range(len(pieces)))
        outputs = [generated[i].text for i in range(len(pieces))]
        cut = {i for i, result in generated.items() if not result.finished}
        self._retry_degenerate(sentences, pieces, lengths, outputs, cut)
        self._repair_from_nbest(sentences, pieces, lengths, outputs)
        self._protect_terms(sentences, pieces, outputs)
        translated = iter(outputs)
        return {
            sentence: "".join(next(translated) if span.translate else span.text for span in spans).strip()
            for sentence, spans in zip(sentences, plans)
        }

    def _generate(
        self, pieces: list[tuple[int, str]], lengths: list[int], indexes: Iterable[int], **overrides: Any
    ) -> dict[int, Generated]:
        """Generate the pieces at `indexes` in length-sorted batches; results by piece index."""
        order = sorted(indexes, key=lambda i: lengths[i])
        results: dict[int, Generated] = {}
        for batch in self._batches(order, lengths):
            longest = max(lengths[i] for i in batch)
            max_new = min(
                int(longest * self.options.length_ratio) + self.options.extra_tokens, self.engine.default_max_length
            )
            for i, result in zip(batch, self.engine.generate([pieces[i][1] for i in batch], max_new_tokens=max_new, **overrides)):
                results[i] = result
                self.stats.input_tokens += result.input_tokens
                self.stats.output_tokens += result.output_tokens
        return results

    def _batches(self, order: list[int], lengths: list[int]) -> list[list[int]]:
        """Consecutive length-sorted items, bounded by a padded-token budget and a batch size."""
        batches: list[list[int]] = []
        for i in order:
            if batches:
                batch = batches[-1]
                padded = max(lengths[j] for j in batch + [i]) * (len(batch) + 1)
                if len(batch) < self.options.max_batch_size and padded <= self.options.max_batch_tokens:
                    batch.append(i)
                    continue
            batches.append([i])
        return batches

    # --- Retry of degenerate output --------------------------------------------------------------
    # Kept apart from the batching above: a piece whose output is empty, loops ("no, no, no, ...") or is
    # far too long or short is generated once more with safer settings; the better output is kept and
    # the sentence recorded in `flagged` so the checks can tell the reader.

    def _safer_overrides(self) -> dict[str, Any]:
        beams = getattr(getattr(self.engine, "generation_config", None), "num_beams", None) or 1
        return {"no_repeat_ngram_size": 3, "num_beams": int(beams) + 2, "repetition_penalty": 1.2}

    def _retry_degenerate(
        self,
        sentences: list[str],
        pieces: list[tuple[int, str]],
        lengths: list[int],
        outputs: list[str],
        cut: set[int],
    ) -> None:
        reasons = {
            i: degenerate_reason(piece, outputs[i]) or ("stopped at the length limit" if i in cut else None)
            for i, (_, piece) in enumerate(pieces)
        }
        bad = [i for i, reason in reasons.items() if reason]
        if bad:
            results = self._generate(pieces, lengths, bad, **self._safer_overrides())
            for i in bad:
                result = results[i]
                piece = pieces[i][1]
                again = degenerate_reason(piece, result.text)
                # Loops make output too long, failures too short: the ratio nearer 1 is the better one.
                if again is None or abs(math.log(length_ratio(piece, result.text))) < abs(
                    math.log(length_ratio(piece, outputs[i]))
                ):
                    outputs[i] = result.text
                note = reasons[i] if again is None else f"{reasons[i]} (and {again} after a retry)"
                sentence = sentences[pieces[i][0]]
                earlier = self.flagged.get(sentence)
                self.flagged[sentence] = note if not earlier or note in earlier else f"{earlier}; {note}"

    # --- Repair from the n-best list -------------------------------------------------------------
    # A piece whose translation lost a number or a name, or does not honour a glossary term, is decoded
    # again for the whole beam's n-best list; the best-scoring hypothesis that keeps every number and
    # name and honours every term replaces it (repair.py).

    @property
    def n_best(self) -> int:
        return nbest_size(self.engine)

    def _lost(self, piece: str, text: str) -> list[str]:
        """Numbers and names of `piece` that `text` lacks; a glossary term's English counts as its Dutch."""
        return lost_facts(piece, text, self.source_language, self.glossary)

    def _choose(self, piece: str, hypotheses, occurrences: list, unmet: int, lost: bool) -> tuple[int, str] | None:
        """The best hypothesis that keeps the facts and every term; else, for a piece that lost facts,
        one that keeps them and honours no fewer terms than `unmet` allows."""
        choose = lambda accept: choose_hypothesis(piece, hypotheses, self.source_language, accept, self.glossary)  # noqa: E731
        choice = choose(lambda text: not unhonoured(occurrences, text))
        if choice is None and occurrences and lost:
            choice = choose(lambda text: len(unhonoured(occurrences, text)) <= unmet)
        return choice

    def _repair_from_nbest(
        self, sentences: list[str], pieces: list[tuple[int, str]], lengths: list[int], outputs: list[str]
    ) -> None:
        lost = {i: self._lost(piece, outputs[i]) for i, (_, piece) in enumerate(pieces)}
        terms = {i: self.glossary.occurrences(piece) if self.glossary else [] for i, (_, piece) in enumerate(pieces)}
        unmet = {i: len(unhonoured(terms[i], outputs[i])) if terms[i] else 0 for i in terms}
        broken = [i for i in range(len(pieces)) if lost[i] or unmet[i]]
        if not broken:
            return
        n_best = self.n_best
        results = self._generate(pieces, lengths, broken, num_beams=n_best, num_hypotheses=n_best)
        for i in broken:
            hypotheses = results[i].hypotheses or ()
            choice = self._choose(pieces[i][1], hypotheses, terms[i], unmet[i], bool(lost[i]))
            if choice is None:
                continue
            rank, text = choice
            sentence = sentences[pieces[i][0]]
            if lost[i]:
                why = f"the first translation lost {', '.join(lost[i])}; beam hypothesis {rank + 1} of {len(hypotheses)} keeps them"
                self.repaired[sentence] = (outputs[i], why)
            if unmet[i] and not unhonoured(terms[i], text):
                self.honoured_by[sentence] = "n-best"
            outputs[i] = text

    def _protect_terms(self, sentences: list[str], pieces: list[tuple[int, str]], outputs: list[str]) -> None:
        """Decode each piece that still does not honour a term again with placeholders for its terms
        (cut at whitespace again where a placeholder takes more tokens than its term and the piece
        outgrows the window); the best candidate that keeps every placeholder once (and every number
        and name) gets the terms' English in their places. A piece with none keeps its translation."""
        if self.glossary is None:
            return
        todo: dict[int, tuple[str, dict]] = {}
        for i, (_, piece) in enumerate(pieces):
            occurrences = self.glossary.occurrences(piece)
            if occurrences and unhonoured(occurrences, outputs[i]):
                todo[i] = protect(piece, occurrences)
        if not todo:
            return
        plans = [cut_at_whitespace(text, self._count, self.piece_limit) for text, _ in todo.values()]
        for (i, (_, mapping)), candidates in zip(todo.items(), self._candidates(plans)):
            sentence, piece = sentences[pieces[i][0]], pieces[i][1]
            opens = not sentence[: sentence.find(piece)].strip(" \"'“‘«(")  # the piece starts its sentence
            for candidate in candidates:
                text = restore(candidate, mapping, opens)
                if text and degenerate_reason(piece, text) is None and not self._lost(piece, text):
                    outputs[i] = text
                    self.honoured_by[sentence] = "placeholder"
                    break

    def _candidates(self, plans: list[list[Span]]) -> list[list[str]]:
        """For each plan (spans of one text), its n-best translations as whole texts, best-scoring
        first, each once: the k-th hypothesis of each translated span, the other spans as they are.
        One batched n-best decoding for all the plans' pieces."""
        pieces = [(index, span.text) for index, spans in enumerate(plans) for span in spans if span.translate]
        if not pieces:
            return [["".join(span.text for span in spans).strip()] for spans in plans]
        lengths = self.engine.count_tokens([piece for _, piece in pieces])
        n_best = self.n_best
        results = self._generate(pieces, lengths, range(len(pieces)), num_beams=n_best, num_hypotheses=n_best)
        ranked = [results[i].texts for i in range(len(pieces))]
        out, piece = [], 0
        for spans in plans:
            own = list(range(piece, piece + sum(span.translate for span in spans)))
            piece += len(own)
            candidates: list[str] = []
            for k in range(max((len(ranked[i]) for i in own), default=1)):
                texts = iter(ranked[i][min(k, len(ranked[i]) - 1)] for i in own)
                text = "".join(next(texts) if span.translate else span.text for span in spans).strip()
                if text and text not in candidates:
                    candidates.append(text)
            out.append(candidates)
        return out

    # --- Alternatives for re-ranking -------------------------------------------------------------

    def alternatives(self, sentences: list[str]) -> dict[str, list[str]]:
        """Each sentence's n-best translations, best-scoring first, as whole sentences (`_candidates`).
        Only those that are not degenerate, keep every number and name, and honour every glossary term
        the sentence has; a sentence with none gets no entry. For re-ranking a low-confidence sentence
        (`confidence.py`)."""
        unique = [sentence for sentence in dict.fromkeys(sentences) if sentence.strip()]
        plans = [plan(sentence, self._count, self.piece_limit) for sentence in unique]
        out: dict[str, list[str]] = {}
        for sentence, candidates in zip(unique, self._candidates(plans)):
            occurrences = self.glossary.occurrences(sentence) if self.glossary else []
            kept = [
                text
                for text in candidates
                if degenerate_reason(sentence, text) is None and not self._lost(sentence, text) and not unhonoured(occurrences, text)
            ]
            if kept:
                out[sentence] = kept
        return out
