"""`at_forced_end`: CTranslate2 hypotheses that reached the length limit read as Hugging Face's forced end."""

from __future__ import annotations

import pytest

from translate_summarize.engines.forced_end import at_forced_end

END = "</s>"


def _log_probs(asked: list):
    """Each token's log-probability is -0.1, and the calls are recorded in `asked`."""

    def token_log_probs(pairs):
        asked.append(pairs)
        return [[-0.1] * len(tokens) for _, tokens in pairs]

    return token_log_probs


def test_hypotheses_at_the_limit_end_there_and_are_ranked_as_hf_ranks_them():
    ended = ["<s>", "a", "b", END]  # ended before the limit: kept as it is
    at_limit = [["<s>", "a", "b", "c", "d"], ["<s>", "a", "b", "c", "e"]]  # one beam, two last tokens
    asked: list = []
    (out,) = at_forced_end(
        [[at_limit[0], ended, at_limit[1]]],
        [[-0.05, -0.06, -0.09]],
        limit=5,
        forced=True,
        end_token=END,
        length_penalty=2.0,
        prefix_length=1,
        token_log_probs=_log_probs(asked),
    )
    # HF: <s> a b c + the forced end token; its score is that of a, b and c (<s> is forced) over 5 ** 2.
    assert [(h.tokens, h.length, h.finished) for h in out] == [
        (["<s>", "a", "b", "c"], 5, False),
        (ended, 4, True),
    ]
    assert out[0].score == pytest.approx(-0.3 / 25) and out[1].score == -0.06
    assert [tokens for _, tokens in asked[0]] == [["<s>", "a", "b", "c"]] * 2  # one call for all of them


def test_without_a_forced_end_token_or_a_beam_nothing_is_rescored():
    cut, ended = ["<s>", "a", "b", "c", "d"], ["<s>", "a", END]
    asked: list = []
    (free,) = at_forced_end(
        [[cut, ended]], [[-0.05, -0.06]], limit=5, forced=False, end_token=END, length_penalty=1.0,
        prefix_length=1, token_log_probs=_log_probs(asked),
    )
    assert [(h.tokens, h.finished, h.score) for h in free] == [(cut, False, -0.05), (ended, True, -0.06)]
    (alone,) = at_forced_end(
        [[cut]], [[-0.05]], limit=5, forced=True, end_token=END, length_penalty=1.0,
        prefix_length=1, token_log_probs=_log_probs(asked),
    )
    assert [(h.tokens, h.length, h.finished) for h in alone] == [(cut[:-1], 5, False)]
    assert asked == []  # a single hypothesis needs no ranking
    # an end token in the last position HF allows is HF's forced one: not finished
    (last,) = at_forced_end(
        [[["<s>", "a", "b", "c", END]]], [[-0.05]], limit=5, forced=False, end_token=END, length_penalty=1.0,
        prefix_length=1, token_log_probs=_log_probs(asked),
    )
    assert not last[0].finished
