"""The benchmark scripts run end to end on tiny data (their figures are read by people, not asserted)."""

import csv
import runpy
from pathlib import Path

from matching.cpv import CPV_DIVISIONS

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_cpv_autocomplete_benchmark_prints_its_figures(tmp_path, capsys):
    path = tmp_path / "cpv.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "fr", "en"])
        writer.writerows((code, label, label) for code, label in CPV_DIVISIONS)
    main = runpy.run_path(str(BENCHMARKS / "cpv_autocomplete.py"))["main"]
    assert main([str(path)]) == 0
    output = capsys.readouterr().out
    assert f"{len(CPV_DIVISIONS)} CPV codes" in output
    assert "CpvIndex.complete (k=10)" in output
    assert "baseline: rapidfuzz WRatio scan" in output


def test_cpv_autocomplete_benchmark_says_when_the_file_is_absent(tmp_path, capsys):
    main = runpy.run_path(str(BENCHMARKS / "cpv_autocomplete.py"))["main"]
    assert main([str(tmp_path / "absent.csv")]) == 0
    assert "nothing to measure" in capsys.readouterr().out


def test_alert_threshold_benchmark_prints_its_figures(tmp_path, capsys, monkeypatch):
    import json

    monkeypatch.delenv("SHARED_DATA_DIR", raising=False)
    suppliers = [
        {"id": "1", "name": "Propreté Nord", "description": "Nettoyage de bureaux\nVitrerie des écoles",
         "cpv_codes": ["90910000-9"], "departments": ["59"]},
        {"id": "2", "name": "Saveurs", "description": "Traiteur pour buffets\nRestauration scolaire",
         "cpv_codes": ["55520000-1"], "departments": ["93"]},
        {"id": "3", "name": "Jardins", "description": "Entretien des espaces verts\nÉlagage",
         "cpv_codes": ["77310000-6"], "departments": ["69"]},
    ]
    queries = [{"id": "q1", "text": "Nettoyage des locaux de la mairie", "cpv": "90910000-9", "department": "59",
                "relevant": ["1"]},
               {"id": "q2", "text": "Buffet des vœux", "cpv": "55520000-1", "department": "93", "relevant": ["2"]}]
    (tmp_path / "suppliers.jsonl").write_text("\n".join(json.dumps(s) for s in suppliers), encoding="utf-8")
    (tmp_path / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries), encoding="utf-8")
    main = runpy.run_path(str(BENCHMARKS / "alert_threshold.py"))["main"]
    assert main([str(tmp_path), "--cap", "2"]) == 0
    output = capsys.readouterr().out
    assert "suppliers=3  tenders (queries)=2  cap=2" in output
    assert "winners alerted" in output
    assert "     0.30  " in output
    assert main([str(tmp_path / "absent")]) == 0
    assert "nothing to measure" in capsys.readouterr().out


def test_alert_threshold_measure_counts_winners_and_alerted_companies():
    from matching import Engine, Supplier

    measure = runpy.run_path(str(BENCHMARKS / "alert_threshold.py"))["measure"]
    engine = Engine(experience_weight=0.0).fit([
        Supplier(id="a", name="A", description="Nettoyage de bureaux et vitrerie", cpv_codes=("90910000-9",)),
        Supplier(id="b", name="B", description="Traiteur, buffets", cpv_codes=("55520000-1",)),
    ])
    queries = [{"text": "Nettoyage de bureaux", "cpv": "90910000-9", "relevant": ["a"]}]
    low, high = measure(engine, queries, thresholds=(0.0, 1.01), cap=5)
    assert low["winners_capped"] == 1.0
    assert low["median"] >= 1
    assert high["winners_capped"] == 0.0
    assert high["median"] == 0


def test_opportunities_page_benchmark_runs_at_small_size(tmp_path, capsys):
    main = runpy.run_path(str(BENCHMARKS / "opportunities_page.py"))["main"]
    assert main(["--suppliers", "15", "--tenders", "30", "--baseline-tenders", "26", "--runs", "2",
                 "--database", str(tmp_path / "bench.sqlite3")]) == 0
    output = capsys.readouterr().out
    assert "database: 15 suppliers, 26 published tenders" in output
    assert "database: 15 suppliers, 30 published tenders" in output
    assert "opportunities, first request (warm engine, no cached fit)" in output
    assert "ratio Opportunités 30 / 26 tenders" in output
    assert "ratio Opportunités / buyer shortlist" in output


def test_schedule_benchmark_runs_at_small_size(capsys):
    main = runpy.run_path(str(BENCHMARKS / "schedule.py"))["main"]
    assert main(["--buyers", "6", "--suppliers", "20", "--slots", "4", "--tables", "4", "--time-limit", "10",
                 "--small", "2", "--small-size", "3", "8", "3", "2"]) == 0
    output = capsys.readouterr().out
    assert "event: 6 buyers, 20 entrepreneurs, 4 slots, 4 tables" in output
    assert "schedule_meetings method=auto (limit 10 s)" in output
    assert ", valid, " in output
    assert "plain greedy" in output
    assert "small instances (3 buyers, 8 entrepreneurs, 3 slots, 2 tables), exact vs heuristic" in output
    assert "heuristic reaches the optimum's wish and fairness levels on " in output
    assert "/2 small instances" in output


def test_groups_benchmark_prints_suggest_next_to_shortlist(capsys):
    main = runpy.run_path(str(BENCHMARKS / "groups.py"))["main"]
    assert main(["--suppliers", "300", "--lots", "3", "--runs", "1", "--data", "/nonexistent"]) == 0
    output = capsys.readouterr().out
    assert "300 suppliers" in output
    assert output.count("suggest_groups(max_size=3, limit=5) median") == 2  # with and without a department
    assert output.count("suggest_groups(max_size=4, limit=5) median") == 2
    assert "shortlist(k=10) median" in output


def test_buyer_report_benchmark_runs_at_small_size(tmp_path, capsys):
    main = runpy.run_path(str(BENCHMARKS / "buyer_report.py"))["main"]
    assert main(["--tenders", "6", "--companies", "8", "--runs", "2",
                 "--database", str(tmp_path / "bench.sqlite3")]) == 0
    output = capsys.readouterr().out
    assert "database: sqlite, 12 awarded tenders over two organisations" in output
    assert "report page /acheteur/rapport" in output
    assert "ratio report page / buyer dashboard" in output
