"""What two articles are compared by: word shingles, their MinHash, facts and paragraph hashes.

An article's fingerprint is made from its body, never its title (each outlet writes its own). The
text is normalised (NFKC, case folded, accents off, words only, a number whole), and each block
gives the shingles of `SHINGLE_WORDS` consecutive words inside it, so paragraphs that swap places
give the same set. Two articles of one run are compared by their sets, exactly. The set is also
summarised by a MinHash of `NUM_PERM` permutations (datasketch), which is all the out-dir keeps of
an earlier night's article: against it the shared shingles are estimated from the Jaccard
similarity (standard error about sqrt(J(1-J)/NUM_PERM), 0.03 at J = 0.5; Broder 1997, "On the
resemblance and containment of documents").

Facts are what a paragraph tells that another version may not: its numbers and its names (a word
written with a capital inside a sentence: Dutch capitalises names only). A dateline (`AMSTERDAM
(ANP) -`) and a byline (`Door Sanne de Vries`, a short paragraph) are not facts of the story.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..data import Article, BlockKind

SHINGLE_WORDS = 3  # chosen on tests/data/stories/dev (bench/bench_stories.py): 3 kept reworded copies together
NUM_PERM = 256
SEED = 1  # the permutations are fixed, so signatures kept in the out-dir's state stay comparable
SCHEME = "affine32"  # datasketch 2's 32-bit hashing; named, so a later default cannot change the values
FACT_MIN_WORDS = 8  # a shorter paragraph (a byline, a dateline, a photo credit) adds no facts

_WORD = re.compile(r"\d+(?:[.,:]\d+)*|\w+", re.UNICODE)  # a number whole (`3,1`, `14.00`, `1.450.300`)
_DATELINE = re.compile(r"^\s*[A-ZÀ-Þ][A-ZÀ-Þ'’.\- ]+(?:\s*\([^)]{1,20}\))?\s*[-–—]\s+")
_OPENERS = "\"“”‘’'«»([" + "-–—"
_ENDS = ".!?:;…"


def normalise(text: str) -> list[str]:
    """The words of `text`, compared as equal when only case, accents or width differ."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return _WORD.findall(plain)


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    """The `size`-word shingles of one block's words; a shorter block is one shingle of its own."""
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def facts(text: str) -> set[str]:
    """The numbers and names of one paragraph (folded as `normalise` folds them), leaving out a
    dateline and every word that starts a sentence or a quote."""
    text = _DATELINE.sub("", text)
    found: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if word[0].isdigit():
            found.add(word)
        elif word[0].isupper() and not _starts_sentence(text, match.start()):
            found.update(normalise(word))
    return found


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens the text, a sentence or a quote (so its capital says nothing)."""
    window = text[max(0, start - 16) : start]
    before = window.rstrip()
    if not before or before[-1] in _OPENERS:
        return True
    return before[-1] in _ENDS and len(before) < len(window)


def paragraph_hash(text: str) -> str:
    """A short hash of a paragraph's normalised words: equal for paragraphs that differ only in
    case, accents, punctuation or spacing."""
    return hashlib.sha256(" ".join(normalise(text)).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class BlockPrint:
    """One body block: its shingles, facts and hash."""

    shingles: frozenset[str]
    facts: frozenset[str]
    hash: str
    words: int


@dataclass(frozen=True)
class Fingerprint:
    """One article's fingerprint. `signature` is the MinHash (NUM_PERM uint64 values), `size` the
    number of distinct shingles, `facts` every block's facts, `paragraphs` the hashes of the blocks
    of `FACT_MIN_WORDS` words or more in order (a byline or dateline is no paragraph of the story);
    `blocks` (None for a fingerprint read back from the state) the per-block detail."""

    signature: np.ndarray
    size: int
    facts: frozenset[str]
    paragraphs: tuple[str, ...]
    blocks: tuple[BlockPrint, ...] | None = None

    @cached_property
    def shingles(self) -> frozenset[str] | None:
        """The exact shingle set (None for a fingerprint read back from the state: its MinHash only)."""
        return frozenset().union(*(block.shingles for block in self.blocks)) if self.blocks is not None else None

    @cached_property
    def numbers(self) -> frozenset[str]:
        """The facts that are numbers."""
        return frozenset(fact for fact in self.facts if fact[0].isdigit())

    @cached_property
    def minhash(self):
        from datasketch import LeanMinHash

        return LeanMinHash(seed=SEED, hashvalues=self.signature, scheme=SCHEME)

    def shared(self, other: Fingerprint) -> float:
        """The number of shingles the two sets share: counted where both sets are known (two
        articles of one run), else estimated from MinHash (|A∩B| = J(|A|+|B|)/(1+J))."""
        if not self.size or not other.size:
            return 0.0
        if self.shingles is not None and other.shingles is not None:
            return float(len(self.shingles & other.shingles))
        j = float(self.minhash.jaccard(other.minhash))
        return j * (self.size + other.size) / (1 + j)

    def jaccard(self, other: Fingerprint) -> float:
        """Jaccard similarity of the two shingle sets (0..1), exact or estimated as `shared` is."""
        shared = self.shared(other)
        return shared / (self.size + other.size - shared) if shared else 0.0

    def containment(self, other: Fingerprint) -> float:
        """Share of the smaller set found in the larger (0..1): |A∩B| / min(|A|, |B|)."""
        return min(1.0, self.shared(other) / min(self.size, other.size)) if self.size and other.size else 0.0

    def number_share(self, other: Fingerprint) -> float:
        """Share of the numbers of the one with fewer found in the other (1 when either has none)."""
        fewer, more = sorted((self.numbers, other.numbers), key=len)
        return len(fewer & more) / len(fewer) if fewer else 1.0

    def fact_share(self, other: Fingerprint) -> float:
        """Share of the facts (numbers, names) of the one with fewer found in the other (0..1; 1
        when either tells none): low for two reports on one template with other figures."""
        fewer, more = (self.facts, other.facts) if len(self.facts) <= len(other.facts) else (other.facts, self.facts)
        return len(fewer & more) / len(fewer) if fewer else 1.0

    def encode(self) -> str:
        """The signature as base64 text (little-endian uint32), as the state file keeps it."""
        return base64.b64encode(self.signature.astype("<u4").tobytes()).decode("ascii")

    @staticmethod
    def decode(text: str) -> np.ndarray:
        """A signature from `encode`'s text; ValueError when it is not one."""
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        if len(raw) != NUM_PERM * 4:
            raise ValueError(f"a signature has {NUM_PERM} values")
        return np.frombuffer(raw, dtype="<u4").astype(np.uint32)


def body_blocks(article: Article) -> list[str]:
    """The texts the fingerprint is made of: every block but the title."""
    return [block.text for block in article.blocks if block.kind is not BlockKind.TITLE]


def fingerprint(article: Article) -> Fingerprint:
    """`article`'s fingerprint (its body's shingles summarised by MinHash, facts, paragraph hashes)."""
    from datasketch import MinHash

    prints = []
    for text in body_blocks(article):
        words = normalise(text)
        fact_set = facts(text) if len(words) >= FACT_MIN_WORDS else set()
        prints.append(BlockPrint(frozenset(shingles(words)), frozenset(fact_set), paragraph_hash(text), len(words)))
    every = set().union(*(block.shingles for block in prints)) if prints else set()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([shingle.encode("utf-8") for shingle in sorted(every)])
    return Fingerprint(
        signature=minhash.hashvalues.copy(),
        size=len(every),
        facts=frozenset().union(*(block.facts for block in prints)) if prints else frozenset(),
        paragraphs=tuple(block.hash for block in prints if block.words >= FACT_MIN_WORDS),
        blocks=tuple(prints),
    )
