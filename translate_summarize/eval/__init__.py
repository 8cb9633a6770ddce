"""Quality evaluation: `brief-eval` (see `harness`) scores the configured models on reference data in `data/`.

- `data/nl_en_news.tsv`: Dutch news sentences and English reference translations (header ``nl<TAB>en``),
  written for this project in news style: amounts, percentages, dates, names, quotes, long clauses.
- `data/summaries.jsonl`: short English news articles with reference summaries (``id``, ``article``,
  ``summary``), also written for this project.
"""
