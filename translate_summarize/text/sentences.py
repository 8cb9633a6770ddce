"""Sentence splitting, kept apart from translation (as argos-translate does).

A sentence unit is what one translation call gets: two sentences sent together are where MarianMT drops
text (marian-nmt #389), one sentence cut in two loses its meaning. Every unit is a slice of the paragraph,
so joining the units with the whitespace between them gives the paragraph back.

How a boundary is found:

1. Candidates: the sentence starts pysbd proposes, plus every run of sentence-final punctuation (``.``,
   ``!``, ``?``, ``…``, ``...``) followed by closing quotes or brackets (’ ” » ' " ) ]) and whitespace:
   pysbd misses ``zei: ‘We gaan door.’ Daarna``, ``riep: «Eindelijk!» De`` and ``stil… Toen``.
2. Each candidate is a boundary only when the next word starts a sentence (a capital, a digit, an
   opening quote, ’s/’t) and the text before it ends one. A final period after a known abbreviation
   ends a sentence only before a capital, and not even then for abbreviations that stand before names
   and numbers (``Ajax vs. PSV``, ``Gem. Rotterdam``, ``afb. 3``, ``wo. 3 maart``, ``m.n. drie``).
3. A dotted capital (``poule B.``), a chain of them (``J.P.``, ``de V.S.``) or a company form
   (``B.V.``, ``N.V.``, ``V.O.F.``, ``bv.``, ``b.v.``) stands before a name as often as it ends a
   sentence (``J.P. Balkenende``, ``B. Obama zei``, ``de N.V. Nederlandse Spoorwegen``), and a
   capital alone cannot tell the two apart. It ends the sentence only when what follows can only
   start one: a capitalised closed-class word (`SENTENCE_STARTERS`: articles, pronouns,
   prepositions, conjunctions, number words and the adverbs that open news sentences, Dutch and
   English, since the English summary trimmer asks ``is_boundary(text, "The")``), an opening quote
   or ’s; or the end of the paragraph (no candidate follows). A surname particle before a
   capitalised word (``K. De Gucht``, ``H. Van Rompuy``, ``B. Ter Haar``) is still a name, and
   ``G. ’t Hooft`` too. A single capital after a noun that takes a letter label (`LETTER_LABELS`:
   ``poule B``, ``vitamine B``, ``groep C``, ``klasse A``, ``pool B``) is no initial at all: it ends a
   sentence as any word does (``vitamine B. Huisartsen …``).

The abbreviation lexicon is the Dutch list pysbd ships (1,656 entries, pysbd.lang.dutch, ported from
pragmatic_segmenter's dutch.rb, the same list spaCy's Dutch tokenizer exceptions copy), plus the few
news abbreviations it lacks (`NEWS_ABBREVIATIONS`). The word lists of rule 3 were written for this
project from the Dutch word classes (lidwoorden, voornaamwoorden, voorzetsels, voegwoorden,
telwoorden, as the Algemene Nederlandse Spraakkunst groups them) and their English counterparts, with
the adverbs and time words Dutch news sentences open with; words that are also common surnames
or first names (May, Will, Den) are left out. bench/splitters.py compares this splitter with pysbd
alone, sentencex and spaCy's sentencizer on tests/data/nl_sentences_gold.txt.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
from pysbd.lang.dutch import Dutch

# Abbreviations Dutch news uses that pysbd's (mostly legal) Dutch list lacks.
NEWS_ABBREVIATIONS = frozenset(
    """
    afb mevr mw ds burg wethr weth kon mld mln mrd incl excl ong z.g.n tel jr sr m.u.v v.d km cm mm ml
    ha pt ct sec tv ned herv ma di wo do vr za zo jan feb mrt apr jun jul aug sep sept okt nov dec
    """.split()
)
# Titles and words that stand before a name: a capital after them never starts a new sentence.
PREPOSITIVE = frozenset(
    """
    dhr mevr mw mr dr drs ir ing prof ds mgr st burg wethr weth vs bijv bv zgn z.g.n vgl
    """.split()
)
# Before a name when written with a capital (Gem. Rotterdam, Prov. Utrecht, Ned. Herv. Kerk, Kon.
# Philips), or lowercase when no number precedes them (min. De Jonge, but 5 min. De rest …).
CAPITALISED_PREPOSITIVE = frozenset("gem prov min ned herv kon univ".split())
# Abbreviations that close enumerations and dates, so they may end a sentence before a capital.
SENTENCE_FINAL = frozenset("enz etc e.a e.d e.v e.o c.s jl j.l a.s m.m".split())
MONTHS = frozenset("jan feb mrt apr jun jul aug sep sept okt nov dec".split())
# Company forms the lexicon reads as something else: bv. is also "bijvoorbeeld" (before names: "steden,
# bv. Amsterdam"), b.v. and c.v. are letter chains, Zn. ("& Zonen") stands before a form (Groen & Zn.
# C.V.). Like dotted capitals (B.V., N.V., V.O.F.), they end a sentence only before a word that can
# only start one (rule 3). Forms the lexicon lacks (nv., vof., Inc.) already end one before any capital.
COMPANY_FORMS = frozenset("bv b.v n.v v.o.f c.v b.v.b.a comm.v zn".split())
# Capitalised, these words start a sentence; after a dotted capital they never start a name (rule 3).
SENTENCE_STARTERS = frozenset(
    """
    de het een ik jij je u hij zij ze wij we jullie men mijn jouw uw zijn haar hun ons onze
    dit dat deze die zo zo'n zo’n zulke wie wat welke waar wanneer waarom hoe hoeveel
    er daar hier daarna daarom daardoor daarbij daarmee daarvoor daarnaast daarin daarop daarover
    hierdoor hierbij hiermee hiervoor hierover waardoor waarna
    in op met bij na voor door over onder tegen tijdens sinds tot uit naar om aan achter boven tussen
    zonder binnen buiten vanaf vanwege volgens dankzij ondanks rond via namens wegens naast van te ter ten
    en maar of want dus omdat als toen hoewel zodat terwijl nadat voordat doordat zodra indien tenzij
    nu dan ook nog al toch wel niet nooit altijd soms vaak zelfs alleen pas eerst eerder later
    vervolgens bovendien echter intussen inmiddels ondertussen sindsdien verder overigens kortom
    uiteindelijk helaas gelukkig misschien waarschijnlijk ruim bijna ongeveer
    gisteren vandaag morgen vanochtend vanmiddag vanavond vannacht afgelopen vorige vorig
    volgende volgend komende komend elke ieder iedere alle beide geen veel vele weinig meer
    meeste sommige andere enkele niemand iedereen niets iets alles
    twee drie vier vijf zes zeven acht negen tien twaalf twintig honderd duizend
    the a an he she it they we i you his her its their our my your this that these those there here
    who what which where when why how if while although though because since after before during
    until in on at by for with from of as into about against between under over without despite
    according and but or so yet also however meanwhile now then today yesterday tomorrow
    some many most all both each every several other another such one two three four five
    """.split()
)
# Surname particles that are also sentence starters: before a capitalised word they begin a name
# (K. De Gucht, H. Van Rompuy, B. Ter Haar, Van der Berg), unless that word is an adjective or
# ordinal ("B. De Nederlandse bond", "De Tweede Kamer") or an acronym ("De VS").
PARTICLES = frozenset("de van ter ten te".split())
ORDINALS = frozenset("eerste tweede derde vierde vijfde zesde zevende achtste negende tiende".split())
# Nouns a letter names a member of: "poule B", "vitamine B", "rijbewijs B". A single capital after
# them is that letter, not an initial, so a capital after it starts a new sentence.
LETTER_LABELS = frozenset(
    """
    poule groep klasse klas categorie divisie serie type fase plan optie scenario variant bijlage
    vitamine hepatitis rijbewijs hal blok zone vak rij tribune sector sectie afdeling terminal pier
    perron spoor niveau kolom lijn ring
    pool group class category division series phase option section block gate row level grade vitamin
    """.split()
)


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Lowercase abbreviations without their final period: pysbd's Dutch lexicon + `NEWS_ABBREVIATIONS`."""
    lexicon = {entry.lower() for entry in Dutch.Abbreviation.ABBREVIATIONS if " " not in entry}
    return frozenset(lexicon | NEWS_ABBREVIATIONS | PREPOSITIVE | CAPITALISED_PREPOSITIVE | SENTENCE_FINAL)


