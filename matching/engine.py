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

Threads: an engine is shared by the web app's request threads. Every query runs on one immutable fitted state
(:class:`_State`) that it takes once when it starts; ``fit``, ``add``, ``remove``, ``update`` and the lazy refit
of a small corpus build the next state aside and publish it by swapping one reference (under a lock that only
writers and refits take). A reader therefore sees every change of an ``update`` or none of it, never a
half-built index.
"""

from __future__ import annotations

import copy
import math
import numbers
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp

from .cpv import cpv_level_name, parse_cpv, split_cpv_codes
from .groups import DEFAULT_CAPACITY_SHARE, DEFAULT_MEMBER_PENALTY, DEFAULT_MIN_SCORE, check_params, suggest_groups
from .index import (
    MAX_DOC_CHARS,
    QPV_RANKS,
    QueryText,
    Segment,
    TextModel,
    TradeModel,
    fold_labels,
    is_finite,
    supplier_text,
    with_columns,
)
from .model import Group, Match, NotFittedError, Reason, Supplier, Tender
from .reasons import DISPLAY_STOP_WORDS, SurfaceForms, best_form, display_stems
from .signals import (
    capacity_fit,
    department_centroids,
    department_of_postcode,
    distance_score,
    haversine_km,
    normalize_department,
)

__all__ = ["COMPONENTS", "QPV_FILTERS", "Engine", "NotFittedError"]

COMPONENTS = ("word", "char", "bm25", "fuzzy", "trade", "cpv", "geo", "capacity", "experience")

# Default ``geo`` weight with and without department centroids (both tuned: docs/matching.md, fifth round).
GEO_WEIGHT_WITH_CENTROIDS, GEO_WEIGHT_WITHOUT_CENTROIDS = 0.4, 0.3

# A department further away still scores a little, but is not called "close" in the reasons; further than this
# from the place of execution, a supplier that does not serve the tender's department gets a distance caution.
NEARBY_REASON_KM = 150.0

# The ``qpv`` filter of shortlist/search: None (no filter), "any" (a declared or verified QPV claim),
# "verified" (verified claims only).
QPV_FILTERS = {None: 0, "any": QPV_RANKS["declared"], "verified": QPV_RANKS["verified"]}

# Supplier text scanned for the supplier's own spelling of a word (reasons only).
_SURFACE_CHARS = 5000

# Tender queries kept per fit of the text model (reverse matching asks the same tenders for every company):
# about 11 kB each for the demo tenders (character n-grams mostly), so at most about 45 MB.
TENDER_QUERIES_MAX = 4096


@dataclass(frozen=True)
class _Query:
    text: QueryText
    raw: str = ""
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
    qpv: int = 0  # minimum QPV rank (QPV_FILTERS)
    place_stems: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------------- parameters (checked in fit)

@dataclass(frozen=True)
class _Settings:
    """The engine's parameters as validated by ``fit``: what every state built from that fit uses.

    Like every record of a published state, its dicts and arrays are never changed once built (plain dicts
    rather than read-only proxies, so that the engine pickles).
    """

    weights: Mapping[str, float]
    cpv_level_scores: np.ndarray
    cpv_labels: Mapping[str, str]
    department_coords: Mapping[str, tuple[float, float]]
    char_ngram_range: tuple[int, int]
    trade_level: int
    bm25_k1: float
    bm25_b: float
    nearby_department_max: float
    nearby_department_scale_km: float
    n_candidates: int
    fuzzy_cutoff: float
    typo_cutoff: float
    distance_scale_km: float
    refit_below: int
    merge_every: int


def _number(name: str, value: object, *, low: float | None = None, high: float | None = None,
            above: float | None = None) -> float:
    """``value`` as a float, or a TypeError/ValueError naming the parameter ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Engine parameter {name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"Engine parameter {name} must be a finite number, got {value!r}")
    if low is not None and number < low:
        raise ValueError(f"Engine parameter {name} must be >= {low:g}, got {value!r}")
    if high is not None and number > high:
        raise ValueError(f"Engine parameter {name} must be <= {high:g}, got {value!r}")
    if above is not None and number <= above:
        raise ValueError(f"Engine parameter {name} must be > {above:g}, got {value!r}")
    return number


