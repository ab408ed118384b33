"""What `make run` does, minus serving: migrate an empty SQLite file, load reference and demo data, show them."""

import re
from pathlib import Path

import pytest

from marketplace import create_app
from marketplace.config import TestingConfig


@pytest.fixture
def fresh_app(tmp_path):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'marketplace.sqlite3'}"
    return create_app(config)


def test_migrate_seed_and_serve_the_home_page(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    shared = Path(fresh_app.config["SHARED_DATA_DIR"])
    if shared.is_dir():
        loaded = runner.invoke(args=["refdata", "load", str(shared)])
        assert loaded.exit_code == 0, loaded.output
        assert "9454" in loaded.output
    seeded = runner.invoke(args=["seed-demo", "--suppliers", "40", "--if-empty"])
    assert seeded.exit_code == 0, seeded.output
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "non chargées" in again.output  # --if-empty leaves a filled database alone
    html = fresh_app.test_client().get("/").get_data(as_text=True)
    assert re.search(r'<span class="figure">40</span> entreprises référencées', html)
    assert re.search(r'<span class="figure">20</span> organisations acheteuses', html)
