"""CPV codes: parsing, hierarchy similarity, code suggestion from free text and autocomplete.

The Common Procurement Vocabulary is a tree encoded in the digits of an 8-digit code: division (2 digits),
group (3), class (4), category (5), then finer levels. Codes are accepted with or without the check digit.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from .model import NotFittedError
from .text import FrenchAnalyzer, normalize, tokenize

__all__ = [
    "CPV_DIVISIONS",
    "CpvIndex",
    "CpvSuggester",
    "CpvSuggestion",
    "cpv_level_name",
    "cpv_parts",
    "cpv_shared_prefix",
    "load_cpv_csv",
    "parse_cpv",
    "split_cpv_codes",
]

# The one CPV pattern of the project: 8 digits, then the check digit (the dash before it may be left out).
_CPV_RE = re.compile(r"(\d{8})(?:-?(\d))?", re.ASCII)
_IGNORED_IN_CODES = re.compile(r"[\s.]+")

# Level names in French, keyed by the number of shared leading digits (for reasons shown to users).
_LEVEL_NAMES = {2: "division", 3: "groupe", 4: "classe", 5: "catégorie"}

# Built-in fallback when the CPV CSV is absent: the 45 divisions with their official French labels.
CPV_DIVISIONS: tuple[tuple[str, str], ...] = (
    ("03000000", "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes"),
    ("09000000", "Produits pétroliers, combustibles, électricité et autres sources d'énergie"),
    ("14000000", "Produits d'exploitation des mines, métaux de base et produits connexes"),
    ("15000000", 'Produits alimentaires, boissons, tabac et produits connexes'),
    ("16000000", 'Machines agricoles'),
    ("18000000", 'Vêtements, articles chaussants, bagages et accessoires'),
    ("19000000", 'Produits en cuir et textiles, matériaux en plastique et en caoutchouc'),
    ("22000000", 'Imprimés et produits connexes'),
    ("24000000", 'Produits chimiques'),
    ("30000000", 'Machines, matériel et fourniture informatique et de bureau, '
     'excepté les meubles et logiciels'),
    ("31000000", 'Machines, appareils, équipements et consommables électriques; éclairage'),
    ("32000000", 'Équipements et appareils de radio, de télévision, de '
     'communication, de télécommunication et équipements connexes'),
    ("33000000", 'Matériels médicaux, pharmaceutiques et produits de soins personnnels'),
    ("34000000", 'Équipement de transport et produits auxiliaires pour le transport'),
    ("35000000", "Équipement de sécurité, de lutte contre l'incendie, de police et de défense"),
    ("37000000", 'Instruments de musique, articles de sport, jeux, jouets, '
     'articles pour artisanat, articles pour travaux artistiques et accessoires'),
    ("38000000", "Équipements de laboratoire, d'optique et de précision (excepté les lunettes)"),
    ("39000000", 'Meubles (y compris les meubles de bureau), aménagements, '
     "appareils électroménagers (à l'exclusion de l'éclairage) et produits de nettoyage"),
    ("41000000", 'Eau collectée et purifiée'),
    ("42000000", 'Machines industrielles'),
    ("43000000", "Équipement minier, équipement pour l'exploitation de carrières, matériel de construction"),
    ("44000000", 'Matériaux et structures de construction; produits '
     "auxiliaires pour la construction (à l'exception des appareils électriques)"),
    ("45000000", 'Travaux de construction'),
    ("48000000", "Logiciels et systèmes d'information"),
    ("50000000", "Services de réparation et d'entretien"),
    ("51000000", "Services d'installation (à l'exception des logiciels)"),
    ("55000000", "Services d'hôtellerie, de restauration et de commerce au détail"),
    ("60000000", "Services de transport (à l'exclusion du transport des déchets)"),
    ("63000000", "Services d'appui et services auxiliaires dans le domaine "
     'des transports, services des agences de voyages'),
    ("64000000", 'Services des postes et télécommunications'),
    ("65000000", 'Services publics'),
    ("66000000", "Services financiers et d'assurance"),
    ("70000000", 'Services immobiliers'),
    ("71000000", "Services d'architecture, services de construction, services "
     "d'ingénierie et services d'inspection"),
    ("72000000", "Services de technologies de l'information, conseil, "
     'développement de logiciels, internet et appui'),
    ("73000000", 'Services de recherche et développement et services de conseil connexes'),
    ("75000000", "Services de l'administration publique, de la défense et de la sécurité sociale"),
    ("76000000", "Services relatifs à l'industrie du pétrole et du gaz"),
    ("77000000", "Services agricoles, sylvicoles, horticoles, d'aquaculture et d'apiculture"),
    ("79000000", 'Services aux entreprises: droit, marketing, conseil, recrutement, impression et sécurité'),
    ("80000000", "Services d'enseignement et de formation"),
    ("85000000", 'Services de santé et services sociaux'),
    ("90000000", "Services d'évacuation des eaux usées et d'élimination des "
     "déchets, services d'hygiénisation et services relatifs à l'environnement"),
    ("92000000", 'Services récréatifs, culturels et sportifs'),
    ("98000000", 'Autres services communautaires, sociaux et personnels'),
)


def cpv_parts(code: object, *, strict: bool = False) -> tuple[str, str] | None:
    """Split a CPV code into (8 digits, check digit or ""), or None if malformed.

    Lenient by default, for what people type: spaces and dots do not count and the check digit (with or
    without its dash) is optional, so ``"45261000-4"``, ``"452610004"`` and ``"45 261 000 - 4"`` all give
    ``("45261000", "4")``. ``strict=True`` accepts only the official ``"45261000-4"`` form (nomenclature files).
    """
    if not isinstance(code, str):
        return None
    text = code if strict else _IGNORED_IN_CODES.sub("", code)
    match = _CPV_RE.fullmatch(text)
    if match is None or (strict and text != f"{match[1]}-{match[2]}"):
        return None
    return match[1], match[2] or ""


def parse_cpv(code: object) -> str | None:
    """Return the 8-digit form of a CPV code (``"45261000-4"`` -> ``"45261000"``), or None if malformed."""
    if isinstance(code, str):
        return _parse_cpv_text(code)
    return None


@functools.lru_cache(maxsize=1 << 16)
def _parse_cpv_text(code: str) -> str | None:
    # Cached: indexing parses the same few thousand codes hundreds of thousands of times.
    parts = cpv_parts(code)
    return parts[0] if parts else None


def split_cpv_codes(codes: Iterable[object]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split ``codes`` into (valid 8-digit codes without duplicates, malformed inputs as strings)."""
    valid: dict[str, None] = {}
    bad: list[str] = []
    for code in codes or ():
        parsed = parse_cpv(code)
        if parsed is None:
            bad.append(str(code)[:40])
        else:
            valid[parsed] = None
    return tuple(valid), tuple(bad)


