"""Checks on the real DECP dev benchmark (skipped when ../shared/data is absent)."""

import re
from pathlib import Path

import pytest

from matching import Engine
from matching.cpv import load_cpv_csv
from matching.evaluate import POSTCODES_FILE, evaluate, find_cpv_csv, find_shared_file, load_benchmark
from matching.signals import load_department_centroids

README = Path(__file__).resolve().parents[2] / "README.md"
TOLERANCE = 0.02


def documented_figures() -> dict[str, tuple[float, float]]:
    """The engine's recall@10 and MRR@10 per mode, as the README's figures table states them."""
    rows = re.findall(r"^\| engine \| ([^|]+?) \| ([0-9.]+) \| ([0-9.]+) \|$", README.read_text(encoding="utf-8"), re.M)
    return {mode: (float(recall), float(mrr)) for mode, recall, mrr in rows}


def test_the_readme_states_both_figures():
    assert set(documented_figures()) == {"text + CPV + department", "text only"}


@pytest.mark.refdata
@pytest.mark.slow
def test_dev_benchmark_matches_the_documented_figures(shared_data):
    directory = shared_data / "decp" / "dev"
    if not (directory / "queries.jsonl").is_file():
        pytest.skip(f"DECP dev benchmark not found at {directory}")
    suppliers, queries = load_benchmark(directory)
    # The engine as `make evaluate` builds it: the CPV labels and the department centroids of the shared files.
    cpv_csv, postcodes = find_cpv_csv(directory), find_shared_file(directory, POSTCODES_FILE)
    if cpv_csv is None or postcodes is None:
        pytest.skip("CPV labels or La Poste postcode base missing next to the benchmark")
    engine = Engine(cpv_labels=load_cpv_csv(cpv_csv), department_coords=load_department_centroids(postcodes))
    engine.fit(suppliers)
    figures = documented_figures()
    for mode, structured in (("text + CPV + department", True), ("text only", False)):
        recall, mrr = evaluate(engine, queries, k=10, structured=structured)
        expected_recall, expected_mrr = figures[mode]
        assert recall == pytest.approx(expected_recall, abs=TOLERANCE), mode
        assert mrr == pytest.approx(expected_mrr, abs=TOLERANCE), mode
