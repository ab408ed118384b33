"""French text normalisation: accent folding, tokens, stop words and stemming.

Everything here is deterministic and free of global mutable state; :class:`FrenchAnalyzer` keeps its
own stem cache so that the vectorizers can call it millions of times cheaply and still be pickled.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

import snowballstemmer

__all__ = ["STOP_WORDS", "FrenchAnalyzer", "fold", "normalize", "tokenize", "words"]

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
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``"Pâtissier"`` -> ``"patissier"``); keeps other scripts."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def normalize(text: str) -> str:
    """Fold ``text`` and collapse every run of non-word characters to one space."""
    return " ".join(_TOKEN_RE.findall(fold(text or "")))


def tokenize(text: str) -> list[str]:
    """Folded word tokens of ``text``: no stop words, no one-letter tokens, no bare numbers."""
    return [
        tok
        for tok in _TOKEN_RE.findall(fold(text or ""))
        if len(tok) > 1 and not tok.isdigit() and tok not in STOP_WORDS and "_" not in tok
    ]


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
