"""Text model (fitted vectorizers) and index segments (sparse matrices plus structured postings).

A :class:`Segment` is immutable once built; the engine keeps a large main segment and a small delta segment
for suppliers added since the last merge, and hides removed suppliers with a tombstone mask. A fitted
:class:`TextModel` is shared by the queries of several threads: it is never changed in place once published
(:meth:`TextModel.grown` returns a grown copy).
"""

from __future__ import annotations

import copy
import math
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from .cpv import parse_cpv
from .model import Supplier
from .signals import department_of_postcode, experience, normalize_department
from .text import FrenchAnalyzer, char_wb_ngrams, fold_word, normalize, token_is_indexed, tokenize, words, written_words

__all__ = ["CharNgrams", "QueryText", "Segment", "TextModel", "fold_labels", "supplier_text"]

# Index at most this much text per supplier: 100 kB pasted brochures must not dominate memory or time.
MAX_DOC_CHARS = 20_000

# QPV claims as ranks for the filter: "any" keeps rank >= 1, "verified" rank 2.
QPV_RANKS = {"declared": 1, "verified": 2}


def supplier_text(supplier: Supplier, cpv_labels: dict[str, str] | None = None) -> str:
    """Return the text indexed for a supplier: name, keywords, description and its CPV labels if given."""
    parts = [supplier.name or "", " ".join(supplier.keywords), (supplier.description or "")[:MAX_DOC_CHARS]]
    if cpv_labels:
        for code in supplier.cpv_codes:
            parsed = parse_cpv(code)
            label = cpv_labels.get(parsed) if parsed else None
            if label:
                parts.append(label)
    return "\n".join(parts)


@dataclass
class QueryText:
    """A query's text vectors and the mapping from its terms back to the words the user typed."""

    word: sp.csr_matrix
    char: sp.csr_matrix
    term_words: dict[int, str] = field(default_factory=dict)
    expanded: dict[int, str] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the text has no usable term (empty or stop words only)."""
        return self.word.nnz == 0 and not self.words


def _word_occurrences(texts: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """How many times each distinct folded word occurs in each text (documents x words), and the words.

    The texts are read once, counting the words as written; each distinct written word is then folded once
    (see :func:`matching.text.all_tokens`) and the counts carried over by a sparse product.
    """
    ids: defaultdict[str, int] = defaultdict(count().__next__)  # a new word takes the next column
    columns = array("q")
    indptr = array("q", [0])
    for text in texts:
        columns.extend(map(ids.__getitem__, written_words(text or "")))
        indptr.append(len(columns))
    cols = np.frombuffer(columns, dtype=np.int64) if columns else np.zeros(0, dtype=np.int64)
    written = sp.csr_matrix((np.ones(cols.size, dtype=np.float32), cols, np.frombuffer(indptr, dtype=np.int64)),
                            shape=(len(texts), len(ids)))
    folded: defaultdict[str, int] = defaultdict(count().__next__)
    rows, folded_cols = [], []
    for i, word in enumerate(ids):
        for token in fold_word(word):
            rows.append(i)
            folded_cols.append(folded[token])
    to_folded = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, folded_cols)),
                              shape=(len(ids), len(folded)))
    return (written @ to_folded).tocsr(), list(folded)  # a product: each word once per row


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` (float32 CSR, changed in place) with each row scaled to unit length (empty rows stay empty)."""
    if matrix.nnz > 1_000_000:  # a whole corpus: scikit-learn's in-place loop, without numpy's temporary arrays
        from sklearn.preprocessing import normalize  # here: importing scikit-learn costs a second

        return normalize(matrix, norm="l2", copy=False)
    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(lengths.size), lengths)
    norms = np.sqrt(np.bincount(rows, weights=matrix.data.astype(np.float64) ** 2, minlength=lengths.size))
    matrix.data = (matrix.data / np.maximum(norms, 1e-12)[rows]).astype(np.float32)
    return matrix


