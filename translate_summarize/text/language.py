"""Is this article Dutch? py3langid decides, offline, before any model is loaded.

Only Dutch is translated; English input needs no translation (the pipeline copies it to the English
side); anything else is refused with a one-line reason, because opus-mt-nl-en turns German or French
into confident nonsense. The identifier is restricted to the languages a Dutch newsroom's inbox is
likely to hold, with probabilities normalised over that set, so "p=0.97" means something.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import ConfigError, InputError

DUTCH = "nl"
ENGLISH = "en"
SUPPORTED = (DUTCH, ENGLISH)
# Dutch and its neighbours (Afrikaans, Frisian, Luxembourgish, German), the big European languages
# a press release may come in, and a few more that share Latin script.
CANDIDATES = ("nl", "en", "de", "fr", "af", "fy", "lb", "da", "sv", "no", "es", "pt", "it", "pl", "tr", "id")
LANGUAGE_NAMES = {
    "nl": "Dutch",
    "en": "English",
    "de": "German",
    "fr": "French",
    "af": "Afrikaans",
    "fy": "Frisian",
    "lb": "Luxembourgish",
    "da": "Danish",
    "sv": "Swedish",
    "no": "Norwegian",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "pl": "Polish",
    "tr": "Turkish",
    "id": "Indonesian",
}
# Below this many letters the identifier is guessing; such input is taken as Dutch.
MIN_LETTERS = 20
# Refuse only when the identifier is this sure: a refused Dutch article costs more than a poor translation.
REJECT_CONFIDENCE = 0.8
# The identifier is fast, but a megabyte is more than it needs to make up its mind.
SAMPLE_CHARS = 20_000


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def detect_language(text: str) -> tuple[str, float]:
    """The most likely language of `text` among `CANDIDATES` (ISO 639-1) and its probability (0..1)."""
    language, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return str(language), float(probability)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@dataclass(frozen=True)
class LanguageDecision:
    """What to do with one article: translate it (Dutch), copy it (English), or nothing (refused).

    `language` is what the article is taken to be; `detected`/`probability` what the identifier said
    (None/0.0 when `--source-lang` forced it or the text was too short to tell); `reason` says why, for
    the verbose log.
    """

    language: str
    detected: str | None
    probability: float
    reason: str

    @property
    def translate(self) -> bool:
        return self.language == DUTCH

    @classmethod
    def decide(cls, text: str, name: object = "<input>", source_lang: str | None = None) -> LanguageDecision:
        """Decide for the article `text` read from `name`; raises InputError for an unsupported language.

        `source_lang` (the CLI's --source-lang) skips detection: "nl" or "en"; "auto" or None detects.
        """
        forced = check_source_lang(source_lang)
        if forced:
            return cls(forced, None, 0.0, f"--source-lang {forced}")
        letters = sum(1 for char in text if char.isalpha())
        if letters < MIN_LETTERS:
            return cls(DUTCH, None, 0.0, f"too little text to detect its language ({letters} letters); taken as Dutch")
        detected, probability = detect_language(text)
        summary = f"detected {language_name(detected)} ({detected}, p={probability:.2f})"
        if detected in SUPPORTED:
            return cls(detected, detected, probability, summary)
        if probability < REJECT_CONFIDENCE:
            return cls(DUTCH, detected, probability, f"{summary}, too unsure to refuse; taken as Dutch")
        raise InputError(
            name,
            f"looks like {language_name(detected)} ({detected}, p={probability:.2f}), not Dutch; "
            "use --source-lang to override",
        )


def check_source_lang(value: str | None) -> str | None:
    """Normalise a --source-lang value: None for auto-detection, "nl" or "en"; ConfigError otherwise."""
    if value is None:
        return None
    code = value.strip().lower()
    if code in ("", "auto"):
        return None
    aliases = {"dutch": DUTCH, "nederlands": DUTCH, "nld": DUTCH, "english": ENGLISH, "eng": ENGLISH}
    code = aliases.get(code, code)
    if code not in SUPPORTED:
        raise ConfigError(f"--source-lang {value}: only nl (translate) or en (no translation needed) are supported")
    return code


def decide_language(text: str, name: object = "<input>", source_lang: str | None = None) -> LanguageDecision:
    """Shorthand for `LanguageDecision.decide`."""
    return LanguageDecision.decide(text, name, source_lang)
