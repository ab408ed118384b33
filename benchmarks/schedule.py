"""Meeting scheduler on a synthetic buyers-meet-entrepreneurs event (prints figures; issue 12).

    .venv/bin/python benchmarks/schedule.py [--buyers 80] [--suppliers 400] [--slots 16] [--tables 60]
                                            [--time-limit 30] [--small 8] [--seed 0]

The event: buyers and entrepreneurs in trades of unequal popularity (a buyer scores an entrepreneur of its own
trades 0.45-0.95, another 0-0.3), a few wishes per participant (about one in five a "must", a few refusals),
one participant in five unavailable for a block of 2-4 slots (arrives late or leaves early). Printed:

* ``schedule_meetings`` on the full instance (default 80 x 400, 16 slots, 60 tables, 30 s limit): wall time,
  meetings, ``optimal``, validity, wishes met, then the heuristic alone on the same instance;
* the share of entrepreneurs with at least one meeting, next to a plain greedy's (pairs by wish then score,
  each in the first slot where both are free and a table is left);
* on ``--small`` instances small enough to solve exactly, the heuristic's levels and objective next to the
  optimum's.
"""

import argparse
import random
import sys
import time

from matching.schedule import schedule_meetings, validate


def event(n_buyers: int, n_suppliers: int, n_slots: int, seed: int, trades: int = 12):
    """A synthetic event: ids, scores, wishes and unavailabilities (deterministic for a seed)."""
    rng = random.Random(seed)
    buyers = [f"acheteur-{i}" for i in range(n_buyers)]
    suppliers = [f"entreprise-{i}" for i in range(n_suppliers)]
    popularity = [1.0 / (k + 1) for k in range(trades)]  # a few trades most buyers want, a long tail
    wants = {b: set(rng.choices(range(trades), weights=popularity, k=3)) for b in buyers}
    trade = {s: rng.randrange(trades) for s in suppliers}
    scores = {}
    for b in buyers:
        for s in suppliers:
            if trade[s] in wants[b]:
                scores[(b, s)] = round(rng.uniform(0.45, 0.95), 3)
            elif rng.random() < 0.15:
                scores[(b, s)] = round(rng.uniform(0.0, 0.3), 3)
    wishes = {}
    for person in buyers + suppliers:
        # mostly people of one's own trades (scored above 0.45), sometimes anybody on the other side
        if person in wants:
            near = [s for s in suppliers if scores.get((person, s), 0) > 0.45]
            others, count = suppliers, 4
        else:
            near = [b for b in buyers if scores.get((b, person), 0) > 0.45]
            others, count = buyers, 2
        for _ in range(count):
            other = rng.choice(near if near and rng.random() < 0.8 else others)
            wishes[(person, other)] = rng.choices((2, 1, -1), weights=(2, 7, 1))[0]
    unavailable = {}
    for person in buyers + suppliers:
        if rng.random() < 0.2:
            length = min(n_slots - 1, rng.randint(2, 4))
            start = 0 if rng.random() < 0.5 else n_slots - length
            unavailable[person] = set(range(start, start + length))
    return buyers, suppliers, scores, wishes, unavailable


def greedy(buyers, suppliers, n_slots, n_tables, scores, wishes, unavailable):
    """The plain greedy baseline: (buyer, supplier) pairs by wish then score, each in its first free slot."""
    def priority(pair):
        b, s = pair
        wish = max(wishes.get((b, s), 0), wishes.get((s, b), 0))
        return (-wish, -scores.get(pair, 0.0), b, s)

    refused = {(b, s) for (x, y), v in wishes.items() if v == -1 for b, s in ((x, y), (y, x))}
    pairs = {(b, s) for (b, s), v in scores.items() if v > 0}
    buyer_set = set(buyers)
    pairs |= {(x, y) if x in buyer_set else (y, x) for (x, y), v in wishes.items() if v > 0}
    busy, load, met = set(), [0] * n_slots, []
    for b, s in sorted(pairs - refused, key=priority):
        for slot in range(n_slots):
            if load[slot] < n_tables and not {(b, slot), (s, slot)} & busy \
                    and slot not in unavailable.get(b, ()) and slot not in unavailable.get(s, ()):
                busy |= {(b, slot), (s, slot)}
                load[slot] += 1
                met.append((b, s))
                break
    return met


