"""Hugging Face's forced end token, read into CTranslate2's hypotheses (`at_forced_end`).

With `forced_eos_token_id` set (BART, Marian), Hugging Face's `generate()` puts the end token in the
last position its length limit allows, whatever the model would choose there: a beam still running
there ends with it (log-probability 0, counted in the length), and only while fewer than `num_beams`
hypotheses have ended (early_stopping=True). CTranslate2 has no forced end token. It used to stop one
position earlier and keep what its beams held there, ranked by one token fewer than HF ranks them, even
when the same step had ended its `num_beams` hypotheses. So the engines disagreed on whether a summary
that reached the limit near its end keeps its closing quote: `… they?”` cut by CTranslate2 where torch
had ended its beam at `… they?`, and the other way round, `… said.` where torch's `… said.”` scored
better by the one token HF counts more.

`CTranslate2Engine` now decodes as far as HF counts (its `max_decoding_length` is HF's budget, end token
included): where HF's beam stops, CTranslate2's does. Every hypothesis that reaches the last position
is read as HF's: its last token is HF's forced end token, and its score is HF's (the model's
log-probabilities of the tokens before it, over HF's length).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Ended:
    """One hypothesis as Hugging Face ends it. `tokens`: its pieces as decoded (prefix included, and
    the end token when the model chose it); `length`: generated tokens, end token (chosen or forced)
    included; `finished`: ended before the length limit; `score`: HF's length-normalised log-probability."""

    tokens: list[str]
    length: int
    finished: bool
    score: float


# (input index, tokens) pairs -> the log-probability of each token of each pair, as the model gives them.
TokenLogProbs = Callable[[list[tuple[int, list[str]]]], list[list[float]]]


def at_forced_end(
    hypotheses: list[list[list[str]]],
    scores: list[list[float]],
    *,
    limit: int,
    forced: bool,
    end_token: str,
    length_penalty: float,
    prefix_length: int,
    token_log_probs: TokenLogProbs,
) -> list[list[Ended]]:
    """Each input's CTranslate2 hypotheses (token lists with their `scores`, prefix and end token included)
    as Hugging Face ends and ranks them: one list per input, best first, each text once.

    `limit`: the decoding budget in tokens, end token included. With `forced`, a hypothesis of `limit`
    tokens reached HF's forced end: its last token is dropped and it is not `finished`. Where there are
    several to rank, its score becomes HF's: the log-probability of its tokens after the `prefix_length`
    forced ones (`token_log_probs`, asked once for all of them), the forced end token adding 0, over
    `limit ** length_penalty`.
    """
    at_limit = [
        (i, k)
        for i, group in enumerate(hypotheses)
        if forced and len(group) > 1
        for k, tokens in enumerate(group)
        if len(tokens) >= limit
    ]
    bodies = [(i, hypotheses[i][k][:-1]) for i, k in at_limit]
    log_probs = token_log_probs(bodies) if bodies else []
    rescored = {
        key: sum(values[prefix_length : len(body)]) / float(limit) ** length_penalty
        for key, (_, body), values in zip(at_limit, bodies, log_probs)
    }
    out = []
    for i, group in enumerate(hypotheses):
        ended: dict[tuple[str, ...], Ended] = {}
        for k, tokens in enumerate(group):
            if forced and len(tokens) >= limit:
                hypothesis = Ended(tokens[:-1], len(tokens), False, rescored.get((i, k), float(scores[i][k])))
            else:
                finished = bool(tokens) and tokens[-1] == end_token and len(tokens) < limit
                hypothesis = Ended(tokens, len(tokens), finished, float(scores[i][k]))
            key = tuple(hypothesis.tokens)
            if key not in ended or hypothesis.score > ended[key].score:  # two last tokens at the forced end: one text
                ended[key] = hypothesis
        out.append(sorted(ended.values(), key=lambda hypothesis: hypothesis.score, reverse=True))
    return out
