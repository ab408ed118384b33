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
