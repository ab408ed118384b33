"""Fit time of the web app's engine on the demo corpus, and its saved index's size and load time (prints figures).

    .venv/bin/python -m benchmarks.engine_fit [--suppliers 10000 100000] [--seed 42] [--baseline-max 20000]

The corpus is what ``flask seed-demo --suppliers N`` writes, indexed as the web app indexes it: the demo generator's
companies and offers turned into engine records by ``marketplace.search.to_supplier``, with the built-in reference
data (no ``refdata load``). Generated in memory, without database rows (cached in ~/.cache/marketplace-benchmarks).

For each size it prints the fit (``search.new_engine().fit``; wall and CPU seconds: CPU time is less disturbed by
other work on a shared machine), the index saved by ``search_index.save`` (seconds, MB) and loaded back by
``search_index.load_current`` (seconds; arrays memory-mapped). As the baseline of the same run, the two text views
(word counts and character n-gram TF-IDF) are computed both by ``TextModel.fit_transform`` and by the
scikit-learn vectorizers it replaced (``CountVectorizer(analyzer=FrenchAnalyzer())`` and
``TfidfVectorizer(analyzer="char_wb", preprocessor=normalize, sublinear_tf=True)``), up to ``--baseline-max``
suppliers (the old way takes minutes at 100,000).
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from marketplace import create_app, search, search_index  # noqa: E402
from marketplace.config import TestingConfig  # noqa: E402
from marketplace.demo.generator import generate_suppliers  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.models import Offer, SupplierCompany  # noqa: E402
from matching.index import TextModel, supplier_text  # noqa: E402

COLUMNS = {c.key for c in SupplierCompany.__table__.columns}
OFFER_COLUMNS = {c.key for c in Offer.__table__.columns}
SEEDING_DAY = date(2026, 11, 30)  # fixed: the corpus must not change from one day to the next


def demo_records(count: int, seed: int) -> list:
    """The demo corpus of ``count`` suppliers as engine records (cached on disk: generating 100,000 takes time)."""
    # A pickle: kept in this user's own cache directory, never in the shared temporary one where others could plant it.
    directory = Path.home() / ".cache" / "marketplace-benchmarks"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    cache = directory / f"demo-records-{seed}-{count}-{SEEDING_DAY}.pickle"
    if cache.is_file() and search_index.trusted(directory):
        return pickle.loads(cache.read_bytes())
    records = []
    for i, row in enumerate(generate_suppliers(seed, count, today=SEEDING_DAY), start=1):
        company = SupplierCompany(id=i, **{k: v for k, v in row.items() if k in COLUMNS and k != "id"})
        company.offers = [Offer(**{k: v for k, v in o.items() if k in OFFER_COLUMNS}) for o in row["offers"]]
        records.append(search.to_supplier(company))
    cache.write_bytes(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    return records


def _timed(fn):
    """(result, wall seconds, CPU seconds) of ``fn()``."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def sklearn_text_views(texts: list[str]):
    """The text views as the engine computed them before (the baseline): scikit-learn's vectorizers."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    from matching.text import FrenchAnalyzer, normalize

    words = CountVectorizer(analyzer=FrenchAnalyzer(), dtype=np.float32).fit_transform(texts)
    chars = TfidfVectorizer(analyzer="char_wb", preprocessor=normalize, sublinear_tf=True, ngram_range=(3, 4),
                            dtype=np.float32).fit_transform(texts)
    return words, chars


# Run in a fresh process: the resident size of a loaded index, then what a worker forked from that process (as
# gunicorn's preload does, after gc.freeze) adds in private memory while it answers searches.
SHARING = """
import gc, json, os, sys
from pathlib import Path
import matching, scipy.sparse, rapidfuzz  # noqa: F401  (imported before measuring: not the index's memory)
from marketplace import search_index

QUERIES = ["nettoyage de bureaux", "traiteur bio", "plombrie chauffage", "espaces verts", "informatique",
           "peinture ravalement", "transport de personnes", "formation", "menuiserie aluminium", "gardiennage"]

def memory():
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"]

def searches(engine, rounds):
    for _ in range(rounds):
        for query in QUERIES:
            engine.search(query, k=30)

before = memory()[0]
engine, _ = search_index.load_current(Path(sys.argv[1]))
searches(engine, 2)
resident = memory()[0] - before
gc.freeze()
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(read)
    start = memory()[1]
    searches(engine, 20)
    os.write(write, json.dumps(memory()[1] - start).encode())
    os._exit(0)
os.close(write)
added = json.loads(os.read(read, 100))
os.waitpid(pid, 0)
print(json.dumps({"resident": resident, "worker": added}))
"""


def sharing(directory: Path) -> dict:
    """The index's resident MB in a process that loaded it, and the private MB a forked worker adds (200 searches)."""
    out = subprocess.run([sys.executable, "-c", SHARING, str(directory)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--baseline-max", type=int, default=20_000)
    args = parser.parse_args(argv)
    config = TestingConfig()
    with tempfile.TemporaryDirectory() as tmp:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app(config)
        with app.app_context():
            db.create_all()
            print("Demo corpus (flask seed-demo), built-in reference data. Seconds; MB on disk; resident MB of the "
                  "loaded index and private MB a forked worker adds after 200 searches.")
            print(f"{'suppliers':>10} {'fit':>7} {'fit CPU':>8} {'save':>6} {'MB':>6} {'load':>6}   "
                  f"{'text views':>10} {'sklearn':>8} {'ratio':>6}   {'resident':>8} {'worker':>7} {'share':>6}")
            for size in args.suppliers:
                records = demo_records(size, args.seed)
                engine = search.new_engine()
                engine, fit_s, fit_cpu = _timed(lambda e=engine, r=records: e.fit(r))
                directory = Path(tmp) / f"index-{size}"
                build = search_index.Build(0, size, "")
                _, save_s, _ = _timed(lambda e=engine, d=directory, b=build: search_index.save(e, b, d))
                megabytes = sum(f.stat().st_size for f in directory.glob("index-*")) / 1e6
                loaded, load_s, _ = _timed(lambda d=directory: search_index.load_current(d))
                assert len(loaded[0].suppliers_) == size
                texts = [supplier_text(r, dict(engine.cpv_labels_)) for r in records]
                _, text_s, _ = _timed(lambda t=texts: TextModel().fit_transform(t))
                if size <= args.baseline_max:
                    _, old_s, _ = _timed(lambda t=texts: sklearn_text_views(t))
                    baseline = f"{old_s:>8.2f} {old_s / text_s:>5.1f}x"
                else:
                    baseline = f"{'-':>8} {'-':>6}"
                memory = sharing(directory)
                print(f"{size:>10,} {fit_s:>7.2f} {fit_cpu:>8.2f} {save_s:>6.2f} {megabytes:>6.0f} {load_s:>6.2f}   "
                      f"{text_s:>10.2f} {baseline}   {memory['resident']:>8.0f} {memory['worker']:>7.1f} "
                      f"{memory['worker'] / memory['resident']:>6.0%}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
