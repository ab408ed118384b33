"""Team suggestions (``Engine.suggest_groups``, ``matching.groups``): the exact solver against brute force on
random small problems, then the engine's answers on small corpora (requirements, constraints, reasons)."""

import itertools
import math
import random
import sys
import threading

import numpy as np
import pytest

from matching import Engine, Group, Lot, NotFittedError, Supplier, Tender
from matching.groups import NOTHING_TO_SPLIT, Problem, requirements, solve

# ---------------------------------------------------------------------- brute force (the definition)


def brute_force(problem: Problem, limit: int) -> list[tuple[tuple[int, ...], float]]:
    """Every member set of size <= max_size with every assignment: the best ``limit`` (members, value),
    ordered by value then lexicographically (the solver's tie rule)."""
    n_cand, n_req = problem.scores.shape
    teams = []
    for size in range(1, problem.max_size + 1):
        for members in itertools.combinations(range(n_cand), size):
            value = team_value(problem, members)
            if value is not None:
                teams.append((members, value))
    teams.sort(key=lambda team: (-team[1], team[0]))
    return teams[:limit]


def team_value(problem: Problem, members: tuple[int, ...]) -> float | None:
    best = None
    for assignment in itertools.product(*[[m for m in members if problem.eligible[m, r]] + [None]
                                          for r in range(problem.scores.shape[1])]):
        value = assignment_value(problem, members, assignment)
        if value is not None and (best is None or value > best):
            best = value
    return best


def assignment_value(problem: Problem, members, assignment) -> float | None:
    """The objective of one assignment, or None when it breaks a rule."""
    if all(m is None for m in assignment):
        return None
    free = dict.fromkeys(members, False)
    if problem.budget is not None:
        shares = {m: min(float(problem.caps[m]), problem.budget) for m in members}
        total = sum(shares[m] for m in members)
        if total < problem.budget:
            return None
        free = {m: total - shares[m] < problem.budget for m in members}
        if problem.loads is not None:
            for m in members:
                load = 0.0
                for r, taker in enumerate(assignment):
                    if taker == m and not math.isnan(problem.loads[r]) and not math.isinf(problem.caps[m]):
                        load += float(problem.loads[r])
                if load > problem.caps[m]:
                    return None
    if any(m not in assignment and not free[m] for m in members):
        return None
    value = 0.0
    for r, m in enumerate(assignment):
        if m is not None:
            value += float(problem.scores[m, r])
    return value - problem.penalty * (len(members) - 1)


def random_problem(rng: random.Random, capacity: bool) -> Problem:
    n_cand, n_req = rng.randint(1, 7), rng.randint(1, 4)
    # Dyadic scores and penalty: sums are exact, so ties are exact and the tie rule is tested too.
    scores = np.array([[rng.randint(0, 16) / 16 for _ in range(n_req)] for _ in range(n_cand)])
    eligible = np.array([[rng.random() < 0.6 for _ in range(n_req)] for _ in range(n_cand)])
    penalty = rng.choice([0.0, 1 / 32, 1 / 8, 1 / 2])
    if not capacity:
        return Problem(scores=scores, eligible=eligible, max_size=rng.randint(1, 4), penalty=penalty)
    caps = np.array([math.inf if rng.random() < 0.3 else float(rng.randint(0, 8)) for _ in range(n_cand)])
    loads = np.array([math.nan if rng.random() < 0.3 else float(rng.randint(0, 5)) for _ in range(n_req)])
    return Problem(scores=scores, eligible=eligible, max_size=rng.randint(1, 4), penalty=penalty,
                   budget=float(rng.randint(1, 12)), caps=caps, loads=None if rng.random() < 0.3 else loads)


@pytest.mark.parametrize("capacity", [False, True])
def test_solver_equals_brute_force_on_random_problems(capacity):
    rng = random.Random(11 if capacity else 7)
    for case in range(300):
        problem = random_problem(rng, capacity)
        limit = rng.randint(1, 6)
        expected = brute_force(problem, limit)
        got = solve(problem, limit)
        assert [(s.members, s.value) for s in got] == expected, f"case {case}: {problem}"
        for solution in got:  # the assignment given is valid and worth the value claimed
            assert assignment_value(problem, solution.members, solution.assignment) == solution.value


