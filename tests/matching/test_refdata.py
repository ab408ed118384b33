"""Checks on the real DECP dev benchmark (skipped when ../shared/data is absent)."""

import pytest

from matching import Engine
from matching.evaluate import evaluate, load_benchmark


@pytest.mark.refdata
@pytest.mark.slow
def test_dev_benchmark_beats_fts_baseline(shared_data):
    directory = shared_data / "decp" / "dev"
    if not (directory / "queries.jsonl").is_file():
        pytest.skip(f"DECP dev benchmark not found at {directory}")
    suppliers, queries = load_benchmark(directory)
    recall, mrr = evaluate(Engine().fit(suppliers), queries[:150], structured=True)
    assert recall > 0.5
    assert mrr > 0.3
