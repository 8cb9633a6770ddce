"""Summarizer: chunks, summaries of many articles generated together within a token budget, and
summaries that end at a sentence end (decoded again at the length limit, never on a number cut short)."""

from __future__ import annotations

import pytest

from translate_summarize.engines.base import Generated, Hypothesis
from translate_summarize.pipeline.summarize import Summarizer, Summary, cut_number, end_cleanly, token_budget_batches

from ..doubles import UpperEngine


def test_token_budget_batches_are_longest_first_within_the_budget_and_keep_every_item():
    lengths = {"a": 3, "b": 9, "c": 5, "d": 12, "e": 1, "f": 5}
    batches = token_budget_batches(list(lengths), lengths.get, 10)
    assert sorted(item for batch in batches for item in batch) == sorted(lengths)
    assert batches[0] == ["d"]  # longer than the budget: a batch of its own
    assert all(sum(lengths[item] for item in batch) <= 10 for batch in batches[1:])
    flat = [item for batch in batches for item in batch]
    assert [lengths[item] for item in flat] == sorted(lengths.values(), reverse=True)
    assert flat.index("c") < flat.index("f")  # ties keep their order


def test_many_articles_summarized_in_calls_within_the_token_budget_and_as_if_alone():
    articles = [[f"Sentence {n} of article {i} has a few words." for n in range(i % 4 + 1)] for i in range(9)]
    alone = [Summarizer(UpperEngine(limit=40)).summary(sentences) for sentences in articles]
    engine = UpperEngine(limit=40)
    summarizer = Summarizer(engine, max_batch_tokens=60)
    together = summarizer.summaries(articles)
    assert together == alone
    assert len(engine.calls) > 1  # one call would be over the budget
    for texts, _ in engine.calls:
        assert sum(engine.count_tokens(texts)) <= 60
    assert sorted(engine.texts) == sorted(chunk for sentences in articles for chunk in summarizer.chunks(sentences))


def test_token_budget_batches_keep_a_multiple_of_the_workers_but_the_last():
    items = list(range(8))
    batches = token_budget_batches(items, lambda item: 10, 70, multiple=2)
    assert [len(batch) for batch in batches] == [6, 2]  # not 7 + a lone 1 that leaves a worker idle
    assert [len(batch) for batch in token_budget_batches(items, lambda item: 10, 70)] == [7, 1]
    assert [len(batch) for batch in token_budget_batches(list(range(3)), lambda item: 10, 70, multiple=2)] == [3]


class LimitEngine(UpperEngine):
    """Copies a text that fits its `max_length` (tokens: words + 1), ended by its end token; stops a
    longer one at the limit, mid-sentence (`finished` False)."""

    def __init__(self, max_length: int = 8):
        super().__init__(limit=64)
        self.default_max_length = max_length

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        self.calls.append((list(texts), overrides))
        room = overrides.get("max_length") or self.default_max_length
        out = []
        for text in texts:
            words = text.split()
            if len(words) + 1 <= room:
                out.append(Generated(text, len(words) + 1, len(words) + 1))
            else:
                out.append(Generated(" ".join(words[: room - 1]), len(words) + 1, room, finished=False))
        return out


def test_a_summary_cut_at_the_length_limit_is_decoded_again_once_with_more_room():
    fits = "Ajax won the cup."  # 5 tokens of 8: ends cleanly, kept as it is and not decoded again
    longer = "The council agreed on Monday to pay for the new bridge."  # 12: cut at 8, whole at 12
    too_long = "The council agreed on Monday to pay for the new bridge over the river Maas."  # 16: cut at 12 too
    engine = LimitEngine(max_length=8)
    summarizer = Summarizer(engine)
    assert summarizer.retry_length == 12  # 1.5 times the model's max_length
    summaries = summarizer.summaries([[fits], [longer], [too_long]])
    assert summaries[:2] == [Summary(fits), Summary(longer)]
    # Still cut with more room: the first summary ends as before, its last whole words kept.
    assert summaries[2] == Summary("The council agreed on Monday to…", cut=True)
    (first, first_overrides), (again, again_overrides) = engine.calls
    assert sorted(first) == sorted([fits, longer, too_long]) and sorted(again) == sorted([longer, too_long])
    assert again_overrides["max_length"] == 12 and "max_length" not in first_overrides
    assert again_overrides["min_length"] == first_overrides["min_length"]