def test_solver_drops_only_candidates_that_cannot_be_in_the_best_teams():
    # Many specialists per requirement: most are dominated and dropped; the answer is brute force's.
    rng = random.Random(3)
    for _ in range(20):
        n_req, per = 3, 5
        scores = np.zeros((n_req * per + 2, n_req))
        eligible = np.zeros(scores.shape, dtype=bool)
        for c in range(n_req * per):
            eligible[c, c // per], scores[c, c // per] = True, rng.randint(4, 16) / 16
        eligible[-2:] = [rng.random() < 0.7 for _ in range(n_req)], [rng.random() < 0.7 for _ in range(n_req)]
        scores[-2:] = [[rng.randint(4, 16) / 16 for _ in range(n_req)] for _ in range(2)]
        problem = Problem(scores=scores, eligible=eligible, max_size=3, penalty=1 / 16)
        assert [(s.members, s.value) for s in solve(problem, 2)] == brute_force(problem, 2)


def test_solver_on_a_problem_without_candidates():
    empty = Problem(scores=np.zeros((0, 2)), eligible=np.zeros((0, 2), dtype=bool), max_size=3, penalty=0.05)
    assert solve(empty, 5) == []


# ---------------------------------------------------------------------- the engine's suggestions


def supplier(sid, name, text, cpv, departments=("93",), revenue=None, **extra):
    return Supplier(id=sid, name=name, description=text, keywords=tuple(text.lower().split()[:2]),
                    cpv_codes=(cpv,), departments=departments, annual_revenue_eur=revenue, **extra)


TEAM_SUPPLIERS = [
    supplier("clean", "Horizon Propreté 93", "Nettoyage de bureaux et de locaux\nNettoyage de vitres", "90911200"),
    supplier("clean2", "Net Express", "Nettoyage industriel et dégraissage", "90911200"),
    supplier("plumb", "Eau Flux", "Plomberie, chauffage et sanitaires\nDépannage de chaudières", "45330000"),
    supplier("plumb75", "Paris Plomberie", "Plomberie et chauffage", "45330000", departments=("75",)),
    supplier("green", "Vert Demain", "Entretien des espaces verts et élagage", "77310000"),
    supplier("it", "Code Quartier", "Maintenance informatique et sites internet", "72000000"),
    supplier("pastry", "Délices de Bondy", "Pâtissier traiteur pour buffets", "15812000"),
]

LOTS = (Lot(id="L1", title="Nettoyage des locaux", cpv_codes=("90911200",), budget_eur=60_000),
        Lot(id="L2", title="Plomberie et chauffage", cpv_codes=("45330000",), budget_eur=30_000),
        Lot(id="L3", title="Entretien des espaces verts", cpv_codes=("77310000",), budget_eur=10_000))
TENDER = Tender(id="t", title="Entretien de la mairie", department="93", lots=LOTS)


@pytest.fixture(scope="module")
def engine():
    return Engine().fit(TEAM_SUPPLIERS)


def test_a_team_covers_every_lot_with_french_reasons(engine):
    groups = engine.suggest_groups(TENDER)
    assert groups
    assert isinstance(groups[0], Group)
    best = groups[0]
    assert best.assignments == {"L1": "clean", "L2": "plumb", "L3": "green"}
    assert best.covers_all
    assert best.lead_id == "clean" == best.supplier_ids[0]  # the largest share: 60 % of the budget
    assert set(best.supplier_ids) == {"clean", "plumb", "green"}
    assert "Aucune entreprise seule ne couvre les 3 lots" in best.reasons
    assert any(r.startswith("Lot 1 (Nettoyage des locaux) : Horizon Propreté 93 — ") and "nettoyage" in r
               for r in best.reasons)
    assert "Mandataire : Horizon Propreté 93 (la plus grande part, 60 % du budget)" in best.reasons
    assert "Tous les membres interviennent dans le département 93" in best.reasons


def test_teams_are_distinct_best_first_with_scores_in_0_1(engine):
    groups = engine.suggest_groups(TENDER, max_size=3, limit=10)
    assert len({frozenset(g.supplier_ids) for g in groups}) == len(groups) > 1
    assert [g.score for g in groups] == sorted((g.score for g in groups), reverse=True)
    for g in groups:
        assert 0.0 <= g.score <= 1.0
        assert g.covers_all == (len(g.assignments) == 3)
        assert g.lead_id in g.supplier_ids
        assert set(g.assignments.values()) <= set(g.supplier_ids)
        assert len(g.supplier_ids) == len(set(g.supplier_ids))


def test_every_member_serves_the_department_and_reaches_min_score(engine):
    for min_score in (0.3, 0.5):
        for g in engine.suggest_groups(TENDER, limit=10, min_score=min_score):
            for lot, sid in g.assignments.items():
                assert "93" in engine.suppliers_[sid].departments  # plumb75 never appears
                assert engine.score(TENDER, sid, lot=lot).score >= min_score
    assert engine.suggest_groups(TENDER, min_score=1.0) == []


def test_without_the_department_the_other_plumber_may_take_the_lot(engine):
    anywhere = Tender(id="t", title="Entretien de la mairie", lots=LOTS)
    members = {sid for g in engine.suggest_groups(anywhere, limit=20) for sid in g.supplier_ids}
    assert "plumb75" in members


def test_max_size_is_respected_and_a_smaller_team_leaves_lots_uncovered(engine):
    for size in (1, 2, 3):
        groups = engine.suggest_groups(TENDER, max_size=size, limit=10)
        assert groups
        assert all(len(g.supplier_ids) <= size for g in groups)
    best = engine.suggest_groups(TENDER, max_size=2)[0]
    assert not best.covers_all
    assert len(best.assignments) == 2
    assert any("non couvert" in r for r in best.reasons)


def test_one_supplier_doing_everything_is_a_team_of_one():
    generalist = supplier("all", "Multi Services 93", "Nettoyage des locaux\nPlomberie et chauffage\n"
                          "Entretien des espaces verts", "90911200")
    engine = Engine().fit([*TEAM_SUPPLIERS, generalist])
    groups = engine.suggest_groups(TENDER, member_penalty=0.5)
    assert groups[0].supplier_ids == ("all",)
    assert groups[0].covers_all
    assert groups[0].assignments == {"L1": "all", "L2": "all", "L3": "all"}
    assert "Une seule entreprise couvre les 3 lots mieux que toute équipe : Multi Services 93" in groups[0].reasons
    assert not any(r.startswith("Mandataire") for r in groups[0].reasons)


def test_a_tender_without_lots_is_split_by_cpv_group(engine):
    tender = Tender(id="t", title="Nettoyage et plomberie de l'école", department="93",
                    cpv_codes=("90911200-8", "45330000", "45332000", "bad"))
    assert [r.id for r in requirements(tender)] == ["cpv:909", "cpv:453"]
    best = engine.suggest_groups(tender)[0]
    assert best.assignments == {"cpv:909": "clean", "cpv:453": "plumb"}
    assert any(r.startswith("Besoin CPV 909") for r in best.reasons)


def test_a_single_need_has_nothing_to_split(engine):
    tender = Tender(id="t", title="Nettoyage des bureaux", cpv_codes=("90911200",), department="93")
    assert [r.id for r in requirements(tender)] == ["tender"]
    groups = engine.suggest_groups(tender, max_size=3, limit=5)
    assert [g.supplier_ids for g in groups] == [("clean",), ("clean2",)]
    assert all(g.reasons[0] == NOTHING_TO_SPLIT and g.assignments == {"tender": g.lead_id} for g in groups)
    shortlist = [m.supplier_id for m in engine.shortlist(tender, k=2)]
    assert [g.lead_id for g in groups] == shortlist  # the best single suppliers, in the shortlist's order


def test_a_budget_no_single_supplier_can_carry_needs_a_team():
    small = [supplier(f"c{i}", f"Propre {i}", "Nettoyage de bureaux et de locaux", "90911200", revenue=rev)
             for i, rev in enumerate((400_000, 300_000, 200_000, 100_000))]
    engine = Engine().fit(small)
    tender = Tender(id="t", title="Nettoyage des locaux", cpv_codes=("90911200",), department="93",
                    budget_eur=320_000)
    groups = engine.suggest_groups(tender, max_size=3, limit=5)
    assert groups
    for g in groups:
        capacity = sum(0.5 * engine.suppliers_[sid].annual_revenue_eur for sid in g.supplier_ids)
        assert capacity >= 320_000
        assert len(g.supplier_ids) >= 2
        assert NOTHING_TO_SPLIT not in g.reasons
        assert any(r.startswith("Capacité : aucune entreprise seule ne peut porter le budget de 320 000 €")
                   for r in g.reasons)
        assert any("renforce la capacité de l'équipe" in r for r in g.reasons)
    # Capacities are half the revenues (200, 150, 100, 50 kEUR): the best pair already carries 320 kEUR; the
    # member taking the work leads (the budget is carried jointly), the other lends its capacity.
    assert set(groups[0].supplier_ids) == {"c0", "c1"}
    assert groups[0].lead_id == "c0"
    assert groups[0].assignments == {"tender": "c0"}
    assert "Propre 1 : renforce la capacité de l'équipe (chiffre d'affaires 300 000 €)" in groups[0].reasons
    # With a larger share of revenue allowed, one supplier carries it alone: nothing to split.
    alone = engine.suggest_groups(tender, capacity_share=1.0)
    assert alone[0].reasons[0] == NOTHING_TO_SPLIT
    assert len(alone[0].supplier_ids) == 1


def test_members_carry_the_budgets_of_their_lots():
    lots = (Lot(id="A", title="Nettoyage des locaux", cpv_codes=("90911200",), budget_eur=500_000),
            Lot(id="B", title="Nettoyage des vitres", cpv_codes=("90911300",), budget_eur=500_000))
    suppliers = [supplier("big", "Grand Net", "Nettoyage des locaux et des vitres", "90911200", revenue=1_200_000),
                 supplier("mid", "Moyen Net", "Nettoyage des locaux et des vitres", "90911200", revenue=1_000_000),
                 supplier("tiny", "Petit Net", "Nettoyage des locaux et des vitres", "90911200", revenue=10_000)]
    engine = Engine().fit(suppliers)
    tender = Tender(id="t", title="Propreté des écoles", department="93", lots=lots)
    groups = engine.suggest_groups(tender, limit=10)
    assert groups
    for g in groups:
        for lot in lots:
            taker = g.assignments.get(lot.id)
            if taker is not None:
                carried = sum(x.budget_eur for x in lots if g.assignments.get(x.id) == taker)
                assert carried <= 0.5 * engine.suppliers_[taker].annual_revenue_eur
    assert groups[0].covers_all
    assert set(groups[0].supplier_ids) == {"big", "mid"}


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"max_size": 0}, ValueError, "max_size must be >= 1"),
    ({"max_size": 7}, ValueError, "max_size must be <= 6"),
    ({"max_size": 2.0}, TypeError, "max_size must be an integer"),
    ({"max_size": True}, TypeError, "max_size must be an integer"),
    ({"limit": 0}, ValueError, "limit must be >= 1"),
    ({"limit": -3}, ValueError, "limit must be >= 1"),
    ({"limit": "5"}, TypeError, "limit must be an integer"),
    ({"min_score": 1.5}, ValueError, "min_score"),
    ({"min_score": float("nan")}, ValueError, "min_score"),
    ({"capacity_share": 0}, ValueError, "capacity_share"),
    ({"member_penalty": -0.1}, ValueError, "member_penalty"),
    ({"member_penalty": "low"}, TypeError, "member_penalty"),
])
def test_bad_parameters_are_refused_with_their_name(engine, kwargs, error, message):
    with pytest.raises(error, match=message):
        engine.suggest_groups(TENDER, **kwargs)