_CLOSERS = "’”»\"')]"
_OPENERS = "‘“«\"'(["
# Sentence-final punctuation and the closing quotes/brackets after it, then whitespace.
_TERMINATOR = re.compile(r"(?:[.!?]+|…)[’”»\"')\]]*(?=\s)")
_LAST_WORD = re.compile(r"(?:^|[\s(‘“'\"«])(?P<word>[^\W\d_][\w.&]*?)\.$")
_AFTER_NUMBER = re.compile(r"\d[\d.,]*\s+\S+\.$")
# Letter-period chains are abbreviations whether or not the lexicon has them: t.h.v., m.b.t., o.i.d.
_LETTER_CHAIN = re.compile(r"^[a-z](?:\.[a-z])+$")
# "1. Denemarken, 2. Finland": a list number after a colon, comma or semicolon, not a sentence end.
_LIST_NUMBER = re.compile(r"(?:[:;,]\s+|^)\d{1,2}\.$")
_INITIALS = re.compile(r"(?:^|[\s(‘“'\"«])(?:[A-Z]\.)*[A-Z]\.$")
_ELISION = re.compile(r"^[’'][stn](?:[\s-]|$)")
# The noun before a single dotted capital at the end: "poule B." -> poule.
_LABELLED = re.compile(r"(?:^|[\s(‘“'\"«])(?P<noun>[^\W\d_]+)\s+[A-Z]\.$")
# The first word after a candidate, and what follows it; a one-letter word before a period is an initial.
_FIRST_WORD = re.compile(r"^(?P<word>[^\W\d_]+(?:['’][a-z]+)?)(?P<rest>.*)$", re.DOTALL)
# A name after a particle: "De Gucht", "Van der Berg", "Ter Haar".
_PARTICLE_NAME = re.compile(r"^\s+(?:(?:de|der|den|het)\s+)?(?P<name>[A-Z][a-zà-ÿ]\w*)")
_OPENING_QUOTES = "‘“«„\"'"
_YEAR = re.compile(r"^\d{2,4}\b")
# A unit that starts with closing punctuation continues the one before: ‘Is dit het einde?’, vroeg hij.
# Straight quotes are closing only when no word follows them at once ("We … opens a quote).
_CONTINUES = re.compile(r"^(?:[”»)\]},;:]|’(?![stn]\b)|[\"'](?=[\s,.;:!?]|$))")


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def starts_sentence(after: str) -> bool:
    """Whether text can start a sentence: a capital or digit, after any opening quotes; or ’s / ’t."""
    after = after.lstrip()
    if _ELISION.match(after):
        return True
    stripped = after.lstrip(_OPENERS + " ")
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def opens_sentence(after: str) -> bool:
    """Whether `after` can only be the start of a sentence, never the rest of a name (rule 3).

    True for an opening quote, ’s, ’t before a lowercase word, or a capitalised `SENTENCE_STARTERS`
    word that is not a surname particle before a name ("De Gucht"); False for anything else,
    including every other capitalised word ("Balkenende", "Nederlandse Spoorwegen") and a digit.
    """
    after = after.lstrip()
    if _ELISION.match(after):  # ’s Avonds, ’t is; but G. ’t Hooft
        rest = after[2:].lstrip()
        return after[1] != "t" or not rest[:1].isupper()
    if after and after[0] in _OPENING_QUOTES:
        return True
    match = _FIRST_WORD.match(after)
    if not match:
        return False
    word, rest = match.group("word"), match.group("rest")
    if not word[0].isupper() or not (len(word) == 1 or word[1:].islower()):
        return False
    if word.lower() not in SENTENCE_STARTERS or (rest and (rest[0].isalnum() or rest[0] in "-_")):
        return False
    if len(word) == 1 and rest[:1] == ".":  # J. A. Smith: A. is an initial
        return False
    if word.lower() in PARTICLES:
        name = _PARTICLE_NAME.match(rest)
        if name and not _not_a_name(name.group("name")):
            return False
    return True