class CutNumberEngine(UpperEngine):
    """Ends its summary on "1.450." where its source says "1.450.300 euro" (its end token, not the limit).
    Asked for an n-best list, it has the whole number in its second hypothesis when `keeps` is True."""

    class generation_config:  # noqa: N801 - mimics the HF attribute
        num_beams = 4
        min_length = 0

    def __init__(self, keeps: bool = True):
        super().__init__()
        self.keeps = keeps
        self.asked: list[int] = []  # num_hypotheses of each call

    def generate(self, texts, *, num_hypotheses=1, **overrides):
        self.calls.append((list(texts), overrides))
        self.asked.append(num_hypotheses)
        out = []
        for text in texts:
            cut = text.replace("1.450.300 euro for it", "1.450")
            second = text.replace(" for it", "") if self.keeps else cut.replace("pays", "will pay")
            hypotheses = (Hypothesis(cut, -0.1), Hypothesis(second, -0.4)) if num_hypotheses > 1 else ()
            out.append(Generated(cut, 12, 12, True, hypotheses))
        return out


@pytest.mark.parametrize(
    ("sentences", "keeps", "expected"),
    [
        (["The bridge opens in May.", "The city pays 1.450.300 euro for it."], True,
         Summary("The bridge opens in May. The city pays 1.450.300 euro.")),
        (["The bridge opens in May.", "The city pays 1.450.300 euro for it."], False,
         Summary("The bridge opens in May.")),
        (["The city pays 1.450.300 euro for it."], False, Summary("The city pays…", cut=True)),
    ],
)
def test_a_summary_never_ends_on_a_number_its_source_continues(sentences, keeps, expected):
    engine = CutNumberEngine(keeps)
    assert Summarizer(engine).summary(sentences) == expected
    assert engine.asked == [1, 4]  # decoded again once, with the beam's n-best list


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        ("The city pays ruim 1.450.", "De stad betaalt ruim 1.450.300 euro."),
        ("The city pays 1,450.", "The city pays 1,450,300 euros."),
        ("The bill is 1.450.", "The bill is 1.450,30 euros."),
        ("The state gives 2.", "The state gives 2.5 billion."),
        ("Growth was 3.", "Growth was 3.5 percent."),
        ("He said: “It costs 1,450.”", "He said: “It costs 1,450,300.”"),
        ("It costs 1.450.", "It costs 1,450,300 euros."),  # either separator
    ],
)
def test_a_number_the_source_continues_is_not_a_sentence_end(summary, source):
    assert cut_number(summary, source)
    assert end_cleanly(Generated(summary, 10, 10), source)[1]  # no sentence left: cut
    assert end_cleanly(Generated("Ajax won. " + summary, 10, 10), source) == ("Ajax won.", False)
    assert end_cleanly(Generated(summary, 10, 10)) == (summary, False)  # without its source: as before


@pytest.mark.parametrize(
    ("summary", "source"),
    [
        ("The law dates from 2023.", "The law dates from 2023."),
        ("It costs 1,450.", "It costs 1,450 euros."),
        ("The ministers numbered 3.", "3 ministers came for the 3.5 billion."),  # whole as well
        ("The match ended 2-1.", "Ajax won 2-1 before 1.5 million viewers."),
        ("The bridge opens in May.", "It costs 1.450.300 euro."),
        ("It costs 1.450.", ""),
    ],
)
def test_a_number_the_source_has_whole_ends_a_sentence(summary, source):
    assert not cut_number(summary, source)


def test_a_summary_ending_in_a_letter_label_or_dotted_capitals_is_complete():
    """Issue 21 item 5: "pool B." ends a sentence (the trimmer asks `is_boundary(text, "The")`)."""
    from translate_summarize.engines.base import Generated
    from translate_summarize.pipeline.summarize import end_cleanly

    for text in [
        "The draw placed Ajax in pool B.",
        "The draw in Nyon placed Ajax in poule B.",
        "Ajax will face Celtic. The draw placed Ajax in Group C.",
        "The researcher moved to the U.S.",
        "The bridge will be built by Hoek B.V.",
    ]:
        assert end_cleanly(Generated(text, 20, 12)) == (text, False)
    # an abbreviation that stands before a name still leaves the sentence incomplete
    assert end_cleanly(Generated("Ajax drew. The final was Ajax vs.", 20, 12)) == ("Ajax drew.", False)