def test_numpy_integers_are_accepted(engine):
    assert engine.suggest_groups(TENDER, max_size=np.int64(2), limit=np.int32(1))


def test_bad_tender_and_unfitted_engine_are_refused(engine):
    with pytest.raises(TypeError, match="expects a Tender"):
        engine.suggest_groups("nettoyage")
    with pytest.raises(NotFittedError):
        Engine().suggest_groups(TENDER)


def test_an_empty_tender_gets_no_team(engine):
    assert engine.suggest_groups(Tender(id="t", title="")) == []


def test_suggestions_are_deterministic_and_independent_of_the_corpus_order(engine):
    first = engine.suggest_groups(TENDER, limit=10)
    assert engine.suggest_groups(TENDER, limit=10) == first
    assert Engine().fit(list(reversed(TEAM_SUPPLIERS))).suggest_groups(TENDER, limit=10) == first


def test_group_records_check_their_members():
    with pytest.raises(ValueError, match="lead_id"):
        Group(supplier_ids=("a",), assignments={}, lead_id="b", score=0.5, covers_all=False)
    with pytest.raises(ValueError, match="assignments"):
        Group(supplier_ids=["a"], assignments={"L1": "b"}, lead_id="a", score=0.5, covers_all=False)


def test_an_update_during_suggestions_never_mixes_two_states(engine):
    # A reader's suggestion is always the one of the state before or after the toggled supplier.
    base = list(TEAM_SUPPLIERS)
    extra = supplier("green2", "Jardins du Canal", "Entretien des espaces verts, tonte et élagage", "77310000")
    local = Engine().fit(base)
    without = local.suggest_groups(TENDER, limit=5)
    with_extra = Engine().fit([*base, extra]).suggest_groups(TENDER, limit=5)
    assert without != with_extra
    stop, results, errors = threading.Event(), [], []

    def read():
        while not stop.is_set():
            try:
                results.append(local.suggest_groups(TENDER, limit=5))
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported
                errors.append(repr(error))

    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        threads = [threading.Thread(target=read) for _ in range(3)]
        for thread in threads:
            thread.start()
        for _ in range(10):
            local.add(extra)
            local.remove(extra.id)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(before)
    assert not errors
    assert results
    assert all(r in (without, with_extra) for r in results)


def test_a_lot_with_nothing_of_its_own_is_ranked_on_the_tender_alone(engine):
    tender = Tender(id="t", title="Plomberie de la mairie", department="93",
                    lots=(Lot(id="A", title="Nettoyage des locaux"), Lot(id="B", title="")))
    assert [r.label for r in requirements(tender)] == ["Lot 1 (Nettoyage des locaux)", "Lot 2"]
    best = engine.suggest_groups(tender)[0]
    assert best.assignments == {"A": "clean", "B": "plumb"}
    # The tender's title alone does not make the plumber eligible for the cleaning lot, which has words of its own.
    assert all(g.assignments.get("A") != "plumb" for g in engine.suggest_groups(tender, limit=20))
