"""Faithfulness checks: what a reader of a machine-made brief should look at twice.

Each check compares text the models wrote with the text they were given and returns `Check` records:
one warning per problem, naming the sentence (a short excerpt) and what is missing or wrong, and,
per kind of check that found nothing, one `ok` record so JSON consumers see what was checked.

Kinds (the `Check.name`):

- ``numbers``: numbers, amounts, percentages, dates, times and years of each Dutch sentence appear in
  its English translation. Both sides are reduced to comparable keys first: Dutch ``3,5`` -> 3.5,
  ``1.000`` -> 1000, ``12 procent`` -> 12%, ``3,5 miljard`` -> 3500000000, ``3 september`` -> the date
  9-3, ``14.30 uur`` -> 2:30. The English side is read leniently (both decimal conventions, written
  numbers such as "three", Dutch words a copying model left in), so a warning means the value is
  really absent.
- ``names``: proper names (capitalised words not at the start of a sentence, and capitalised quoted
  titles) survive translation, compared case-sensitively; a small map covers Dutch exonyms and
  institutions whose English differs (Peking/Beijing, Duitse/German, Tweede Kamer/House).
- ``hallucination``: every number and name in the English summary occurs in the English translation.
- ``degenerate``: empty output, repeated n-gram loops ("no, no, no, no"), output far longer or shorter
  than its source; also sentences the translator had to re-generate (see `Translator.flagged`).
- ``summary-cut``: the summarizer stopped at its length limit before its first sentence ended (also
  when decoded again with more room), or on a number its source continues; the summary then ends in
  "…" (`pipeline/summarize.end_cleanly`).
- ``repaired``: a sentence's translation lost a number or name and was replaced by a lower-ranked
  beam hypothesis that keeps them (`pipeline/repair.py`); the warning quotes the first translation.
- ``glossary`` (with `--glossary`): every occurrence of a glossary term in a Dutch sentence has the
  English the glossary gives in its translation (`text/glossary.py`); names the ones that do not.
- ``confidence``: the sentences the models are least sure of (`SentencePair.low_confidence`, from the
  dual conditional cross-entropy score of `pipeline/confidence.py`): "check this sentence".
- ``untranslated``: the English is a copy of the Dutch. Only a warning, off for English articles (the
  pipeline copies them on purpose) and switchable with `CheckOptions(untranslated=False)`; the copying
  test fixture model trips it by design.

`degenerate_reason` is also what the translator uses to decide to retry a piece with safer settings.

One module per check (numbers, names, degenerate, summary), `brief.check_brief` over a whole brief,
and the data tables in checks/data/.
"""

from .base import (
    CONFIDENCE,
    DEFAULT_OPTIONS,
    DEGENERATE,
    GLOSSARY,
    HALLUCINATION,
    KINDS,
    NAMES,
    NUMBERS,
    REPAIRED,
    SUMMARY_CUT,
    UNTRANSLATED,
    CheckOptions,
    excerpt,
)
from .brief import check_brief
from .degenerate import check_degenerate, check_untranslated, degenerate_reason, is_copy, length_ratio, longest_repeat
from .names import EXONYMS, check_names, extract_names, missing_names, name_survives
from .numbers import Fact, check_numbers, extract_facts, missing_numbers, number_keys, numeral_values
from .summary import check_repaired, check_summary, check_summary_cut

__all__ = [
    "CONFIDENCE",
    "DEFAULT_OPTIONS",
    "DEGENERATE",
    "EXONYMS",
    "GLOSSARY",
    "HALLUCINATION",
    "KINDS",
    "NAMES",
    "NUMBERS",
    "REPAIRED",
    "SUMMARY_CUT",
    "UNTRANSLATED",
    "CheckOptions",
    "Fact",
    "check_brief",
    "check_degenerate",
    "check_names",
    "check_numbers",
    "check_repaired",
    "check_summary",
    "check_summary_cut",
    "check_untranslated",
    "degenerate_reason",
    "excerpt",
    "extract_facts",
    "extract_names",
    "is_copy",
    "length_ratio",
    "longest_repeat",
    "missing_names",
    "missing_numbers",
    "name_survives",
    "number_keys",
    "numeral_values",
]
