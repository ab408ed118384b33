"""The matching engine: rank suppliers for a tender (shortlist) or a free text (search).

Ranking is a weighted mean of per-signal scores in [0, 1]:

* ``word``: cosine of French word-stem TF-IDF vectors (unknown query words expanded to close known stems);
* ``char``: cosine of character 3-4-gram TF-IDF vectors (word forms, typos, compounds);
* ``bm25``: Okapi BM25 over word stems (weak length normalisation), divided by the query's best possible score;
* ``fuzzy``: rapidfuzz ratio of query words against the supplier's name and keywords;
* ``trade``: CPV classes the query's words point to (learned from the suppliers' words and codes) vs the
  supplier's codes;
* ``cpv``: CPV hierarchy similarity (longest shared prefix: division, group, class, category, code);
* ``geo``: the tender's department among those the supplier serves, else a nearby department (from department
  centroids, when given) or proximity from coordinates;
* ``capacity``: budget against annual revenue / headcount (unknown sizes are not penalised);
* ``experience``: number of past contracts described (one per description line).

Candidates are generated over the whole corpus with cheap vectorised signals (word postings, CPV and
department postings), then only the best ``n_candidates`` are re-ranked with the costlier ones (character
n-grams, rapidfuzz, distances, capacity). The default weights were tuned on pseudo-queries built from the
suppliers file itself (one held-out contract line per supplier), never on benchmark queries (docs/matching.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from .cpv import cpv_level_name, parse_cpv, split_cpv_codes
from .index import QueryText, Segment, TextModel, TradeModel, fold_labels, is_finite, supplier_text, with_columns
from .model import Match, Supplier, Tender
from .signals import (
    capacity_fit,
    department_centroids,
    department_of_postcode,
    distance_score,
    haversine_km,
    normalize_department,
)
from .text import tokenize

__all__ = ["COMPONENTS", "Engine", "NotFittedError"]

COMPONENTS = ("word", "char", "bm25", "fuzzy", "trade", "cpv", "geo", "capacity", "experience")

# Default ``geo`` weight with and without department centroids (both tuned: docs/matching.md, fifth round).
GEO_WEIGHT_WITH_CENTROIDS, GEO_WEIGHT_WITHOUT_CENTROIDS = 0.4, 0.3

# A department further away still scores a little, but is not called "close" in the reasons.
NEARBY_REASON_KM = 150.0


@dataclass(frozen=True)
class _Query:
    text: QueryText
    codes: tuple[str, ...] = ()
    bad_codes: tuple[str, ...] = ()
    department: str | None = None
    nearby: Mapping[str, tuple[float, float]] | None = None  # other department -> (geo score, km)
    lat: float | None = None
    lon: float | None = None
    budget: float | None = None
    labels: frozenset[str] = frozenset()
    filter_departments: tuple[str, ...] = ()
    filter_prefixes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class Engine:
    """Rank suppliers for tenders and free-text searches.

    Parameters are stored as given (scikit-learn contract); ``fit(suppliers)`` learns the index.
    ``*_weight`` are the weights of the signals in the final weighted mean; ``cpv_level_scores[n]`` is
    the similarity of two CPV codes sharing ``n`` leading digits; ``cpv_labels`` (optional mapping or
    pairs code -> label) appends the labels of each supplier's CPV codes to its indexed text.
    ``trade_level`` is the CPV level (digits) of the ``trade`` signal's word -> CPV association.
    ``department_coords`` (optional mapping department -> (lat, lon), e.g. ``load_department_centroids``)
    gives a supplier serving a nearby department up to ``nearby_department_max`` (in [0, 1]) of the ``geo``
    score, decreasing as exp(-km / ``nearby_department_scale_km``) with the distance between department
    centroids. ``geo_weight=None`` means 0.4 with centroids and 0.3 without.
    ``refit_below``: while the corpus is smaller than this, ``add``/``remove`` trigger an exact (lazy) refit
    at the next query; above it they go to a delta segment / tombstone with frozen IDF, merged every
    ``merge_every`` additions.
    """

    def __init__(self, *, word_weight: float = 0.18, char_weight: float = 0.42, fuzzy_weight: float = 0.05,
                 cpv_weight: float = 0.2, geo_weight: float | None = None, capacity_weight: float = 0.1,
                 experience_weight: float = 0.1, trade_weight: float = 0.1, trade_level: int = 4,
                 bm25_weight: float = 0.3, bm25_k1: float = 1.2, bm25_b: float = 0.3,
                 cpv_level_scores: Sequence[float] = (0.0, 0.0, 0.5, 0.7, 0.85, 0.9, 0.95, 0.97, 1.0),
                 cpv_labels: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                 department_coords: Mapping[str, tuple[float, float]] | None = None,
                 nearby_department_max: float = 0.6, nearby_department_scale_km: float = 200.0,
                 char_ngram_range: tuple[int, int] = (3, 4), n_candidates: int = 300,
                 fuzzy_cutoff: float = 80.0, typo_cutoff: float = 85.0, distance_scale_km: float = 50.0,
                 refit_below: int = 2000, merge_every: int = 256) -> None:
        self.word_weight = word_weight
        self.char_weight = char_weight
        self.fuzzy_weight = fuzzy_weight
        self.cpv_weight = cpv_weight
        self.geo_weight = geo_weight
        self.capacity_weight = capacity_weight
        self.experience_weight = experience_weight
        self.trade_weight = trade_weight
        self.trade_level = trade_level
        self.bm25_weight = bm25_weight
        self.bm25_k1 = bm25_k1
        self.bm25_b = bm25_b
        self.cpv_level_scores = cpv_level_scores
        self.cpv_labels = cpv_labels
        self.department_coords = department_coords
        self.nearby_department_max = nearby_department_max
        self.nearby_department_scale_km = nearby_department_scale_km
        self.char_ngram_range = char_ngram_range
        self.n_candidates = n_candidates
        self.fuzzy_cutoff = fuzzy_cutoff
        self.typo_cutoff = typo_cutoff
        self.distance_scale_km = distance_scale_km
        self.refit_below = refit_below
        self.merge_every = merge_every

    # ------------------------------------------------------------------ fitting and updates

    def fit(self, suppliers: Iterable[Supplier]) -> Engine:
        """Index ``suppliers`` (ids must be unique strings) and return the engine."""
        suppliers = list(suppliers)
        seen: set[str] = set()
        for s in suppliers:
            if not isinstance(s, Supplier):
                raise TypeError(f"Engine.fit expects Supplier records, got {type(s).__name__}")
            if s.id in seen:
                raise ValueError(f"duplicate supplier id: {s.id!r}")
            seen.add(s.id)
        labels = self.cpv_labels.items() if isinstance(self.cpv_labels, Mapping) else (self.cpv_labels or ())
        self.cpv_labels_ = {p: lbl for p, lbl in ((parse_cpv(c), lbl) for c, lbl in labels) if p and lbl}
        if not 0.0 <= self.nearby_department_max <= 1.0 or self.nearby_department_scale_km <= 0:
            raise ValueError("nearby_department_max must be in [0, 1] and nearby_department_scale_km > 0")
        self.department_coords_ = _department_coords(self.department_coords)
        self._build(suppliers)
        return self

    def _build(self, suppliers: list[Supplier]) -> None:
        # Canonical order (by id) makes the index, ties included, independent of the input order.
        suppliers = sorted(suppliers, key=lambda s: s.id)
        self.text_model_ = TextModel(char_ngram_range=self.char_ngram_range, fuzzy_cutoff=self.typo_cutoff,
                                     bm25_k1=self.bm25_k1, bm25_b=self.bm25_b)
        word, char, bm25 = self.text_model_.fit_transform([supplier_text(s, self.cpv_labels_) for s in suppliers])
        self.main_ = Segment(suppliers, word, char, bm25)
        self.trade_model_ = TradeModel(level=self.trade_level).fit(word, self.main_.codes)
        self.alive_ = np.ones(len(suppliers), dtype=bool)
        self.delta_ = self._segment([])
        self.suppliers_: dict[str, Supplier] = {s.id: s for s in suppliers}
        self.main_rows_ = {s.id: i for i, s in enumerate(suppliers)}
        self.stale_ = False

    def _segment(self, suppliers: list[Supplier]) -> Segment:
        word, char, bm25 = self.text_model_.transform([supplier_text(s, self.cpv_labels_) for s in suppliers])
        return Segment(suppliers, word, char, bm25)

    def _check_fitted(self) -> None:
        if not hasattr(self, "main_"):
            raise NotFittedError("This Engine is not fitted yet: call Engine(...).fit(suppliers) first.")

    def add(self, supplier: Supplier) -> Engine:
        """Add one supplier; the very next query sees it. Raises ValueError if the id already exists."""
        self._check_fitted()
        if not isinstance(supplier, Supplier):
            raise TypeError(f"Engine.add expects a Supplier, got {type(supplier).__name__}")
        if supplier.id in self.suppliers_:
            raise ValueError(f"duplicate supplier id: {supplier.id!r}")
        self.suppliers_[supplier.id] = supplier
        if len(self.suppliers_) < self.refit_below:
            self.stale_ = True  # small corpus: an exact refit at the next query costs milliseconds
            return self
        delta = [*self.delta_.suppliers, supplier]
        if len(delta) >= self.merge_every:
            self._merge(delta)
        else:
            self.delta_ = self._segment(delta)
        return self

    def remove(self, supplier_id: str) -> Engine:
        """Remove a supplier by id; the very next query no longer returns it. KeyError if unknown."""
        self._check_fitted()
        supplier_id = str(supplier_id)
        if supplier_id not in self.suppliers_:
            raise KeyError(f"unknown supplier id: {supplier_id!r}")
        del self.suppliers_[supplier_id]
        if len(self.suppliers_) < self.refit_below:
            self.stale_ = True
            return self
        row = self.main_rows_.get(supplier_id)
        if row is not None and self.alive_[row]:
            self.alive_[row] = False
        else:
            self.delta_ = self._segment([s for s in self.delta_.suppliers if s.id != supplier_id])
        return self

    def _merge(self, delta: list[Supplier]) -> None:
        # Fold the delta into the main segment with the frozen vectorizers (no IDF refit: see docs).
        keep = np.flatnonzero(self.alive_)
        extra = self._segment(delta)
        suppliers = [self.main_.suppliers[i] for i in keep] + extra.suppliers
        n_terms = self.text_model_.n_terms
        word = sp.vstack([with_columns(self.main_.word[keep], n_terms), extra.word]).tocsr()
        bm25 = sp.vstack([with_columns(self.main_.bm25[keep], n_terms), extra.bm25]).tocsr()
        char = sp.vstack([self.main_.char[keep], extra.char]).tocsr()
        self.main_ = Segment(suppliers, word, char, bm25)
        self.alive_ = np.ones(len(suppliers), dtype=bool)
        self.main_rows_ = {s.id: i for i, s in enumerate(suppliers)}
        self.delta_ = self._segment([])

    def _refresh(self) -> None:
        if self.stale_:
            self._build(list(self.suppliers_.values()))

    # ------------------------------------------------------------------ queries

    def shortlist(self, tender: Tender, k: int = 10, lot: str | None = None) -> list[Match]:
        """Best ``k`` suppliers for ``tender`` (or for one of its lots when ``lot`` is a lot id)."""
        self._check_fitted()
        if not isinstance(tender, Tender):
            raise TypeError(f"Engine.shortlist expects a Tender, got {type(tender).__name__}")
        budget = tender.budget_eur
        if lot is not None:
            chosen = next((x for x in tender.lots if x.id == str(lot)), None)
            if chosen is None:
                raise ValueError(f"tender {tender.id!r} has no lot {lot!r}")
            text = " ".join((chosen.title, chosen.description, tender.title))
            raw_codes = chosen.cpv_codes or tender.cpv_codes
            budget = chosen.budget_eur
        else:
            text = " ".join((tender.title, tender.description, *(x.title for x in tender.lots)))
            raw_codes = tender.cpv_codes + tuple(c for x in tender.lots for c in x.cpv_codes)
            if budget is None and tender.lots and all(x.budget_eur is not None for x in tender.lots):
                budget = sum(x.budget_eur for x in tender.lots)
        codes, bad = split_cpv_codes(raw_codes)
        notes = []
        department = normalize_department(tender.department) or department_of_postcode(tender.postcode)
        if tender.department and not normalize_department(tender.department):
            notes.append(f"département mal formé ignoré : {str(tender.department)[:20]}")
        labels = fold_labels(tender.required_labels)
        if labels:
            notes.append("labels requis : " + ", ".join(sorted(labels)))
        notes.extend(f"code CPV mal formé ignoré : {b}" for b in bad)
        self._refresh()
        query = _Query(text=self.text_model_.query(text), codes=codes, bad_codes=bad, department=department,
                       nearby=self._nearby_departments(department),
                       lat=tender.lat if is_finite(tender.lat) else None,
                       lon=tender.lon if is_finite(tender.lon) else None,
                       budget=budget if is_finite(budget) else None, labels=labels, notes=tuple(notes))
        return self._rank(query, k)

    def search(self, text: str, k: int = 20, departments: Sequence[str] = (), cpv_prefixes: Sequence[str] = (),
               labels: Sequence[str] = ()) -> list[Match]:
        """Free-text search; ``departments``, ``cpv_prefixes`` and ``labels`` are hard filters."""
        self._check_fitted()
        if isinstance(departments, str):
            departments = (departments,)
        if isinstance(cpv_prefixes, str):
            cpv_prefixes = (cpv_prefixes,)
        if isinstance(labels, str):
            labels = (labels,)
        depts = tuple(d for d in (normalize_department(x) for x in departments) if d)
        prefixes, notes = [], []
        for p in cpv_prefixes:
            digits = str(p).strip().split("-")[0]
            if digits.isdigit() and 2 <= len(digits) <= 8:
                prefixes.append(digits)
            else:
                notes.append(f"code CPV mal formé ignoré : {str(p)[:40]}")
        if departments and not depts:
            return []  # every requested department is malformed: nothing can satisfy the filter
        self._refresh()
        query = _Query(text=self.text_model_.query(text or ""), labels=fold_labels(labels),
                       filter_departments=depts, filter_prefixes=tuple(prefixes), notes=tuple(notes))
        return self._rank(query, k)

    # ------------------------------------------------------------------ ranking internals

    def _nearby_departments(self, department: str | None) -> dict[str, tuple[float, float]] | None:
        """Other departments -> (geo score, km between centroids) for a tender's department."""
        origin = self.department_coords_.get(department) if department else None
        if origin is None or self.nearby_department_max <= 0:
            return None
        codes = [d for d in self.department_coords_ if d != department]
        points = np.array([self.department_coords_[d] for d in codes]).reshape(-1, 2)
        km = haversine_km(origin[0], origin[1], points[:, 0], points[:, 1])
        scores = self.nearby_department_max * distance_score(km, self.nearby_department_scale_km)
        return {d: (float(s), float(k)) for d, s, k in zip(codes, scores, km, strict=True)}

    def _weights(self) -> dict[str, float]:
        weights = {name: getattr(self, f"{name}_weight") for name in COMPONENTS}
        if weights["geo"] is None:
            weights["geo"] = GEO_WEIGHT_WITH_CENTROIDS if self.department_coords_ else GEO_WEIGHT_WITHOUT_CENTROIDS
        return {name: max(0.0, float(weight)) for name, weight in weights.items()}

    def _rank(self, query: _Query, k: int) -> list[Match]:
        if k <= 0 or (query.text.empty and not query.codes):
            return []
        weights = self._weights()
        active = {"word", "char", "bm25", "fuzzy", "trade", "experience"}
        if query.codes:
            active.add("cpv")
        if query.department or (query.lat is not None and query.lon is not None):
            active.add("geo")
        if query.budget is not None:
            active.add("capacity")
        total = sum(weights[c] for c in active) or 1.0
        profile = self.trade_model_.profile(query.text.word) if weights["trade"] > 0 else {}
        bm25 = self.text_model_.bm25_query(query.text.word)
        scored = []
        for seg, alive in ((self.main_, self.alive_), (self.delta_, None)):
            scored.extend(self._score_segment(seg, alive, query, weights, active, total, profile, bm25))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self._match(query, seg, row, score, comps) for score, _, seg, row, comps in scored[:k]]

    def _score_segment(self, seg: Segment, alive: np.ndarray | None, query: _Query, weights: dict[str, float],
                       active: set[str], total: float, profile: dict[str, float], bm25: sp.csr_matrix) -> list:
        n = len(seg)
        if n == 0:
            return []
        word = seg.word_scores(query.text.word)
        if query.codes:
            cpv, _ = seg.cpv_scores(query.codes, self.cpv_level_scores)
        else:
            cpv = np.zeros(n, dtype=np.float32)
        dept = (seg.department_mask([query.department]).astype(np.float32) if query.department
                else np.zeros(n, dtype=np.float32))
        if query.nearby:  # before the candidate cut, so that a nearby supplier is not dropped there
            dept = np.maximum(dept, seg.department_scores({d: score for d, (score, _) in query.nearby.items()}))
        trade = TradeModel.scores(seg, profile)
        mask = (word > 0) | (cpv > 0)
        if alive is not None:
            mask &= alive
        if query.labels:
            mask &= seg.label_mask(query.labels)
        if query.filter_departments:
            mask &= seg.department_mask(query.filter_departments)
        if query.filter_prefixes:
            mask &= seg.cpv_prefix_mask(query.filter_prefixes)
        rows = np.flatnonzero(mask)
        if rows.size == 0:
            return []
        # The word cosine stands in for the (correlated) char cosine while generating candidates.
        coarse = ((weights["word"] + weights["char"]) * word[rows] + weights["cpv"] * cpv[rows]
                  + weights["trade"] * trade[rows]
                  + weights["geo"] * dept[rows] + weights["experience"] * seg.experience[rows])
        if rows.size > self.n_candidates:
            keep = np.argpartition(-coarse, self.n_candidates - 1)[: self.n_candidates]
            rows = rows[np.sort(keep)]
        comps = {
            "word": np.clip(word[rows], 0.0, 1.0),
            "char": np.clip(seg.char_scores(query.text.char, rows), 0.0, 1.0),
            "bm25": np.clip(seg.bm25_scores(bm25, rows), 0.0, 1.0),
            "cpv": cpv[rows],
            "trade": trade[rows],
            "experience": seg.experience[rows],
        }
        comps["fuzzy"], _ = seg.fuzzy_scores(query.text.words, rows, self.fuzzy_cutoff)
        geo = dept[rows].astype(np.float64)
        if query.lat is not None and query.lon is not None:
            km = haversine_km(query.lat, query.lon, seg.lat[rows], seg.lon[rows])
            geo = np.maximum(geo, distance_score(km, self.distance_scale_km))
        comps["geo"] = geo
        comps["capacity"] = capacity_fit(query.budget, seg.revenue[rows], seg.headcount[rows])
        score = sum(weights[c] * comps[c] for c in active) / total
        score = np.clip(score, 0.0, 1.0)
        out = []
        for j, row in enumerate(rows):
            components = {c: round(float(comps[c][j]), 6) for c in COMPONENTS if c in active}
            out.append((round(float(score[j]), 9), seg.ids[row], seg, int(row), components))
        return out

    def _match(self, query: _Query, seg: Segment, row: int, score: float, comps: dict[str, float]) -> Match:
        return Match(supplier_id=seg.ids[row], score=score, reasons=self._reasons(query, seg, row, comps),
                     components=comps)

    def _same_word(self, a: str, b: str) -> bool:
        """Two surface forms of one word ("bons" / "bon"): not worth a "close words" reason."""
        stems = [self.text_model_.analyzer_.stem(t) for t in (*tokenize(a)[:1], *tokenize(b)[:1])]
        return len(stems) == 2 and stems[0] == stems[1]

    def _reasons(self, query: _Query, seg: Segment, row: int, comps: dict[str, float]) -> tuple[str, ...]:
        reasons: list[str] = []
        text = query.text
        if text.word.nnz:
            doc = set(seg.word[row].indices.tolist())
            weight = dict(zip(text.word.indices.tolist(), text.word.data.tolist(), strict=True))
            # In the order the user typed them.
            common = [j for j in text.term_words if j in doc and j in weight and j not in text.expanded]
            shown = list(dict.fromkeys(text.term_words[j] for j in common))[:6]
            if shown:
                reasons.append("mots en commun : " + ", ".join(shown))
            close = [j for j in doc & set(text.expanded)]
            if close:
                stems = {self.text_model_.term(j): text.term_words[j] for j in close}
                pairs = _surface_pairs(stems, seg.suppliers[row], self.text_model_)
                if pairs:
                    reasons.append("mots proches : " + ", ".join(f"{a} → {b}" for a, b in pairs[:4]))
        if comps.get("fuzzy", 0.0) > 0:
            _, pairs = seg.fuzzy_scores(text.words, np.array([row]), self.fuzzy_cutoff)
            close = list(dict.fromkeys((a, b) for a, b in pairs[0] if not self._same_word(a, b)))[:3]
            if close:
                reasons.append("nom ou mots-clés proches : " + ", ".join(f"{a} → {b}" for a, b in close))
        if query.codes and comps.get("cpv", 0.0) > 0:
            reasons.append(_cpv_reason(query.codes, seg.codes[row]))
        reasons.extend(self._geo_reasons(query, seg, row, comps.get("geo", 0.0)))
        if query.budget is not None and "capacity" in comps:
            known = not (math.isnan(seg.revenue[row]) and math.isnan(seg.headcount[row]))
            if known and comps["capacity"] >= 0.99:
                reasons.append("taille adaptée au budget")
            elif known and comps["capacity"] < 0.5:
                reasons.append("budget élevé au regard de la taille de l'entreprise")
        if comps.get("experience", 0.0) > 0 and self.experience_weight > 0:
            n = sum(1 for line in seg.suppliers[row].description.splitlines() if line.strip())
            reasons.append(f"expérience : {n} références décrites")
        if seg.bad_codes[row]:
            reasons.append("code CPV du fournisseur mal formé ignoré : " + ", ".join(seg.bad_codes[row][:3]))
        reasons.extend(query.notes)
        return tuple(reasons)

    def _geo_reasons(self, query: _Query, seg: Segment, row: int, geo: float) -> list[str]:
        if query.department and query.department in seg.departments[row]:
            return [f"intervient dans le département {query.department}"]
        if geo <= 0:
            return []
        score, km, department = _nearest(query.nearby or {}, seg.departments[row])
        if query.lat is not None and query.lon is not None and geo > score + 1e-6:  # coordinates gave the score
            km = float(haversine_km(query.lat, query.lon, seg.lat[row], seg.lon[row]))
            return [f"à {km:.0f} km du lieu d'exécution"]
        if department and km <= NEARBY_REASON_KM:
            return [f"intervient dans un département proche : {department} "
                    f"(à {km:.0f} km du {query.department}, de centre à centre)"]
        return []


