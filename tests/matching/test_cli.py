"""The evaluation and bench commands run end to end on a tiny corpus."""

import json

import pytest

from matching import bench, evaluate


@pytest.fixture
def tiny_benchmark(tmp_path, suppliers):
    with open(tmp_path / "suppliers.jsonl", "w", encoding="utf-8") as handle:
        for s in suppliers:
            handle.write(json.dumps({"id": s.id, "name": s.name, "description": s.description,
                                     "cpv_codes": list(s.cpv_codes), "departments": list(s.departments)}) + "\n")
    queries = [
        {"id": "q1", "text": "Nettoyage des vitres", "cpv": "90911200", "department": "93", "relevant": ["clean93"]},
        {"id": "q2", "text": "Buffet pâtissier", "cpv": "15812000", "department": "", "relevant": ["pastry"]},
        {"id": "q3", "text": "Plomberie école", "cpv": "45330000", "department": "75", "relevant": ["plumb"]},
    ]
    with open(tmp_path / "queries.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(q) + "\n" for q in queries)
    return tmp_path


def test_evaluate_main(tiny_benchmark, capsys, monkeypatch):
    monkeypatch.setenv("SHARED_DATA_DIR", str(tiny_benchmark / "absent"))
    assert evaluate.main([str(tiny_benchmark), "--cpv-csv", str(tiny_benchmark / "none.csv")]) == 0
    out = capsys.readouterr().out
    assert "SQLite FTS5 BM25" in out
    assert "text+cpv+dept" in out
    assert "division" in out
    engine_line = next(line for line in out.splitlines() if line.startswith("engine") and "text+cpv" in line)
    assert float(engine_line.split()[-3]) == 1.0  # recall@10 on this trivial benchmark
    assert "department centroids: none" in out


def test_evaluate_main_reads_department_centroids(tiny_benchmark, capsys, monkeypatch):
    monkeypatch.setenv("SHARED_DATA_DIR", str(tiny_benchmark / "absent"))
    postcodes = tiny_benchmark / "postcodes.csv"
    postcodes.write_text("Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;coordonnees_gps\n"
                         "75056;PARIS;75001;;PARIS;48.86,2.34\n93066;SAINT DENIS;93200;;SAINT DENIS;48.93,2.35\n",
                         encoding="utf-8")
    assert evaluate.main([str(tiny_benchmark), "--no-cpv", "--cpv-csv", str(tiny_benchmark / "none.csv"),
                          "--postcodes-csv", str(postcodes)]) == 0
    assert f"department centroids: {postcodes} (2 departments)" in capsys.readouterr().out


def test_metrics():
    queries = [{"relevant": ["a"]}, {"relevant": ["b", "c"]}]
    assert evaluate.metrics([["x", "a"], ["b"]], queries, k=10) == (0.75, 0.75)


def test_bench_main(capsys, tmp_path):
    assert bench.main(["--suppliers", "300", "--queries", "10", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "engine fit" in out
    assert "FTS5" in out
    assert "visible in 20/20" in out