def _integer(name: str, value: object, *, low: int, high: int | None = None) -> int:
    """``value`` as an int, or a TypeError/ValueError naming ``name`` (floats and booleans are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Engine parameter {name} must be an integer, got {value!r}")
    number = int(value)
    if number < low or (high is not None and number > high):
        bounds = f">= {low}" if high is None else f"between {low} and {high}"
        raise ValueError(f"Engine parameter {name} must be {bounds}, got {value!r}")
    return number


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be an integer, got {k!r}")
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k!r}")
    return int(k)


def _check_qpv(qpv: object) -> int:
    if not (qpv is None or isinstance(qpv, str)) or qpv not in QPV_FILTERS:
        raise ValueError(f"qpv must be None, 'any' or 'verified', got {qpv!r}")
    return QPV_FILTERS[qpv]


def _cpv_level_scores(value: object) -> np.ndarray:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(f"Engine parameter cpv_level_scores must be a sequence of 9 numbers, got {value!r}")
    if len(value) != 9:
        raise ValueError("Engine parameter cpv_level_scores must hold 9 scores (for 0 to 8 shared leading digits), "
                         f"got {len(value)}")
    scores = [_number(f"cpv_level_scores[{i}]", x, low=0.0, high=1.0) for i, x in enumerate(value)]
    return np.asarray(scores, dtype=np.float32)


def _cpv_labels(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        pairs = value.items()
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        pairs = value
    else:
        raise TypeError(f"Engine parameter cpv_labels must be a mapping or pairs (code, label), got {value!r}")
    labels = {}
    for pair in pairs:
        try:
            code, label = pair
        except (TypeError, ValueError):
            raise TypeError(f"Engine parameter cpv_labels must hold pairs (code, label), got {pair!r}") from None
        parsed = parse_cpv(code)
        if parsed and label:
            labels[parsed] = label
    return labels


def _char_ngram_range(value: object) -> tuple[int, int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise TypeError(f"Engine parameter char_ngram_range must be a pair (min, max), got {value!r}")
    low = _integer("char_ngram_range", value[0], low=1)
    high = _integer("char_ngram_range", value[1], low=1)
    if low > high:
        raise ValueError(f"Engine parameter char_ngram_range must have min <= max, got {value!r}")
    return low, high


def _settings(engine: Engine) -> _Settings:
    """Validate the parameters stored by ``__init__`` (clear errors naming them); they are left as given."""
    if engine.department_coords is not None and not isinstance(engine.department_coords, Mapping):
        raise TypeError("Engine parameter department_coords must be a mapping department -> (lat, lon), got "
                        f"{type(engine.department_coords).__name__}")
    coords = _department_coords(engine.department_coords)
    weights = {}
    for name in COMPONENTS:
        value = getattr(engine, f"{name}_weight")
        if name == "geo" and value is None:
            value = GEO_WEIGHT_WITH_CENTROIDS if coords else GEO_WEIGHT_WITHOUT_CENTROIDS
        weights[name] = _number(f"{name}_weight", value, low=0.0)
    if not any(weights.values()):
        raise ValueError("Engine parameters *_weight: at least one weight must be > 0")
    return _Settings(
        weights=weights,
        cpv_level_scores=_cpv_level_scores(engine.cpv_level_scores),
        cpv_labels=_cpv_labels(engine.cpv_labels),
        department_coords=coords,
        char_ngram_range=_char_ngram_range(engine.char_ngram_range),
        trade_level=_integer("trade_level", engine.trade_level, low=2, high=8),
        bm25_k1=_number("bm25_k1", engine.bm25_k1, low=0.0),
        bm25_b=_number("bm25_b", engine.bm25_b, low=0.0, high=1.0),
        nearby_department_max=_number("nearby_department_max", engine.nearby_department_max, low=0.0, high=1.0),
        nearby_department_scale_km=_number("nearby_department_scale_km", engine.nearby_department_scale_km,
                                           above=0.0),
        n_candidates=_integer("n_candidates", engine.n_candidates, low=1),
        fuzzy_cutoff=_number("fuzzy_cutoff", engine.fuzzy_cutoff, low=0.0, high=100.0),
        typo_cutoff=_number("typo_cutoff", engine.typo_cutoff, low=0.0, high=100.0),
        distance_scale_km=_number("distance_scale_km", engine.distance_scale_km, above=0.0),
        refit_below=_integer("refit_below", engine.refit_below, low=0),
        merge_every=_integer("merge_every", engine.merge_every, low=1),
    )


# ---------------------------------------------------------------------- the immutable fitted state

@dataclass(frozen=True)
class _Index:
    """Fitted text models and segments; never changed once built (updates build a new one)."""

    text_model: TextModel
    trade_model: TradeModel
    main: Segment
    alive: np.ndarray  # read-only tombstone mask over the main segment's rows
    main_rows: Mapping[str, int]
    delta: Segment
    delta_rows: Mapping[str, int]
    size: int  # live suppliers
    hidden_stems: frozenset[str]  # stems of DISPLAY_STOP_WORDS: never shown as shared words


class _LiveSuppliers(Mapping):
    """Read-only view id -> Supplier of an index's live suppliers (main segment minus tombstones, plus delta)."""

    def __init__(self, index: _Index) -> None:
        self._index = index

    def __getitem__(self, supplier_id: str) -> Supplier:
        index = self._index
        row = index.main_rows.get(supplier_id)
        if row is not None and index.alive[row]:
            return index.main.suppliers[row]
        row = index.delta_rows.get(supplier_id)
        if row is not None:
            return index.delta.suppliers[row]
        raise KeyError(supplier_id)

    def __iter__(self) -> Iterator[str]:
        index = self._index
        yield from (index.main.ids[i] for i in np.flatnonzero(index.alive))
        yield from index.delta.ids

    def __len__(self) -> int:
        return self._index.size


@dataclass(frozen=True)
class _State:
    """What one query runs on: settings, index and the live suppliers.

    ``stale``: suppliers were added or removed below ``refit_below`` since the index was built; the next query
    refits (exactly) before answering. ``suppliers`` is then a private dict, never changed once published.
    """

    settings: _Settings
    index: _Index
    suppliers: Mapping[str, Supplier]
    stale: bool = False


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _texts(suppliers: Sequence[Supplier], settings: _Settings) -> list[str]:
    return [supplier_text(s, settings.cpv_labels) for s in suppliers]


def _fit_index(settings: _Settings, suppliers: Iterable[Supplier]) -> _Index:
    # Canonical order (by id) makes the index, ties included, independent of the input order.
    suppliers = sorted(suppliers, key=lambda s: s.id)
    text_model = TextModel(char_ngram_range=settings.char_ngram_range, fuzzy_cutoff=settings.typo_cutoff,
                           bm25_k1=settings.bm25_k1, bm25_b=settings.bm25_b)
    word, char, bm25 = text_model.fit_transform(_texts(suppliers, settings))
    main = Segment(suppliers, word, char, bm25)
    trade_model = TradeModel(level=settings.trade_level).fit(word, main.codes)
    return _Index(text_model=text_model, trade_model=trade_model, main=main,
                  alive=_read_only(np.ones(len(suppliers), dtype=bool)),
                  main_rows={s.id: i for i, s in enumerate(suppliers)},
                  delta=Segment([], *text_model.transform([])), delta_rows={},
                  size=len(suppliers), hidden_stems=display_stems(DISPLAY_STOP_WORDS, text_model.analyzer_.stem))


def _updated_index(index: _Index, settings: _Settings, remove: Sequence[str], add: Sequence[Supplier]) -> _Index:
    """Large-corpus update (frozen IDF): tombstones for removed main rows, a re-vectorised delta segment, and a
    merge of the delta into the main segment every ``merge_every`` additions. ``index`` is left untouched."""
    removed = set(remove)
    alive = index.alive
    gone = [index.main_rows[sid] for sid in removed if sid in index.main_rows and alive[index.main_rows[sid]]]
    if gone:
        alive = alive.copy()
        alive[gone] = False
    text_model, extra = index.text_model, index.delta
    if add or any(sid in removed for sid in index.delta_rows):
        delta = [s for s in index.delta.suppliers if s.id not in removed] + list(add)
        text_model, word, char, bm25 = text_model.grown(_texts(delta, settings))
        extra = Segment(delta, word, char, bm25)
    main, main_rows = index.main, index.main_rows
    if len(extra) >= settings.merge_every:
        # Fold the delta into the main segment with the frozen vectorizers (no IDF refit: see docs).
        keep = np.flatnonzero(alive)
        n_terms = text_model.n_terms
        suppliers = [main.suppliers[i] for i in keep] + extra.suppliers
        main = Segment(suppliers,
                       sp.vstack([with_columns(main.word[keep], n_terms), extra.word]).tocsr(),
                       sp.vstack([main.char[keep], extra.char]).tocsr(),
                       sp.vstack([with_columns(main.bm25[keep], n_terms), extra.bm25]).tocsr())
        alive = np.ones(len(suppliers), dtype=bool)
        main_rows = {s.id: i for i, s in enumerate(suppliers)}
        extra = Segment([], *text_model.transform([]))
    return replace(index, text_model=text_model, main=main, alive=_read_only(alive), main_rows=main_rows,
                   delta=extra, delta_rows={s.id: i for i, s in enumerate(extra.suppliers)},
                   size=int(np.count_nonzero(alive)) + len(extra))


