"""Scale benchmark: fit time, peak memory and query latencies on a synthetic corpus, next to SQLite FTS5.

Usage: ``python -m matching.bench --suppliers 100000 [--queries 200] [--data DIR] [--seed 0]``.
The corpus is drawn from the shared CPV labels and DECP texts when present (``--data`` or
``$SHARED_DATA_DIR`` or ``../shared/data``), from a small built-in vocabulary otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .cpv import CPV_DIVISIONS, load_cpv_csv
from .engine import Engine
from .evaluate import POSTCODES_FILE, Fts5Baseline
from .model import Supplier, Tender
from .signals import load_department_centroids

__all__ = ["main", "synthetic_corpus"]

_BUILTIN_PHRASES = (
    ("Nettoyage de locaux et entretien de la vitrerie", "90911200"),
    ("Travaux de peinture intérieure et ravalement de façades", "45442100"),
    ("Plomberie, chauffage et ventilation des bâtiments", "45330000"),
    ("Entretien des espaces verts et élagage", "77310000"),
    ("Traiteur, pâtisserie et buffets pour réceptions", "55520000"),
    ("Maintenance informatique et développement de sites internet", "72000000"),
    ("Gardiennage et surveillance de sites", "79713000"),
    ("Transport de personnes et déménagement", "60000000"),
    ("Impression de documents et reprographie", "79800000"),
    ("Formation professionnelle et accompagnement", "80500000"),
    ("Menuiserie bois et aluminium, pose de fenêtres", "45421000"),
    ("Électricité générale et éclairage public", "45310000"),
)
_DEPTS = [f"{i:02d}" for i in range(1, 96) if i != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
_LABELS = ("entreprise qpv", "ess", "rse", "esat", "femmes entrepreneures")


def _phrases(data_dir: Path | None) -> list[tuple[str, str]]:
    phrases: list[tuple[str, str]] = []
    if data_dir is not None:
        cpv_csv = data_dir / "cpv" / "cpv_2008_fr_en.csv"
        if cpv_csv.is_file():
            phrases += [(label, code) for code, label in load_cpv_csv(cpv_csv)]
        decp = data_dir / "decp" / "dev" / "suppliers.jsonl"
        if decp.is_file():
            with open(decp, encoding="utf-8") as handle:
                for line in handle:
                    row = json.loads(line)
                    if row.get("cpv_codes"):
                        phrases += [(t, row["cpv_codes"][0]) for t in row["description"].splitlines() if t.strip()]
    return phrases or list(_BUILTIN_PHRASES) + [(label, code) for code, label in CPV_DIVISIONS]


def synthetic_corpus(n: int, data_dir: Path | None = None, seed: int = 0) -> tuple[list[Supplier], list[Tender]]:
    """``n`` random suppliers and 1,000 tenders assembled from real phrases (reproducible with ``seed``)."""
    rng = np.random.default_rng(seed)
    phrases = _phrases(data_dir)
    suppliers = []
    for i in range(n):
        picks = rng.integers(0, len(phrases), size=int(rng.integers(1, 4)))
        texts = [phrases[p][0] for p in picks]
        codes = tuple(dict.fromkeys(phrases[p][1] for p in picks))
        depts = tuple(dict.fromkeys(_DEPTS[d] for d in rng.integers(0, len(_DEPTS), size=int(rng.integers(1, 3)))))
        has_size = rng.random() < 0.5
        suppliers.append(Supplier(
            id=f"S{i:07d}", name=f"Entreprise {texts[0].split()[0]} {i}", description="\n".join(texts),
            keywords=tuple(texts[0].lower().split()[:3]), cpv_codes=codes, departments=depts,
            lat=float(rng.uniform(42.5, 50.8)), lon=float(rng.uniform(-4.5, 7.8)),
            headcount=int(rng.integers(1, 200)) if has_size else None,
            annual_revenue_eur=float(rng.uniform(5e4, 2e7)) if has_size else None,
            labels=tuple(_LABELS[j] for j in range(len(_LABELS)) if rng.random() < 0.15)))
    tenders = []
    for i in range(1000):
        text, code = phrases[int(rng.integers(0, len(phrases)))]
        tenders.append(Tender(id=f"T{i}", title=text, cpv_codes=(code,),
                              department=_DEPTS[int(rng.integers(0, len(_DEPTS)))],
                              budget_eur=float(rng.uniform(1e4, 1e6))))
    return suppliers, tenders


def _peak_mb() -> float:
    # ru_maxrss is in kB on Linux (bytes on macOS); peak resident memory of this process so far.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _pct(values: list[float]) -> str:
    arr = np.asarray(values) * 1000
    return f"p50 {np.percentile(arr, 50):7.1f} ms   p95 {np.percentile(arr, 95):7.1f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m matching.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data", help="shared data folder (default: $SHARED_DATA_DIR or ../shared/data)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-fts", action="store_true", help="skip the SQLite FTS5 comparison")
    args = parser.parse_args(argv)
    data = Path(args.data or os.environ.get("SHARED_DATA_DIR") or "../shared/data")
    data_dir = data if data.is_dir() else None

    t0 = time.perf_counter()
    suppliers, tenders = synthetic_corpus(args.suppliers, data_dir, args.seed)
    print(f"corpus: {len(suppliers)} suppliers from {'shared data ' + str(data_dir) if data_dir else 'built-in'}"
          f" vocabulary ({time.perf_counter() - t0:.1f}s to build)   peak RSS before fit {_peak_mb():.0f} MB")
    queries = tenders[: args.queries]
    postcodes = data_dir / POSTCODES_FILE if data_dir else None
    # The web app's path: nearby departments are scored when department centroids are known.
    centroids = load_department_centroids(postcodes) if postcodes and postcodes.is_file() else None
    print(f"department centroids: {len(centroids) if centroids else 'none'}")

    t0 = time.perf_counter()
    engine = Engine(department_coords=centroids).fit(suppliers)
    fit_s = time.perf_counter() - t0
    print(f"engine fit: {fit_s:.1f} s   peak RSS {_peak_mb():.0f} MB")

    shortlist_times, search_times = [], []
    for tender in queries:
        t0 = time.perf_counter()
        engine.shortlist(tender, k=10)
        shortlist_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        engine.search(tender.title, k=20)
        search_times.append(time.perf_counter() - t0)
    print(f"engine shortlist(k=10):  {_pct(shortlist_times)}")
    print(f"engine search(k=20):     {_pct(search_times)}")

    add_times, visible = [], 0
    for i in range(20):
        new = Supplier(id=f"NEW{i}", name="Zorglub nettoyage", description="Nettoyage zorglubesque de vitres",
                       cpv_codes=("90911300",), departments=("93",))
        t0 = time.perf_counter()
        engine.add(new)
        found = engine.search("zorglubesque", k=30)
        add_times.append(time.perf_counter() - t0)
        visible += any(m.supplier_id == new.id for m in found)
    print(f"engine add() + next query: {_pct(add_times)}   visible in {visible}/20")
    t0 = time.perf_counter()
    engine.remove("NEW0")
    gone = all(m.supplier_id != "NEW0" for m in engine.search("zorglubesque", k=30))
    print(f"engine remove() + next query: {1000 * (time.perf_counter() - t0):.1f} ms   gone: {gone}")
    print(f"peak RSS after engine queries: {_peak_mb():.0f} MB")

    if not args.no_fts:
        t0 = time.perf_counter()
        fts = Fts5Baseline(suppliers)
        print(f"\nSQLite FTS5 build: {time.perf_counter() - t0:.1f} s")
        fts_struct, fts_text = [], []
        for tender in queries:
            t0 = time.perf_counter()
            fts.search(tender.title, 10, tender.cpv_codes[0], tender.department)
            fts_struct.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            fts.search(tender.title, 20)
            fts_text.append(time.perf_counter() - t0)
        print(f"FTS5 text+cpv+dept (k=10): {_pct(fts_struct)}")
        print(f"FTS5 text only (k=20):     {_pct(fts_text)}")
        print(f"peak RSS at the end: {_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
