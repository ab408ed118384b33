"""Team suggestion latency on a synthetic corpus, next to one shortlist call in the same run (prints figures).

    .venv/bin/python benchmarks/groups.py [--suppliers 10000] [--lots 8] [--runs 7] [--data DIR] [--seed 0]

Issue 11 asks for ``Engine.suggest_groups`` under 300 ms for a tender with 8 lots on 10,000 suppliers after
``fit``. The tender's lots are drawn from the corpus's own phrases (as ``matching.bench`` draws its tenders);
it is timed with its department (the web app's case: candidates limited to the suppliers serving it) and
without one (every supplier a candidate: 30 per lot, the solver's hardest case), as the median of ``--runs``
runs, next to the median of one ``shortlist(k=10)`` per run on the same engine.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from matching import Engine, Lot, Tender
from matching.bench import synthetic_corpus


def _tender(tenders, lots: int, department: str | None) -> Tender:
    picked, codes = [], set()
    for tender in tenders:
        if tender.cpv_codes[0][:3] not in codes:  # lots of different trades
            codes.add(tender.cpv_codes[0][:3])
            picked.append(tender)
        if len(picked) == lots:
            break
    return Tender(id="bench", title="Entretien et travaux des bâtiments communaux", department=department,
                  lots=tuple(Lot(id=f"L{i}", title=t.title, cpv_codes=t.cpv_codes, budget_eur=t.budget_eur)
                             for i, t in enumerate(picked, start=1)))


def _median_ms(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(1000 * (time.perf_counter() - start))
    return statistics.median(samples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--lots", type=int, default=8)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data", help="shared data folder (default: $SHARED_DATA_DIR or ../shared/data)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    data = Path(args.data or os.environ.get("SHARED_DATA_DIR") or "../shared/data")
    suppliers, tenders = synthetic_corpus(args.suppliers, data if data.is_dir() else None, args.seed)
    start = time.perf_counter()
    engine = Engine().fit(suppliers)
    print(f"{len(suppliers)} suppliers, fit {time.perf_counter() - start:.1f} s")
    departments = [s.departments[0] for s in suppliers if s.departments]
    busiest = max(set(departments), key=lambda d: (departments.count(d), d))
    for department in (busiest, None):
        tender = _tender(tenders, args.lots, department)
        engine.suggest_groups(tender)  # warm-up (stemmer cache)
        where = f"department {department}" if department else "no department"
        for size in (3, 4):
            groups = engine.suggest_groups(tender, max_size=size)
            suggest = _median_ms(lambda tender=tender, size=size: engine.suggest_groups(tender, max_size=size),
                                 args.runs)
            shortlist = _median_ms(lambda tender=tender: engine.shortlist(tender, k=10), args.runs)
            print(f"{len(tender.lots)} lots, {where}: suggest_groups(max_size={size}, limit=5) median "
                  f"{suggest:.1f} ms   shortlist(k=10) median {shortlist:.1f} ms   (target <= 300 ms)")
            best = groups[0] if groups else None
            if best is not None:
                print(f"    best team: {len(best.supplier_ids)} members, score {best.score:.3f}, "
                      f"{len(best.assignments)}/{len(tender.lots)} lots covered, {len(groups)} teams")
            else:
                print("    no team")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