class Engine:
    """Rank suppliers for tenders and free-text searches.

    Parameters are stored as given (scikit-learn contract) and validated by ``fit``, which raises a
    ``TypeError``/``ValueError`` naming the parameter; a fitted engine keeps answering with the parameters it
    was fitted with until the next ``fit``. ``*_weight`` (numbers >= 0, at least one > 0) are the weights of
    the signals in the final weighted mean; ``cpv_level_scores[n]`` (9 scores in [0, 1]) is the similarity of
    two CPV codes sharing ``n`` leading digits; ``cpv_labels`` (optional mapping or pairs code -> label)
    appends the labels of each supplier's CPV codes to its indexed text.
    ``trade_level`` (2-8) is the CPV level (digits) of the ``trade`` signal's word -> CPV association.
    ``department_coords`` (optional mapping department -> (lat, lon), e.g. ``load_department_centroids``)
    gives a supplier serving a nearby department up to ``nearby_department_max`` (in [0, 1]) of the ``geo``
    score, decreasing as exp(-km / ``nearby_department_scale_km``) with the distance between department
    centroids. ``geo_weight=None`` means 0.4 with centroids and 0.3 without.
    ``refit_below``: while the corpus is smaller than this, ``add``/``remove`` trigger an exact (lazy) refit
    at the next query; above it they go to a delta segment / tombstone with frozen IDF, merged every
    ``merge_every`` additions.

    Thread-safe: queries run on the fitted state they start with; updates publish a new state whole.
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
        # Not parameters: the published state (None until fit) and the lock of those who replace it.
        self._state: _State | None = None
        self._lock = threading.Lock()
        # Not a parameter either: the tender queries built on the current text model (see _TenderQueries).
        self._tender_queries: _TenderQueries | None = None

    # ------------------------------------------------------------------ fitting and updates

    def fit(self, suppliers: Iterable[Supplier]) -> Engine:
        """Validate the parameters, index ``suppliers`` (ids must be unique strings) and return the engine."""
        suppliers = list(suppliers)
        seen: set[str] = set()
        for s in suppliers:
            if not isinstance(s, Supplier):
                raise TypeError(f"Engine.fit expects Supplier records, got {type(s).__name__}")
            if s.id in seen:
                raise ValueError(f"duplicate supplier id: {s.id!r}")
            seen.add(s.id)
        settings = _settings(self)
        index = _fit_index(settings, suppliers)
        with self._lock:
            self._state = _State(settings, index, _LiveSuppliers(index))
        return self

    def add(self, supplier: Supplier) -> Engine:
        """Add one supplier; the very next query sees it. Raises ValueError if the id already exists."""
        if not isinstance(supplier, Supplier):
            raise TypeError(f"Engine.add expects a Supplier, got {type(supplier).__name__}")
        return self.update(add=(supplier,))

    def remove(self, supplier_id: str) -> Engine:
        """Remove a supplier by id; the very next query no longer returns it. KeyError if unknown."""
        return self.update(remove=(supplier_id,))

    def update(self, *, add: Iterable[Supplier] = (), remove: Iterable[str] = ()) -> Engine:
        """Remove then add suppliers as one change: a concurrent query sees all of it or none of it.

        Replacing a supplier is removing and adding the same id. KeyError for an unknown id to remove,
        ValueError for an id removed or added twice or already present; on error nothing changes.
        """
        add = list(add)
        remove = [str(x) for x in remove]
        for s in add:
            if not isinstance(s, Supplier):
                raise TypeError(f"Engine.update expects Supplier records to add, got {type(s).__name__}")
        with self._lock:
            state = self._fitted()
            removed: set[str] = set()
            for sid in remove:
                if sid not in state.suppliers:
                    raise KeyError(f"unknown supplier id: {sid!r}")
                if sid in removed:
                    raise ValueError(f"supplier id removed twice: {sid!r}")
                removed.add(sid)
            seen: set[str] = set()
            for s in add:
                if s.id in seen or (s.id in state.suppliers and s.id not in removed):
                    raise ValueError(f"duplicate supplier id: {s.id!r}")
                seen.add(s.id)
            size = len(state.suppliers) - len(remove) + len(add)
            if state.stale or size < state.settings.refit_below:
                # Small corpus: an exact refit at the next query costs milliseconds.
                suppliers = {sid: s for sid, s in state.suppliers.items() if sid not in removed}
                suppliers.update((s.id, s) for s in add)
                self._state = replace(state, suppliers=suppliers, stale=True)
            else:
                index = _updated_index(state.index, state.settings, remove, add)
                self._state = _State(state.settings, index, _LiveSuppliers(index))
        return self

    def _fitted(self) -> _State:
        state = self._state
        if state is None:
            raise NotFittedError("This Engine is not fitted yet: call Engine(...).fit(suppliers) first.")
        return state

    def _current(self) -> _State:
        """The state a query runs on, taken once: refitted first if changes are pending (small corpus)."""
        state = self._fitted()
        if not state.stale:
            return state
        with self._lock:
            state = self._state
            if state.stale:  # not refitted by another query meanwhile
                index = _fit_index(state.settings, state.suppliers.values())
                state = self._state = _State(state.settings, index, _LiveSuppliers(index))
            return state

    def __sklearn_is_fitted__(self) -> bool:
        """True once fitted (scikit-learn's ``check_is_fitted`` protocol)."""
        return self._state is not None

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["_lock"]  # locks do not pickle; a fresh one is made on loading
        state["_tender_queries"] = None  # a cache, rebuilt on use
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._tender_queries = None  # also for engines pickled before the cache existed

    # Read-only views of the current state (for inspection, tests and benchmarks).

    @property
    def suppliers_(self) -> Mapping[str, Supplier]:
        """The live suppliers by id (changes not yet refitted included)."""
        suppliers = self._fitted().suppliers
        return MappingProxyType(suppliers) if isinstance(suppliers, dict) else suppliers

    @property
    def text_model_(self) -> TextModel:
        """The fitted text model queries use."""
        return self._current().index.text_model

    @property
    def trade_model_(self) -> TradeModel:
        """The fitted word -> CPV class model."""
        return self._current().index.trade_model

    @property
    def main_(self) -> Segment:
        """The main index segment."""
        return self._current().index.main

    @property
    def main_rows_(self) -> Mapping[str, int]:
        """Supplier id -> row of the main segment (removed suppliers included until the next merge or refit)."""
        return MappingProxyType(self._current().index.main_rows)

    @property
    def cpv_labels_(self) -> Mapping[str, str]:
        """Parsed CPV code -> label, as appended to the suppliers' texts."""
        return MappingProxyType(self._fitted().settings.cpv_labels)

    @property
    def department_coords_(self) -> Mapping[str, tuple[float, float]]:
        """The valid department centroids."""
        return MappingProxyType(self._fitted().settings.department_coords)

    def _weights(self) -> dict[str, float]:
        return dict(self._fitted().settings.weights)

    # ------------------------------------------------------------------ queries

    def shortlist(self, tender: Tender, k: int = 10, lot: str | None = None, *, qpv: str | None = None,
                  reasons: bool = True) -> list[Match]:
        """Best ``k`` suppliers for ``tender`` (or for one of its lots when ``lot`` is a lot id).

        ``qpv="any"`` keeps suppliers with a declared or verified QPV claim, ``qpv="verified"`` verified
        ones only (filters inside the ranking: k come back whenever k such suppliers match). ``reasons=False``
        leaves the explanations empty (same scores): rank many, then :meth:`explain` the few shown.
        """
        state = self._current()
        if not isinstance(tender, Tender):
            raise TypeError(f"Engine.shortlist expects a Tender, got {type(tender).__name__}")
        k, qpv_rank = _check_k(k), _check_qpv(qpv)
        return self._rank(state, _tender_query(state, tender, lot, qpv_rank), k, reasons=reasons)

    def explain(self, matches: Iterable[Match], *, tender: Tender | None = None, lot: str | None = None,
                text: str = "", departments: Sequence[str] = (), cpv_prefixes: Sequence[str] = ()) -> list[Match]:
        """``matches`` with their reasons, as :meth:`shortlist` (``tender``, ``lot``) or :meth:`search` (``text``
        and its filters) would have given them; a supplier removed meanwhile keeps none."""
        state = self._current()
        if tender is not None:
            query = _tender_query(state, tender, lot, 0)
        else:
            query = self._search_query(state, text, departments, cpv_prefixes, (), 0)
        surfaces = _LazySurfaces(query.raw, state.index.text_model.analyzer_.stem)
        out = []
        for match in matches:
            where = _supplier_row(state.index, match.supplier_id)
            if where is None:
                out.append(match)
                continue
            seg, row = where
            explanations = self._reasons(state, query, seg, row, match.components, surfaces)
            out.append(Match(supplier_id=match.supplier_id, score=match.score, components=match.components,
                             explanations=explanations))
        return out

    def score(self, tender: Tender, supplier_id: str, lot: str | None = None) -> Match | None:
        """One supplier's match for ``tender`` (or one of its lots): what :meth:`shortlist` would say of it.

        Reverse matching (the tenders that fit a supplier) asks this for each open tender (or, faster, asks
        :meth:`score_many` for all of them). The score and the reasons are those of the supplier's line in the
        shortlist (no candidate cut: a supplier is scored even when the shortlist would have cut it before
        re-ranking). None when the supplier is unknown or shares neither a word nor a CPV code with the tender.
        """
        return self.score_many(((tender, lot),), supplier_id)[0]

    def score_many(self, pairs: Iterable[tuple[Tender, str | None]], supplier_id: str, *,
                   reasons: bool = True) -> list[Match | None]:
        """One supplier's match for each ``(tender, lot)`` pair (``lot`` None: the whole tender), in order.

        The same answers as ``[self.score(tender, supplier_id, lot) for tender, lot in pairs]``, all taken on
        ONE fitted state (a concurrent update is seen by every pair or by none), scoring the supplier's row
        only, and reusing the tender queries already built on the same text model (for any supplier).
        ``reasons=False`` leaves every match's ``explanations`` empty, scores and components unchanged (rank
        first, explain the few shown: :meth:`score` them or call again with the chosen pairs). ``TypeError`` for
        a pair that is not ``(Tender, lot id or None)``, ``ValueError`` for a lot the tender does not have.
        """
        state = self._current()
        pairs = list(pairs)
        for pair in pairs:
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], Tender)):
                raise TypeError("Engine.score expects a Tender (score_many: pairs (Tender, lot id or None)), "
                                f"got {pair!r:.80}")
        seg = _supplier_segment(state.index, str(supplier_id))
        if seg is None:
            return [None] * len(pairs)
        queries = self._queries_for(state)
        prepared = queries.get_many(state, pairs)
        if not prepared:
            return []
        words, chars, bm25s = _text_scores(seg, prepared)
        stem = state.index.text_model.analyzer_.stem
        out: list[Match | None] = []
        for i, entry in enumerate(prepared):
            query = entry.query
            scored = []
            if not (query.text.empty and not query.codes):  # as _scored
                active, total = _active(state.settings, query)
                scored = _score_segment(state.settings, seg, None, query, active, total, entry.profile, entry.bm25,
                                        texts=(words[i:i + 1], chars[i:i + 1], bm25s[i:i + 1]))
            if not scored:
                out.append(None)
                continue
            score, _, _, row, comps = scored[0]
            explanations = (self._reasons(state, query, seg, row, comps, _LazySurfaces(query.raw, stem))
                            if reasons else ())
            out.append(Match(supplier_id=seg.ids[row], score=score, components=comps, explanations=explanations))
        return out

    def _queries_for(self, state: _State) -> _TenderQueries:
        """The tender queries built on ``state``'s fit (kept across updates, dropped by the next fit)."""
        queries = self._tender_queries
        if queries is None or not queries.serves(state):
            queries = _TenderQueries(state)
            self._tender_queries = queries  # one reference swap; a concurrent swap only wastes a cache
        return queries

    def search(self, text: str, k: int = 20, departments: Sequence[str] = (), cpv_prefixes: Sequence[str] = (),
               labels: Sequence[str] = (), *, qpv: str | None = None, reasons: bool = True) -> list[Match]:
        """Free-text search; ``departments``, ``cpv_prefixes``, ``labels`` and ``qpv`` (as in
        :meth:`shortlist`) are hard filters; ``reasons`` as in :meth:`shortlist`."""
        state = self._current()
        k, qpv_rank = _check_k(k), _check_qpv(qpv)
        query = self._search_query(state, text, departments, cpv_prefixes, labels, qpv_rank)
        return self._rank(state, query, k, reasons=reasons) if query is not None else []

    @staticmethod
    def _search_query(state: _State, text: str, departments, cpv_prefixes, labels, qpv_rank: int) -> _Query | None:
        """A search's query, None when every requested department is malformed (nothing can match)."""
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
            return None  # every requested department is malformed: nothing can satisfy the filter
        text = (text or "")[:MAX_DOC_CHARS]
        return _Query(text=state.index.text_model.query(text), raw=text, labels=fold_labels(labels),
                      filter_departments=depts, filter_prefixes=tuple(prefixes), qpv=qpv_rank, notes=tuple(notes))

    def suggest_groups(self, tender: Tender, max_size: int = 3, limit: int = 5, *,
                       min_score: float = DEFAULT_MIN_SCORE, capacity_share: float = DEFAULT_CAPACITY_SHARE,
                       member_penalty: float = DEFAULT_MEMBER_PENALTY) -> list[Group]:
        """Up to ``limit`` distinct teams of at most ``max_size`` suppliers for ``tender``, best first.

        The requirements are the tender's lots (else its CPV groups, else the tender itself); each is taken by
        one member whose score for it reaches ``min_score``; every member serves the tender's department when
        it has one. ``member_penalty`` is the cost of each member beyond the first; when no strong single
        supplier can carry the budget (``capacity_share`` of its annual revenue), the team must. A team of one
        is suggested when one supplier does better than any team; a tender with a single requirement gets
        teams of one only ("rien à répartir"). Solved exactly (docs/matching.md, "Teams"). ``max_size`` and
        ``limit`` are integers >= 1 (``TypeError``/``ValueError`` otherwise), as checked with the others.
        """
        state = self._current()
        if not isinstance(tender, Tender):
            raise TypeError(f"Engine.suggest_groups expects a Tender, got {type(tender).__name__}")
        max_size, limit, min_score, capacity_share, member_penalty = check_params(
            max_size, limit, min_score, capacity_share, member_penalty)
        return suggest_groups(_TeamRanker(self, state), tender, max_size=max_size, limit=limit,
                              min_score=min_score, capacity_share=capacity_share, member_penalty=member_penalty)

    # ------------------------------------------------------------------ ranking internals

    def _rank(self, state: _State, query: _Query, k: int, segments=None, *, reasons: bool = True) -> list[Match]:
        if k <= 0:
            return []
        scored = _scored(state, query, segments)
        index = state.index
        surfaces = _LazySurfaces(query.raw, index.text_model.analyzer_.stem)
        return [Match(supplier_id=seg.ids[row], score=score, components=comps,
                      explanations=self._reasons(state, query, seg, row, comps, surfaces) if reasons else ())
                for score, _, seg, row, comps in scored[:k]]

    def _reasons(self, state: _State, query: _Query, seg: Segment, row: int, comps: dict[str, float],
                 surfaces: _LazySurfaces) -> tuple[Reason, ...]:
        # A method so that offline benchmarks can switch reasons off on one engine (benchmarks/matching_tune.py).
        return _reasons(state, query, seg, row, comps, surfaces)


