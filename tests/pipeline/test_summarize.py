"""Summarizer: chunks, summaries of many articles generated together within a token budget,
summaries that end at a sentence end (decoded again at the length limit, never on a number cut short),
and summaries that keep to the facts of their chunk (a beam hypothesis chosen, Zhao et al. 2020)."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_summarize.checks.summary import check_summary, unsupported
from translate_summarize.engines.base import Generated, Hypothesis
from translate_summarize.pipeline.summarize import Summarizer, Summary, cut_number, end_cleanly, token_budget_batches

from ..doubles import BeamSummaryEngine, DropFromBest, UpperEngine


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
    first = [text for texts, overrides in engine.calls if "num_beams" not in overrides for text in texts]
    assert sorted(first) == sorted(chunk for sentences in articles for chunk in summarizer.chunks(sentences))
    # Upper-cased, every summary has "names" its chunk lacks (SENTENCE): all decoded again, in one pass.
    assert sorted(engine.texts) == sorted(first + first)


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


# --- Summaries that keep to the facts (Zhao et al. 2020) ------------------------------------------------

HOMES = "The council approved 45 new homes on Tuesday."
FAITHFUL = "The council approved 45 new homes."
PEOPLE = "The mayor said 300 people will live there."


def test_a_hallucinated_number_gives_way_to_the_best_supported_beam_hypothesis():
    engine = BeamSummaryEngine({"45 new homes": [
        "The council approved 54 new homes.", "The council approved 45 new homes.", "The council met.",
    ]})
    summary = Summarizer(engine).summary([HOMES, "The mayor of Utrecht was pleased."])
    assert summary == Summary(
        "The council approved 45 new homes.",
        chosen=("the summary: beam hypothesis 2 of 3 chosen; the first summary said 54, which is not in the article",),
    )
    (_, first, _), (again, n_best, overrides) = engine.calls
    assert first == 1 and n_best == 4 and overrides["num_beams"] == 4 and "max_length" not in overrides
    assert check_summary(summary.text, HOMES) == []


def test_a_hallucinated_name_gives_way_to_the_best_supported_beam_hypothesis():
    engine = BeamSummaryEngine({"45 new homes": ["Mayor Jansen approved 45 new homes.", FAITHFUL]})
    summary = Summarizer(engine).summary([HOMES])
    assert summary.text == "The council approved 45 new homes."
    (note,) = summary.chosen
    assert note.startswith("the summary: beam hypothesis 2 of 2 chosen; the first summary said ") and "Jansen" in note


def test_with_no_supported_hypothesis_the_first_summary_stays_for_the_check_to_flag():
    wrong = ["The council approved 54 new homes.", "The council approved 55 new homes."]
    engine = BeamSummaryEngine({"45 new homes": wrong})
    summary = Summarizer(engine).summary([HOMES])
    assert summary == Summary("The council approved 54 new homes.")
    assert len(engine.calls) == 2
    assert check_summary(summary.text, HOMES)  # flagged as before


def test_a_supported_summary_costs_no_second_call():
    engine = BeamSummaryEngine({"45 new homes": [FAITHFUL, "The council approved 54 new homes."]})
    assert Summarizer(engine).summary([HOMES, PEOPLE]) == Summary("The council approved 45 new homes.")
    assert [asked for _, asked, _ in engine.calls] == [1]


def test_only_the_chunks_that_hallucinate_are_decoded_again_all_in_one_pass():
    engine = BeamSummaryEngine(
        {
            "45 new homes": ["The council approved 45 new homes."],
            "300 people": ["The mayor said 3000 people will live there.", "The mayor said 300 people will live there."],
            "Ajax": ["Ajax beat PSV in front of 40,000 fans in Rotterdam.", "Ajax beat PSV in Eindhoven."],
        },
        limit=12,  # chunks of at most 10 tokens: one sentence each
    )
    summarizer = Summarizer(engine)
    articles = [[HOMES, PEOPLE], ["Ajax beat PSV in Eindhoven on Sunday."]]
    assert summarizer.chunks(articles[0]) == [HOMES, PEOPLE]
    long, short = summarizer.summaries(articles)
    assert long == Summary(
        "The council approved 45 new homes. The mayor said 300 people will live there.",
        chosen=("chunk 2: beam hypothesis 2 of 2 chosen; the first summary said 3000, which is not in that chunk "
                "of the article",),
    )
    assert short == Summary(
        "Ajax beat PSV in Eindhoven.",
        chosen=("the summary: beam hypothesis 2 of 2 chosen; the first summary said 40,000 and Rotterdam, which are "
                "not in the article",),
    )
    (first, _, _), (again, asked, _) = engine.calls
    assert sorted(first) == sorted([HOMES, PEOPLE, articles[1][0]])
    assert sorted(again) == sorted([PEOPLE, articles[1][0]]) and asked == 4


def test_a_summary_decoded_again_for_its_end_prefers_a_clean_and_supported_hypothesis():
    engine = BeamSummaryEngine({"45 new homes": [
        "The council approved 45 new homes on", "The council approved 54 new homes.", FAITHFUL,
    ]})
    summarizer = Summarizer(engine)
    summary = summarizer.summary([HOMES])
    assert summary == Summary(
        "The council approved 45 new homes.",
        chosen=("the summary: beam hypothesis 3 of 3 chosen; decoded again for its end, the best one that ended "
                "cleanly said 54, which is not in the article",),
    )
    (_, _, first), (_, asked, again) = engine.calls  # one pass for both reasons
    assert again["max_length"] == summarizer.retry_length and asked == 4 and "max_length" not in first
    # With none supported, the best clean one, as before.
    engine = BeamSummaryEngine({"45": ["The council approved 45 new homes on", "The council approved 54 new homes."]})
    assert Summarizer(engine).summary([HOMES]) == Summary("The council approved 54 new homes.")


@pytest.mark.parametrize(
    ("summary", "found"),
    [
        ("The council approved 45 new homes.", []),
        ("The council approved 54 new homes. Mayor Jansen was pleased.", ["54", "Jansen"]),
        ("The council met on Tuesday.", []),
        ("The council met on Friday, 3 March.", ["3 March", "Friday"]),
        ("", []),
    ],
)
def test_unsupported_is_the_hallucination_check_on_its_own(summary, found):
    flagged = check_summary(summary, HOMES + " The mayor was pleased.")
    items = unsupported(summary, HOMES + " The mayor was pleased.")
    assert bool(flagged) == bool(items)
    assert all(any(item.startswith(wanted) for item in items) for wanted in found)
    assert all(item in " ".join(check.message for check in flagged) for item in items)


BART = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-bart-lead"


@pytest.mark.skipif(not (BART / "config.json").exists(), reason="tests/fixtures/tiny-bart-lead not built")
def test_the_fixture_model_s_own_supported_hypothesis_replaces_a_hallucinated_number():
    from translate_summarize.engines.torch_engine import TorchEngine

    engine = DropFromBest(TorchEngine(BART), "45", instead="54")  # its best summary says 54 for 45
    summary = Summarizer(engine).summary([HOMES, "The mayor of Utrecht was pleased with the plan."])
    assert summary.text == HOMES  # the model's own lead sentence, from its n-best list
    (note,) = summary.chosen
    assert note.startswith("the summary: beam hypothesis 2 of ") and "said 54, which is not in the article" in note


def test_the_n_best_list_is_the_model_s_beam_and_at_least_four():
    assert Summarizer(UpperEngine()).n_best == {"num_beams": 4, "num_hypotheses": 4}  # no beam of its own: raised
    engine = BeamSummaryEngine({})
    engine.generation_config = type("Config", (), {"num_beams": 6, "min_length": 0})
    assert Summarizer(engine).n_best == {"num_beams": 6, "num_hypotheses": 6}
