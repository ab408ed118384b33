"""Migration 0015: the QPV audit trail outlives its company (supplier_id SET NULL, SIRET and name copied)."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from marketplace.extensions import db
from tests.web.test_migrations import _app, empty_postgres_url, empty_sqlite_url  # noqa: F401  (fixtures)

COMPANIES = {1: ("Gardée", "10000000000001"), 2: ("Supprimée", "10000000000002")}


def _insert_before_0015():
    now = sa.func.current_timestamp()
    companies = sa.table("supplier_companies", sa.column("labels", sa.JSON), *(sa.column(c) for c in (
        "id", "name", "siret", "structure_type", "qpv_status", "description", "created_at", "updated_at")))
    changes = sa.table("qpv_status_changes", *(sa.column(c) for c in (
        "supplier_id", "old_status", "new_status", "qpv_code", "method", "reason", "created_at")))
    with db.engine.begin() as connection:
        for number, (name, siret) in COMPANIES.items():
            connection.execute(companies.insert().values(
                id=number, name=name, siret=siret, structure_type="entreprise", qpv_status="verified", labels=[],
                description="", created_at=now, updated_at=now))
            for old, new in ((None, "declared"), ("declared", "verified")):
                connection.execute(changes.insert().values(
                    supplier_id=number, old_status=old, new_status=new, qpv_code="QN09301M", method="admin",
                    reason="", created_at=now))


def _trail(connection):
    return connection.execute(sa.text(
        "SELECT supplier_id, company_siret, company_name, new_status FROM qpv_status_changes ORDER BY id")).all()


@pytest.mark.parametrize(
    "url_fixture", ["empty_sqlite_url", pytest.param("empty_postgres_url", marks=pytest.mark.postgres)]
)
def test_existing_audit_rows_are_kept_with_their_company_snapshot(request, url_fixture):
    app = _app(request.getfixturevalue(url_fixture))
    with app.app_context():
        upgrade(revision="0014")
        _insert_before_0015()
        upgrade(revision="0015")
        with db.engine.connect() as connection:
            assert _trail(connection) == [
                (1, "10000000000001", "Gardée", "declared"), (1, "10000000000001", "Gardée", "verified"),
                (2, "10000000000002", "Supprimée", "declared"), (2, "10000000000002", "Supprimée", "verified")]
        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("qpv_status_changes")}
        assert columns["supplier_id"]["nullable"] is True
        assert columns["company_siret"]["nullable"] is False
        (foreign_key,) = [fk for fk in sa.inspect(db.engine).get_foreign_keys("qpv_status_changes")
                          if fk["referred_table"] == "supplier_companies"]
        assert foreign_key["options"].get("ondelete") == "SET NULL"
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "sqlite":  # no foreign key enforcement here: what the service does
                connection.execute(sa.text("UPDATE qpv_status_changes SET supplier_id = NULL WHERE supplier_id = 2"))
            connection.execute(sa.text("DELETE FROM supplier_companies WHERE id = 2"))
        with db.engine.connect() as connection:
            assert [row[:3] for row in _trail(connection)][2:] == [(None, "10000000000002", "Supprimée")] * 2
        downgrade(revision="0014")  # the old schema cannot hold rows without a company: they go
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT supplier_id, new_status FROM qpv_status_changes ORDER BY id")).all() == [
                (1, "declared"), (1, "verified")]
        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("qpv_status_changes")}
        assert "company_siret" not in columns
        assert columns["supplier_id"]["nullable"] is False
        downgrade(revision="base")
        db.engine.dispose()
