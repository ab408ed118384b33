"""Tune the engine's signal weights on pseudo-queries built from the suppliers file (never on the queries).

Run: ``python benchmarks/matching_tune.py ../shared/data/decp/dev [--rounds 3] [--dev]``.

Tuning protocol (mirrors how the DECP benchmark was built: "each supplier is a real awardee whose
description is the objects of its other contracts; each query is one of its contracts"):

* for every supplier whose description has >= 2 contract lines, one line (seeded RNG) is held out as the
  query text and the supplier is indexed with its remaining lines; relevant = that supplier;
* the query's CPV code is one of the supplier's codes and its department one of its departments (seeded);
  when the supplier has other codes (departments), the chosen one leaves the indexed profile with the
  held-out contract, as in the benchmark where a supplier's codes are those of its *other* contracts
  (suppliers with a single code or department keep it: the data cannot tell which line it belongs to).
  Suppliers without department give queries without department, as in the benchmark;
* every other supplier is indexed unchanged; ``--rounds`` independent seeded rounds (one corpus each) give
  more queries.

Candidates and per-signal components are computed once per round (k=300); each weight setting then re-ranks
them offline. The objective is structured recall@10 + MRR@10 + text-only recall@10. ``queries.jsonl`` is
read only with ``--dev``, to score the chosen defaults once at the end.
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import replace

import numpy as np

from matching.cpv import load_cpv_csv
from matching.engine import Engine
from matching.evaluate import (
    POSTCODES_FILE,
    evaluate,
    find_cpv_csv,
    find_shared_file,
    load_benchmark,
    metrics,
    tender_for,
)
from matching.signals import load_department_centroids


def pseudo_queries(suppliers, seed):
    """One round: (corpus, queries) with one held-out contract line per multi-line supplier."""
    rng = np.random.default_rng(seed)
    corpus, queries = [], []
    for s in sorted(suppliers, key=lambda x: x.id):
        lines = [x for x in s.description.splitlines() if x.strip()]
        if len(lines) < 2:
            corpus.append(s)
            continue
        i = int(rng.integers(len(lines)))
        codes, depts = list(s.cpv_codes), list(s.departments)
        code = codes[int(rng.integers(len(codes)))] if codes else None
        dept = depts[int(rng.integers(len(depts)))] if depts else None
        keep_codes = tuple(c for c in codes if c != code) if len(codes) >= 2 else tuple(codes)
        keep_depts = tuple(d for d in depts if d != dept) if len(depts) >= 2 else tuple(depts)
        corpus.append(replace(s, description="\n".join(lines[:i] + lines[i + 1:]), cpv_codes=keep_codes,
                              departments=keep_depts))
        queries.append({"id": f"{s.id}:{i}", "text": lines[i], "cpv": code, "department": dept,
                        "relevant": [s.id]})
    return corpus, queries


def collect(engine, queries, structured):
    """Per query: (ids sorted by id, component names, component matrix) of the top 300 candidates."""
    engine._reasons = lambda *a, **kw: ()  # reasons are not needed offline (and cost most of the time)
    out = []
    for q in queries:
        matches = sorted(engine.shortlist(tender_for(q, structured), k=300), key=lambda m: m.supplier_id)
        names = sorted(matches[0].components) if matches else []
        comps = np.array([[m.components[c] for c in names] for m in matches]).reshape(len(matches), len(names))
        out.append(([m.supplier_id for m in matches], names, comps))
    return out


def rerank(results, weights):
    ranked = []
    for ids, names, comps in results:
        w = np.array([weights.get(c, 0.0) for c in names])
        score = np.round(comps @ w / (w.sum() or 1.0), 9)
        order = np.lexsort((np.arange(len(ids)), -score))[:10]  # ties by id (ids are sorted)
        ranked.append([ids[i] for i in order])
    return ranked


GRID = {
    "char_share": (0.5, 0.7, 0.85),      # share of the text weight (0.6) given to char n-grams
    "bm25": (0.0, 0.2, 0.3, 0.45),
    "cpv": (0.1, 0.2, 0.3),
    "geo": (0.2, 0.3, 0.4),
    "experience": (0.0, 0.05, 0.1),
    "fuzzy": (0.0, 0.05),
    "trade": (0.05, 0.1, 0.2),
}


def weights_of(p):
    return {"word": 0.6 * (1 - p["char_share"]), "char": 0.6 * p["char_share"], "cpv": p["cpv"],
            "geo": p["geo"], "experience": p["experience"], "fuzzy": p["fuzzy"],
            "trade": p["trade"], "bm25": p["bm25"], "capacity": 0.1}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", nargs="?", default="../shared/data/decp/dev")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dev", action="store_true", help="score the defaults on the dev queries (final check)")
    parser.add_argument("--no-grid", action="store_true", help="only score the defaults")
    args = parser.parse_args(argv)
    suppliers, dev_queries = load_benchmark(args.directory)
    csv_path = find_cpv_csv(args.directory)
    labels = load_cpv_csv(csv_path) if csv_path else None
    postcodes = find_shared_file(args.directory, POSTCODES_FILE)
    centroids = load_department_centroids(postcodes) if postcodes else None
    rounds = [pseudo_queries(suppliers, seed) for seed in range(args.rounds)]
    queries = [q for _, qs in rounds for q in qs]
    print(f"tuning set: {args.rounds} rounds, {len(queries)} pseudo-queries")
    t0 = time.perf_counter()
    res = {False: [], True: []}
    for corpus, qs in rounds:
        engine = Engine(cpv_labels=labels, department_coords=centroids).fit(corpus)
        for s in (False, True):
            res[s].extend(collect(engine, qs, s))
    defaults = engine._weights()  # the effective defaults (geo's depends on the centroids)
    print(f"collected in {time.perf_counter() - t0:.1f}s")
    names = ("word", "char", "bm25", "cpv", "geo", "experience", "fuzzy", "capacity", "trade")
    table = [{"params": "defaults", "w": {c: defaults[c] for c in names}}]
    if not args.no_grid:
        table += [{"params": dict(zip(GRID, v, strict=True))} for v in itertools.product(*GRID.values())]
        for row in table[1:]:
            row["w"] = weights_of(row["params"])
    for row in table:
        for s in (False, True):
            row[s] = metrics(rerank(res[s], row["w"]), queries)
        row["obj"] = row[True][0] + row[True][1] + row[False][0]
    fmt = "structured R/MRR {0[0]:.3f}/{0[1]:.3f}  text-only R/MRR {1[0]:.3f}/{1[1]:.3f}"
    print("defaults:", fmt.format(table[0][True], table[0][False]))
    for row in sorted(table[1:], key=lambda r: -r["obj"])[:8]:
        print(row["params"], fmt.format(row[True], row[False]))
    if args.dev:
        engine = Engine(cpv_labels=labels, department_coords=centroids).fit(suppliers)
        print("dev (final check):", fmt.format(evaluate(engine, dev_queries, 10, True),
                                               evaluate(engine, dev_queries, 10, False)))


if __name__ == "__main__":
    main()