def levels(pairs, scores, wishes):
    """(mutual musts, one-sided musts, entrepreneurs met, likes, score) of the pairs met."""
    mutual = one = likes = 0
    score = 0.0
    for b, s in pairs:
        mine, theirs = wishes.get((b, s), 0), wishes.get((s, b), 0)
        mutual += mine == 2 and theirs == 2
        one += (mine == 2) != (theirs == 2)
        likes += (mine == 1) + (theirs == 1)
        score += scores.get((b, s), 0.0)
    return (mutual, one, len({s for _, s in pairs}), likes, round(score, 3))


def _share(met: int, total: int) -> str:
    return f"{met}/{total} ({100 * met / total:.1f} %)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=80)
    parser.add_argument("--suppliers", type=int, default=400)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--tight-tables", type=int, default=25, help="the fairness comparison again with these")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--small", type=int, default=8, help="small instances solved exactly")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--small-size", type=int, nargs=4, default=(10, 40, 6, 6),
                        metavar=("BUYERS", "SUPPLIERS", "SLOTS", "TABLES"))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    buyers, suppliers, scores, wishes, unavailable = event(args.buyers, args.suppliers, args.slots, args.seed)
    n_musts = sum(1 for v in wishes.values() if v == 2)
    print(f"event: {len(buyers)} buyers, {len(suppliers)} entrepreneurs, {args.slots} slots, {args.tables} tables, "
          f"{len(scores)} scores, {len(wishes)} wishes ({n_musts} musts), {len(unavailable)} partly unavailable")
    for method in ("auto", "heuristic"):
        start = time.perf_counter()
        schedule = schedule_meetings(buyers, suppliers, args.slots, args.tables, scores, wishes, unavailable,
                                     time_limit_s=args.time_limit, method=method)
        elapsed = time.perf_counter() - start
        errors = validate(schedule, buyers, suppliers, args.slots, args.tables, wishes, unavailable)
        pairs = [(m.buyer, m.supplier) for m in schedule.meetings]
        print(f"schedule_meetings method={method} (limit {args.time_limit:g} s): {elapsed:.1f} s, "
              f"{len(schedule.meetings)} meetings, optimal={schedule.optimal}, "
              f"{'valid' if not errors else f'{len(errors)} errors'}, "
              f"levels (mutual, one-sided, met, likes, score) = {levels(pairs, scores, wishes)}, "
              f"unscheduled wishes {len(schedule.unscheduled_wishes)}")
        if method == "auto":
            best = schedule
    for tables in (args.tables, args.tight_tables):
        if tables != args.tables:
            start = time.perf_counter()
            best = schedule_meetings(buyers, suppliers, args.slots, tables, scores, wishes, unavailable,
                                     time_limit_s=args.time_limit)
            print(f"same event with {tables} tables: "
                  f"{time.perf_counter() - start:.1f} s, {len(best.meetings)} meetings, optimal={best.optimal}")
        met = len({m.supplier for m in best.meetings})
        baseline = greedy(buyers, suppliers, args.slots, tables, scores, wishes, unavailable)
        print(f"  {tables} tables, entrepreneurs with >= 1 meeting: schedule_meetings {_share(met, len(suppliers))}, "
              f"plain greedy {_share(len({s for _, s in baseline}), len(suppliers))} "
              f"(greedy: {len(baseline)} meetings, levels {levels(baseline, scores, wishes)})")

    nb, ns, nt, nk = args.small_size
    if args.small:
        print(f"small instances ({nb} buyers, {ns} entrepreneurs, {nt} slots, {nk} tables), exact vs heuristic:")
        print("  seed  exact levels                           optimal   time   heuristic levels"
              "                       objective ratio (score ratio)")
    same = 0
    for k in range(args.small):
        seed = args.seed + 1 + k
        b, s, sc, w, un = event(nb, ns, nt, seed)
        start = time.perf_counter()
        exact = schedule_meetings(b, s, nt, nk, sc, w, un, time_limit_s=args.time_limit, method="exact")
        elapsed = time.perf_counter() - start
        heuristic = schedule_meetings(b, s, nt, nk, sc, w, un, method="heuristic")
        exact_levels = levels([(m.buyer, m.supplier) for m in exact.meetings], sc, w)
        heuristic_levels = levels([(m.buyer, m.supplier) for m in heuristic.meetings], sc, w)
        same += exact_levels[:4] == heuristic_levels[:4]
        print(f"  {seed:4d}  {exact_levels!s:38} {exact.optimal!s:7} {elapsed:5.2f} s  {heuristic_levels!s:38} "
              f"{heuristic.objective / exact.objective:.6f} ({heuristic_levels[4] / max(exact_levels[4], 1e-9):.3f})")
    if args.small:
        print(f"heuristic reaches the optimum's wish and fairness levels on {same}/{args.small} small instances")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
