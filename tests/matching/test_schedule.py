"""Meeting schedules (matching.schedule): validity, exactness against brute force, priorities, fairness, bad input."""

import itertools
import random
import re

import pytest

from matching.schedule import Meeting, Schedule, level_weights, schedule_meetings, validate


def random_instance(seed, n_buyers, n_suppliers, n_slots, n_tables, unavailable=0.2, wish=0.15, density=0.7):
    rng = random.Random(seed)
    buyers = [f"b{i}" for i in range(n_buyers)]
    suppliers = [f"s{i}" for i in range(n_suppliers)]
    scores = {(b, s): round(rng.random(), 2) for b in buyers for s in suppliers if rng.random() < density}
    wishes = {}
    for b in buyers:
        for s in suppliers:
            if rng.random() < wish:
                wishes[(b, s)] = rng.choice([2, 1, 1, -1])
            if rng.random() < wish:
                wishes[(s, b)] = rng.choice([2, 1, 1, -1])
    off = {p: {t for t in range(n_slots) if rng.random() < unavailable} for p in buyers + suppliers}
    caps = {p: rng.randint(1, n_slots) for p in buyers + suppliers if rng.random() < 0.3}
    return dict(buyers=buyers, suppliers=suppliers, n_slots=n_slots, n_tables=n_tables, scores=scores,
                wishes=wishes, unavailable=off, max_meetings=caps)


def check(instance, schedule):
    keys = ("buyers", "suppliers", "n_slots", "n_tables", "wishes", "unavailable", "max_meetings")
    return validate(schedule, **{k: instance[k] for k in keys})


def levels(instance, pairs, min_score=0.0):
    """(mutual musts, one-sided musts, suppliers met, likes, score) of a set of (buyer, supplier) pairs."""
    wishes, scores = instance.get("wishes") or {}, instance["scores"]
    mutual = one = likes = 0
    score = 0.0
    for b, s in pairs:
        mine, theirs = wishes.get((b, s), 0), wishes.get((s, b), 0)
        mutual += mine == 2 and theirs == 2
        one += (mine == 2) != (theirs == 2)
        likes += (mine == 1) + (theirs == 1)
        value = scores.get((b, s), 0.0)
        score += value if value > min_score else 0.0
    return (mutual, one, len({s for _, s in pairs}), likes, round(score, 6))


def brute_force(instance, min_score=0.0):
    """The best level vector over every assignment of a slot (or none) to every eligible pair."""
    buyers, suppliers = instance["buyers"], instance["suppliers"]
    wishes, off = instance.get("wishes") or {}, instance.get("unavailable") or {}
    caps = instance.get("max_meetings") or {}
    slots = range(instance["n_slots"])
    eligible = []
    for b in buyers:
        for s in suppliers:
            if -1 in (wishes.get((b, s)), wishes.get((s, b))):
                continue
            if instance["scores"].get((b, s), 0) > min_score or wishes.get((b, s), 0) > 0 or wishes.get((s, b), 0) > 0:
                options = [t for t in slots if t not in off.get(b, ()) and t not in off.get(s, ())]
                if options:
                    eligible.append(((b, s), options))
    best = levels(instance, [])
    for choice in itertools.product(*[[None, *options] for _, options in eligible]):
        busy, per_slot, count, pairs = set(), {}, {}, []
        ok = True
        for ((b, s), _), t in zip(eligible, choice, strict=True):
            if t is None:
                continue
            if (b, t) in busy or (s, t) in busy:
                ok = False
                break
            busy |= {(b, t), (s, t)}
            per_slot[t] = per_slot.get(t, 0) + 1
            count[b] = count.get(b, 0) + 1
            count[s] = count.get(s, 0) + 1
            pairs.append((b, s))
        if not ok or any(k > instance["n_tables"] for k in per_slot.values()):
            continue
        if any(count.get(p, 0) > caps[p] for p in caps):
            continue
        best = max(best, levels(instance, pairs, min_score))
    return best


def run(instance, **options):
    return schedule_meetings(**instance, **options)


@pytest.mark.parametrize("method", ["auto", "exact", "heuristic"])
@pytest.mark.parametrize("seed", range(12))
def test_every_schedule_is_valid_on_random_instances(seed, method):
    rng = random.Random(seed)
    instance = random_instance(seed, rng.randint(1, 8), rng.randint(1, 25), rng.randint(1, 6), rng.randint(1, 6))
    schedule = run(instance, method=method, time_limit_s=10)
    assert check(instance, schedule) == []
    assert all(isinstance(m, Meeting) for m in schedule.meetings)
    assert schedule.optimal in ((None,) if method == "heuristic" else (True, False))
    wishes = instance["wishes"]
    for m in schedule.meetings:
        assert instance["scores"].get((m.buyer, m.supplier), 0) > 0 or wishes.get((m.buyer, m.supplier), 0) > 0 \
            or wishes.get((m.supplier, m.buyer), 0) > 0


