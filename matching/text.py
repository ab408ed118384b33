"""French text normalisation: accent folding, tokens, stop words and stemming.

Everything here is deterministic and free of global mutable state; :class:`FrenchAnalyzer` keeps its
own stem cache so that the vectorizers can call it millions of times cheaply and still be pickled.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable
from itertools import chain

import snowballstemmer

__all__ = ["STOP_WORDS", "FrenchAnalyzer", "all_tokens", "char_wb_ngrams", "fold", "fold_word", "indexed_word",
           "normalize", "token_is_indexed", "tokenize", "words", "written_words"]

# Accent-folded French stop words plus procurement boilerplate that carries no trade meaning
# ("lot 3", "marché n°", "accord-cadre"); folded so they compare with folded tokens.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a ai aie aient aies ait alors as au aucun aucune aupres auquel aussi autre autres aux auxquelles
    auxquels avait avant avec avoir ayant c ca car ce ceci cela celle celles celui cependant ces cet cette
    ceux chacun chaque chez ci comme comment contre d dans de des desquelles desquels deux dont du duquel
    donc e elle elles en encore entre es est et etaient etait etant ete etre eu eux fait faire fois
    font hors i il ils j je jusqu jusque l la laquelle le lequel les lesquelles lesquels leur leurs lors
    lui m ma mais me meme memes mes moi mon n ne ni no nos notre nous o on ont ou par parce pas pendant
    peu peut plus pour pourquoi puis qu quand que quel quelle quelles quels qui quoi s sa sans se selon
    ses si sien soi soit son sont sous sur t ta te tel telle telles tels tes toi ton tous tout toute
    toutes tres tu un une unes uns v vers via voici voila vos votre vous y
    the of and for to in on with by at or an be is are
    lot lots n no num numero marche marches accord cadre consultation objet relatif relative relatifs
    relatives concernant dit dite dits dites ville commune communes annee annees bon bons commande commandes
    """.split()
)

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_WRITTEN_RE = re.compile(r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")  # + combining marks
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LIGATURES = (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("ß", "ss"), ("’", "'"))


def _marks(codepoints: range) -> str:
    """The combining marks (accents once NFKD has split them from their letters) among ``codepoints``."""
    return "".join(chr(cp) for cp in codepoints if unicodedata.combining(chr(cp)))


@functools.cache
def _combining_marks() -> re.Pattern:
    """Runs of the Basic Multilingual Plane's marks. Kept to that plane, the class compiles to a bitmap: one
    lookup per character."""
    return re.compile(f"[{re.escape(_marks(range(0x10000)))}]+")


@functools.cache
def _astral_marks() -> dict[int, None]:
    """A ``str.translate`` table deleting the marks beyond that plane (rare: built on first need)."""
    return dict.fromkeys(map(ord, _marks(range(0x10000, sys.maxunicode + 1))))


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``"Pâtissier"`` -> ``"patissier"``); keeps other scripts."""
    if text.isascii():
        return text.casefold()  # nothing to decompose: the common case for keywords and many queries
    for ligature, letters in _LIGATURES:
        if ligature in text:
            text = text.replace(ligature, letters)
    # C-speed passes over the whole text, never a Python step per character (fitting folds millions of them).
    text = _combining_marks().sub("", unicodedata.normalize("NFKD", text))
    if _ASTRAL.search(text):
        text = text.translate(_astral_marks())
    return text.casefold()


def char_wb_ngrams(word: str, low: int, high: int) -> list[str]:
    """Character n-grams (``low`` to ``high`` long) of one word padded with a space on each side.

    The n-grams of scikit-learn's ``char_wb`` analyzer for that word: a padded word shorter than ``n`` counts once,
    whole, and stops the lengths above it.
    """
    padded = f" {word} "
    grams = []
    for n in range(low, high + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def token_is_indexed(token: str) -> bool:
    """Whether a folded word token is a term of the word view (see :func:`tokenize`)."""
    return len(token) > 1 and not token.isdigit() and token not in STOP_WORDS and "_" not in token


@functools.lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> tuple[str, ...]:
    """The folded tokens of one word as written: usually one (``"Pâtes"`` -> ``("pates",)``); several when folding
    splits it (``"½"`` -> ``("1", "2")``). Cached: texts repeat the same few thousand words."""
    return tuple(_TOKEN_RE.findall(fold(word)))


@functools.lru_cache(maxsize=1 << 16)
def indexed_word(word: str) -> tuple[str, ...]:
    """The tokens of one written word that :func:`tokenize` keeps (cached like :func:`fold_word`)."""
    return tuple(tok for tok in fold_word(word) if token_is_indexed(tok))


def written_words(text: str) -> list[str]:
    """The words of ``text`` as written, before folding: what :func:`fold_word` takes one at a time. Accents
    typed apart from their letter (``"e"`` + U+0301, as some systems paste them) stay in their word."""
    return _WRITTEN_RE.findall(text)


def all_tokens(text: str) -> list[str]:
    """Every folded word token of ``text``, stop words and numbers included.

    Words are found in the text as written (:func:`written_words`) and then folded one distinct word at a time, so
    that indexing millions of words folds each distinct one once; symbols between words stay separators
    (``"Acme™"`` is ``acme``, ``"20 m²"`` is ``20 m2`` but ``"20 ㎡"`` is ``20``).
    """
    return list(chain.from_iterable(map(fold_word, written_words(text)))) if text else []


def normalize(text: str) -> str:
    """Fold ``text`` and collapse every run of non-word characters to one space."""
    return " ".join(all_tokens(text))


def tokenize(text: str) -> list[str]:
    """Folded word tokens of ``text``: no stop words, no one-letter tokens, no bare numbers."""
    return list(chain.from_iterable(map(indexed_word, written_words(text)))) if text else []


def words(text: str) -> list[str]:
    """Distinct folded tokens of ``text`` in first-seen order (for fuzzy matching and reasons)."""
    return list(dict.fromkeys(tokenize(text)))


class FrenchAnalyzer:
    """Callable turning a text into French Snowball stems; usable as a scikit-learn ``analyzer``.

    The stem cache is an instance attribute (not a module global) and is dropped when pickling. The Snowball
    stemmer keeps the word being stemmed in the instance, so two threads stemming at once would get each other's
    words or an IndexError: it runs under a lock. Cache hits (nearly every call once fitted) take no lock.
    """

    def __init__(self, max_token_length: int = 40) -> None:
        self.max_token_length = max_token_length
        self._stemmer = None
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def stem(self, token: str) -> str:
        """Return the stem of one folded token (cached; the stemmer itself under a lock)."""
        stem = self._cache.get(token)
        if stem is None:
            # Very long "words" (hashes, base64, URLs) are kept whole: stemming them is pointless.
            if len(token) > self.max_token_length:
                stem = token
            else:
                with self._lock:
                    if self._stemmer is None:
                        self._stemmer = snowballstemmer.stemmer("french")
                    stem = self._stemmer.stemWord(token)
            if len(self._cache) < 500_000:
                self._cache[token] = stem
        return stem

    def stems(self, tokens: Iterable[str]) -> list[str]:
        """Stem each token of ``tokens``."""
        return [self.stem(tok) for tok in tokens]

    def __call__(self, text: str) -> list[str]:
        """Tokenize and stem ``text``."""
        return self.stems(tokenize(text))

    def __getstate__(self) -> dict:
        return {"max_token_length": self.max_token_length}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)
