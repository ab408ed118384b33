"""The ``flask seed-demo`` command."""

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import SupplierCompany


def test_seed_demo_prints_the_summary(runner):
    result = runner.invoke(args=["seed-demo", "--suppliers", "50"])
    assert result.exit_code == 0, result.output
    assert "50 entreprises de quartier" in result.output
    assert "entrepreneur@demo.marche-quartiers.fr" in result.output
    assert "mot de passe" in result.output
    assert db.session.scalar(select(func.count(SupplierCompany.id))) == 50


def test_if_empty_skips_a_filled_database(runner):
    assert runner.invoke(args=["seed-demo", "--suppliers", "10", "--if-empty"]).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--suppliers", "40", "--if-empty"])
    assert result.exit_code == 0
    assert "Base déjà remplie" in result.output
    assert db.session.scalar(select(func.count(SupplierCompany.id))) == 10
