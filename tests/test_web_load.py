"""The load benchmark runs end to end on a tiny demo: gunicorn started and stopped, every page answered 200."""

import json
import os

import pytest
from sqlalchemy.engine import make_url

from benchmarks import web_load

PAGES = {"home", "search", "shortlist", "opportunites", "supplier sheet"}


def _databases() -> list:
    databases = [pytest.param(["--database", "sqlite"], id="sqlite")]
    if url := os.environ.get("TEST_DATABASE_URL"):
        # A database of its own next to the test database (created, then dropped, by the benchmark).
        own = make_url(url).set(database=f"{make_url(url).database}_web_load")
        databases.append(pytest.param(["--database", "postgres", "--postgres-url",
                                       own.render_as_string(hide_password=False)], id="postgres",
                                      marks=pytest.mark.postgres))
    return databases


@pytest.mark.slow
@pytest.mark.parametrize("database", _databases())
def test_web_load_benchmark_measures_every_page_on_a_tiny_demo(tmp_path, capsys, database):
    report = tmp_path / "results.json"
    assert web_load.main(["--suppliers", "40", "--workers", "1", "--clients", "2", "--seconds", "1",
                          "--warmup", "0.2", "--json", str(report), *database]) == 0

    (result,) = json.loads(report.read_text())
    assert result["database"] == database[1]
    assert result["gunicorn"]["workers"] == 1
    assert sorted(row["page"] for row in result["rows"]) == sorted(PAGES)  # one row per page: its turns merged
    for row in result["rows"]:
        assert row["clients"] == 2
        assert row["requests"] > 0, row
        assert row["errors"] == 0, row
        assert 0 < row["p50"] <= row["p95"] <= row["p99"]
    assert result["cold_start"]["seconds"] > result["cold_start"]["buyer_signed_in"] > 0
    assert len(result["worker_first_search_ms"]) == 1
    assert [p["process"] for p in result["memory_after_warmup"]] == ["master", "worker 1"]
    assert all(p["rss"] > 0 for p in result["memory_after_load"])
    output = capsys.readouterr().out
    assert "cold start (gunicorn started -> first search answered)" in output
    assert "% home" in output
    # Gunicorn stopped with the benchmark: no process is left behind.
    for process in result["memory_after_load"]:
        with pytest.raises(ProcessLookupError):
            os.kill(process["pid"], 0)


def test_gunicorn_runs_two_sync_workers_per_core_unless_told_otherwise():
    """The project's gunicorn.conf.py, as gunicorn itself reads it (the benchmark's probe, the app not loaded)."""
    command = [str(web_load.BIN / "gunicorn"), "wsgi:app"]
    env = {key: value for key, value in os.environ.items()
           if key not in {"WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_PRELOAD"}
           and key not in web_load.NOT_INHERITED}  # a developer's own gunicorn settings are not the project's

    settings = web_load.effective_settings(command, env)
    assert (settings["worker_class"], settings["threads"]) == ("sync", 1)
    assert settings["workers"] == 2 * len(os.sched_getaffinity(0))
    assert settings["preload"] is True
    assert settings["timeout"] == 120  # an engine fit in a request is not a hung worker
    assert settings["config"].endswith("gunicorn.conf.py")

    threaded = web_load.effective_settings(command, {**env, "WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "4"})
    assert (threaded["workers"], threaded["threads"], threaded["worker_class"]) == (3, 4, "gthread")
