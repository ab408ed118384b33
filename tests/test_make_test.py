"""`make test` runs the PostgreSQL tests whenever a server answers, as `.ci/run` does (one probe: .ci/test-env)."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_ENV = ROOT / ".ci" / "test-env"
SHOW_URL = [sys.executable, "-c", "import os; print(os.environ.get('TEST_DATABASE_URL', '<unset>'))"]


def run_test_env(port: int, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    env.update(TEST_POSTGRES_HOST="127.0.0.1", TEST_POSTGRES_PORT=str(port), **extra)
    return subprocess.run([str(TEST_ENV), *SHOW_URL], env=env, capture_output=True, text=True, timeout=60, check=True)


@pytest.fixture
def listening_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_server_that_answers_gets_the_postgres_tests(listening_port):
    result = run_test_env(listening_port)
    assert result.stdout.strip() == f"postgresql+psycopg://postgres@127.0.0.1:{listening_port}/test"
    assert "also run against it" in result.stderr


def test_no_server_means_no_url_and_a_reason(closed_port):
    result = run_test_env(closed_port)
    assert result.stdout.strip() == "<unset>"
    assert "will be skipped" in result.stderr


def test_a_url_given_by_hand_is_kept(closed_port):
    assert run_test_env(closed_port, TEST_DATABASE_URL="postgresql+psycopg://me@db/x").stdout.strip() == (
        "postgresql+psycopg://me@db/x")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_and_ci_run_use_the_probe():
    dry_run = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    pytest_lines = [line for line in dry_run.stdout.splitlines() if "bin/pytest" in line]
    assert pytest_lines
    assert all(line.startswith(".ci/test-env ") for line in pytest_lines)
    ci_commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
                   if line.strip() and not line.startswith("#")]
    assert ci_commands[-1] == "make test"
    assert "5432" not in "\n".join(ci_commands)  # the probe lives in one place
