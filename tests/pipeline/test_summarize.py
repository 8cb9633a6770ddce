"""Summarizer: chunks, and summaries of many articles generated together within a token budget."""

from __future__ import annotations

from translate_summarize.pipeline.summarize import Summarizer, token_budget_batches

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