def _query_signals(state: _State, query: _Query) -> tuple[dict[str, float], sp.csr_matrix]:
    """What scoring derives from the query alone: its trade profile and its BM25 vector."""
    index = state.index
    profile = index.trade_model.profile(query.text.word) if state.settings.weights["trade"] > 0 else {}
    return profile, index.text_model.bm25_query(query.text.word)


def _active(settings: _Settings, query: _Query) -> tuple[set[str], float]:
    """The signals that apply to ``query`` and the sum of their weights (the weighted mean's divisor)."""
    weights = settings.weights
    active = {"word", "char", "bm25", "fuzzy", "trade", "experience"}
    if query.codes:
        active.add("cpv")
    if query.department or (query.lat is not None and query.lon is not None):
        active.add("geo")
    if query.budget is not None:
        active.add("capacity")
    return active, sum(weights[c] for c in active) or 1.0


def _scored(state: _State, query: _Query, segments=None) -> list:
    """Every candidate of ``query`` on ``state`` as (score, id, segment, row, components), best first."""
    if query.text.empty and not query.codes:
        return []
    active, total = _active(state.settings, query)
    index = state.index
    profile, bm25 = _query_signals(state, query)
    scored = []
    for seg, alive in segments or ((index.main, index.alive), (index.delta, None)):
        scored.extend(_score_segment(state.settings, seg, alive, query, active, total, profile, bm25))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored


def _text_scores(seg: Segment, prepared: Sequence[_Prepared]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word, char and BM25 scores of a one-row segment against many queries at once (one product each).

    Row ``i`` of each product adds the same terms in the same order as the query alone would (sparse products
    accumulate along the query's row for ``word``, along the supplier's row for ``char`` and ``bm25``): the
    scores are exactly those of :meth:`Segment.word_scores` and co. called query by query.
    """
    n, one = len(prepared), np.zeros(1, dtype=np.int64)
    columns = max(p.query.text.word.shape[1] for p in prepared)
    word = sp.vstack([with_columns(p.query.text.word, columns) for p in prepared], format="csr")
    char = sp.vstack([p.query.text.char for p in prepared], format="csr")
    bm25 = sp.vstack([with_columns(p.bm25, columns) for p in prepared], format="csr")
    # An all-empty stack short-cuts to zeros of the segment's length: zeros for every query then.
    return tuple(scores if scores.size == n else np.zeros(n, dtype=np.float32) for scores in (
        seg.word_scores(word), seg.char_scores(char, one), seg.bm25_scores(bm25, one)))


def _reasons(state: _State, query: _Query, seg: Segment, row: int, comps: dict[str, float],
             surfaces: _LazySurfaces) -> tuple[Reason, ...]:
    settings, index = state.settings, state.index
    stem = index.text_model.analyzer_.stem
    supplier = seg.suppliers[row]
    hidden = index.hidden_stems | query.place_stems | display_stems(
        (supplier.commune or "", *supplier.place_names), stem)
    own = _LazySurfaces(supplier_text(supplier)[:_SURFACE_CHARS], stem)
    reasons: list[Reason] = []
    text = query.text
    if text.word.nnz:
        doc = set(seg.word[row].indices.tolist())
        weight = dict(zip(text.word.indices.tolist(), text.word.data.tolist(), strict=True))
        # In the order the user typed them.
        common = [j for j in text.term_words if j in doc and j in weight and j not in text.expanded]
        shown = [best_form(index.text_model.term(j), text.term_words[j], surfaces.get(), own.get)
                 for j in common if index.text_model.term(j) not in hidden]
        shown = list(dict.fromkeys(shown))[:6]
        if shown:
            reasons.append(Reason(text="mots en commun : " + ", ".join(shown)))
        close = [j for j in text.expanded if j in doc]  # in the order the user typed them
        if close:
            pairs = _close_pairs({index.text_model.term(j): text.term_words[j] for j in close}, hidden,
                                 surfaces.get(), own.get(), stem)
            if pairs:
                reasons.append(Reason(text="mots proches : " + ", ".join(f"{a} → {b}" for a, b in pairs[:4])))
    if comps.get("fuzzy", 0.0) > 0:
        _, pairs = seg.fuzzy_scores(text.words, np.array([row]), settings.fuzzy_cutoff)
        close = _fuzzy_pairs(pairs[0], hidden, surfaces.get(), supplier, stem)[:3]
        if close:
            reasons.append(Reason(text="nom ou mots-clés proches : " + ", ".join(f"{a} → {b}" for a, b in close)))
    if query.codes and comps.get("cpv", 0.0) > 0:
        reasons.append(Reason(text=_cpv_reason(query.codes, seg.codes[row])))
    reasons.extend(_geo_reasons(settings, query, seg, row, comps.get("geo", 0.0)))
    if query.budget is not None and "capacity" in comps:
        known = not (math.isnan(seg.revenue[row]) and math.isnan(seg.headcount[row]))
        if known and comps["capacity"] >= 0.99:
            reasons.append(Reason(text="taille adaptée au budget"))
        elif known and comps["capacity"] < 0.5:
            reasons.append(Reason(text="budget élevé au regard de la taille de l'entreprise", kind="caution"))
    if comps.get("experience", 0.0) > 0 and settings.weights["experience"] > 0:
        n = sum(1 for line in supplier.description.splitlines() if line.strip())
        reasons.append(Reason(text=f"expérience : {n} références décrites"))
    if seg.bad_codes[row]:
        bad = ", ".join(seg.bad_codes[row][:3])
        reasons.append(Reason(text=f"code CPV du fournisseur mal formé ignoré : {bad}", kind="note"))
    reasons.extend(Reason(text=note, kind="note") for note in query.notes)
    return tuple(reasons)


class _TeamRanker:
    """What :mod:`matching.groups` needs from ONE fitted state: candidates and reasons per requirement.

    Every query is made on the state given at construction, so a concurrent update never mixes two states in
    one suggestion. Candidates are restricted to the suppliers serving the tender's department when it has one.
    """

    def __init__(self, engine: Engine, state: _State) -> None:
        self._engine, self._state = engine, state
        self._queries: dict = {}
        self._found: dict = {}
        self._reasons: dict = {}

    def _query(self, tender: Tender, lot: str | None) -> _Query:
        key = (tender, lot)
        query = self._queries.get(key)
        if query is None:
            query = _tender_query(self._state, tender, lot, 0)
            if query.department:
                query = replace(query, filter_departments=(query.department,))
            self._queries[key] = query
        return query

    def candidates(self, tender: Tender, lot: str | None, n: int, own_text: str | None = None,
                   own_codes: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        scored = _scored(self._state, self._query(tender, lot))
        own = self._state.index.text_model.query(own_text).word if own_text else None
        if own is not None and own.nnz == 0:
            own = None  # nothing indexable in the lot's own text: no condition from it
        if own is not None or own_codes:
            groups = [code[:3] for code in own_codes]
            related: dict[int, np.ndarray] = {}
            for item in scored:
                seg = item[2]
                if id(seg) not in related:
                    mask = seg.cpv_prefix_mask(groups) if groups else np.zeros(len(seg), dtype=bool)
                    if own is not None and own.nnz:
                        mask |= seg.word_scores(own) > 0
                    related[id(seg)] = mask
            scored = [item for item in scored if related[id(item[2])][item[3]]]
        scored = scored[:n]
        self._found[(tender, lot)] = {item[1]: item for item in scored}
        return [(supplier_id, score) for score, supplier_id, *_ in scored]

    def reasons(self, tender: Tender, lot: str | None, supplier_id: str) -> tuple[Reason, ...]:
        key = (tender, lot, supplier_id)
        if key not in self._reasons:  # one member takes the same lot in several teams
            _, _, seg, row, comps = self._found[(tender, lot)][supplier_id]
            query = self._query(tender, lot)
            surfaces = _LazySurfaces(query.raw, self._state.index.text_model.analyzer_.stem)
            self._reasons[key] = self._engine._reasons(self._state, query, seg, row, comps, surfaces)
        return self._reasons[key]

    def supplier(self, supplier_id: str) -> Supplier:
        return self._state.suppliers[supplier_id]

    def department(self, tender: Tender) -> str | None:
        return self._query(tender, None).department

    def cpv_label(self, code: str) -> str | None:
        return self._state.settings.cpv_labels.get(code)


class _LazySurfaces:
    """A text's :class:`SurfaceForms`, built on first use (reasons only need them for some matches)."""

    def __init__(self, text: str, stem) -> None:
        self._text, self._stem, self._forms = text, stem, None

    def get(self) -> SurfaceForms:
        if self._forms is None:
            self._forms = SurfaceForms(self._text, self._stem)
        return self._forms


def _supplier_row(index: _Index, supplier_id: str) -> tuple[Segment, int] | None:
    """The segment and row of a live supplier, None if unknown."""
    row = index.main_rows.get(supplier_id)
    if row is not None and index.alive[row]:
        return index.main, row
    row = index.delta_rows.get(supplier_id)
    return (index.delta, row) if row is not None else None


def _supplier_segment(index: _Index, supplier_id: str) -> Segment | None:
    """A one-row segment holding a live supplier's own row (same vectors, same postings), None if unknown.

    Scoring it gives exactly the supplier's line of a whole-segment scoring (every signal is computed row by
    row, in the same order), without scanning the corpus.
    """
    where = _supplier_row(index, supplier_id)
    if where is None:
        return None
    seg, row = where
    return Segment([seg.suppliers[row]], seg.word[row], seg.char[row], seg.bm25[row])


@dataclass(frozen=True)
class _Prepared:
    """A tender query and what scoring derives from it alone (trade profile, BM25 vector), built once."""

    query: _Query
    profile: Mapping[str, float]
    bm25: sp.csr_matrix
    n_terms: int  # the text model's word columns when built
    unknown: frozenset[str]  # the text's stems the text model did not know then


def _prepared(state: _State, pairs: Sequence[tuple[Tender, str | None]]) -> list[_Prepared]:
    """The queries of ``(tender, lot)`` pairs, as :func:`_tender_query` builds them one by one on ``state``.

    The character n-gram vectors are computed in one vectorizer call for all the texts (the same rows as one
    call per text; the vectorizer's per-call overhead dominated): each text's words first, on a copy of the
    text model without its character vectorizer, then its row of the batch (as ``TextModel.query`` does: only
    for a text with words, zeros otherwise).
    """
    model = state.index.text_model
    words_only = copy.copy(model)  # shares everything; only this copy's attribute is changed
    words_only.char_ = None
    queries = [_tender_query(state, tender, lot, 0, words_only.query) for tender, lot in pairs]
    if model.char_ is not None:
        texts = [i for i, query in enumerate(queries) if query.text.words]
        chars = model.char_.transform([queries[i].raw for i in texts]).tocsr() if texts else None
        rows = {i: j for j, i in enumerate(texts)}
        empty = sp.csr_matrix((1, len(model.char_.vocabulary_)), dtype=np.float32)
        queries = [replace(query, text=replace(query.text, char=chars[rows[i]] if i in rows else empty))
                   for i, query in enumerate(queries)]
    stem, vocab, extra = model.analyzer_.stem, model.vocab_, model.extra_vocab_
    return [_Prepared(query, *_query_signals(state, query), model.n_terms,
                      frozenset(x for x in map(stem, query.text.words) if x not in vocab and x not in extra))
            for query in queries]


class _TenderQueries:
    """Tender queries (no QPV filter) built on one fit of the text model, shared by every thread and supplier.

    A tender's query depends on the tender (or lot), the settings and what the text model knows: the fitted
    vocabulary and IDF, frozen until the next fit, and the words added by updates since (new columns, only
    ever appended). An entry therefore stays exact for a later state of the same fit unless one of its unknown
    stems became known: it is then built again. A fit or a refit starts a new cache (:meth:`serves`). Entries
    are immutable; the least recently used beyond :data:`TENDER_QUERIES_MAX` are dropped; the dict is only
    touched under the lock.
    """

    def __init__(self, state: _State) -> None:
        self._settings, self._vocab = state.settings, state.index.text_model.vocab_
        self._entries: OrderedDict[tuple, _Prepared] = OrderedDict()
        self._lock = threading.Lock()

    def serves(self, state: _State) -> bool:
        """True when ``state`` has the settings and the fitted vocabulary this cache was built with."""
        return state.settings is self._settings and state.index.text_model.vocab_ is self._vocab

    def get_many(self, state: _State, pairs: Sequence[tuple[Tender, str | None]]) -> list[_Prepared]:
        """The queries of ``(tender, lot)`` pairs as built on ``state`` (which this cache serves), in order."""
        model = state.index.text_model
        keys = [pair if _hashable(pair) else None for pair in pairs]
        with self._lock:
            found = [self._entries.get(key) if key is not None else None for key in keys]
            for key, entry in zip(keys, found, strict=True):
                if entry is not None:
                    self._entries.move_to_end(key)
        missing = [i for i, entry in enumerate(found) if entry is None or entry.n_terms > model.n_terms
                   or any(stem in model.extra_vocab_ for stem in entry.unknown)]
        if not missing:
            return found
        built = _prepared(state, [pairs[i] for i in missing])  # outside the lock; ValueError for an unknown lot
        with self._lock:
            for i, entry in zip(missing, built, strict=True):
                # Never replace an entry by an older state's (a reader still on it), nor keep the unhashable.
                if keys[i] is not None and (found[i] is None or found[i].n_terms <= entry.n_terms):
                    self._entries[keys[i]] = entry
                found[i] = entry
            while len(self._entries) > TENDER_QUERIES_MAX:
                self._entries.popitem(last=False)
        return found


def _hashable(key: object) -> bool:
    try:
        hash(key)
    except TypeError:  # a record field of an unusual type: built every time, never kept
        return False
    return True


def _score_segment(settings: _Settings, seg: Segment, alive: np.ndarray | None, query: _Query,
                   active: set[str], total: float, profile: dict[str, float], bm25: sp.csr_matrix,
                   texts: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> list:
    """The candidates of one segment (see :func:`_scored`). ``texts``: the word, char and BM25 scores of
    every row of the segment when already computed (:func:`_text_scores`)."""
    n = len(seg)
    if n == 0:
        return []
    weights = settings.weights
    word = texts[0] if texts is not None else seg.word_scores(query.text.word)
    if query.codes:
        cpv, _ = seg.cpv_scores(query.codes, settings.cpv_level_scores)
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
    if query.qpv:  # before the candidate cut: k QPV suppliers come back whenever k match
        mask &= seg.qpv_mask(query.qpv)
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return []
    # The word cosine stands in for the (correlated) char cosine while generating candidates.
    coarse = ((weights["word"] + weights["char"]) * word[rows] + weights["cpv"] * cpv[rows]
              + weights["trade"] * trade[rows]
              + weights["geo"] * dept[rows] + weights["experience"] * seg.experience[rows])
    if rows.size > settings.n_candidates:
        keep = np.argpartition(-coarse, settings.n_candidates - 1)[: settings.n_candidates]
        rows = rows[np.sort(keep)]
    comps = {
        "word": np.clip(word[rows], 0.0, 1.0),
        "char": np.clip(texts[1][rows] if texts is not None else seg.char_scores(query.text.char, rows), 0.0, 1.0),
        "bm25": np.clip(texts[2][rows] if texts is not None else seg.bm25_scores(bm25, rows), 0.0, 1.0),
        "cpv": cpv[rows],
        "trade": trade[rows],
        "experience": seg.experience[rows],
    }
    comps["fuzzy"], _ = seg.fuzzy_scores(query.text.words, rows, settings.fuzzy_cutoff)
    geo = dept[rows].astype(np.float64)
    if query.lat is not None and query.lon is not None:
        km = haversine_km(query.lat, query.lon, seg.lat[rows], seg.lon[rows])
        geo = np.maximum(geo, distance_score(km, settings.distance_scale_km))
    comps["geo"] = geo
    comps["capacity"] = capacity_fit(query.budget, seg.revenue[rows], seg.headcount[rows])
    score = sum(weights[c] * comps[c] for c in active) / total
    score = np.clip(score, 0.0, 1.0)
    out = []
    for j, row in enumerate(rows):
        components = {c: round(float(comps[c][j]), 6) for c in COMPONENTS if c in active}
        out.append((round(float(score[j]), 9), seg.ids[row], seg, int(row), components))
    return out


def _nearby_departments(settings: _Settings, department: str | None) -> dict[str, tuple[float, float]] | None:
    """Other departments -> (geo score, km between centroids) for a tender's department."""
    coords = settings.department_coords
    origin = coords.get(department) if department else None
    if origin is None or settings.nearby_department_max <= 0:
        return None
    codes = [d for d in coords if d != department]
    points = np.array([coords[d] for d in codes]).reshape(-1, 2)
    km = haversine_km(origin[0], origin[1], points[:, 0], points[:, 1])
    scores = settings.nearby_department_max * distance_score(km, settings.nearby_department_scale_km)
    return {d: (float(s), float(k)) for d, s, k in zip(codes, scores, km, strict=True)}


def _geo_reasons(settings: _Settings, query: _Query, seg: Segment, row: int, geo: float) -> list[Reason]:
    served = seg.departments[row]
    if query.department and query.department in served:
        return [Reason(text=f"intervient dans le département {query.department}")]
    site_km = None
    if query.lat is not None and query.lon is not None and is_finite(seg.lat[row]) and is_finite(seg.lon[row]):
        site_km = float(haversine_km(query.lat, query.lon, seg.lat[row], seg.lon[row]))
    score, km, department = _nearest(query.nearby or {}, served)
    if geo > 0:
        if site_km is not None and geo > score + 1e-6 and site_km <= NEARBY_REASON_KM:  # coordinates gave it
            return [Reason(text=f"à {site_km:.0f} km du lieu d'exécution")]
        if department and km <= NEARBY_REASON_KM:
            return [Reason(text=f"intervient dans un département proche : {department} "
                                f"(à {km:.0f} km du {query.department}, de centre à centre)")]
    # Neither served nor close: say how far, as a caution (the score alone does not tell a buyer why).
    if query.department and served:
        far = site_km if site_km is not None else _km_to_department(settings, query.department, seg, row)
        if far is not None and far <= NEARBY_REASON_KM:
            return []
        details = [x for x in (seg.suppliers[row].commune, f"à {far:.0f} km" if far is not None else "") if x]
        return [Reason(text=f"n'intervient pas dans le {query.department}"
                            + (f" ({', '.join(details)})" if details else ""), kind="caution")]
    if site_km is not None and site_km > NEARBY_REASON_KM:
        return [Reason(text=f"à {site_km:.0f} km du lieu d'exécution", kind="caution")]
    return []


def _km_to_department(settings: _Settings, department: str, seg: Segment, row: int) -> float | None:
    """Distance from a supplier to a department's centroid: from its coordinates, else from the centroid of the
    nearest department it serves; None when the centroids needed are unknown."""
    coords = settings.department_coords
    target = coords.get(department)
    if target is None:
        return None
    if is_finite(seg.lat[row]) and is_finite(seg.lon[row]):
        return float(haversine_km(seg.lat[row], seg.lon[row], target[0], target[1]))
    known = [coords[d] for d in seg.departments[row] if d in coords]
    if not known:
        return None
    points = np.array(known)
    return float(np.min(haversine_km(target[0], target[1], points[:, 0], points[:, 1])))


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


def _close_pairs(stems: dict[str, str], hidden: frozenset[str], query: SurfaceForms, supplier: SurfaceForms,
                 stem) -> list[tuple[str, str]]:
    """Typo-expanded stems as (the query's word → the supplier's word), both as written ("netoyage → nettoyage")."""
    pairs = []
    for known, token in stems.items():
        shown = supplier.form(known)
        if shown is None or known in hidden or stem(token) in hidden:
            continue
        pairs.append((query.form(stem(token)) or token, shown))
    return pairs


def _fuzzy_pairs(pairs: Sequence[tuple[str, str]], hidden: frozenset[str], query: SurfaceForms, supplier: Supplier,
                 stem) -> list[tuple[str, str]]:
    """Fuzzy name/keyword matches as written, without two forms of one word ("bons" / "bon") or hidden words."""
    own = None
    out = []
    for a, b in dict.fromkeys(pairs):
        sa, sb = stem(a), stem(b)
        if sa == sb or sa in hidden or sb in hidden:
            continue
        if own is None:
            own = SurfaceForms(" ".join((supplier.name or "", *supplier.keywords)), stem)
        out.append((query.form(sa) or a, own.form(sb) or b))
    return list(dict.fromkeys(out))


def _tender_query(state: _State, tender: Tender, lot: str | None, qpv_rank: int, vectorize=None) -> _Query:
    """The engine's query for a tender (or one of its lots): text, codes, place, budget, labels and notes.

    ``vectorize``: what turns the text into vectors instead of the text model's ``query`` (see :func:`_prepared`).
    """
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
    text_model = state.index.text_model
    query = _Query(text=(vectorize or text_model.query)(text), raw=text[:MAX_DOC_CHARS], codes=codes, bad_codes=bad,
                   department=department, nearby=_nearby_departments(state.settings, department),
                   lat=tender.lat if is_finite(tender.lat) else None,
                   lon=tender.lon if is_finite(tender.lon) else None,
                   budget=budget if is_finite(budget) else None, labels=labels, qpv=qpv_rank,
                   place_stems=display_stems(tender.place_names, text_model.analyzer_.stem), notes=tuple(notes))
    return query
