"""Team suggestions (groupements) for a tender: requirements, candidates, an exact solver and French reasons.

:meth:`Engine.suggest_groups` is a thin method over :func:`suggest_groups`, which works on one fitted state
through a small :class:`Ranker` interface (candidates and reasons per requirement), so this module imports
nothing from the engine. The model and its objective are documented in docs/matching.md ("Teams").

* Requirements (:func:`requirements`): the tender's lots (id = the lot id); without lots, one per CPV group
  (3 leading digits) when its codes span several groups (id ``"cpv:<group>"``, e.g. ``"cpv:453"``); otherwise
  the tender as a whole (id ``"tender"``).
* Candidates: per requirement, the engine's top :data:`TEAM_CANDIDATES` suppliers for that requirement (its
  shortlist, restricted to the suppliers serving the tender's department when it has one) that relate to the
  requirement itself (a word of the lot's own title or description, or a CPV code sharing its group, 3 digits,
  with the lot's or the group's own codes: a lot is ranked with the tender's title, which alone must not make a
  supplier eligible for every lot), kept only when their score reaches ``min_score``.
* Objective: the sum of the members' scores on the requirements they take, minus ``member_penalty`` per member
  beyond the first; a team's ``score`` is that value divided by the number of requirements (so an uncovered
  requirement costs its share), clipped to [0, 1].
* Capacity: when the tender's budget is known and no strong single candidate (the tender's own top
  candidates reaching ``min_score``) can carry it, i.e. none has the budget at most ``capacity_share`` of its
  known annual revenue, the team must carry it: the members' capacities (``capacity_share`` x revenue, unknown
  revenue = no known limit) add up to the budget, and no member with a known revenue takes lots whose known
  budgets exceed its capacity. A member may then take no requirement when the team needs its capacity.
* Solver (:func:`solve`): an exact branch and bound over member sets (candidates in a fixed order, sets visited
  in lexicographic order; a set's bound adds the best marginal gains of the remaining candidates, valid because
  the sum of per-requirement maxima is submodular) and, per set, an exact search over assignments. Teams are
  distinct member sets, best first; ties go to the team found first (lexicographic order of candidates).
"""

from __future__ import annotations

import heapq
import itertools
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from .cpv import CPV_DIVISIONS, split_cpv_codes
from .model import Group, Reason, Supplier, Tender

__all__ = [
    "DEFAULT_CAPACITY_SHARE",
    "DEFAULT_MEMBER_PENALTY",
    "DEFAULT_MIN_SCORE",
    "MAX_TEAM_SIZE",
    "NOTHING_TO_SPLIT",
    "TEAM_CANDIDATES",
    "Problem",
    "Ranker",
    "Requirement",
    "Solution",
    "check_params",
    "requirements",
    "solve",
    "suggest_groups",
]

# Candidates per requirement (the shortlist of that requirement, best first).
TEAM_CANDIDATES = 30
# A supplier may take a requirement only when its score for it reaches this (engine scores: a fitting supplier
# of the right trade and department scores about 0.55-0.85; one sharing a word or a CPV division only, below 0.4).
DEFAULT_MIN_SCORE = 0.4
# A member's share of the budget is at most this fraction of its annual revenue (the engine's capacity signal
# uses the same 50 %).
DEFAULT_CAPACITY_SHARE = 0.5
# Cost of each member beyond the first, in units of one requirement's score: a team must beat one supplier by
# more than this per extra member (a one-stop supplier is simpler for a buyer).
DEFAULT_MEMBER_PENALTY = 0.05
# Largest accepted max_size: the solver is exact at any size, but its time grows fast with the size (8 lots on
# 10,000 suppliers: about 0.1 s at 4-6 members, 18 s at 10); the speed target is for sizes up to 4.
MAX_TEAM_SIZE = 6
# The reason given when a tender has a single requirement and no capacity constraint (teams of one only).
NOTHING_TO_SPLIT = "rien à répartir : un seul besoin"

_TITLE_CHARS = 60
_DIVISIONS = {code[:2]: label for code, label in CPV_DIVISIONS}


