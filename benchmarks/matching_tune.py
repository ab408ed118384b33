"""Tune the engine's signal weights on the DECP dev benchmark with two-fold cross-validation.

Run: ``python benchmarks/matching_tune.py ../shared/data/decp/dev``. Candidates and per-signal components
are computed once (k=300); each weight setting then re-ranks them offline. The queries are split in two
halves (seeded); the best setting on each half is scored on the other half, and the setting reported for the
defaults is the one with the best mean over both halves among a small grid (few parameters, coarse steps).
"""

from __future__ import annotations

import itertools
import sys

import numpy as np

from matching.cpv import load_cpv_csv
from matching.engine import Engine
from matching.evaluate import find_cpv_csv, load_benchmark, metrics, tender_for


def collect(engine, queries, structured):
    return [engine.shortlist(tender_for(q, structured), k=300) for q in queries]


def rerank(results, weights):
    ranked = []
    for matches in results:
        scores = [(-sum(weights.get(c, 0.0) * v for c, v in m.components.items()), m.supplier_id)
                  for m in matches]
        ranked.append([sid for _, sid in sorted(scores)[:10]])
    return ranked


def main(directory):
    suppliers, queries = load_benchmark(directory)
    csv_path = find_cpv_csv(directory)
    labels = load_cpv_csv(csv_path) if csv_path else None
    rng = np.random.default_rng(0)
    half = rng.permutation(len(queries)) % 2
    folds = [[i for i in range(len(queries)) if half[i] == f] for f in (0, 1)]
    grid = {
        "char_share": (0.3, 0.5, 0.7),       # share of the text weight given to char n-grams
        "cpv": (0.1, 0.2, 0.3, 0.4),
        "geo": (0.1, 0.2, 0.3, 0.4),
        "experience": (0.0, 0.05, 0.1, 0.2),
        "fuzzy": (0.0, 0.05),
    }
    for use_labels in (False, True):
        engine = Engine(cpv_labels=labels if use_labels else None).fit(suppliers)
        res = {s: collect(engine, queries, s) for s in (False, True)}
        table = []
        for values in itertools.product(*grid.values()):
            p = dict(zip(grid, values, strict=True))
            w = {"word": 0.6 * (1 - p["char_share"]), "char": 0.6 * p["char_share"], "cpv": p["cpv"],
                 "geo": p["geo"], "experience": p["experience"], "fuzzy": p["fuzzy"]}
            row = {"params": p}
            for s in (False, True):
                ranked = rerank(res[s], w)
                for f, idx in enumerate(folds):
                    row[(s, f)] = metrics([ranked[i] for i in idx], [queries[i] for i in idx])
                row[(s, "all")] = metrics(ranked, queries)
            table.append(row)
        print(f"\n=== CPV label expansion: {use_labels}")
        for f in (0, 1):
            best = max(table, key=lambda r, f=f: r[(True, f)][0] + r[(True, f)][1] + r[(False, f)][0])
            other = 1 - f
            print(f"best on half {f}: {best['params']} -> half {other}: structured R/MRR "
                  f"{best[(True, other)][0]:.3f}/{best[(True, other)][1]:.3f} text-only R "
                  f"{best[(False, other)][0]:.3f}")
        mean = max(table, key=lambda r: sum(r[(True, f)][0] + r[(True, f)][1] + r[(False, f)][0] for f in (0, 1)))
        print(f"best mean of halves: {mean['params']} -> all: structured R/MRR {mean[(True, 'all')][0]:.3f}/"
              f"{mean[(True, 'all')][1]:.3f} text-only R/MRR {mean[(False, 'all')][0]:.3f}/"
              f"{mean[(False, 'all')][1]:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/decp/dev")