def cpv_shared_prefix(a: str, b: str) -> int:
    """Count the leading digits two 8-digit codes share (8 means identical)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def cpv_level_name(shared_digits: int) -> str:
    """French name of the deepest level two codes sharing ``shared_digits`` leading digits have in common."""
    if shared_digits >= 8:
        return "code"
    if shared_digits >= 5:
        return "catégorie"
    return _LEVEL_NAMES.get(shared_digits, "")


def load_cpv_csv(path: str | Path) -> list[tuple[str, str]]:
    """Read the ``code,fr,en`` CPV CSV into (8-digit code, French label) pairs."""
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = parse_cpv(row.get("code", ""))
            if code:
                rows.append((code, row.get("fr") or row.get("en") or ""))
    return rows


@dataclass(frozen=True, kw_only=True)
class CpvSuggestion:
    """One suggested CPV code with its French label and a score in [0, 1]."""

    code: str
    label: str
    score: float


def _level_prefix(code: str) -> str:
    """Significant prefix of a code: ``45200000`` -> ``452`` (trailing zeros mark the tree level)."""
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


class CpvSuggester:
    """Suggest CPV codes for a free text (nearest labelled texts, votes aggregated per code).

    Training documents are the CPV labels themselves plus optional labelled examples (text, code), e.g. the
    descriptions of known suppliers. Word stems and character n-grams are both used so that typos and word
    forms still find their code.
    """

    def __init__(self, *, n_neighbors: int = 40, char_weight: float = 0.5, example_weight: float = 1.0,
                 char_ngram_range: tuple[int, int] = (3, 4)) -> None:
        self.n_neighbors = n_neighbors
        self.char_weight = char_weight
        self.example_weight = example_weight
        self.char_ngram_range = char_ngram_range

    @classmethod
    def from_csv(cls, path: str | Path | None = None, examples: Iterable[tuple[str, str]] = (),
                 **params) -> CpvSuggester:
        """Build and fit from the CPV CSV at ``path``, or from the built-in 45 divisions when it is absent."""
        labels = load_cpv_csv(path) if path is not None and Path(path).is_file() else list(CPV_DIVISIONS)
        return cls(**params).fit(labels, examples)

    def fit(self, labels: Iterable[tuple[str, str]], examples: Iterable[tuple[str, str]] = ()) -> CpvSuggester:
        """Fit on (code, label) pairs and optional (text, code) examples; malformed codes are skipped."""
        self.labels_: dict[str, str] = {}
        texts: list[str] = []
        codes: list[str] = []
        weights: list[float] = []
        for code, label in labels:
            parsed = parse_cpv(code)
            if parsed and label:
                self.labels_[parsed] = label
                texts.append(label)
                codes.append(parsed)
                weights.append(1.0)
        for text, code in examples:
            parsed = parse_cpv(code)
            if parsed and text and tokenize(text):
                texts.append(text[:5000])
                codes.append(parsed)
                weights.append(self.example_weight)
        if not texts:
            raise ValueError("CpvSuggester.fit needs at least one labelled text")
        from sklearn.feature_extraction.text import TfidfVectorizer  # here: importing it costs a second

        self.word_vectorizer_ = TfidfVectorizer(analyzer=FrenchAnalyzer(), sublinear_tf=True, dtype=np.float32)
        self.char_vectorizer_ = TfidfVectorizer(analyzer="char_wb", preprocessor=normalize, sublinear_tf=True,
                                                ngram_range=self.char_ngram_range, dtype=np.float32)
        self.word_matrix_ = self.word_vectorizer_.fit_transform(texts).T.tocsr()
        self.char_matrix_ = self.char_vectorizer_.fit_transform(texts).T.tocsr()
        self.doc_codes_ = np.array(codes)
        self.doc_weights_ = np.array(weights, dtype=np.float32)
        return self

    def _check(self) -> None:
        if not hasattr(self, "doc_codes_"):
            raise NotFittedError("This CpvSuggester is not fitted yet: call fit(labels, examples) first.")

    def label(self, code: str) -> str:
        """French label of ``code``, or of its nearest labelled ancestor, or "" when unknown."""
        self._check()
        parsed = parse_cpv(code) or ""
        for n in range(8, 1, -1):
            label = self.labels_.get(parsed[:n].ljust(8, "0"))
            if label:
                return label
        return ""

    def suggest(self, text: str, k: int = 5) -> list[CpvSuggestion]:
        """Return up to ``k`` CPV codes for ``text``, best first; empty for an empty or stop-word-only text."""
        self._check()
        if not text or not tokenize(text) or k <= 0:
            return []
        text = text[:20000]
        sims = (self.word_vectorizer_.transform([text]) @ self.word_matrix_).toarray().ravel()
        if self.char_weight:
            char = (self.char_vectorizer_.transform([text]) @ self.char_matrix_).toarray().ravel()
            sims = (1 - self.char_weight) * sims + self.char_weight * char
        n = min(self.n_neighbors, sims.size)
        top = np.argpartition(-sims, n - 1)[:n]
        votes: dict[str, float] = defaultdict(float)
        best: dict[str, float] = defaultdict(float)
        for i in top:
            if sims[i] <= 0:
                continue
            code = self.doc_codes_[i]
            # Squared similarity: close neighbours count far more than the long tail of weak ones.
            votes[code] += float(sims[i]) ** 2 * self.doc_weights_[i]
            best[code] = max(best[code], float(sims[i]))
        ranked = sorted(votes, key=lambda c: (-votes[c], c))[:k]
        return [CpvSuggestion(code=c, label=self.label(c), score=min(1.0, best[c])) for c in ranked]


class CpvIndex:
    """Fast CPV autocomplete over (code, label) rows: by code prefix or by label words.

    Label search folds accents, accepts word prefixes ("nett") and typos ("netoyage"), and ranks codes
    whose whole subtree is about the query first (``netoyage`` -> cleaning services 909xxxxx).
    """

    def __init__(self, *, fuzzy_cutoff: float = 80.0) -> None:
        self.fuzzy_cutoff = fuzzy_cutoff

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]], **params) -> CpvIndex:
        """Build the index from (code, label) rows (codes with or without check digit)."""
        return cls(**params).fit(rows)

    @classmethod
    def from_csv(cls, path: str | Path | None = None, **params) -> CpvIndex:
        """Build from the CPV CSV at ``path``, or from the built-in 45 divisions when it is absent."""
        rows = load_cpv_csv(path) if path is not None and Path(path).is_file() else list(CPV_DIVISIONS)
        return cls.from_rows(rows, **params)

    def fit(self, rows: Iterable[tuple[str, str]]) -> CpvIndex:
        """Index the rows; returns self."""
        self.codes_: list[str] = []
        self.labels_: list[str] = []
        postings: dict[str, set[int]] = defaultdict(set)
        for code, label in rows:
            parsed = parse_cpv(code)
            if not parsed:
                continue
            i = len(self.codes_)
            self.codes_.append(parsed)
            self.labels_.append(label)
            for word in tokenize(label):
                postings[word].add(i)
        self.vocab_ = sorted(postings)
        self.postings_ = {w: np.fromiter(sorted(ids), dtype=np.int64) for w, ids in postings.items()}
        self.n_words_ = np.array([max(1, len(tokenize(lbl))) for lbl in self.labels_], dtype=np.float32)
        self.depth_ = np.array([len(_level_prefix(c)) for c in self.codes_], dtype=np.float32)
        self.order_ = sorted(range(len(self.codes_)), key=self.codes_.__getitem__)
        self.sorted_codes_ = [self.codes_[i] for i in self.order_]
        return self

    def _word_matches(self, word: str) -> dict[str, float]:
        """Vocabulary words matching one query word: exact, as a prefix, or fuzzily, with a quality."""
        found = {word: 1.0} if word in self.postings_ else {}
        start = bisect_left(self.vocab_, word)
        for cand in self.vocab_[start:start + 50]:
            if not cand.startswith(word):
                break
            found.setdefault(cand, 0.9)
        if len(word) >= 4:
            for cand, score, _ in process.extract(word, self.vocab_, scorer=fuzz.ratio, limit=5,
                                                  score_cutoff=self.fuzzy_cutoff):
                found.setdefault(cand, 0.8 * score / 100)
        return found

    def complete(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        """Return up to ``k`` (code, label) pairs for a code prefix or label words, best first."""
        if not hasattr(self, "codes_"):
            raise NotFittedError("This CpvIndex is not fitted yet: call fit(rows) or from_rows(rows).")
        query = (query or "").strip()
        digits = query.replace("-", "").replace(" ", "")
        if digits.isdigit():
            prefix = digits[:8]
            start = bisect_left(self.sorted_codes_, prefix)
            out = []
            for i in self.order_[start:]:
                if not self.codes_[i].startswith(prefix) or len(out) >= k:
                    break
                out.append(i)
            return [(self.codes_[i], self.labels_[i]) for i in out]
        words = tokenize(query)[:8]
        if not words:
            return []
        score = np.zeros(len(self.codes_), dtype=np.float32)
        for word in words:
            best = np.zeros(len(self.codes_), dtype=np.float32)
            for cand, quality in self._word_matches(word).items():
                ids = self.postings_[cand]
                best[ids] = np.maximum(best[ids], quality)
            score += best
        hits = np.flatnonzero(score)
        if hits.size == 0:
            return []
        # Subtree support: how many descendants of each hit's level prefix also match, so that a whole
        # branch about the query ("services de nettoyage") ranks above isolated mentions.
        hit_codes = [self.codes_[i] for i in hits]
        support: dict[str, int] = defaultdict(int)
        for code in hit_codes:
            for n in range(2, 6):
                support[code[:n]] += 1
        ranked = []
        for i, code in zip(hits, hit_codes, strict=True):
            prefix = _level_prefix(code)
            branch = support.get(prefix[:5], 1)
            key = (score[i] / len(words)
                   + 0.05 * math.log1p(branch)
                   - 0.02 * self.n_words_[i]
                   - 0.01 * self.depth_[i])
            ranked.append((-key, code, int(i)))
        ranked.sort()
        return [(self.codes_[i], self.labels_[i]) for _, _, i in ranked[:k]]