@pytest.mark.parametrize("seed", range(25))
def test_exact_schedule_matches_brute_force_on_tiny_instances(seed):
    rng = random.Random(1000 + seed)
    instance = random_instance(seed, rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 2),
                               wish=0.3, density=0.8)
    min_score = rng.choice([0.0, 0.3])
    schedule = run(instance, min_score=min_score)
    assert check(instance, schedule) == []
    assert schedule.optimal is True
    got = levels(instance, [(m.buyer, m.supplier) for m in schedule.meetings], min_score)
    assert got[:4] == brute_force(instance, min_score)[:4]
    assert got[4] == pytest.approx(brute_force(instance, min_score)[4], abs=1e-6)
    heuristic = run(instance, min_score=min_score, method="heuristic")
    assert heuristic.objective <= schedule.objective + 1e-6


@pytest.mark.parametrize("seed", [0, 9, 20, 22, 32, 35])
def test_time_indexed_model_is_exact_when_the_pair_selection_cannot_be_timetabled(seed, monkeypatch):
    # 3 x 3 with half the slots unavailable and one table: the chosen pairs often do not fit the slots
    import matching.schedule as module

    timed = []
    staged = module._staged_milp

    def spy(inst, columns, *args):
        timed.append(bool(columns) and columns[0][1] is not None)
        return staged(inst, columns, *args)

    monkeypatch.setattr(module, "_staged_milp", spy)
    instance = random_instance(seed, 3, 3, 2, 1, wish=0.3, density=0.9, unavailable=0.5)
    schedule = run(instance)
    assert True in timed
    assert check(instance, schedule) == []
    assert schedule.optimal is True
    got = levels(instance, [(m.buyer, m.supplier) for m in schedule.meetings])
    best = brute_force(instance)
    assert got[:4] == best[:4]
    assert got[4] == pytest.approx(best[4], abs=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_without_unavailabilities_the_chosen_pairs_always_get_slots(seed, monkeypatch):
    # König / equitable edge colouring: the pair selection alone is exact, tables tight or not
    import matching.schedule as module

    timed = []
    staged = module._staged_milp

    def spy(inst, columns, *args):
        timed.append(bool(columns) and columns[0][1] is not None)
        return staged(inst, columns, *args)

    monkeypatch.setattr(module, "_staged_milp", spy)
    rng = random.Random(seed)
    instance = random_instance(seed, rng.randint(3, 12), rng.randint(10, 50), rng.randint(2, 8), rng.randint(1, 8),
                               unavailable=0.0, density=0.9)
    schedule = run(instance, method="exact")
    assert timed
    assert True not in timed
    assert schedule.optimal is True
    assert check(instance, schedule) == []


@pytest.mark.parametrize("method", ["auto", "exact"])
def test_too_big_for_the_time_left_falls_back_on_the_heuristic(method, monkeypatch):
    import matching.schedule as module

    monkeypatch.setattr(module, "_EXACT_COLUMNS_PER_SECOND", 0)
    instance = random_instance(5, 6, 30, 5, 4)
    schedule = run(instance, method=method)
    assert schedule.optimal is None
    assert check(instance, schedule) == []
    assert schedule.meetings == run(instance, method="heuristic").meetings


def test_objective_weights_dominate_the_levels_below():
    mutual, one, fair, like, score = level_weights(n_suppliers=5, n_one_sided=3, max_total=10)
    assert like > 10 * score
    assert fair > 2 * 10 * like + 10 * score
    assert one > 5 * fair + 2 * 10 * like + 10 * score
    assert mutual > 3 * one + 5 * fair + 2 * 10 * like + 10 * score


def test_mutual_must_beats_one_sided_must():
    instance = dict(buyers=["b"], suppliers=["s1", "s2"], n_slots=3, n_tables=2, max_meetings={"b": 1},
                    scores={("b", "s1"): 0.9}, wishes={("b", "s1"): 2, ("b", "s2"): 2, ("s2", "b"): 2})
    schedule = run(instance)
    assert [(m.supplier, m.reason) for m in schedule.meetings] == [("s2", "Souhait mutuel")]
    assert schedule.unscheduled_wishes == [("b", "s1")]


def test_one_sided_must_beats_fairness():
    # s1 asked for b; s2 can only meet b; b has one meeting to give
    instance = dict(buyers=["b", "c"], suppliers=["s1", "s2"], n_slots=2, n_tables=2, max_meetings={"b": 1},
                    scores={("b", "s2"): 0.9, ("c", "s1"): 0.5}, wishes={("s1", "b"): 2})
    schedule = run(instance)
    pairs = {(m.buyer, m.supplier) for m in schedule.meetings}
    assert pairs == {("b", "s1"), ("c", "s1")}
    assert {m.reason for m in schedule.meetings if m.buyer == "b"} == {"Souhaité par l'entreprise"}


def test_fairness_beats_wishes_and_scores():
    # b would like s1 (who can meet c too), s2 can only meet b; b has one meeting to give
    instance = dict(buyers=["b", "c"], suppliers=["s1", "s2"], n_slots=2, n_tables=2, max_meetings={"b": 1},
                    scores={("b", "s1"): 1.0, ("b", "s2"): 0.1, ("c", "s1"): 0.2}, wishes={("b", "s1"): 1})
    schedule = run(instance)
    assert {(m.buyer, m.supplier) for m in schedule.meetings} == {("b", "s2"), ("c", "s1")}
    assert schedule.unscheduled_wishes == [("b", "s1")]


def test_a_supplier_with_no_meeting_is_preferred_to_a_better_score():
    suppliers = [f"s{i}" for i in range(6)]
    scores = {("b", s): 0.9 for s in suppliers[:3]} | {("b", s): 0.05 for s in suppliers[3:]}
    schedule = run(dict(buyers=["b"], suppliers=suppliers, n_slots=6, n_tables=1, scores=scores))
    assert len({m.supplier for m in schedule.meetings}) == 6


def test_would_like_beats_scores_and_reasons_are_french():
    instance = dict(buyers=["b"], suppliers=["s1", "s2", "s3"], n_slots=2, n_tables=1,
                    scores={("b", "s1"): 0.1, ("b", "s2"): 0.95, ("b", "s3"): 0.72}, wishes={("b", "s1"): 1},
                    max_meetings=2)
    schedule = run(dict(instance, suppliers=["s1", "s2", "s3"]))
    reasons = {m.supplier: m.reason for m in schedule.meetings}
    assert reasons == {"s1": "Souhaité par l'acheteur", "s2": "Proposé par le moteur (score 0,95)"}
    schedule = run(dict(instance, scores={("b", "s1"): 0.1, ("b", "s3"): 0.72}))
    assert {m.supplier: m.reason for m in schedule.meetings}["s3"] == "Proposé par le moteur (score 0,72)"


def test_refusal_is_never_scheduled_even_against_a_must():
    instance = dict(buyers=["b"], suppliers=["s"], n_slots=2, n_tables=1, scores={("b", "s"): 1.0},
                    wishes={("b", "s"): 2, ("s", "b"): -1})
    schedule = run(instance)
    assert schedule.meetings == []
    assert schedule.unscheduled_wishes == [("b", "s")]
    assert schedule.optimal is True


def test_unscheduled_wishes_come_mutual_musts_first_then_musts_then_likes():
    # nobody can meet: everyone is unavailable in the only slot but one buyer
    wishes = {("s1", "b"): 1, ("b", "s2"): 2, ("s3", "b"): 2, ("b", "s3"): 2, ("b", "s1"): -1, ("c", "s2"): 1}
    instance = dict(buyers=["b", "c"], suppliers=["s1", "s2", "s3"], n_slots=1, n_tables=1, scores={},
                    wishes=wishes, unavailable={"s1": {0}, "s2": {0}, "s3": {0}})
    schedule = run(instance)
    assert schedule.meetings == []
    assert schedule.unscheduled_wishes == [("b", "s3"), ("s3", "b"), ("b", "s2"), ("c", "s2"), ("s1", "b")]


def test_min_score_leaves_out_weak_pairs_but_not_wishes():
    instance = dict(buyers=["b"], suppliers=["s1", "s2", "s3"], n_slots=3, n_tables=1,
                    scores={("b", "s1"): 0.2, ("b", "s2"): 0.6, ("b", "s3"): 0.1}, wishes={("s3", "b"): 1})
    schedule = run(instance, min_score=0.5)
    assert {m.supplier for m in schedule.meetings} == {"s2", "s3"}


def test_unavailability_tables_and_caps_are_respected():
    instance = random_instance(7, 10, 60, 5, 4, unavailable=0.4)
    schedule = run(instance)
    assert check(instance, schedule) == []
    busy = {(m.slot, m.table) for m in schedule.meetings}
    assert len(busy) == len(schedule.meetings)
    assert all(0 <= m.table < 4 for m in schedule.meetings)


def test_validate_lists_every_broken_constraint_in_french():
    meetings = [Meeting("b", "s", 0, 0, "x"), Meeting("b", "t", 0, 0, "x"), Meeting("b", "s", 1, 2, "x"),
                Meeting("z", "s", 5, 0, "x")]
    errors = validate(Schedule(meetings, [], 0.0, None), ["b"], ["s", "t"], 2, 2, wishes={("t", "b"): -1},
                      unavailable={"s": {1}}, max_meetings={"b": 2})
    text = "\n".join(errors)
    assert "b a déjà le rendez-vous n° 1 sur ce créneau" in text
    assert "la table est déjà occupée par le rendez-vous n° 1" in text
    assert "ce rendez-vous a été refusé" in text
    assert "la table doit être comprise entre 0 et 1" in text
    assert "s n'est pas disponible sur ce créneau" in text
    assert "ce binôme se rencontre déjà au rendez-vous n° 1" in text
    assert "'z' n'est pas un acheteur inscrit" in text
    assert "le créneau doit être compris entre 0 et 1" in text
    assert "b : 3 rendez-vous pour un maximum de 2." in text
    assert validate(Schedule([], [], 0.0, True), ["b"], ["s"], 1, 1) == []


def test_progress_is_monotonic_and_ends_at_one():
    seen = []
    instance = random_instance(3, 5, 20, 4, 3)
    run(instance, progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert all(0.0 <= f <= 1.0 for f in seen)


def test_same_input_same_schedule():
    instance = random_instance(11, 6, 30, 5, 4)
    assert run(instance) == run(instance)
    assert run(instance, method="heuristic") == run(instance, method="heuristic")


def test_no_eligible_pair_gives_an_empty_optimal_schedule():
    schedule = run(dict(buyers=["b"], suppliers=["s"], n_slots=1, n_tables=1, scores={("b", "s"): 0.0}))
    assert schedule == Schedule([], [], 0.0, True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"buyers": ["b", "b"]}, "buyers: duplicate id 'b'"),
    ({"suppliers": ["s", "b"]}, "ids in both buyers and suppliers"),
    ({"buyers": ["b", 3]}, "non-empty string"),
    ({"n_slots": 0}, "n_slots must be an integer >= 1"),
    ({"n_tables": 0}, "n_tables must be an integer >= 1"),
    ({"n_tables": 2.5}, "n_tables must be an integer >= 1"),
    ({"scores": {("b", "x"): 0.5}}, "scores: unknown supplier id 'x'"),
    ({"scores": {("x", "s"): 0.5}}, "scores: unknown buyer id 'x'"),
    ({"scores": {("s", "b"): 0.5}}, "keys are (buyer id, supplier id)"),
    ({"scores": {("b", "s"): 1.5}}, "must be a number in [0, 1]"),
    ({"scores": {("b", "s"): float("nan")}}, "must be a number in [0, 1]"),
    ({"scores": {("b", "s"): -0.1}}, "must be a number in [0, 1]"),
    ({"wishes": {("b", "x"): 1}}, "wishes: unknown participant id 'x'"),
    ({"wishes": {("b", "c"): 1}}, "not a buyer-supplier pair"),
    ({"wishes": {("b", "s"): 3}}, "must be 2 (must meet), 1 (would like) or -1 (refuses)"),
    ({"unavailable": {"x": {0}}}, "unavailable: unknown participant id 'x'"),
    ({"unavailable": {"b": {4}}}, "slot 4 is not in 0..1"),
    ({"max_meetings": -1}, "max_meetings must be an integer >= 0"),
    ({"max_meetings": {"x": 1}}, "max_meetings: unknown participant id 'x'"),
    ({"min_score": 2}, "min_score must be a number in [0, 1]"),
    ({"time_limit_s": 0}, "time_limit_s must be a positive finite number"),
    ({"method": "fast"}, "method must be one of"),
])
def test_bad_input_is_refused_with_a_clear_message(changes, message):
    instance = dict(buyers=["b", "c"], suppliers=["s"], n_slots=2, n_tables=1, scores={("b", "s"): 0.5})
    with pytest.raises(ValueError, match=re.escape(message)):
        schedule_meetings(**{**instance, **changes})


def test_validate_speaks_of_people_slots_and_tables_from_one_when_given_names():
    schedule = Schedule([Meeting("b1", "s1", 0, 0, ""), Meeting("b1", "s2", 0, 1, "")], [], 0.0, None)
    ids_only = validate(schedule, ["b1"], ["s1", "s2"], 2, 2)
    assert any("b1 a déjà" in problem for problem in ids_only)
    named = validate(schedule, ["b1"], ["s1", "s2"], 2, 2, names={"b1": "Ville de Bobigny"},
                     slot_labels=["12/03/2027 09:00-09:20", "12/03/2027 09:20-09:40"])
    assert named == ["rendez-vous n° 2 (Ville de Bobigny / s2, créneau 12/03/2027 09:00-09:20, table 2) : "
                     "Ville de Bobigny a déjà le rendez-vous n° 1 sur ce créneau."]
