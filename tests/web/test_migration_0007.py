"""Migration 0007: 2015 QPV codes move to the current QPV when certain, else back to verification; QPV
statuses nobody answered become "non renseigné"."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from marketplace.extensions import db
from tests.web.test_migrations import _app, empty_postgres_url, empty_sqlite_url  # noqa: F401  (fixtures)

CURRENT = [("QN03106I", "Pradettes"), ("QN03107M", "Grand Mirail"), ("QN03112M", "Breguet Lecrivain - Saint Exupéry")]
AREAS_2015 = [("QP031007", "Grand Mirail", "31555", "Toulouse"), ("QP031013", "Saint Exupéry", "31555", "Toulouse"),
              ("QP031009", "Bourbaki", "31555", "Toulouse"), ("QP031005", "Val D'Aran", "31149", "Colomiers")]
# name: (status, code, commune, history methods of changes to not_in_qpv) -> expected (status, code)
COMPANIES = {
    "mirail": (("verified", "QP031007", "31555", ()), ("verified", "QN03107M")),  # same name: certain
    "exupery": (("declared", "QP031013", "31555", ()), ("declared", "QN03112M")),  # probable: to verify
    "bourbaki": (("verified", "QP031009", "31555", ()), ("declared", None)),  # no current namesake
    "colomiers": (("verified", "QP031005", "31149", ()), ("declared", None)),  # no current QPV loaded
    "no_contour": (("declared", "QP031099", "31555", ()), ("declared", None)),  # 2015 name unknown
    "refused": (("rejected", "QP031009", "31555", ()), ("rejected", None)),
    "current": (("verified", "QN03106I", "31555", ()), ("verified", "QN03106I")),
    "never_asked": (("not_in_qpv", None, "31555", ()), ("unknown", None)),
    "answered": (("not_in_qpv", None, "31555", ("declaration",)), ("not_in_qpv", None)),
    "moved": (("not_in_qpv", None, "31555", ("declaration", "address_change")), ("unknown", None)),
}


def _insert_before_0007():
    now = sa.func.current_timestamp()
    companies = sa.table("supplier_companies", sa.column("labels", sa.JSON), *(sa.column(c) for c in (
        "id", "name", "siret", "structure_type", "commune_insee", "commune_name", "qpv_code", "qpv_status",
        "description", "created_at", "updated_at")))
    changes = sa.table("qpv_status_changes", *(sa.column(c) for c in (
        "supplier_id", "old_status", "new_status", "qpv_code", "method", "reason", "created_at")))
    with db.engine.begin() as connection:
        for code, name in CURRENT:
            connection.execute(sa.text("INSERT INTO ref_qpv (code, name, department) VALUES (:c, :n, '31')"),
                               {"c": code, "n": name})
            connection.execute(sa.text("INSERT INTO ref_qpv_communes (qpv_code, commune_insee, commune_name) "
                                       "VALUES (:c, '31555', 'Toulouse')"), {"c": code})
        for code, name, insee, commune in AREAS_2015:
            connection.execute(sa.text(
                "INSERT INTO ref_qpv_areas (code, name, department, commune_insee, commune_name, geometry, source) "
                "VALUES (:c, :n, '31', :i, :m, '{}', 'qp2015.geojson')"),
                {"c": code, "n": name, "i": insee, "m": commune})
        for number, (name, ((status, code, insee, methods), _)) in enumerate(COMPANIES.items(), start=1):
            connection.execute(companies.insert().values(
                id=number, name=name, siret=f"{number:014d}", structure_type="entreprise", commune_insee=insee,
                commune_name="Toulouse" if insee == "31555" else "Colomiers", qpv_code=code, qpv_status=status,
                labels=[], description="", created_at=now, updated_at=now))
            for method in methods:
                connection.execute(changes.insert().values(
                    supplier_id=number, old_status="declared", new_status="not_in_qpv", qpv_code=None, method=method,
                    reason="", created_at=now))


def _states(connection):
    rows = connection.execute(sa.text("SELECT name, qpv_status, qpv_code, search_revision FROM supplier_companies"))
    return {name: (status, code, revision) for name, status, code, revision in rows}


@pytest.mark.parametrize(
    "url_fixture", ["empty_sqlite_url", pytest.param("empty_postgres_url", marks=pytest.mark.postgres)]
)
def test_2015_codes_are_migrated_when_certain_and_sent_back_to_verification_otherwise(request, url_fixture):
    app = _app(request.getfixturevalue(url_fixture))
    with app.app_context():
        upgrade(revision="0006")
        _insert_before_0007()
        upgrade(revision="0007")
        with db.engine.connect() as connection:
            states = _states(connection)
            audit = dict(connection.execute(sa.text(
                "SELECT c.name, q.reason FROM qpv_status_changes q JOIN supplier_companies c ON c.id = q.supplier_id "
                "WHERE q.method = 'migration'")).all())
            unknown = connection.execute(sa.text(
                "SELECT c.name, q.old_status, q.new_status, q.qpv_code, q.actor_id FROM qpv_status_changes q "
                "JOIN supplier_companies c ON c.id = q.supplier_id WHERE q.new_status = 'unknown' ORDER BY c.id")).all()
        assert {name: state[:2] for name, state in states.items()} == {
            name: expected for name, (_, expected) in COMPANIES.items()}
        assert set(audit) == {"mirail", "exupery", "bourbaki", "colomiers", "no_contour", "refused",
                              "never_asked", "moved"}
        assert "QP031007" in audit["mirail"]
        assert "QN03112M" in audit["exupery"]  # the probable current QPV, for the administrator to confirm
        assert "QP031009" in audit["bourbaki"]  # the 2015 code stays in the audit trail, nowhere else
        # Companies sent from "hors QPV" to "non renseigné" have their row in the audit trail like the others.
        assert all("non renseigné" in audit[name] for name in ("never_asked", "moved"))
        assert unknown == [("never_asked", "not_in_qpv", "unknown", None, None),
                           ("moved", "not_in_qpv", "unknown", None, None)]
        changed = set(audit)
        assert all(states[name][2] > 0 for name in changed)  # the search engines re-read them
        assert states["current"][2] == 0
        downgrade(revision="0006")
        with db.engine.connect() as connection:
            statuses = {name: status for name, (status, _, _) in _states(connection).items()}
        assert statuses["never_asked"] == statuses["moved"] == "not_in_qpv"  # the old schema's only choice
        upgrade(revision="0007")  # again: the undone move left no answer behind that would keep them "hors QPV"
        with db.engine.connect() as connection:
            statuses = {name: status for name, (status, _, _) in _states(connection).items()}
            moves = connection.execute(sa.text("SELECT count(*) FROM qpv_status_changes WHERE new_status = 'unknown'"))
            assert moves.scalar() == 2
        assert statuses["never_asked"] == statuses["moved"] == "unknown"
        downgrade(revision="0006")
        downgrade(revision="base")
        db.engine.dispose()
