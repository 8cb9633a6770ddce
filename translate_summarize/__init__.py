"""translate_summarize: Dutch news articles in, bilingual English/Dutch briefs out."""

__version__ = "0.3.0"
