"""Evaluate the engine on a tender -> supplier benchmark, side by side with a SQLite FTS5 BM25 baseline.

Usage: ``python -m matching.evaluate DIR [--k 10] [--cpv-csv PATH] [--postcodes-csv PATH] [--no-cpv]`` where DIR holds
``suppliers.jsonl`` and ``queries.jsonl`` (the DECP format of ``../shared/data/decp``). Prints recall@k and
MRR@k for text-only queries and for queries with their CPV code and department, then the top-5 accuracy of
:class:`~matching.cpv.CpvSuggester` at division and group level.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .cpv import CPV_DIVISIONS, CpvSuggester, load_cpv_csv, parse_cpv
from .engine import Engine
from .model import Supplier, Tender
from .signals import load_department_centroids
from .text import tokenize

__all__ = ["Fts5Baseline", "cpv_accuracy", "evaluate", "find_cpv_csv", "find_shared_file", "load_benchmark", "main",
           "metrics"]

CPV_FILE = "cpv/cpv_2008_fr_en.csv"
POSTCODES_FILE = "postcodes/laposte_hexasmal_2020.csv"


def load_benchmark(directory: str | Path) -> tuple[list[Supplier], list[dict]]:
    """Read ``suppliers.jsonl`` as :class:`Supplier` records and ``queries.jsonl`` as dicts."""
    directory = Path(directory)
    suppliers = []
    with open(directory / "suppliers.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                suppliers.append(Supplier(id=str(row["id"]), name=row.get("name") or "",
                                          description=row.get("description") or "",
                                          cpv_codes=tuple(row.get("cpv_codes") or ()),
                                          departments=tuple(row.get("departments") or ())))
    with open(directory / "queries.jsonl", encoding="utf-8") as handle:
        queries = [json.loads(line) for line in handle if line.strip()]
    return suppliers, queries


def find_shared_file(directory: str | Path, relative: str) -> Path | None:
    """Locate a shared data file (e.g. ``cpv/cpv_2008_fr_en.csv``) above a benchmark directory or under
    $SHARED_DATA_DIR."""
    roots = [Path(os.environ["SHARED_DATA_DIR"])] if os.environ.get("SHARED_DATA_DIR") else []
    roots += [Path(directory).resolve(), *Path(directory).resolve().parents]
    for root in roots:
        path = root / relative
        if path.is_file():
            return path
    return None


def find_cpv_csv(directory: str | Path) -> Path | None:
    """Locate the CPV labels file next to a benchmark directory (or under $SHARED_DATA_DIR)."""
    return find_shared_file(directory, CPV_FILE)


def metrics(ranked: Sequence[Sequence[str]], queries: Sequence[dict], k: int = 10) -> tuple[float, float]:
    """Mean recall@k (share of a query's relevant suppliers found) and MRR@k over ``queries``."""
    if not queries:
        return 0.0, 0.0
    recall = mrr = 0.0
    for ids, query in zip(ranked, queries, strict=True):
        relevant = set(query["relevant"])
        top = list(ids)[:k]
        recall += len(relevant & set(top)) / max(1, len(relevant))
        mrr += next((1.0 / (i + 1) for i, x in enumerate(top) if x in relevant), 0.0)
    return recall / len(queries), mrr / len(queries)


def tender_for(query: dict, structured: bool) -> Tender:
    """How a benchmark query becomes engine input: the text, plus its CPV code and department if asked."""
    if not structured:
        return Tender(id=str(query.get("id", "")), title=query["text"])
    return Tender(id=str(query.get("id", "")), title=query["text"],
                  cpv_codes=(query["cpv"],) if query.get("cpv") else (),
                  department=query.get("department") or None)


def evaluate(engine: Engine, queries: Sequence[dict], k: int = 10, structured: bool = True) -> tuple[float, float]:
    """Recall@k and MRR@k of a fitted engine on ``queries``."""
    ranked = [[m.supplier_id for m in engine.shortlist(tender_for(q, structured), k=k)] for q in queries]
    return metrics(ranked, queries, k)


class Fts5Baseline:
    """SQLite FTS5 BM25 over names and descriptions; CPV prefixes and departments as extra tokens."""

    def __init__(self, suppliers: Iterable[Supplier]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(sid UNINDEXED, name, body, codes, depts, "
                        "tokenize = 'unicode61 remove_diacritics 2')")
        rows = []
        for s in suppliers:
            codes = {f"c{c[:n]}" for c in (parse_cpv(x) for x in s.cpv_codes) if c for n in (2, 3, 4, 5, 8)}
            rows.append((s.id, s.name, s.description, " ".join(sorted(codes)),
                         " ".join(f"d{d}" for d in s.departments)))
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", rows)
        self.db.commit()

    def search(self, text: str, k: int = 10, cpv: str | None = None, department: str | None = None) -> list[str]:
        """Ids of the best ``k`` suppliers: OR of the query's words (and CPV / department tokens)."""
        terms = [f'"{t}"' for t in dict.fromkeys(tokenize(text))]
        code = parse_cpv(cpv) if cpv else None
        if code:
            terms += [f'"c{code[:n]}"' for n in (2, 3, 4, 5, 8)]
        if department:
            terms.append(f'"d{department}"')
        if not terms:
            return []
        sql = "SELECT sid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
        return [row[0] for row in self.db.execute(sql, (" OR ".join(terms), k))]


def cpv_accuracy(suggest: Callable[[str], list], queries: Sequence[dict], k: int = 5) -> tuple[float, float]:
    """Top-k accuracy of CPV suggestions at division (2 digits) and group (3 digits) level."""
    scored = [q for q in queries if parse_cpv(q.get("cpv") or "")]
    if not scored:
        return 0.0, 0.0
    division = group = 0
    for q in scored:
        codes = [s.code for s in suggest(q["text"])[:k]]
        division += any(c[:2] == q["cpv"][:2] for c in codes)
        group += any(c[:3] == q["cpv"][:3] for c in codes)
    return division / len(scored), group / len(scored)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m matching.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="folder with suppliers.jsonl and queries.jsonl")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--cpv-csv", help="CPV labels CSV (default: found next to the benchmark)")
    parser.add_argument("--postcodes-csv", help="La Poste postcode base for department centroids "
                        "(default: found next to the benchmark)")
    parser.add_argument("--no-cpv", action="store_true", help="skip the CPV suggestion accuracy")
    args = parser.parse_args(argv)
    suppliers, queries = load_benchmark(args.directory)
    csv_path = Path(args.cpv_csv) if args.cpv_csv else find_cpv_csv(args.directory)
    labels = load_cpv_csv(csv_path) if csv_path and csv_path.is_file() else list(CPV_DIVISIONS)
    print(f"benchmark: {args.directory}  suppliers={len(suppliers)}  queries={len(queries)}  k={args.k}")
    print(f"CPV labels: {csv_path if csv_path else 'built-in 45 divisions'} ({len(labels)} codes)")
    postcodes = Path(args.postcodes_csv) if args.postcodes_csv else find_shared_file(args.directory, POSTCODES_FILE)
    if args.postcodes_csv and not postcodes.is_file():
        parser.error(f"--postcodes-csv: no such file: {postcodes}")
    centroids = load_department_centroids(postcodes) if postcodes else None
    print(f"department centroids: {postcodes} ({len(centroids)} departments)" if centroids
          else "department centroids: none (geography = same department only)")

    t0 = time.perf_counter()
    engine = Engine(cpv_labels=labels, department_coords=centroids).fit(suppliers)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fts = Fts5Baseline(suppliers)
    fts_fit_s = time.perf_counter() - t0

    print(f"\n{'system':<28}{'mode':<16}{'recall@' + str(args.k):>10}{'MRR@' + str(args.k):>9}{'ms/query':>10}")
    for structured in (False, True):
        mode = "text+cpv+dept" if structured else "text only"
        t0 = time.perf_counter()
        recall, mrr = evaluate(engine, queries, args.k, structured)
        ms = 1000 * (time.perf_counter() - t0) / max(1, len(queries))
        print(f"{'engine (fit %.1fs)' % fit_s:<28}{mode:<16}{recall:>10.3f}{mrr:>9.3f}{ms:>10.1f}")
    for structured in (False, True):
        mode = "text+cpv+dept" if structured else "text only"
        t0 = time.perf_counter()
        ranked = [fts.search(q["text"], args.k, q.get("cpv") if structured else None,
                             q.get("department") if structured else None) for q in queries]
        ms = 1000 * (time.perf_counter() - t0) / max(1, len(queries))
        recall, mrr = metrics(ranked, queries, args.k)
        print(f"{'SQLite FTS5 BM25 (%.1fs)' % fts_fit_s:<28}{mode:<16}{recall:>10.3f}{mrr:>9.3f}{ms:>10.1f}")

    if not args.no_cpv:
        # Trained on the CPV labels and on the suppliers' own descriptions, never on the queries.
        examples = [(line, code) for s in suppliers if len(s.cpv_codes) == 1
                    for line in s.description.splitlines() for code in s.cpv_codes if line.strip()]
        t0 = time.perf_counter()
        suggester = CpvSuggester().fit(labels, examples)
        print(f"\nCPV suggestion (fit {time.perf_counter() - t0:.1f}s on {len(labels)} labels + "
              f"{len(examples)} supplier examples)")
        division, group = cpv_accuracy(lambda text: suggester.suggest(text, k=5), queries)
        print(f"top-5 accuracy: division {division:.3f}  group {group:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
