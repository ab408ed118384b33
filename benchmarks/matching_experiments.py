"""Offline experiments on the tuning set (pseudo-queries from the suppliers file; see matching_tune.py).

Collects every candidate (n_candidates unbounded) with its per-signal components once per round, plus extra
signals computed here (Okapi BM25 statistics, LSA cosines, word-bigram cosines) and pickles them to
``--cache``. Fusion variants (score normalisation, BM25, RRF, LSA, bigrams, CPV curves, candidate pool sizes)
were then scored offline on that cache with short ad hoc scripts; the figures are in docs/matching.md.
Run: ``python benchmarks/matching_experiments.py ../shared/data/decp/dev`` (~40 s). Never reads the queries.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer

import matching.index as mindex  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from matching_tune import pseudo_queries  # noqa: E402

from matching.cpv import load_cpv_csv  # noqa: E402
from matching.engine import Engine  # noqa: E402
from matching.evaluate import find_cpv_csv, load_benchmark, tender_for  # noqa: E402
from matching.index import supplier_text  # noqa: E402


def bm25_matrix(engine, suppliers):
    cv = CountVectorizer(analyzer=engine.text_model_.analyzer_, vocabulary=engine.text_model_.vocab_)
    ids = sorted(s.id for s in suppliers)
    by = {s.id: s for s in suppliers}
    tf = cv.transform([supplier_text(by[i], engine.cpv_labels_) for i in ids]).tocsr().astype(np.float64)
    return ids, tf


def bigram_model(engine, suppliers):
    from sklearn.feature_extraction.text import TfidfVectorizer
    an = engine.text_model_.analyzer_

    def bigrams(text):
        out = []
        for line in text.splitlines():
            st = an(line)
            out.extend(f"{a} {b}" for a, b in zip(st, st[1:], strict=False))
        return out
    vec = TfidfVectorizer(analyzer=bigrams, sublinear_tf=True, dtype=np.float32)
    by = {s.id: s for s in suppliers}
    ids = sorted(by)
    x = vec.fit_transform([supplier_text(by[i], engine.cpv_labels_) for i in ids]).tocsr()
    return vec, x


def lsa_models(engine, dims=(100, 200)):
    out = {}
    x = engine.main_.word
    for d in dims:
        svd = TruncatedSVD(n_components=d, random_state=0).fit(x)
        docs = svd.transform(x)
        docs /= np.maximum(np.linalg.norm(docs, axis=1, keepdims=True), 1e-12)
        out[d] = (svd, docs)
    return out


def collect(engine, queries, structured, tf_ids, tf, lsa, big):
    engine._reasons = lambda *a, **kw: ()
    row_of = {s: i for i, s in enumerate(tf_ids)}
    dl = np.asarray(tf.sum(axis=1)).ravel()
    df = np.diff(tf.tocsc().indptr)
    n = tf.shape[0]
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    out = []
    for q in queries:
        t = tender_for(q, structured)
        matches = engine.shortlist(t, k=100000)
        names = sorted(matches[0].components) if matches else []
        comps = {c: np.array([m.components[c] for m in matches]) for c in names}
        ids = [m.supplier_id for m in matches]
        qt = engine.text_model_.query(t.title)
        cols = qt.word.indices
        cols = cols[cols < tf.shape[1]]
        rows = np.array([row_of[i] for i in ids], dtype=np.int64)
        rows_main = np.array([engine.main_rows_[i] for i in ids], dtype=np.int64)
        sub = tf[rows][:, cols].toarray() if rows.size else np.zeros((0, cols.size))
        lsa_s = {}
        for d, (svd, docs) in lsa.items():
            v = svd.transform(qt.word[:, : svd.components_.shape[1]]) if qt.word.nnz else np.zeros((1, d))
            v /= max(float(np.linalg.norm(v)), 1e-12)
            lsa_s[d] = (docs @ v.ravel())[rows_main]
        rows_main = None
        bq = big[0].transform([t.title])
        big_s = np.asarray((big[1][rows] @ bq.T).todense()).ravel()
        out.append({"big": big_s, "lsa": lsa_s, "ids": ids, "comps": comps, "rel": set(q["relevant"]),
                    "sub": sub, "idf": idf[cols],
                    "dl": dl[rows], "avgdl": dl.mean(), "qw": np.asarray(qt.word.data)[: cols.size]})
    return out


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("directory", nargs="?", default="../shared/data/decp/dev")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--cache", default="/tmp/exp/cache.pkl")
    a = p.parse_args(argv)
    suppliers, _ = load_benchmark(a.directory)
    csv_path = find_cpv_csv(a.directory)
    labels = load_cpv_csv(csv_path) if csv_path else None
    res = {False: [], True: []}
    for seed in range(a.rounds):
        corpus, qs = pseudo_queries(suppliers, seed)
        engine = Engine(cpv_labels=labels, n_candidates=10**9).fit(corpus)
        tf_ids, tf = bm25_matrix(engine, corpus)
        lsa = lsa_models(engine, dims=(100,))
        big = bigram_model(engine, corpus)
        orig = mindex.Segment.word_scores
        mindex.Segment.word_scores = lambda self, q, f=orig: f(self, q) + 1e-12  # every row is a candidate
        for s in (False, True):
            res[s].extend(collect(engine, qs, s, tf_ids, tf, lsa, big))
        mindex.Segment.word_scores = orig
    with open(a.cache, "wb") as f:
        pickle.dump(res, f)


if __name__ == "__main__":
    main()
