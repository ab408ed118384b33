"""Calibrate the score threshold of "new matching tender" alerts on real procurement awards (prints figures).

    .venv/bin/python benchmarks/alert_threshold.py [../shared/data/decp/dev] [--cap 50]

Each DECP query is a real contract and its ``relevant`` list holds the real winner(s): an alert that reaches the
winner is one worth sending. For candidate thresholds the script prints, per tender (query with its CPV code and
department, as a published tender has them):

* winners alerted: the share of true winners whose score is >= the threshold AND who are among the ``--cap`` best
  companies of the tender (the alert module sends to at most that many);
* companies alerted per tender (median, p90, mean) out of the corpus, with the same cap;
* the same share without the cap, to see what the cap costs.

The engine is configured as in the web app (``experience_weight=0``, CPV labels, department centroids). The
chosen threshold is ``marketplace.opportunities.alerts.DEFAULT_MIN_SCORE`` (config key
``NEW_TENDER_ALERT_MIN_SCORE``); the figures behind it are in the README.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from matching.cpv import CPV_DIVISIONS, load_cpv_csv
from matching.engine import Engine
from matching.evaluate import POSTCODES_FILE, find_cpv_csv, find_shared_file, load_benchmark, tender_for
from matching.signals import load_department_centroids

THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared/data/decp/dev"


def _p90(values: list[int]) -> float:
    ordered = sorted(values)
    return ordered[int(0.9 * (len(ordered) - 1))] if ordered else 0


def measure(engine: Engine, queries: list[dict], thresholds=THRESHOLDS, cap: int = 50) -> list[dict]:
    """One row per threshold: winners alerted (with and without the cap) and companies alerted per tender."""
    per_query = []
    for query in queries:
        tender = tender_for(query, structured=True)
        ranked = [m.score for m in engine.shortlist(tender, k=cap)]
        winners = []
        for winner in query["relevant"]:
            match = engine.score(tender, str(winner))
            winners.append(match.score if match is not None else 0.0)
        per_query.append((ranked, winners))
    rows = []
    for threshold in thresholds:
        capped = uncapped = total = 0
        counts = []
        for ranked, winners in per_query:
            counts.append(sum(1 for s in ranked if s >= threshold))
            cut = ranked[-1] if len(ranked) >= cap else 0.0  # the cap-th best score: below it, not alerted
            for score in winners:
                total += 1
                uncapped += score >= threshold and score > 0
                capped += score >= threshold and score > 0 and score >= cut
        rows.append({
            "threshold": threshold,
            "winners_capped": capped / max(1, total),
            "winners_uncapped": uncapped / max(1, total),
            "median": statistics.median(counts) if counts else 0,
            "p90": _p90(counts),
            "mean": statistics.fmean(counts) if counts else 0.0,
        })
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("--cap", type=int, default=50, help="companies alerted per tender at most")
    args = parser.parse_args(argv)
    directory = Path(args.directory)
    if not (directory / "suppliers.jsonl").is_file():
        print(f"{directory} holds no suppliers.jsonl: nothing to measure.")
        return 0
    suppliers, queries = load_benchmark(directory)
    cpv_path = find_cpv_csv(directory)
    labels = load_cpv_csv(cpv_path) if cpv_path else list(CPV_DIVISIONS)
    postcodes = find_shared_file(directory, POSTCODES_FILE)
    centroids = load_department_centroids(postcodes) if postcodes else None
    engine = Engine(experience_weight=0.0, cpv_labels=labels, department_coords=centroids).fit(suppliers)
    print(f"benchmark: {directory}  suppliers={len(suppliers)}  tenders (queries)={len(queries)}  cap={args.cap}")
    print(f"{'threshold':>9}  {'winners alerted':>15}  {'(no cap)':>8}  {'alerted/tender median':>21}"
          f"  {'p90':>5}  {'mean':>6}")
    for row in measure(engine, queries, cap=args.cap):
        print(f"{row['threshold']:>9.2f}  {row['winners_capped']:>15.3f}  {row['winners_uncapped']:>8.3f}  "
              f"{row['median']:>21}  {row['p90']:>5}  {row['mean']:>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