def _nearest(nearby: Mapping[str, tuple[float, float]], departments: Sequence[str]) -> tuple[float, float, str]:
    """(geo score, km, department) of the supplier's department closest to the tender's; (0, inf, "") if none."""
    best = (0.0, math.inf, "")
    for d in departments:
        score, km = nearby.get(d, (0.0, math.inf))
        if score > best[0]:
            best = (score, km, d)
    return best


def _department_coords(coords: Mapping[str, tuple[float, float]] | None) -> dict[str, tuple[float, float]]:
    """Valid department codes with finite coordinates; anything else is ignored."""
    points = []
    for code, point in (coords or {}).items():
        try:
            lat, lon = (float(x) for x in point)
        except (TypeError, ValueError):
            continue
        points.append((code, lat, lon))
    return department_centroids(points)  # normalises the codes, drops malformed ones and non-finite points


def _cpv_reason(query_codes: Sequence[str], codes: Sequence[str]) -> str:
    best, q_best = 0, ""
    for q in query_codes:
        for c in codes:
            n = sum(1 for _ in _common(q, c))
            if n > best:
                best, q_best = n, q
    if best >= 8:
        return f"même code CPV {q_best}"
    level = cpv_level_name(best)
    article = "du même" if level == "groupe" else "de la même"
    return f"code CPV {article} {level} {q_best[:best]}"


def _common(a: str, b: str):
    for x, y in zip(a, b, strict=False):
        if x != y:
            return
        yield x


def _surface_pairs(stems: dict[str, str], supplier: Supplier, model: TextModel) -> list[tuple[str, str]]:
    # Show the supplier's own word for a typo-expanded stem ("netoyage → nettoyage"), not the stem.
    found: dict[str, str] = {}
    for token in tokenize(supplier_text(supplier)[:5000]):
        stem = model.analyzer_.stem(token)
        if stem in stems and stem not in found:
            found[stem] = token
    return [(stems[s], w) for s, w in found.items()]