def _not_a_name(word: str) -> bool:
    """Whether a capitalised word after a particle is an adjective, ordinal or acronym, not a surname."""
    lower = word.lower()
    return word.isupper() or lower.endswith(("se", "sche")) or lower in ORDINALS


def _initials_boundary(core: str, after: str) -> bool:
    """Whether `core`, ending in a dotted capital or a chain of them (A., J.P., V.S., B.V.), ends a sentence."""
    label = _LABELLED.search(core)
    if label and label.group("noun").lower() in LETTER_LABELS:  # poule B., vitamine B.
        return starts_sentence(after)
    return opens_sentence(after)


def _abbreviation_boundary(word: str, after: str, before: str) -> bool:
    """Whether a period after the abbreviation `word` (as written, no final period) ends `before`."""
    key = word.lower()
    if key in SENTENCE_FINAL:
        return starts_sentence(after)
    if after[:1].isdigit():
        return False  # afb. 3, nr. 5, wo. 3 maart, ca. 200, 3 sept. 2021
    if not starts_sentence(after):
        return False
    if key in COMPANY_FORMS:  # Bakker bv. De gemeente …; but bv. Amsterdam, b.v. Shell
        return opens_sentence(after)
    if key in PREPOSITIVE or "." in key:  # vs. PSV, prof. Smit, o.a. Shell, m.n. Duitsland
        return False
    if key in CAPITALISED_PREPOSITIVE:  # Gem. Rotterdam, min. De Jonge; not 5 min. De …
        return not (word[:1].isupper() or not _AFTER_NUMBER.search(before))
    return True