class Ranker(Protocol):
    """What the suggestions need from one fitted engine state (the engine's ``_TeamRanker``)."""

    def candidates(self, tender: Tender, lot: str | None, n: int, own_text: str | None = None,
                   own_codes: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """The best ``n`` (supplier id, score) for ``tender`` (or its lot), within the tender's department; with
        ``own_text`` or ``own_codes``, only suppliers sharing a word of that text or a CPV group (3 digits)."""

    def reasons(self, tender: Tender, lot: str | None, supplier_id: str) -> tuple[Reason, ...]:
        """The engine's reasons for a supplier returned by :meth:`candidates` for the same query."""

    def supplier(self, supplier_id: str) -> Supplier:
        """The supplier record."""

    def department(self, tender: Tender) -> str | None:
        """The tender's department as the engine reads it (normalised; from the postcode when absent)."""

    def cpv_label(self, code: str) -> str | None:
        """The label of an 8-digit CPV code, when known."""


# ---------------------------------------------------------------------- parameters


def _count(name: str, value: object, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
    return int(value)


def _real(name: str, value: object, low: float, high: float | None = None, *, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < low or (strict and number <= low) or (high is not None and number > high):
        bounds = f"> {low:g}" if strict else f">= {low:g}" if high is None else f"between {low:g} and {high:g}"
        raise ValueError(f"{name} must be a finite number {bounds}, got {value!r}")
    return number


def check_params(max_size: object, limit: object, min_score: object, capacity_share: object,
                 member_penalty: object) -> tuple[int, int, float, float, float]:
    """The parameters of :func:`suggest_groups` checked (``TypeError``/``ValueError`` naming the parameter)."""
    return (_count("max_size", max_size, MAX_TEAM_SIZE), _count("limit", limit),
            _real("min_score", min_score, 0.0, 1.0), _real("capacity_share", capacity_share, 0.0, strict=True),
            _real("member_penalty", member_penalty, 0.0))


# ---------------------------------------------------------------------- requirements


@dataclass(frozen=True)
class Requirement:
    """One thing a team member takes: ``tender``/``lot`` is what the engine ranks for it.

    ``budget`` is its own known budget (a lot's budget), None when unknown or carried jointly. A candidate must
    share a word of ``own_text`` or a CPV group with ``own_codes`` (no condition when both are empty).
    """

    id: str
    label: str
    tender: Tender
    lot: str | None = None
    budget: float | None = None
    own_text: str | None = None
    own_codes: tuple[str, ...] = ()


def _finite(value: object) -> float | None:
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _short(text: str) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= _TITLE_CHARS else text[: _TITLE_CHARS - 1].rstrip() + "…"


def tender_budget(tender: Tender) -> float | None:
    """The tender's budget: its own, else the sum of its lots' budgets when all are known (as the engine)."""
    budget = _finite(tender.budget_eur)
    if budget is None and tender.lots:
        budgets = [_finite(lot.budget_eur) for lot in tender.lots]
        if all(b is not None for b in budgets):
            budget = sum(budgets)
    return budget if budget is not None and budget > 0 else None


def requirements(tender: Tender, cpv_label: Callable[[str], str | None] | None = None) -> tuple[Requirement, ...]:
    """The requirements of ``tender``: its lots; else one per CPV group when its codes span several groups;
    else the tender itself (id ``"tender"``)."""
    if tender.lots:
        out, seen = [], set()
        for number, lot in enumerate(tender.lots, start=1):
            if lot.id in seen:  # the engine ranks the first lot of an id
                continue
            seen.add(lot.id)
            budget = _finite(lot.budget_eur)
            title = _short(lot.title)
            out.append(Requirement(id=lot.id, label=f"Lot {number} ({title})" if title else f"Lot {number}",
                                   tender=tender, lot=lot.id,
                                   budget=budget if budget is not None and budget >= 0 else None,
                                   own_text=f"{lot.title} {lot.description}",
                                   own_codes=split_cpv_codes(lot.cpv_codes)[0]))
        return tuple(out)
    codes, _ = split_cpv_codes(tender.cpv_codes)
    groups: dict[str, list[str]] = {}
    for code in codes:
        groups.setdefault(code[:3], []).append(code)
    if len(groups) >= 2:
        out = []
        for group, members in groups.items():
            label = cpv_label(group + "00000") if cpv_label else None
            division = _DIVISIONS.get(group[:2])
            detail = _short(label) if label else f"division {group[:2]} : {_short(division)}" if division else ""
            text = f"Besoin CPV {group}" + (f" ({detail})" if detail else "")
            # Ranked on the tender's text with this group's codes only; no budget of its own is known.
            out.append(Requirement(id=f"cpv:{group}", label=text, own_codes=tuple(members),
                                   tender=replace(tender, cpv_codes=tuple(members), budget_eur=None)))
        return tuple(out)
    title = _short(tender.title)
    return (Requirement(id="tender", label=f"Le marché ({title})" if title else "Le marché", tender=tender),)


# ---------------------------------------------------------------------- the exact solver


@dataclass(frozen=True)
class Problem:
    """A team problem over candidates 0..C-1 and requirements 0..R-1 (plain arrays, for tests and the solver).

    ``scores[c, r]`` is candidate c's score on requirement r, used only where ``eligible[c, r]``. With a
    ``budget``, the capacity constraint applies: ``caps`` (inf = unknown) and ``loads`` (each requirement's known
    budget, nan = unknown) as described in the module docstring.
    """

    scores: np.ndarray
    eligible: np.ndarray
    max_size: int
    penalty: float
    budget: float | None = None
    caps: np.ndarray | None = None
    loads: np.ndarray | None = None


@dataclass(frozen=True)
class Solution:
    """A team: member candidates (increasing), each requirement's member (or None) and the objective value."""

    members: tuple[int, ...]
    assignment: tuple[int | None, ...]
    value: float


def _evaluate(problem: Problem, members: tuple[int, ...],
              floor: float = -math.inf) -> tuple[float, tuple[int | None, ...]] | None:
    """The best valid assignment of ``members`` (value, assignment); None when the team is not valid or when
    its value cannot exceed ``floor``."""
    k = len(members)
    rows = list(members)
    scores, eligible = problem.scores[rows], problem.eligible[rows]
    n_req = scores.shape[1]
    free = [False] * k  # may take nothing: the team needs its capacity
    caps = None
    if problem.budget is not None:
        budget = problem.budget
        shares = [min(float(problem.caps[m]), budget) for m in members]
        total = sum(shares)
        if total < budget:
            return None
        free = [total - share < budget for share in shares]
        if problem.loads is not None:
            caps = [float(problem.caps[m]) for m in members]
    if caps is None:
        # Fast path: each requirement to its best member; valid when every member takes something (or is free).
        has = eligible.any(axis=0)
        best = np.where(eligible, scores, -1.0).argmax(axis=0)
        takes = [False] * k
        for r in range(n_req):
            if has[r]:
                takes[best[r]] = True
        if not has.any():
            return None
        if all(t or f for t, f in zip(takes, free, strict=True)):
            value = sum(float(scores[best[r], r]) for r in range(n_req) if has[r])
            return value - problem.penalty * (k - 1), tuple(members[best[r]] if has[r] else None
                                                           for r in range(n_req))
        # Each idle member must take a requirement of its own, losing at least its smallest gap to the best.
        top = np.where(has, scores[best, np.arange(n_req)], 0.0)
        loss = sum(float(np.min(np.where(eligible[i], top - scores[i], np.inf)))
                   for i in range(k) if not takes[i] and not free[i])
        if float(top.sum()) - loss - problem.penalty * (k - 1) <= floor:
            return None
    if caps is None:
        return _cover_every_member(problem, members, scores, eligible, free, floor)
    return _search_assignment(problem, members, scores, eligible, free, caps, floor)


def _cover_every_member(problem: Problem, members: tuple[int, ...], scores: np.ndarray, eligible: np.ndarray,
                        free: list[bool], floor: float) -> tuple[float, tuple[int | None, ...]] | None:
    """The best assignment in which every member that is not free takes a requirement (no load limits):
    dynamic programming over requirements, the state being the set of members that took one (2^k states)."""
    k, n_req = scores.shape
    states = 1 << k
    must = sum(1 << i for i in range(k) if not free[i])
    values = [-math.inf] * states
    values[0] = 0.0
    steps = []
    for r in range(n_req):
        takers = [(i, float(scores[i, r])) for i in range(k) if eligible[i, r]]
        new, took, before = values[:], [None] * states, list(range(states))  # default: nobody takes r
        for state, value in enumerate(values):
            if value == -math.inf:
                continue
            for i, score in takers:
                after = state | (1 << i)
                if value + score > new[after]:
                    new[after], took[after], before[after] = value + score, i, state
        steps.append((took, before))
        values = new
    best = max((s for s in range(1, states) if s & must == must and values[s] > -math.inf),
               key=lambda s: values[s], default=None)
    if best is None or values[best] - problem.penalty * (k - 1) <= floor:
        return None
    value, assignment, state = values[best], [None] * n_req, best
    for r in range(n_req - 1, -1, -1):
        took, before = steps[r]
        assignment[r] = None if took[state] is None else members[took[state]]
        state = before[state]
    return value - problem.penalty * (k - 1), tuple(assignment)


def _search_assignment(problem: Problem, members: tuple[int, ...], scores: np.ndarray, eligible: np.ndarray,
                       free: list[bool], caps: list[float] | None,
                       floor: float) -> tuple[float, tuple[int | None, ...]] | None:
    k, n_req = scores.shape
    loads = ([float(x) for x in problem.loads] if caps is not None else [math.nan] * n_req)
    options = [sorted((i for i in range(k) if eligible[i, r]), key=lambda i, r=r: (-scores[i, r], i))
               for r in range(n_req)]
    suffix = [0.0] * (n_req + 1)
    for r in range(n_req - 1, -1, -1):
        suffix[r] = suffix[r + 1] + max((float(scores[i, r]) for i in options[r]), default=0.0)
    taken, load = [0] * k, [0.0] * k
    assign: list[int | None] = [None] * n_req
    best: list = [floor + problem.penalty * (k - 1), None]  # only an assignment above the floor counts

    def walk(r: int, value: float, covered: int, missing: int) -> None:
        if missing > n_req - r or value + suffix[r] <= best[0]:
            return
        if r == n_req:
            if covered:
                best[0], best[1] = value, tuple(assign)
            return
        for i in options[r]:
            extra = loads[r]
            counted = caps is not None and not math.isnan(extra) and not math.isinf(caps[i])
            if counted and load[i] + extra > caps[i]:
                continue
            assign[r] = i
            taken[i] += 1
            if counted:
                load[i] += extra
            walk(r + 1, value + float(scores[i, r]), covered + 1,
                 missing - (1 if taken[i] == 1 and not free[i] else 0))
            if counted:
                load[i] -= extra
            taken[i] -= 1
        assign[r] = None
        walk(r + 1, value, covered, missing)

    walk(0, 0.0, 0, sum(1 for f in free if not f))
    if best[1] is None:
        return None
    return best[0] - problem.penalty * (k - 1), tuple(None if i is None else members[i] for i in best[1])


def solve(problem: Problem, limit: int) -> list[Solution]:
    """The best ``limit`` distinct teams (member sets) of ``problem``, best first (ties: lexicographic order).

    Exact: every team whose value could beat the ``limit``-th best found is evaluated (bounds may cut a team
    better by less than 1e-9, a rounding margin).
    """
    scores = np.where(problem.eligible, np.asarray(problem.scores, dtype=np.float64), 0.0)
    n_cand, n_req = scores.shape
    penalty = problem.penalty
    # Without capacity every member takes a requirement: no team is larger than the number of requirements.
    max_size = problem.max_size if problem.budget is not None else min(problem.max_size, n_req)
    keep = np.arange(n_cand)
    if problem.budget is None and n_cand > limit + max_size:
        keep = _undominated(problem.eligible, scores, limit + max_size - 1)
    if len(keep) < n_cand:  # solve on the kept candidates, then map back to the original indices
        reduced = replace(problem, scores=scores[keep], eligible=np.asarray(problem.eligible)[keep])
        return [Solution(tuple(int(keep[m]) for m in s.members),
                         tuple(None if m is None else int(keep[m]) for m in s.assignment), s.value)
                for s in solve(reduced, limit)]
    # Per requirement, the best score among candidates start.. (a second bound, tight late in the order).
    suffix_best = np.zeros((n_cand + 1, n_req))
    if n_cand:
        suffix_best[:n_cand] = np.maximum.accumulate(scores[::-1], axis=0)[::-1]
    heap: list = []
    order = itertools.count()

    def threshold() -> float:
        return heap[0][0] + 1e-9 if len(heap) >= limit else -math.inf

    def consider(members: tuple[int, ...]) -> None:
        found = _evaluate(problem, members, heap[0][0] if len(heap) >= limit else -math.inf)
        if found is None:
            return
        value, assignment = found
        item = (value, -next(order), Solution(members, assignment, value))
        if len(heap) < limit:
            heapq.heappush(heap, item)
        elif value > heap[0][0]:  # a later team (lexicographically larger) must be strictly better
            heapq.heapreplace(heap, item)

    def visit(members: tuple[int, ...], best: np.ndarray, total: float, start: int) -> None:
        k = len(members)
        if k >= max_size or start >= n_cand:
            return
        base = total - penalty * (k - 1)  # + penalty for the empty set: the first member costs nothing
        gains = np.maximum(scores[start:] - best, 0.0).sum(axis=1) - penalty  # submodular upper bounds
        room = max_size - k
        positive = np.maximum(gains, 0.0)
        if len(heap) >= limit:
            top = np.partition(positive, len(positive) - room)[-room:].sum() if room < len(positive) else positive.sum()
            ceiling = np.maximum(best, suffix_best[start]).sum() - penalty * max(k - 1, 0)
            if min(base + top, ceiling) <= threshold():
                return
        if room > 1:  # bound for the members added after each child: (room - 1) x the best gain after it
            after = np.append(np.maximum.accumulate(positive[::-1])[::-1][1:], 0.0) * (room - 1)
        else:
            after = np.zeros(len(gains))
        # Each child's descendants: at best every requirement reaches the best score left after the child.
        ceilings = np.maximum(np.maximum(scores[start:], best), suffix_best[start + 1:]).sum(axis=1) - penalty * k
        bounds = np.minimum(base + gains + after, ceilings)
        last = k + 1 >= max_size
        for i in np.flatnonzero(bounds > threshold()).tolist():
            if bounds[i] <= threshold():  # the threshold rose meanwhile
                continue
            child = (*members, start + i)
            if base + gains[i] > threshold():
                consider(child)
            if not last:
                grown = np.maximum(best, scores[start + i])
                visit(child, grown, float(grown.sum()), start + i + 1)

    visit((), np.zeros(n_req), 0.0, 0)
    return [item[2] for item in sorted(heap, key=lambda item: (-item[0], -item[1]))]


def _undominated(eligible: np.ndarray, scores: np.ndarray, enough: int) -> np.ndarray:
    """Candidates not dominated by ``enough`` earlier ones (eligible wherever they are, with scores as high).

    Without capacity, a team holding a candidate so dominated is beaten by ``enough - (max_size - 1)`` distinct
    teams (swap it for each dominator outside the team: as valid, at least as good, lexicographically earlier),
    so with ``enough = limit + max_size - 1`` it is never among the best ``limit``: dropping it is exact.
    """
    eligible = np.asarray(eligible, dtype=bool)
    n = len(scores)
    covers = (eligible[:, None, :] | ~eligible[None, :, :]).all(axis=2)  # covers[d, c]: d eligible wherever c is
    higher = (scores[:, None, :] >= scores[None, :, :]).all(axis=2)
    earlier = np.arange(n)[:, None] < np.arange(n)[None, :]
    dominators = (covers & higher & earlier).sum(axis=0)
    return np.flatnonzero(dominators < enough)


# ---------------------------------------------------------------------- from a tender to groups


def _eur(amount: float) -> str:
    return f"{amount:,.0f}".replace(",", " ") + " €"


def _capacity(supplier: Supplier, share: float) -> float:
    revenue = _finite(supplier.annual_revenue_eur)
    return share * revenue if revenue is not None else math.inf


def suggest_groups(ranker: Ranker, tender: Tender, *, max_size: int, limit: int, min_score: float,
                   capacity_share: float, member_penalty: float) -> list[Group]:
    """Suggested teams for ``tender``, best first (parameters already checked: :func:`check_params`)."""
    reqs = requirements(tender, ranker.cpv_label)
    budget = tender_budget(tender)
    # Candidates of each requirement, on the ranker's one state.
    ranked = [ranker.candidates(req.tender, req.lot, TEAM_CANDIDATES, req.own_text, req.own_codes) for req in reqs]
    capacity = False
    if budget is not None:
        # The strong single candidates: the tender's own shortlist (the whole tender) above min_score.
        whole = ranked[0] if reqs[0].id == "tender" else ranker.candidates(tender, None, TEAM_CANDIDATES)
        capacity = not any(_capacity(ranker.supplier(sid), capacity_share) >= budget
                           for sid, score in whole if score >= min_score)
    score_of: dict[str, dict[int, float]] = {}
    for r, found in enumerate(ranked):
        for sid, score in found:
            if score >= min_score:
                score_of.setdefault(sid, {})[r] = score
    if not score_of:
        return []
    n_req = len(reqs)
    pool = sorted(score_of, key=lambda sid: (-sum(score_of[sid].values()), sid))
    scores = np.zeros((len(pool), n_req))
    eligible = np.zeros((len(pool), n_req), dtype=bool)
    for c, sid in enumerate(pool):
        for r, score in score_of[sid].items():
            scores[c, r], eligible[c, r] = score, True
    caps = np.array([_capacity(ranker.supplier(sid), capacity_share) for sid in pool])
    loads = np.array([math.nan if req.budget is None else req.budget for req in reqs])
    problem = Problem(scores=scores, eligible=eligible, max_size=max_size, penalty=member_penalty,
                      budget=budget if capacity else None, caps=caps if capacity else None,
                      loads=loads if capacity and not np.isnan(loads).all() else None)
    solutions = solve(problem, limit)
    context = _Context(ranker=ranker, tender=tender, reqs=reqs, pool=pool, scores=scores, caps=caps,
                       budget=budget, capacity=capacity, capacity_share=capacity_share, min_score=min_score,
                       department=ranker.department(tender), single_covers_all=bool(eligible.all(axis=1).any()))
    return [_group(context, solution, rank) for rank, solution in enumerate(solutions)]


@dataclass(frozen=True)
class _Context:
    ranker: Ranker
    tender: Tender
    reqs: tuple[Requirement, ...]
    pool: list[str]
    scores: np.ndarray
    caps: np.ndarray
    budget: float | None
    capacity: bool
    capacity_share: float
    min_score: float
    department: str | None
    single_covers_all: bool


def _lead(ctx: _Context, solution: Solution) -> tuple[int, str]:
    """The lead (a candidate index) and the French reason saying why."""
    reqs, n_req = ctx.reqs, len(ctx.reqs)
    budgets_known = all(req.budget is not None for req in reqs)
    count = {m: 0 for m in solution.members}
    money = dict.fromkeys(solution.members, 0.0)
    weight = dict.fromkeys(solution.members, 0.0)
    for r, m in enumerate(solution.assignment):
        if m is not None:
            count[m] += 1
            weight[m] += float(ctx.scores[m, r])
            if budgets_known:
                money[m] += reqs[r].budget
    if budgets_known:
        euros = money
    elif ctx.budget is not None and not ctx.capacity:  # with capacity and no lot budgets: carried jointly
        euros = {m: ctx.budget * count[m] / n_req for m in solution.members}
    else:
        euros = {}

    def share(m: int) -> float:
        return money[m] if budgets_known else count[m]

    def carries(m: int) -> bool:
        return m not in euros or euros[m] <= float(ctx.caps[m])

    def key(m: int) -> tuple:
        return (share(m), float(ctx.caps[m]), weight[m], -m)

    able = [m for m in solution.members if carries(m)]
    lead = max(able, key=key) if able else max(solution.members, key=lambda m: (float(ctx.caps[m]), -m))
    name = ctx.ranker.supplier(ctx.pool[lead]).name
    total = sum(money.values()) if budgets_known else ctx.budget
    if count[lead] == 0:
        why = "la plus grande capacité de l'équipe"
    elif budgets_known and total:
        why = f"la plus grande part, {round(100 * money[lead] / total)} % du budget"
    else:
        noun = "lot" if ctx.tender.lots else "besoin"
        why = f"la plus grande part, {count[lead]} {noun}{'s' if count[lead] > 1 else ''} sur {n_req}"
    if not able:
        why += " ; aucun membre ne peut porter seul sa part"
    return lead, f"Mandataire : {name} ({why})"


def _why(ctx: _Context, req: Requirement, supplier_id: str) -> str:
    reasons = [x.text for x in ctx.ranker.reasons(req.tender, req.lot, supplier_id) if x.kind == "match"]
    return " ; ".join(reasons[:3])


def _group(ctx: _Context, solution: Solution, rank: int) -> Group:
    ranker, reqs, pool = ctx.ranker, ctx.reqs, ctx.pool
    n_req = len(reqs)
    noun = "lots" if ctx.tender.lots else "besoins"
    lead, lead_reason = _lead(ctx, solution)
    reasons: list[str] = []
    if n_req == 1 and not ctx.capacity:
        reasons.append(NOTHING_TO_SPLIT)
    covers_all = all(m is not None for m in solution.assignment)
    if n_req > 1 and not ctx.single_covers_all:
        reasons.append(f"Aucune entreprise seule ne couvre les {n_req} {noun}")
    elif n_req > 1 and len(solution.members) == 1 and covers_all:
        name = ranker.supplier(pool[lead]).name
        better = " mieux que toute équipe" if rank == 0 else ""
        reasons.append(f"Une seule entreprise couvre les {n_req} {noun}{better} : {name}")
    for r, (req, m) in enumerate(zip(reqs, solution.assignment, strict=True)):
        if m is None:
            reasons.append(f"{req.label} : non couvert (aucun membre n'y atteint le score minimum "
                           f"{ctx.min_score:.2f} dans le respect des contraintes)")
            continue
        name = ranker.supplier(pool[m]).name
        why = _why(ctx, req, pool[m]) or f"score {ctx.scores[m, r]:.2f}"
        reasons.append(f"{req.label} : {name} — {why}")
    if len(solution.members) > 1:
        reasons.append(lead_reason)
    if ctx.capacity:
        reasons.append(f"Capacité : aucune entreprise seule ne peut porter le budget de {_eur(ctx.budget)} ; "
                       f"l'équipe le porte (part d'un membre au plus {round(100 * ctx.capacity_share)} % "
                       "de son chiffre d'affaires connu)")
        for m in solution.members:
            if m not in solution.assignment:
                supplier = ranker.supplier(pool[m])
                revenue = _finite(supplier.annual_revenue_eur)
                known = f"chiffre d'affaires {_eur(revenue)}" if revenue is not None else "chiffre d'affaires inconnu"
                reasons.append(f"{supplier.name} : renforce la capacité de l'équipe ({known})")
    if ctx.department and len(solution.members) > 1:
        reasons.append(f"Tous les membres interviennent dans le département {ctx.department}")
    # Members: the lead, then in the order of the requirements they take, then those carrying capacity only.
    ordered = [lead] + [m for m in dict.fromkeys(solution.assignment) if m is not None and m != lead]
    ordered += [m for m in solution.members if m not in ordered]
    score = min(1.0, max(0.0, solution.value / n_req))
    return Group(supplier_ids=tuple(pool[m] for m in ordered),
                 assignments={req.id: pool[m] for req, m in zip(reqs, solution.assignment, strict=True)
                              if m is not None},
                 lead_id=pool[lead], score=round(score, 9), covers_all=covers_all, reasons=tuple(reasons))