def _one_hot(keys: Sequence[str | None]) -> tuple[sp.csr_matrix, list[str]]:
    """Rows -> sorted distinct keys as a 0/1 matrix (rows whose key is None map to nothing), and those keys."""
    terms = sorted({k for k in keys if k is not None})
    column = {t: j for j, t in enumerate(terms)}
    rows = [i for i, k in enumerate(keys) if k is not None]
    cols = [column[keys[i]] for i in rows]
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(keys), len(terms)))
    return matrix, terms


class CharNgrams:
    """Character n-gram TF-IDF of words padded with spaces: scikit-learn's ``TfidfVectorizer(analyzer="char_wb",
    preprocessor=normalize, sublinear_tf=True)``, computed once per distinct word instead of per occurrence."""

    def __init__(self, ngram_range: tuple[int, int] = (3, 4)) -> None:
        self.ngram_range = tuple(ngram_range)

    def _grams(self, word: str) -> list[str]:
        return char_wb_ngrams(word, *self.ngram_range)

    def fit_transform(self, occurrences: sp.csr_matrix, words: Sequence[str]) -> sp.csr_matrix:
        """Fit on texts given as their word occurrences (documents x ``words``, as :func:`_word_occurrences`) and
        return their TF-IDF rows."""
        grams = [self._grams(w) for w in words]
        self.vocabulary_ = {g: j for j, g in enumerate(sorted({g for gs in grams for g in gs}))}
        counts = self._counts(occurrences, self._gram_counts(grams))
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        self.idf_ = (np.log((1 + occurrences.shape[0]) / (1 + df)) + 1).astype(np.float32)
        return self._tfidf(counts)

    def _gram_counts(self, grams: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Words x n-grams counts of each word's known n-grams."""
        vocabulary = self.vocabulary_
        rows, cols = [], []
        for i, word_grams in enumerate(grams):
            known = [vocabulary[g] for g in word_grams if g in vocabulary]
            rows.extend([i] * len(known))
            cols.extend(known)
        matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                               shape=(len(grams), len(vocabulary)))
        matrix.sum_duplicates()
        return matrix

    @staticmethod
    def _counts(occurrences: sp.csr_matrix, words_grams: sp.csr_matrix) -> sp.csr_matrix:
        counts = (occurrences @ words_grams).tocsr()
        counts.sort_indices()  # canonical before saving: a memory-mapped (read-only) copy cannot be sorted later
        return counts

    def _tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        counts.data = (np.log(counts.data) + 1) * self.idf_[counts.indices]  # sublinear tf, then IDF
        return _l2_rows(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows of new texts; n-grams unknown to the fitted vocabulary are left out."""
        occurrences, words = _word_occurrences(texts)
        return self._tfidf(self._counts(occurrences, self._gram_counts([self._grams(w) for w in words])))


class TextModel:
    """Word-stem and character n-gram TF-IDF models plus typo expansion of unknown query words."""

    def __init__(self, *, char_ngram_range: tuple[int, int] = (3, 4), fuzzy_cutoff: float = 85.0,
                 max_expansions: int = 3, bm25_k1: float = 1.2, bm25_b: float = 0.3) -> None:
        self.char_ngram_range = char_ngram_range
        self.bm25_k1 = bm25_k1
        self.bm25_b = bm25_b
        self.fuzzy_cutoff = fuzzy_cutoff
        self.max_expansions = max_expansions

    def fit_transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """Fit the models on ``texts``; return their (word TF-IDF, char TF-IDF, word BM25) document matrices.

        Each text is tokenised once; stems and character n-grams are worked out once per distinct word and both
        views follow from sparse products (documents x words x terms), not from re-reading every text.
        """
        self.analyzer_ = FrenchAnalyzer()
        n = len(texts)
        occurrences, tokens = _word_occurrences(texts)
        stems = [self.analyzer_.stem(tok) if token_is_indexed(tok) else None for tok in tokens]
        to_stems, self.terms_ = _one_hot(stems)
        counts = (occurrences @ to_stems).tocsr()
        self.vocab_ = {term: j for j, term in enumerate(self.terms_)}
        self.char_ = CharNgrams(self.char_ngram_range) if tokens else None
        xc = self.char_.fit_transform(occurrences, tokens) if tokens else sp.csr_matrix((n, 0), dtype=np.float32)
        # Words first seen after fit (add()) get new columns with the IDF of a word seen once; the fitted
        # vocabulary itself and its IDF stay frozen until the next full fit.
        self.extra_vocab_: dict[str, int] = {}
        self.extra_terms_: list[str] = []
        n_docs = max(1, n)
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        self.idf_ = np.log((1 + n_docs) / (1 + df)) + 1  # scikit-learn's smooth IDF
        self.unseen_idf_ = float(np.log((1 + n_docs) / 2) + 1)
        # Okapi BM25 statistics, frozen like the IDF.
        self.bm25_idf_ = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        self.bm25_unseen_idf_ = float(np.log(1 + (n_docs - 0.5) / 1.5))
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        self.avgdl_ = float(lengths.mean()) if lengths.size and lengths.mean() > 0 else 1.0
        return self._tfidf(counts), xc, self._bm25(counts)

    def _tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        out = counts.astype(np.float32, copy=True)
        if out.nnz:
            out.data = ((1.0 + np.log(out.data.astype(np.float64))) * self._idf(out.indices)).astype(np.float32)
            out = _l2_rows(out)
        return out.tocsr()

    def _bm25(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Per-document BM25 term saturation tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)), IDF excluded."""
        out = counts.astype(np.float32, copy=True).tocsr()
        if out.nnz:
            lengths = np.asarray(counts.sum(axis=1)).ravel()
            norm = self.bm25_k1 * (1 - self.bm25_b + self.bm25_b * lengths / self.avgdl_)
            tf = out.data.astype(np.float64)
            out.data = (tf * (self.bm25_k1 + 1) / (tf + np.repeat(norm, np.diff(out.indptr)))).astype(np.float32)
        return out

    @property
    def n_terms(self) -> int:
        """Number of word columns, including words added after fit."""
        return len(self.terms_) + len(self.extra_terms_)

    def term(self, j: int) -> str:
        """Return the stem of word column ``j``."""
        return self.terms_[j] if j < len(self.terms_) else self.extra_terms_[j - len(self.terms_)]

    def _idf(self, cols: np.ndarray, bm25: bool = False) -> np.ndarray:
        base = self.bm25_idf_ if bm25 else self.idf_
        idf = np.full(cols.size, self.bm25_unseen_idf_ if bm25 else self.unseen_idf_, dtype=np.float64)
        known = cols < base.size
        idf[known] = base[cols[known]]
        return idf

    def bm25_query(self, query: sp.csr_matrix) -> sp.csr_matrix:
        """BM25 query vector: the IDF of each query term (typo expansions scaled by their closeness),
        divided by the best possible score so that a document's BM25 score lies in [0, 1]."""
        if query.nnz == 0:
            return query
        cols = query.indices.astype(np.int64)
        idf = self._idf(cols, bm25=True)
        data = idf / max(float(idf.sum()) * (self.bm25_k1 + 1), 1e-12)
        return sp.csr_matrix((data.astype(np.float32), cols, np.array([0, cols.size])), shape=query.shape)

    def grown(self, texts: Sequence[str]) -> tuple[TextModel, sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """A copy of this model grown by the new words of ``texts``, and the texts' matrices (as :meth:`transform`).

        This model is left unchanged, so that queries running on it meanwhile stay consistent; the copy shares
        the fitted vectorizers and the analyzer and copies only the (small) vocabulary added since fit.
        """
        model = copy.copy(self)
        model.extra_vocab_ = dict(self.extra_vocab_)
        model.extra_terms_ = list(self.extra_terms_)
        return (model, *model.transform(texts))

    def transform_growing(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Word TF-IDF and BM25 matrices for new texts, adding columns for words the fitted vocabulary lacks.

        Grows this model in place: use :meth:`grown` on a model that queries may be reading.
        """
        indptr, indices, counts_data = [0], [], []
        analyzer = self.analyzer_
        for text in texts:
            counts: dict[int, float] = defaultdict(float)
            for stem in analyzer(text):
                j = self.vocab_.get(stem)
                if j is None:
                    j = self.extra_vocab_.get(stem)
                    if j is None:
                        j = len(self.terms_) + len(self.extra_terms_)
                        self.extra_vocab_[stem] = j
                        self.extra_terms_.append(stem)
                counts[j] += 1.0
            indices.extend(counts)
            counts_data.extend(counts.values())
            indptr.append(len(indices))
        counts_m = sp.csr_matrix((np.asarray(counts_data, dtype=np.float32), np.asarray(indices, dtype=np.int64),
                                  np.asarray(indptr, dtype=np.int64)), shape=(len(texts), self.n_terms))
        return self._tfidf(counts_m), self._bm25(counts_m)

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """Word TF-IDF, char TF-IDF and word BM25 matrices for new texts with the frozen vocabularies and IDF.

        New words get new columns in place (see :meth:`transform_growing`).
        """
        n = len(texts)
        n_char = len(self.char_.vocabulary_) if self.char_ is not None else 0
        if n == 0:
            xw = sp.csr_matrix((n, self.n_terms), dtype=np.float32)
            xb = sp.csr_matrix((n, self.n_terms), dtype=np.float32)
        else:
            xw, xb = self.transform_growing(texts)
        if n == 0 or self.char_ is None:
            xc = sp.csr_matrix((n, n_char), dtype=np.float32)
        else:
            xc = self.char_.transform(texts)
        return xw.tocsr(), xc.tocsr(), xb.tocsr()

    def query(self, text: str) -> QueryText:
        """Vectorise a query; stems unknown to the corpus are replaced by their closest known stems."""
        text = (text or "")[:MAX_DOC_CHARS]
        tokens = tokenize(text)
        query_words = words(text)
        counts: dict[int, float] = defaultdict(float)
        term_words: dict[int, str] = {}
        expanded: dict[int, str] = {}
        for token in tokens:
            stem = self.analyzer_.stem(token)
            j = self.vocab_.get(stem, self.extra_vocab_.get(stem))
            if j is not None:
                counts[j] += 1.0
                term_words.setdefault(j, token)
            elif len(stem) >= 4 and self.terms_:
                # Word prefix ("maçon" -> "maconner") first, then typo tolerance: "netoyage" is unknown,
                # its stem is close to the known "nettoyag".
                found = []
                start = bisect_left(self.terms_, stem)
                for j2 in range(start, min(start + self.max_expansions, len(self.terms_))):
                    if not self.terms_[j2].startswith(stem):
                        break
                    found.append((self.terms_[j2], 90.0, j2))
                if not found:
                    found = process.extract(stem, self.terms_, scorer=fuzz.ratio, limit=self.max_expansions,
                                            score_cutoff=self.fuzzy_cutoff)
                for cand, score, j2 in found:
                    counts[j2] += score / 100.0
                    term_words.setdefault(j2, token)
                    expanded.setdefault(j2, cand)
        if counts:
            cols = np.fromiter(counts, dtype=np.int64)
            tf = np.fromiter(counts.values(), dtype=np.float64)
            data = (1.0 + np.log(np.maximum(tf, 1e-9)) * (tf >= 1)) * self._idf(cols)
            data = data / max(np.linalg.norm(data), 1e-12)
            word = sp.csr_matrix((data.astype(np.float32), (np.zeros(cols.size, dtype=np.int64), cols)),
                                 shape=(1, self.n_terms))
        else:
            word = sp.csr_matrix((1, self.n_terms), dtype=np.float32)
        if self.char_ is not None and tokens:
            char = self.char_.transform([text]).tocsr()
        else:
            char = sp.csr_matrix((1, len(self.char_.vocabulary_) if self.char_ is not None else 0),
                                 dtype=np.float32)
        return QueryText(word=word, char=char, term_words=term_words, expanded=expanded, words=query_words)


def _best_posting_scores(postings: dict[str, np.ndarray], scores: Mapping[str, float], n: int) -> np.ndarray:
    """Per row, the best score of the keys (departments, CPV groups) whose postings hold it; 0 if none."""
    out = np.zeros(n, dtype=np.float32)
    for key, score in scores.items():
        rows = postings.get(key)
        if rows is not None:
            out[rows] = np.maximum(out[rows], score)
    return out


def _postings(rows: list[int], keys: list[str]) -> dict[str, np.ndarray]:
    """Key -> rows holding it, from parallel lists of rows (ascending) and keys (distinct per row)."""
    ids: defaultdict[str, int] = defaultdict(count().__next__)
    key_ids = np.fromiter(map(ids.__getitem__, keys), dtype=np.int64, count=len(keys))
    ordered = np.asarray(rows, dtype=np.int64)[np.argsort(key_ids, kind="stable")]  # stable: rows stay ascending
    sizes = np.bincount(key_ids, minlength=len(ids))
    ends = np.cumsum(sizes)
    return {key: ordered[start:end] for key, start, end in zip(ids, ends - sizes, ends, strict=True)}


class Segment:
    """An immutable block of indexed suppliers: text matrices and structured postings."""

    def __init__(self, suppliers: Sequence[Supplier], word: sp.csr_matrix, char: sp.csr_matrix,
                 bm25: sp.csr_matrix | None = None) -> None:
        self.suppliers = list(suppliers)
        self.ids = [s.id for s in self.suppliers]
        n = len(self.suppliers)
        self.word = word
        # Term-major copy: scoring a query only walks the posting lists of its few terms.
        self.word_t = word.T.tocsr()
        self.char = char
        self.bm25 = bm25 if bm25 is not None else sp.csr_matrix(word.shape, dtype=np.float32)
        cpv_rows: list[int] = []
        cpv_keys: list[str] = []
        dept_rows: list[int] = []
        dept_keys: list[str] = []
        self.codes: list[tuple[str, ...]] = []
        self.bad_codes: list[tuple[str, ...]] = []
        self.lat = np.full(n, np.nan)
        self.lon = np.full(n, np.nan)
        self.revenue = np.full(n, np.nan)
        self.headcount = np.full(n, np.nan)
        self.experience = np.zeros(n, dtype=np.float32)
        self.labels: list[frozenset[str]] = []
        self.qpv = np.zeros(n, dtype=np.int8)
        self.departments: list[tuple[str, ...]] = []
        fuzzy_tokens: list[str] = []
        fuzzy_offsets = [0]
        for i, s in enumerate(self.suppliers):
            codes = []
            bad = []
            for code in s.cpv_codes:
                parsed = parse_cpv(code)
                if parsed is None:
                    bad.append(str(code))
                else:
                    codes.append(parsed)
            codes = tuple(dict.fromkeys(codes))
            self.codes.append(codes)
            self.bad_codes.append(tuple(bad))
            prefixes = {code[:level] for code in codes for level in range(2, 9)}
            cpv_rows.extend([i] * len(prefixes))
            cpv_keys.extend(prefixes)
            depts = [d for d in (normalize_department(x) for x in s.departments) if d]
            if not depts:
                own = department_of_postcode(s.postcode)
                depts = [own] if own else []
            depts = tuple(dict.fromkeys(depts))
            self.departments.append(depts)
            dept_rows.extend([i] * len(depts))
            dept_keys.extend(depts)
            if is_finite(s.lat) and is_finite(s.lon):
                self.lat[i], self.lon[i] = s.lat, s.lon
            if is_finite(s.annual_revenue_eur):
                self.revenue[i] = s.annual_revenue_eur
            if is_finite(s.headcount):
                self.headcount[i] = s.headcount
            self.experience[i] = experience(s.description)
            self.labels.append(fold_labels(s.labels))
            self.qpv[i] = QPV_RANKS.get(s.qpv_status, 0)
            toks = words(" ".join((s.name or "", *s.keywords)))[:64]
            fuzzy_tokens.extend(toks)
            fuzzy_offsets.append(len(fuzzy_tokens))
        self.cpv_postings = _postings(cpv_rows, cpv_keys)
        self.dept_postings = _postings(dept_rows, dept_keys)
        self.fuzzy_tokens = fuzzy_tokens
        self.fuzzy_offsets = np.asarray(fuzzy_offsets, dtype=np.int64)
        self.has_labels = any(self.labels)

    def __len__(self) -> int:
        return len(self.suppliers)

    def word_scores(self, query: sp.csr_matrix) -> np.ndarray:
        """Cosine of the query with every supplier (dense, length n)."""
        if query.nnz == 0 or self.word_t.shape[0] == 0:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray((with_columns(query, self.word_t.shape[0]) @ self.word_t).todense()).ravel()

    def char_scores(self, query: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
        """Character n-gram cosine of the query with the given rows only (re-ranking)."""
        if query.nnz == 0 or self.char.shape[1] == 0 or rows.size == 0:
            return np.zeros(rows.size, dtype=np.float32)
        return np.asarray((self.char[rows] @ query.T).todense()).ravel()

    def bm25_scores(self, query: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
        """Okapi BM25 of the query (a :meth:`TextModel.bm25_query` vector) with the given rows only."""
        if query.nnz == 0 or self.bm25.shape[1] == 0 or rows.size == 0:
            return np.zeros(rows.size, dtype=np.float32)
        return np.asarray((self.bm25[rows] @ with_columns(query, self.bm25.shape[1]).T).todense()).ravel()

    def cpv_scores(self, codes: Sequence[str], level_scores: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
        """Best CPV hierarchy similarity of each supplier to any query code, and the shared digit count."""
        shared = np.zeros(len(self), dtype=np.int8)
        for code in codes:
            for level in range(2, 9):
                rows = self.cpv_postings.get(code[:level])
                if rows is None:
                    break
                shared[rows] = np.maximum(shared[rows], level)
        return np.asarray(level_scores, dtype=np.float32)[shared], shared

    def department_mask(self, departments: Sequence[str]) -> np.ndarray:
        """Suppliers serving any of ``departments``."""
        mask = np.zeros(len(self), dtype=bool)
        for d in departments:
            rows = self.dept_postings.get(d)
            if rows is not None:
                mask[rows] = True
        return mask

    def department_scores(self, scores: Mapping[str, float]) -> np.ndarray:
        """Per supplier, the best of ``scores`` (department -> score) over the departments it serves; 0 if none."""
        return _best_posting_scores(self.dept_postings, scores, len(self))

    def cpv_prefix_mask(self, prefixes: Sequence[str]) -> np.ndarray:
        """Suppliers holding a CPV code that starts with any of ``prefixes``."""
        mask = np.zeros(len(self), dtype=bool)
        for p in prefixes:
            rows = self.cpv_postings.get(p[:8])
            if rows is not None:
                mask[rows] = True
        return mask

    def label_mask(self, required: frozenset[str]) -> np.ndarray:
        """Suppliers holding every required label."""
        if not required:
            return np.ones(len(self), dtype=bool)
        return np.fromiter((required <= lbl for lbl in self.labels), dtype=bool, count=len(self))

    def qpv_mask(self, minimum: int) -> np.ndarray:
        """Suppliers whose QPV claim ranks at least ``minimum`` (:data:`QPV_RANKS`)."""
        return self.qpv >= minimum

    def fuzzy_scores(self, query_words: Sequence[str], rows: np.ndarray,
                     cutoff: float) -> tuple[np.ndarray, list[list[tuple[str, str]]]]:
        """Typo-tolerant match of query words against names and keywords of the given rows."""
        qwords = [w for w in query_words if len(w) >= 3][:16]
        out = np.zeros(rows.size, dtype=np.float32)
        pairs: list[list[tuple[str, str]]] = [[] for _ in range(rows.size)]
        if not qwords or rows.size == 0:
            return out, pairs
        starts = self.fuzzy_offsets[rows]
        ends = self.fuzzy_offsets[rows + 1]
        flat: list[str] = []
        owner: list[int] = []
        for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
            flat.extend(self.fuzzy_tokens[a:b])
            owner.extend([k] * int(b - a))
        if not flat:
            return out, pairs
        scores = process.cdist(qwords, flat, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8)
        owner_arr = np.asarray(owner)
        best = np.zeros((len(qwords), rows.size), dtype=np.float32)
        for qi in range(len(qwords)):
            np.maximum.at(best[qi], owner_arr, scores[qi])
        denom = min(len(qwords), 3)
        top = -np.sort(-best, axis=0)[:denom]
        out = np.clip(top.sum(axis=0) / (100.0 * denom), 0.0, 1.0)
        hit_q, hit_t = np.nonzero(scores)
        for qi, ti in zip(hit_q, hit_t, strict=True):
            pairs[owner[ti]].append((qwords[qi], flat[ti]))
        return out, pairs


def with_columns(matrix: sp.csr_matrix, n: int) -> sp.csr_matrix:
    """``matrix`` with exactly ``n`` columns (vocabularies only grow: drop or pad the newest columns)."""
    if matrix.shape[1] == n:
        return matrix
    if matrix.shape[1] > n:
        return matrix[:, :n]
    return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], n))


def is_finite(x: object) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fold_labels(labels: Sequence[str]) -> frozenset[str]:
    """Canonical form of labels for hard filtering (accents and case folded)."""
    return frozenset(normalize(lbl) for lbl in labels if normalize(lbl))



class TradeModel:
    """Which CPV groups a text's words point to, learned from the suppliers' own words and CPV codes.

    ``P(group | word)`` is the share of a word's TF-IDF mass (over the suppliers using it) held by suppliers
    coded in that group; a query's trade profile is the mean of its words' profiles weighted by the query's
    TF-IDF. A supplier's ``trade`` score is the profile mass of its best group relative to the query's top
    group: evidence about the trade that does not require sharing the query's words (a plumber described by
    past plumbing contracts matches "Lot Plomberie" even when a co-awardee of another lot shares the title).
    Frozen at fit, like the IDF.
    """

    def __init__(self, *, level: int = 4, top: int = 30, prior: float = 3.0) -> None:
        self.level = level
        self.top = top
        self.prior = prior

    def fit(self, word: sp.csr_matrix, codes: Sequence[Sequence[str]]) -> TradeModel:
        groups = sorted({c[: self.level] for cs in codes for c in cs if len(c) >= self.level})
        self.groups_ = groups
        index = {g: j for j, g in enumerate(groups)}
        rows, cols, vals = [], [], []
        for i, cs in enumerate(codes):
            gs = sorted({index[c[: self.level]] for c in cs if len(c) >= self.level})
            rows.extend([i] * len(gs))
            cols.extend(gs)
            vals.extend([1.0 / max(1, len(gs))] * len(gs))
        g = sp.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(codes), len(groups)))
        assoc = (word.T @ g).tocsr()
        mass = np.asarray(assoc.sum(axis=1)).ravel()
        # A word seen in few suppliers says little about the trade: shrink its profile by its document count.
        df = np.bincount(word.indices, minlength=word.shape[1]).astype(np.float64)
        conf = df / (df + self.prior) if self.prior > 0 else np.ones_like(mass)
        self.assoc_ = (sp.diags(conf / np.maximum(mass, 1e-12)) @ assoc).tocsr().astype(np.float32)
        return self

    def profile(self, query: sp.csr_matrix) -> dict[str, float]:
        """The query's CPV-group profile (top groups only), normalised so that its best group scores 1."""
        if query.nnz == 0 or not self.groups_:
            return {}
        p = np.asarray((with_columns(query, self.assoc_.shape[0]) @ self.assoc_).todense()).ravel()
        if p.size == 0 or p.max() <= 0:
            return {}
        top = np.argsort(-p, kind="stable")[: self.top]
        best = float(p[top[0]])
        return {self.groups_[j]: float(p[j]) / best for j in top if p[j] > 0}

    @staticmethod
    def scores(seg: Segment, profile: dict[str, float]) -> np.ndarray:
        """Profile mass of each supplier's best CPV group (0 for suppliers without codes)."""
        return _best_posting_scores(seg.cpv_postings, profile, len(seg))
