"""One-to-one meeting schedules for a buyers-meet-entrepreneurs event: who meets whom, in which slot, at which table.

:func:`schedule_meetings` returns a :class:`Schedule` of :class:`Meeting` records; :func:`validate` lists, in
French, every hard constraint a schedule breaks. Pure Python over plain data (scipy's HiGHS for the exact
parts). The model, the weights and the algorithm are documented in docs/matching.md ("Meetings").

* Hard constraints: one meeting per participant per slot; at most ``n_tables`` meetings per slot, on distinct
  tables ``0..n_tables-1``; no meeting in a slot a participant is unavailable; at most ``max_meetings`` per
  participant; a refused pair (a -1 wish from either side) never meets; a pair meets at most once; only
  buyer-supplier pairs.
* Eligible pairs: not refused, sharing an available slot, and wished (1 or 2 from either side) or scored
  strictly above ``min_score``. No other pair is ever proposed.
* Priorities, lexicographic (each level counts more than everything below it together): mutual "must" pairs
  met; one-sided "must" pairs met; entrepreneurs (suppliers) with at least one meeting; "would like" wishes
  met (a pair liked by both sides counts twice); the sum of the engine scores (above ``min_score``) of the
  pairs met. ``Schedule.objective`` is the weighted sum of these five counts with the weights of
  :func:`level_weights`, which provably dominate (the weight of a level exceeds the largest possible total of
  all the levels below it).
* Algorithm: a greedy + local-search heuristic always runs first (a fallback answer in a fraction of a
  second); then, within ``time_limit_s``, an exact pair selection (staged MILPs, one per priority level, with
  HiGHS: participants' capacities = min(available slots, max_meetings), total <= n_slots x n_tables) and a
  timetabling by bipartite edge colouring (König's alternating paths, then table balancing by two-colour path
  swaps). The pair selection is a relaxation (its optimum bounds the schedule's), so when every selected pair
  gets a slot the schedule is optimal; without unavailabilities they always do (a bipartite graph of maximum
  degree <= n_slots with at most n_slots x n_tables edges has an equitable n_slots-edge-colouring). When some
  pair cannot be timetabled and the instance is small, a time-indexed MILP (a variable per pair and common
  slot) solves it exactly. The best of the candidates is returned.
* ``optimal``: True when proven optimal (every stage of an exact model solved to optimality, within HiGHS's
  tolerance, and every selected pair timetabled); False when an exact model ran but did not prove it (a bound
  is known and leaves a gap: a stage hit the time limit, or the pair selection's bound could not be reached
  by a timetable); None when only the heuristic ran (no bound known: ``method="heuristic"``, or an instance
  too big for the time left, see ``_EXACT_COLUMNS_PER_SECOND``, where the local search uses the whole time).
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "MUST",
    "REFUSE",
    "WISH",
    "Meeting",
    "Schedule",
    "level_weights",
    "schedule_meetings",
    "validate",
]

# Wish values: the requester must meet the other, would like to, or refuses.
MUST = 2
WISH = 1
REFUSE = -1
_WISH_VALUES = (MUST, WISH, REFUSE)
# Largest time-indexed MILP (columns = eligible pairs x their common slots) tried when a timetable fails.
_TIME_INDEXED_MAX_COLUMNS = 40_000
# The exact models are tried only when their columns are at most this many per second left: HiGHS does not
# check its time limit during presolve and the root LP (measured on 2 cores: 11,000 pairs solved in 1.8 s,
# 68,000 in 16 s, 198,000 in 93 s, of which 10 s before the first time-limit check).
_EXACT_COLUMNS_PER_SECOND = 3_000
# HiGHS's relative gap for the score stage (the counting stages are integers: solved to a gap below 1).
_SCORE_GAP = 1e-7
_METHODS = ("auto", "exact", "heuristic")


@dataclass(frozen=True)
class Meeting:
    """One meeting: a buyer and a supplier at a table (0-based) in a slot (0-based), with a French reason."""

    buyer: str
    supplier: str
    slot: int
    table: int
    reason: str


@dataclass(frozen=True)
class Schedule:
    """A schedule: meetings by slot then table, the positive wishes left out, the weighted objective.

    ``unscheduled_wishes`` holds the ``(requester, other)`` keys of the "must" and "would like" wishes whose pair
    does not meet (refused pairs included), mutual "must" first, then one-sided "must", then "would like".
    ``optimal`` is True when proven optimal, False when a bound is known but leaves a gap, None when no bound is
    known (heuristic only). ``objective`` compares schedules of one instance only (the weights depend on it).
    """

    meetings: list[Meeting]
    unscheduled_wishes: list[tuple[str, str]]
    objective: float
    optimal: bool | None


# ---------------------------------------------------------------------------------------------------- input


@dataclass
class _Pair:
    buyer: int  # participant index (buyers first, then suppliers)
    supplier: int
    slots: tuple[int, ...]  # common available slots
    mutual: int  # 1 when both sides must meet
    one: int  # 1 when exactly one side must meet
    likes: int  # number of sides saying "would like" (0-2)
    score: float  # engine score when above min_score, else 0
    reason: str

    @property
    def key(self) -> tuple:
        """Sort key, best first (negated priorities, then the indexes for determinism)."""
        return (-self.mutual, -self.one, -self.likes, -self.score, self.supplier, self.buyer)


@dataclass
class _Instance:
    buyers: list[str]
    suppliers: list[str]
    n_slots: int
    n_tables: int
    available: list[frozenset[int]]
    cap: list[int]
    pairs: list[_Pair]
    wishes: dict[tuple[str, str], int]
    weights: tuple[float, float, float, float, float]

    @property
    def ids(self) -> list[str]:
        return self.buyers + self.suppliers


def _check_ids(buyers: Sequence[str], suppliers: Sequence[str]) -> tuple[list[str], list[str]]:
    if isinstance(buyers, str) or isinstance(suppliers, str):
        raise ValueError("buyers and suppliers must be sequences of ids, not a single string")
    buyers, suppliers = list(buyers), list(suppliers)
    for name, ids in (("buyers", buyers), ("suppliers", suppliers)):
        for pid in ids:
            if not isinstance(pid, str) or not pid:
                raise ValueError(f"{name}: every id must be a non-empty string, got {pid!r}")
        seen: set[str] = set()
        for pid in ids:
            if pid in seen:
                raise ValueError(f"{name}: duplicate id {pid!r}")
            seen.add(pid)
    both = sorted(set(buyers) & set(suppliers))
    if both:
        raise ValueError(f"ids in both buyers and suppliers: {both[:5]!r}")
    return buyers, suppliers


def _check_count(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _unavailable(unavailable, ids: set[str], n_slots: int) -> dict[str, frozenset[int]]:
    if unavailable is None:
        return {}
    if not isinstance(unavailable, Mapping):
        raise ValueError("unavailable must be a mapping {participant id: set of slot indexes}")
    result = {}
    for pid, slots in unavailable.items():
        if pid not in ids:
            raise ValueError(f"unavailable: unknown participant id {pid!r}")
        if isinstance(slots, str | bytes) or not isinstance(slots, Iterable):
            raise ValueError(f"unavailable[{pid!r}] must be a set of slot indexes, got {slots!r}")
        slots = set(slots)
        for slot in slots:
            if isinstance(slot, bool) or not isinstance(slot, numbers.Integral) or not 0 <= slot < n_slots:
                raise ValueError(f"unavailable[{pid!r}]: slot {slot!r} is not in 0..{n_slots - 1}")
        result[pid] = frozenset(int(slot) for slot in slots)
    return result


def _max_meetings(max_meetings, ids: list[str], n_slots: int) -> list[int]:
    if max_meetings is None:
        return [n_slots] * len(ids)
    if isinstance(max_meetings, Mapping):
        known = set(ids)
        for pid, value in max_meetings.items():
            if pid not in known:
                raise ValueError(f"max_meetings: unknown participant id {pid!r}")
            _check_count(f"max_meetings[{pid!r}]", value, 0)
        return [min(n_slots, int(max_meetings.get(pid, n_slots))) for pid in ids]
    return [min(n_slots, _check_count("max_meetings", max_meetings, 0))] * len(ids)


def _scores(scores, buyers: set[str], suppliers: set[str]) -> dict[tuple[str, str], float]:
    if scores is None:
        return {}
    if not isinstance(scores, Mapping):
        raise ValueError("scores must be a mapping {(buyer id, supplier id): float in [0, 1]}")
    result = {}
    for key, value in scores.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise ValueError(f"scores: key {key!r} is not a (buyer id, supplier id) pair")
        buyer, supplier = key
        if buyer in suppliers and supplier in buyers:
            raise ValueError(f"scores: key {key!r} is (supplier, buyer): keys are (buyer id, supplier id)")
        if buyer not in buyers:
            raise ValueError(f"scores: unknown buyer id {buyer!r} in key {key!r}")
        if supplier not in suppliers:
            raise ValueError(f"scores: unknown supplier id {supplier!r} in key {key!r}")
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"scores[{key!r}] must be a number in [0, 1], got {value!r}")
        result[key] = float(value)
    return result


def _wishes(wishes, buyers: set[str], suppliers: set[str]) -> dict[tuple[str, str], int]:
    if wishes is None:
        return {}
    if not isinstance(wishes, Mapping):
        raise ValueError("wishes must be a mapping {(requester id, other id): 2, 1 or -1}")
    result = {}
    for key, value in wishes.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise ValueError(f"wishes: key {key!r} is not a (requester id, other id) pair")
        for pid in key:
            if pid not in buyers and pid not in suppliers:
                raise ValueError(f"wishes: unknown participant id {pid!r} in key {key!r}")
        requester, other = key
        if (requester in buyers) == (other in buyers):
            raise ValueError(f"wishes: {key!r} is not a buyer-supplier pair (meetings are buyer-supplier only)")
        if isinstance(value, bool) or value not in _WISH_VALUES:
            raise ValueError(f"wishes[{key!r}] must be 2 (must meet), 1 (would like) or -1 (refuses), got {value!r}")
        result[key] = int(value)
    return result


def level_weights(n_suppliers: int, n_one_sided: int, max_total: int) -> tuple[float, float, float, float, float]:
    """Return the weights of the five levels (mutual must, one-sided must, fairness, would like, score).

    With ``max_total`` an upper bound on the number of meetings: the scores add up to at most ``max_total``
    (each <= 1), so a "would like" weighs ``max_total + 1``; the wishes add up to at most ``2 * max_total``, so
    a supplier met weighs more than all wishes and scores together; ``n_suppliers`` suppliers at most can be
    met, ``n_one_sided`` one-sided musts at most can be met, and so on up.
    """
    score = 1.0
    like = max_total * score + 1.0
    fair = 2 * max_total * like + max_total * score + 1.0
    one = n_suppliers * fair + 2 * max_total * like + max_total * score + 1.0
    mutual = n_one_sided * one + n_suppliers * fair + 2 * max_total * like + max_total * score + 1.0
    return (mutual, one, fair, like, score)


def _french_score(score: float) -> str:
    return f"{score:.2f}".replace(".", ",")


def _instance(buyers, suppliers, n_slots, n_tables, scores, wishes, unavailable, max_meetings, min_score):
    buyers, suppliers = _check_ids(buyers, suppliers)
    n_slots = _check_count("n_slots", n_slots, 1)
    n_tables = _check_count("n_tables", n_tables, 1)
    if isinstance(min_score, bool) or not isinstance(min_score, numbers.Real) or not 0.0 <= min_score <= 1.0:
        raise ValueError(f"min_score must be a number in [0, 1], got {min_score!r}")
    buyer_set, supplier_set = set(buyers), set(suppliers)
    score_of = _scores(scores, buyer_set, supplier_set)
    wish_of = _wishes(wishes, buyer_set, supplier_set)
    ids = buyers + suppliers
    off = _unavailable(unavailable, buyer_set | supplier_set, n_slots)
    every = frozenset(range(n_slots))
    available = [every - off.get(pid, frozenset()) for pid in ids]
    limit = _max_meetings(max_meetings, ids, n_slots)
    cap = [min(len(slots), most) for slots, most in zip(available, limit, strict=True)]
    index = {pid: i for i, pid in enumerate(ids)}
    candidates = {key for key, value in score_of.items() if value > min_score}
    for (requester, other), value in wish_of.items():
        if value > 0:
            candidates.add((requester, other) if requester in buyer_set else (other, requester))
    pairs = []
    for buyer, supplier in candidates:
        from_buyer = wish_of.get((buyer, supplier), 0)
        from_supplier = wish_of.get((supplier, buyer), 0)
        if REFUSE in (from_buyer, from_supplier):
            continue
        b, s = index[buyer], index[supplier]
        common = tuple(sorted(available[b] & available[s]))
        if not common or not cap[b] or not cap[s]:
            continue
        score = score_of.get((buyer, supplier), 0.0)
        score = score if score > min_score else 0.0
        musts = (from_buyer == MUST) + (from_supplier == MUST)
        likes = (from_buyer == WISH) + (from_supplier == WISH)
        if from_buyer > 0 and from_supplier > 0:
            reason = "Souhait mutuel"
        elif from_buyer > 0:
            reason = "Souhaité par l'acheteur"
        elif from_supplier > 0:
            reason = "Souhaité par l'entreprise"
        else:
            reason = f"Proposé par le moteur (score {_french_score(score)})"
        pairs.append(_Pair(b, s, common, int(musts == 2), int(musts == 1), likes, score, reason))
    pairs.sort(key=lambda pair: pair.key)
    max_total = min(n_slots * n_tables, sum(cap[: len(buyers)]), sum(cap[len(buyers):]), len(pairs))
    weights = level_weights(len(suppliers), sum(pair.one for pair in pairs), max_total)
    return _Instance(buyers, suppliers, n_slots, n_tables, available, cap, pairs, wish_of, weights)


# ------------------------------------------------------------------------------------------------ timetable


class _Timetable:
    """A partial timetable: slot of each placed pair, partner per participant and slot, load per slot."""

    def __init__(self, inst: _Instance):
        self.inst = inst
        n = len(inst.buyers) + len(inst.suppliers)
        self.at: list[dict[int, int]] = [{} for _ in range(n)]  # participant -> slot -> pair index
        self.slot_of: dict[int, int] = {}
        self.load = [0] * inst.n_slots
        self.members: list[set[int]] = [set() for _ in range(inst.n_slots)]
        self.count = [0] * n

    def place(self, e: int, slot: int) -> None:
        pair = self.inst.pairs[e]
        self.at[pair.buyer][slot] = e
        self.at[pair.supplier][slot] = e
        self.slot_of[e] = slot
        self.load[slot] += 1
        self.members[slot].add(e)
        self.count[pair.buyer] += 1
        self.count[pair.supplier] += 1

    def remove(self, e: int) -> int:
        pair, slot = self.inst.pairs[e], self.slot_of.pop(e)
        del self.at[pair.buyer][slot]
        del self.at[pair.supplier][slot]
        self.load[slot] -= 1
        self.members[slot].discard(e)
        self.count[pair.buyer] -= 1
        self.count[pair.supplier] -= 1
        return slot

    def direct(self, e: int, tables: bool = True) -> int | None:
        """The least loaded slot where the pair can meet right away (None when there is none)."""
        pair, best = self.inst.pairs[e], None
        for slot in pair.slots:
            if slot in self.at[pair.buyer] or slot in self.at[pair.supplier]:
                continue
            if tables and self.load[slot] >= self.inst.n_tables:
                continue
            if best is None or self.load[slot] < self.load[best]:
                best = slot
        return best

    def _path(self, start: int, first: int, second: int) -> list[int]:
        """Pairs on the alternating path from ``start`` whose edges have slots first, second, first..."""
        path, node, slot, seen = [], start, first, set()
        while slot in self.at[node]:
            e = self.at[node][slot]
            if e in seen:  # cannot happen in a bipartite graph; a guard against loops
                break
            seen.add(e)
            path.append(e)
            pair = self.inst.pairs[e]
            node = pair.supplier if node == pair.buyer else pair.buyer
            slot = second if slot == first else first
        return path

    def _swappable(self, path: list[int], a: int, b: int) -> bool:
        """Whether every meeting of the path may take the other slot (both sides available then)."""
        return all((b if self.slot_of[e] == a else a) in self.inst.pairs[e].slots for e in path)

    def _swap(self, path: list[int], a: int, b: int) -> None:
        moves = [(e, b if self.slot_of[e] == a else a) for e in path]
        for e, _ in moves:
            self.remove(e)
        for e, target in moves:
            self.place(e, target)

    def kempe(self, e: int, tables: bool) -> bool:
        """Place the pair after swapping an alternating path of two slots (König's step); False if none works."""
        pair, inst = self.inst.pairs[e], self.inst
        for start, other in ((pair.supplier, pair.buyer), (pair.buyer, pair.supplier)):
            for a in pair.slots:  # a: free at ``other``, to be freed at ``start``
                if a in self.at[other]:
                    continue
                for b in sorted(inst.available[start]):
                    if b == a or b in self.at[start]:
                        continue
                    # bipartite: the path never reaches ``other`` (it would arrive through a slot-a meeting)
                    path = self._path(start, a, b)
                    if not self._swappable(path, a, b):
                        continue
                    moved_a = sum(1 for x in path if self.slot_of[x] == a)
                    moved_b = len(path) - moved_a
                    if tables and (self.load[a] - moved_a + moved_b + 1 > inst.n_tables
                                   or self.load[b] - moved_b + moved_a > inst.n_tables):
                        continue
                    self._swap(path, a, b)
                    self.place(e, a)
                    return True
        return False

    def balance(self) -> list[int]:
        """Bring every slot to at most n_tables meetings by two-slot path swaps; returns the pairs dropped."""
        inst, dropped = self.inst, []
        while True:
            over = [slot for slot in range(inst.n_slots) if self.load[slot] > inst.n_tables]
            if not over:
                return dropped
            a = over[0]
            if not self._shift(a):
                # drop the lowest priority meeting of the overfull slot
                worst = max(self.members[a], key=lambda x: (inst.pairs[x].key, x))
                self.remove(worst)
                dropped.append(worst)

    def _shift(self, a: int) -> bool:
        """Move one meeting out of slot a through an a/b path that starts and ends with slot a."""
        inst = self.inst
        for b in sorted(range(inst.n_slots), key=lambda s: (self.load[s], s)):
            if b == a or self.load[b] >= inst.n_tables:
                continue
            for e in sorted(self.members[a]):
                pair = inst.pairs[e]
                # the component of e in the a/b subgraph: walk both ways
                left = self._path(pair.buyer, b, a)
                right = self._path(pair.supplier, b, a)
                path = [*left[::-1], e, *right]
                if len(set(path)) != len(path):
                    continue  # a cycle: as many meetings in each slot
                if sum(1 for x in path if self.slot_of[x] == a) <= sum(1 for x in path if self.slot_of[x] == b):
                    continue
                if not self._swappable(path, a, b):
                    continue
                self._swap(path, a, b)
                return True
        return False

    def insert(self, e: int, tables: bool = True) -> bool:
        slot = self.direct(e, tables)
        if slot is not None:
            self.place(e, slot)
            return True
        return self.kempe(e, tables)


def _timetable(inst: _Instance, chosen: list[int]) -> tuple[_Timetable, list[int]]:
    """Slots for the chosen pairs (priority order): König colouring, then table balancing; returns the dropped."""
    table = _Timetable(inst)
    dropped = []
    for e in sorted(chosen, key=lambda x: (inst.pairs[x].key, x)):
        if not table.insert(e, tables=False):
            dropped.append(e)
    dropped += table.balance()
    return table, dropped


# ------------------------------------------------------------------------------------------------ heuristic


def _levels(inst: _Instance, placed: Iterable[int]) -> tuple[int, int, int, int, float]:
    mutual = one = likes = 0
    score = 0.0
    met = set()
    for e in placed:
        pair = inst.pairs[e]
        mutual += pair.mutual
        one += pair.one
        likes += pair.likes
        score += pair.score
        met.add(pair.supplier)
    return (mutual, one, len(met), likes, round(score, 9))


def _objective(inst: _Instance, levels) -> float:
    return float(sum(w * v for w, v in zip(inst.weights, levels, strict=True)))


def _greedy_choice(inst: _Instance) -> list[int]:
    """Pairs by priority: musts, then one pair per supplier (most constrained first), then the rest by value."""
    nb = len(inst.buyers)
    left = list(inst.cap)
    total = inst.n_slots * inst.n_tables
    chosen: list[int] = []
    taken: set[int] = set()

    def take(e: int) -> bool:
        pair = inst.pairs[e]
        if e in taken or len(chosen) >= total or not left[pair.buyer] or not left[pair.supplier]:
            return False
        left[pair.buyer] -= 1
        left[pair.supplier] -= 1
        chosen.append(e)
        taken.add(e)
        return True

    for e, pair in enumerate(inst.pairs):
        if pair.mutual or pair.one:
            take(e)
    by_supplier: dict[int, list[int]] = {}
    for e, pair in enumerate(inst.pairs):
        by_supplier.setdefault(pair.supplier, []).append(e)
    met = {inst.pairs[e].supplier for e in chosen}
    load = [0] * (nb + len(inst.suppliers))
    for e in chosen:
        load[inst.pairs[e].buyer] += 1
    for supplier in sorted(by_supplier, key=lambda s: (len(by_supplier[s]), s)):
        if supplier in met:
            continue
        # the best pair of the least loaded buyers (relative to their capacity), so that buyers stay spread
        def spread(e: int) -> tuple:
            pair = inst.pairs[e]
            return (-pair.likes, load[pair.buyer] / max(1, inst.cap[pair.buyer]), pair.key)

        options = sorted(by_supplier[supplier], key=spread)
        for e in options:
            if take(e):
                load[inst.pairs[e].buyer] += 1
                break
    for e in range(len(inst.pairs)):
        take(e)
    return chosen


def _fill(inst: _Instance, table: _Timetable, deadline: float) -> None:
    """Add the remaining pairs by priority where they fit (unmet suppliers first)."""
    met = {inst.pairs[e].supplier for e in table.slot_of}
    order = sorted(range(len(inst.pairs)),
                   key=lambda e: (-inst.pairs[e].mutual, -inst.pairs[e].one, inst.pairs[e].supplier in met,
                                  inst.pairs[e].key))
    room = inst.n_slots * inst.n_tables
    for e in order:
        if time.monotonic() > deadline or len(table.slot_of) >= room:
            return
        pair = inst.pairs[e]
        if e in table.slot_of or table.count[pair.buyer] >= inst.cap[pair.buyer] \
                or table.count[pair.supplier] >= inst.cap[pair.supplier]:
            continue
        if table.insert(e, tables=True):
            met.add(pair.supplier)


def _improve(inst: _Instance, table: _Timetable, deadline: float) -> None:
    """Local search: put in an unplaced pair, taking out the meetings in its way, when the levels improve.

    A pair bringing a wish or a first meeting first tries :func:`_relocate` (the meetings in its way move to
    other slots: a pure gain). Otherwise, for each of its common slots, the meetings removed are the buyer's and the
    supplier's in that slot and, when the slot's tables are full and the pair brings a wish or a first meeting,
    the least valuable meeting of the slot. A move is made when the level vector (mutual, one-sided, suppliers
    met, likes, score) increases lexicographically; passes repeat until none does or time is up. A pair
    bringing only its score takes the place of the buyer's / supplier's meetings of a lower total score and no
    wish, whose suppliers stay met (:func:`_score_swap`).
    """

    def loss(e: int) -> tuple:
        pair = inst.pairs[e]
        return (pair.mutual, pair.one, int(table.count[pair.supplier] == 1), pair.likes, pair.score)

    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for e, pair in enumerate(inst.pairs):
            if e in table.slot_of:
                continue
            if time.monotonic() > deadline:
                return
            first = table.count[pair.supplier] == 0
            strong = first or pair.mutual or pair.one or pair.likes
            buyer_full = table.count[pair.buyer] >= inst.cap[pair.buyer]
            supplier_full = table.count[pair.supplier] >= inst.cap[pair.supplier]
            if not strong:  # fast path: a score for scores, against meetings of no wish whose supplier stays met
                slot = _score_swap(inst, table, pair, buyer_full, supplier_full)
                if slot is not None:
                    for x in {table.at[pair.buyer].get(slot), table.at[pair.supplier].get(slot)} - {None}:
                        table.remove(x)
                    table.place(e, slot)
                    improved = True
                continue
            if not buyer_full and not supplier_full and _relocate(inst, table, e):
                improved = True
                continue
            best = None
            for slot in pair.slots:
                out = set()
                if slot in table.at[pair.buyer]:
                    out.add(table.at[pair.buyer][slot])
                if slot in table.at[pair.supplier]:
                    out.add(table.at[pair.supplier][slot])
                if not out and table.load[slot] >= inst.n_tables:
                    if not strong:
                        continue
                    out.add(min(table.members[slot], key=lambda x: (loss(x), x)))
                if buyer_full and not any(inst.pairs[x].buyer == pair.buyer for x in out):
                    continue
                if supplier_full and not any(inst.pairs[x].supplier == pair.supplier for x in out):
                    continue
                lost = [0, 0, 0, 0, 0.0]
                suppliers_out: dict[int, int] = {}
                for x in out:
                    px = inst.pairs[x]
                    lost[0] += px.mutual
                    lost[1] += px.one
                    lost[3] += px.likes
                    lost[4] += px.score
                    suppliers_out[px.supplier] = suppliers_out.get(px.supplier, 0) + 1
                lost[2] = sum(1 for s, k in suppliers_out.items() if table.count[s] == k and s != pair.supplier)
                fair_gain = int(first)  # the pair's supplier is met afterwards in any case
                delta = (pair.mutual - lost[0], pair.one - lost[1], fair_gain - lost[2], pair.likes - lost[3],
                         pair.score - lost[4])
                if delta > (0, 0, 0, 0, 1e-9) and (best is None or delta > best[0]):
                    best = (delta, slot, out)
            if best is not None:
                _, slot, out = best
                for x in out:
                    table.remove(x)
                table.place(e, slot)
                improved = True


def _relocate(inst: _Instance, table: _Timetable, e: int) -> bool:
    """Put the pair in one of its slots after moving the meetings in its way to other slots (a pure gain)."""
    pair = inst.pairs[e]
    for slot in pair.slots:
        blockers = sorted({table.at[pair.buyer].get(slot), table.at[pair.supplier].get(slot)} - {None})
        if table.load[slot] - len(blockers) >= inst.n_tables:
            continue
        for x in blockers:
            table.remove(x)
        table.place(e, slot)
        moved = []
        for x in blockers:
            target = table.direct(x, tables=True)
            if target is None:
                break
            table.place(x, target)
            moved.append(x)
        if len(moved) == len(blockers):
            return True
        for x in moved:
            table.remove(x)
        table.remove(e)
        for x in blockers:
            table.place(x, slot)
    return False


def _score_swap(inst: _Instance, table: _Timetable, pair: _Pair, buyer_full: bool, supplier_full: bool):
    """The slot where putting in a pair without wish gains the most score, or None (see :func:`_improve`)."""
    at_buyer, at_supplier, count, pairs = table.at[pair.buyer], table.at[pair.supplier], table.count, inst.pairs
    best, best_gain = None, 1e-9
    for slot in pair.slots:
        x1, x2 = at_buyer.get(slot), at_supplier.get(slot)
        if x1 is None and x2 is None:
            if buyer_full or supplier_full or table.load[slot] >= inst.n_tables:
                continue
            lost = 0.0
        else:
            if (buyer_full and x1 is None) or (supplier_full and x2 is None):
                continue
            lost = 0.0
            ok = True
            for x in (x1, x2):
                if x is None:
                    continue
                px = pairs[x]
                if px.mutual or px.one or px.likes or (px.supplier != pair.supplier and count[px.supplier] == 1):
                    ok = False
                    break
                lost += px.score
            if not ok:
                continue
        if pair.score - lost > best_gain:
            best, best_gain = slot, pair.score - lost
    return best


def _heuristic(inst: _Instance, deadline: float) -> _Timetable:
    table, _ = _timetable(inst, _greedy_choice(inst))
    _fill(inst, table, deadline)
    _improve(inst, table, deadline)
    _fill(inst, table, deadline)
    return table


# ---------------------------------------------------------------------------------------------------- exact


def _staged_milp(inst: _Instance, columns: list[tuple[int, int | None]], deadline: float, progress, span):
    """Lexicographic MILP over columns (pair, slot or None): one stage per level; (chosen columns, proven)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n = len(inst.buyers) + len(inst.suppliers)
    n_x = len(columns)
    suppliers = sorted({inst.pairs[e].supplier for e, _ in columns})
    y_of = {s: n_x + i for i, s in enumerate(suppliers)}
    n_var = n_x + len(suppliers)
    rows, cols, vals, lower, upper = [], [], [], [], []

    def add_row(entries: Iterable[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(lower)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lower.append(lo)
        upper.append(hi)

    touching: list[list[int]] = [[] for _ in range(n)]
    for c, (e, _) in enumerate(columns):
        touching[inst.pairs[e].buyer].append(c)
        touching[inst.pairs[e].supplier].append(c)
    for p in range(n):
        if touching[p] and len(touching[p]) > inst.cap[p]:
            add_row(((c, 1.0) for c in touching[p]), -np.inf, inst.cap[p])
    timed = columns and columns[0][1] is not None
    if timed:
        per_pair: dict[int, list[int]] = {}
        per_slot: dict[int, list[int]] = {}
        per_person_slot: dict[tuple[int, int], list[int]] = {}
        for c, (e, slot) in enumerate(columns):
            per_pair.setdefault(e, []).append(c)
            per_slot.setdefault(slot, []).append(c)
            pair = inst.pairs[e]
            per_person_slot.setdefault((pair.buyer, slot), []).append(c)
            per_person_slot.setdefault((pair.supplier, slot), []).append(c)
        for group in per_pair.values():
            if len(group) > 1:
                add_row(((c, 1.0) for c in group), -np.inf, 1)
        for group in per_slot.values():
            if len(group) > inst.n_tables:
                add_row(((c, 1.0) for c in group), -np.inf, inst.n_tables)
        for group in per_person_slot.values():
            if len(group) > 1:
                add_row(((c, 1.0) for c in group), -np.inf, 1)
    elif n_x > inst.n_slots * inst.n_tables:
        add_row(((c, 1.0) for c in range(n_x)), -np.inf, inst.n_slots * inst.n_tables)
    for s in suppliers:
        add_row([(y_of[s], 1.0), *((c, -1.0) for c in touching[s])], -np.inf, 0)
    pairs = [inst.pairs[e] for e, _ in columns]
    n_one = sum(pair.one for pair in inst.pairs)
    stages = [
        np.array([p.mutual * (n_one + 1) + p.one for p in pairs] + [0] * len(suppliers), dtype=float),
        np.array([0] * n_x + [1] * len(suppliers), dtype=float),
        np.array([p.likes for p in pairs] + [0] * len(suppliers), dtype=float),
        np.array([p.score for p in pairs] + [0] * len(suppliers), dtype=float),
    ]
    proven = True
    solution = None
    done = 0

    def chosen() -> list[int] | None:
        return None if solution is None else [c for c in range(n_x) if solution[c] > 0.5]

    for k, objective in enumerate(stages):
        done += 1
        if not objective.any():
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            return chosen(), False
        matrix = coo_matrix((vals, (rows, cols)), shape=(len(lower), n_var)).tocsr()
        constraints = [LinearConstraint(matrix, lower, upper)] if lower else []
        gap = _SCORE_GAP if k == 3 else 1e-9
        result = milp(-objective, integrality=np.ones(n_var), bounds=Bounds(0, 1), constraints=constraints,
                      options={"time_limit": remaining, "mip_rel_gap": gap, "presolve": True})
        if result.x is None:
            return chosen(), False
        solution = np.round(result.x)
        proven = proven and result.status == 0
        if k < 3:
            reached = float(objective @ solution)
            add_row(((c, float(v)) for c, v in enumerate(objective) if v), reached - 0.5, np.inf)
        if progress is not None:
            progress(span[0] + (span[1] - span[0]) * done / len(stages))
    if solution is None:  # nothing to gain at any level: no meeting
        return [], proven
    return chosen(), proven


def _fits(columns: int, deadline: float) -> bool:
    return columns <= _EXACT_COLUMNS_PER_SECOND * (deadline - time.monotonic())


def _exact(inst: _Instance, deadline: float, progress, span) -> tuple[_Timetable | None, bool | None]:
    """The exact pair selection and its timetable, or the time-indexed model; (None, None) when too big."""
    middle = span[0] + (span[1] - span[0]) / 2
    columns = [(e, None) for e in range(len(inst.pairs))]
    if not _fits(len(columns), deadline):
        return None, None
    chosen, proven = _staged_milp(inst, columns, deadline, progress, (span[0], middle))
    if chosen is None:
        return None, False
    table, dropped = _timetable(inst, [columns[c][0] for c in chosen])
    if not dropped:
        return table, proven
    timed = [(e, slot) for e, pair in enumerate(inst.pairs) for slot in pair.slots]
    exact = None
    if len(timed) <= _TIME_INDEXED_MAX_COLUMNS and _fits(len(timed), deadline):
        chosen, proven = _staged_milp(inst, timed, deadline, progress, (middle, span[1]))
        if chosen is not None:
            exact = _Timetable(inst)
            for c in chosen:
                exact.place(*timed[c])
            if proven:
                return exact, True
    _fill(inst, table, deadline)
    _improve(inst, table, deadline)
    _fill(inst, table, deadline)
    if exact is not None and _levels(inst, exact.slot_of) > _levels(inst, table.slot_of):
        return exact, False
    return table, False


# ------------------------------------------------------------------------------------------------ public API


def _tables(inst: _Instance, table: _Timetable) -> list[Meeting]:
    meetings = []
    by_slot: dict[int, list[int]] = {}
    for e, slot in table.slot_of.items():
        by_slot.setdefault(slot, []).append(e)
    ids = inst.ids
    for slot in sorted(by_slot):
        for number, e in enumerate(sorted(by_slot[slot], key=lambda x: (inst.pairs[x].key, x))):
            pair = inst.pairs[e]
            meetings.append(Meeting(ids[pair.buyer], ids[pair.supplier], slot, number, pair.reason))
    return meetings


def _unscheduled(inst: _Instance, meetings: list[Meeting]) -> list[tuple[str, str]]:
    met = {(m.buyer, m.supplier) for m in meetings}
    buyers = set(inst.buyers)
    rows = []
    for (requester, other), value in inst.wishes.items():
        if value <= 0:
            continue
        key = (requester, other) if requester in buyers else (other, requester)
        if key in met:
            continue
        back = inst.wishes.get((other, requester), 0)
        rank = 0 if value == MUST and back == MUST else 1 if value == MUST else 2
        rows.append((rank, requester, other))
    return [(requester, other) for _, requester, other in sorted(rows)]


def schedule_meetings(
    buyers: Sequence[str],
    suppliers: Sequence[str],
    n_slots: int,
    n_tables: int,
    scores: Mapping[tuple[str, str], float],
    wishes: Mapping[tuple[str, str], int] | None = None,
    unavailable: Mapping[str, Iterable[int]] | None = None,
    max_meetings: int | Mapping[str, int] | None = None,
    min_score: float = 0.0,
    time_limit_s: float = 30.0,
    progress: Callable[[float], object] | None = None,
    *,
    method: str = "auto",
) -> Schedule:
    """Schedule one-to-one buyer-supplier meetings in ``n_slots`` slots on ``n_tables`` tables.

    ``scores`` maps ``(buyer id, supplier id)`` to the engine's score in [0, 1]; ``wishes`` maps
    ``(requester id, other id)`` to 2 (must meet), 1 (would like) or -1 (refuses), from either side;
    ``unavailable`` maps a participant to the slots (0-based) it cannot attend; ``max_meetings`` caps the
    meetings of everyone (an int) or of some participants (a mapping). Priorities, in order: mutual musts,
    one-sided musts, suppliers with at least one meeting, "would like" wishes, scores above ``min_score``.
    ``method`` is ``"auto"`` (the heuristic, then the exact models within ``time_limit_s``), ``"exact"``
    (the same, without the heuristic's fallback answer competing) or ``"heuristic"`` (the heuristic only).
    ``progress``, when given, is called with a non-decreasing fraction ending with 1.0. Deterministic for a
    given input (except where HiGHS stops on the time limit). Raises ValueError on bad input.
    """
    start = time.monotonic()
    if isinstance(time_limit_s, bool) or not isinstance(time_limit_s, numbers.Real) or not time_limit_s > 0 \
            or math.isinf(time_limit_s):
        raise ValueError(f"time_limit_s must be a positive finite number of seconds, got {time_limit_s!r}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if progress is not None and not callable(progress):
        raise ValueError("progress must be a callable receiving a fraction in [0, 1]")
    deadline = start + float(time_limit_s)
    inst = _instance(buyers, suppliers, n_slots, n_tables, scores, wishes, unavailable, max_meetings, min_score)
    if progress is not None:
        progress(0.0)
    heuristic = exact = proven = None
    if method != "exact":
        # the heuristic gets a fifth of the time when an exact solve follows
        share = 1.0 if method == "heuristic" else 0.2
        heuristic = _heuristic(inst, start + share * float(time_limit_s))
        if progress is not None:
            progress(0.2)
    if method != "heuristic" and inst.pairs:
        exact, proven = _exact(inst, deadline, progress, (0.2, 0.95))
    if not inst.pairs:  # nobody can meet anybody: the empty schedule is optimal
        best_table, best_optimal = _Timetable(inst), True
    elif exact is None:
        if heuristic is None:
            best_table = _heuristic(inst, deadline)
        else:  # the exact models were skipped or failed: the local search goes on with the time left
            best_table = heuristic
            _improve(inst, best_table, deadline)
            _fill(inst, best_table, deadline)
        best_optimal = proven  # None: no exact model was tried (too big for the time left); False: it failed
    elif not proven and heuristic is not None and _levels(inst, heuristic.slot_of) > _levels(inst, exact.slot_of):
        best_table, best_optimal = heuristic, False
    else:
        best_table, best_optimal = exact, proven
    best_levels = _levels(inst, best_table.slot_of)
    meetings = _tables(inst, best_table)
    if progress is not None:
        progress(1.0)
    return Schedule(meetings, _unscheduled(inst, meetings), _objective(inst, best_levels), best_optimal)


def validate(
    schedule: Schedule,
    buyers: Sequence[str],
    suppliers: Sequence[str],
    n_slots: int,
    n_tables: int,
    wishes: Mapping[tuple[str, str], int] | None = None,
    unavailable: Mapping[str, Iterable[int]] | None = None,
    max_meetings: int | Mapping[str, int] | None = None,
    *,
    names: Mapping[str, str] | None = None,
    slot_labels: Sequence[str] | None = None,
) -> list[str]:
    """Every hard constraint the schedule breaks, in French ([] when it is valid).

    Checks: known buyer and supplier, slot in 0..n_slots-1, table in 0..n_tables-1, one meeting per participant
    per slot, one meeting per table per slot (hence at most n_tables per slot), available slots, max_meetings,
    refusals, a pair met at most once. Raises ValueError on bad parameters (as :func:`schedule_meetings`).
    Messages name participants by id, slots and tables by index; for people, give ``names`` (id -> name) and
    ``slot_labels`` (index -> "12/03/2027 09:00-09:20"): messages then use them, with tables numbered from 1.
    """
    human = names is not None or slot_labels is not None

    def who(pid: str) -> str:
        return names.get(pid, pid) if names is not None else pid

    def when(slot: int) -> str:
        if slot_labels is not None and isinstance(slot, int) and 0 <= slot < len(slot_labels):
            return slot_labels[slot]
        return str(slot)

    def table_no(table: int) -> int:
        return table + 1 if human and isinstance(table, int) else table

    buyers, suppliers = _check_ids(buyers, suppliers)
    n_slots = _check_count("n_slots", n_slots, 1)
    n_tables = _check_count("n_tables", n_tables, 1)
    buyer_set, supplier_set = set(buyers), set(suppliers)
    wish_of = _wishes(wishes, buyer_set, supplier_set)
    off = _unavailable(unavailable, buyer_set | supplier_set, n_slots)
    ids = buyers + suppliers
    limit = dict(zip(ids, _max_meetings(max_meetings, ids, n_slots), strict=True))
    if max_meetings is None:
        limit = {}
    errors: list[str] = []
    busy: dict[tuple[str, int], int] = {}
    tables: dict[tuple[int, int], int] = {}
    pairs: dict[tuple[str, str], int] = {}
    count: dict[str, int] = {}
    for i, m in enumerate(schedule.meetings, start=1):
        where = (f"rendez-vous n° {i} ({who(m.buyer)} / {who(m.supplier)}, créneau {when(m.slot)}, "
                 f"table {table_no(m.table)})")
        if m.buyer not in buyer_set:
            errors.append(f"{where} : {who(m.buyer)!r} n'est pas un acheteur inscrit.")
        if m.supplier not in supplier_set:
            errors.append(f"{where} : {who(m.supplier)!r} n'est pas une entreprise inscrite.")
        slot_ok = isinstance(m.slot, int) and not isinstance(m.slot, bool) and 0 <= m.slot < n_slots
        if not slot_ok:
            errors.append(f"{where} : ce créneau n'existe pas." if human else
                          f"{where} : le créneau doit être compris entre 0 et {n_slots - 1}.")
        if not (isinstance(m.table, int) and not isinstance(m.table, bool) and 0 <= m.table < n_tables):
            errors.append(f"{where} : la table doit être comprise entre 1 et {n_tables}." if human else
                          f"{where} : la table doit être comprise entre 0 et {n_tables - 1}.")
        for pid in (m.buyer, m.supplier):
            if slot_ok and (pid, m.slot) in busy:
                errors.append(f"{where} : {who(pid)} a déjà le rendez-vous n° {busy[(pid, m.slot)]} sur ce "
                              "créneau.")
            busy.setdefault((pid, m.slot), i)
            if slot_ok and m.slot in off.get(pid, ()):
                errors.append(f"{where} : {who(pid)} n'est pas disponible sur ce créneau.")
            count[pid] = count.get(pid, 0) + 1
        if (m.slot, m.table) in tables:
            errors.append(f"{where} : la table est déjà occupée par le rendez-vous n° {tables[(m.slot, m.table)]}.")
        tables.setdefault((m.slot, m.table), i)
        key = (m.buyer, m.supplier)
        if key in pairs:
            errors.append(f"{where} : ce binôme se rencontre déjà au rendez-vous n° {pairs[key]}.")
        pairs.setdefault(key, i)
        if REFUSE in (wish_of.get(key), wish_of.get((m.supplier, m.buyer))):
            errors.append(f"{where} : ce rendez-vous a été refusé.")
    per_slot: dict[int, int] = {}
    for m in schedule.meetings:
        per_slot[m.slot] = per_slot.get(m.slot, 0) + 1
    for slot, k in sorted(per_slot.items()):
        if k > n_tables:
            errors.append(f"Créneau {when(slot)} : {k} rendez-vous pour {n_tables} tables.")
    for pid in ids:
        if pid in limit and count.get(pid, 0) > limit[pid]:
            errors.append(f"{who(pid)} : {count[pid]} rendez-vous pour un maximum de {limit[pid]}.")
    return errors