def is_boundary(before: str, after: str) -> bool:
    """Whether a sentence ends between `before` and `after` (the texts either side of a candidate)."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after or _CONTINUES.match(after):
        return False
    core = before.rstrip(_CLOSERS)
    quoted = len(core) < len(before)  # ‘We gaan door.’ Daarna: the quote closed the sentence
    if core.endswith(("?", "!", "…", "...")):
        return starts_sentence(after)
    if not core.endswith("."):
        return False
    if quoted:
        return starts_sentence(after)
    if _LIST_NUMBER.search(core):  # : 1. Denemarken, 2. Finland
        return False
    if _INITIALS.search(core):  # poule B. De loting, de V.S. Volgens; A. de Vries, J.P. Balkenende
        return _initials_boundary(core, after)
    match = _LAST_WORD.search(core)
    word = match.group("word") if match else ""
    if word.lower() in MONTHS and _YEAR.match(after):
        return False
    if word and (word.lower() in abbreviations() or _LETTER_CHAIN.match(word)):
        return _abbreviation_boundary(word, after, core)
    return starts_sentence(after)


def _candidates(text: str, language: str) -> list[int]:
    """Offsets where a sentence might start: pysbd's span starts and ours, at whitespace only.

    A start inside "0?0" or "nu.nl" would add a space when the sentences are joined again.
    """
    starts = {
        span.start
        for span in _segmenter(language).segment(text)
        if 0 < span.start < len(text) and (text[span.start - 1].isspace() or text[span.start].isspace())
    }
    for match in _TERMINATOR.finditer(text):
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
        if start < len(text):
            starts.add(start)
    return sorted(starts)


def sentence_spans(text: str, language: str = "nl") -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of `text`, whitespace around them excluded."""
    if not text.strip():
        return []
    bounds = [0, *_candidates(text, language), len(text)]
    spans: list[tuple[int, int]] = []
    for start, stop in zip(bounds, bounds[1:]):
        if spans and not is_boundary(text[spans[-1][0] : start], text[start:stop]):
            spans[-1] = (spans[-1][0], stop)
        else:
            spans.append((start, stop))
    out = []
    for start, stop in spans:
        piece = text[start:stop]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((start + lead, start + lead + len(piece.strip())))
    return out


def split_sentences(text: str, language: str = "nl") -> list[str]:
    """Split one paragraph into sentences; joining them with the whitespace between gives the paragraph back."""
    return [text[start:stop] for start, stop in sentence_spans(text, language)]
