"""The stages that make a brief from an `Article`: translate, summarize, back-translate, check.

`briefer.Briefer` runs them for one article or a batch and owns the models; `translate`
(`Translator`) and `summarize` (`Summarizer`) are the stages, `repair` mends lost numbers and names from
the n-best list, `memory` is the translation memory, `keys` the cache key over the settings that
change output. May import `engines`, `checks`, `sources`, `text`, `common`, `data` and `errors`.
"""
