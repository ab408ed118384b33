"""QPV 2015 codes: companies holding a 2015 code move to the current QPV or back to verification

1. The only contours available offline are of the 2015 geography (codes ``QP031007``) and the eligibility step
   used to store a contour's code as the company's QPV. A company holding a 2015 code gets the code of the
   current QPV of its commune with the same name when the match is certain (folded names identical, one such
   QPV; ``marketplace.refdata.qpv_names``), keeping its status. The others go back to the administrators'
   queue ("declared"): with the probable current code when the names match closely, else with no code (the
   administrator chooses the commune's current QPV, or refuses). A refused declaration stays refused, with the
   current code when certain, else none. Every change is written in the audit trail (method "migration"),
   with the 2015 code in its reason: it is kept nowhere else.
2. "Non renseigné" (``unknown``) is a new status: companies "hors QPV" that never answered (no answer in the
   audit trail, or an address change since their answer) get it, each with its row in the audit trail (method
   "migration") as well.

A migration rather than a command: the mapping reads the reference tables as they are in this database (2015
names from ``ref_qpv_areas``, current QPV from ``ref_qpv`` and ``ref_qpv_communes``). When they are not
loaded no match is certain, and the companies go to the verification queue, the safe outcome; no new 2015 code
can be stored from this revision on, so there is nothing to run again after a reference reload.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:30:00.000000

"""
import logging
import re
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

# Pure functions with no app state: the same name matching as the eligibility step.
from marketplace.refdata.qpv_names import is_2015_code, match_current_qpv


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

companies = sa.table(
    'supplier_companies', sa.column('id', sa.Integer), sa.column('commune_insee', sa.String),
    sa.column('commune_name', sa.String), sa.column('qpv_code', sa.String), sa.column('qpv_status', sa.String),
    sa.column('search_revision', sa.BigInteger), sa.column('updated_at', sa.DateTime(timezone=True)),
)
changes = sa.table(
    'qpv_status_changes', sa.column('id', sa.Integer), sa.column('supplier_id', sa.Integer),
    sa.column('old_status', sa.String), sa.column('new_status', sa.String), sa.column('qpv_code', sa.String),
    sa.column('method', sa.String), sa.column('reason', sa.Text), sa.column('actor_id', sa.Integer),
    sa.column('created_at', sa.DateTime(timezone=True)),
)
areas = sa.table('ref_qpv_areas', sa.column('code', sa.String), sa.column('name', sa.String),
                 sa.column('commune_insee', sa.String), sa.column('commune_name', sa.String))
qpvs = sa.table('ref_qpv', sa.column('code', sa.String), sa.column('name', sa.String))
links = sa.table('ref_qpv_communes', sa.column('qpv_code', sa.String), sa.column('commune_insee', sa.String))
search_state = sa.table('search_state', sa.column('id', sa.Integer), sa.column('revision', sa.BigInteger))

INSEE_RE = re.compile(r"\b[0-9][0-9AB][0-9]{3}\b")

UNANSWERED_REASON = ("Statut « hors QPV » que l'entreprise n'a jamais déclaré (ou qu'un changement d'adresse a "
                     "annulé) : remplacé par « non renseigné ».")


def _current_qpv_of(connection, insee_codes):
    stmt = (sa.select(qpvs.c.code, qpvs.c.name).join(links, links.c.qpv_code == qpvs.c.code)
            .where(links.c.commune_insee.in_(insee_codes)).order_by(qpvs.c.code))
    return list(dict(connection.execute(stmt).all()).items())


def _decide(connection, company):
    """(new status, new code, reason) for a company holding a 2015 code."""
    old = company.qpv_code
    area = connection.execute(sa.select(areas.c.name, areas.c.commune_insee, areas.c.commune_name)
                              .where(areas.c.code == old)).first()
    match = None
    if area is not None:
        communes = list(dict.fromkeys(c for c in [company.commune_insee, *INSEE_RE.findall(area.commune_insee or "")]
                                      if c))
        match = match_current_qpv(area.name, _current_qpv_of(connection, communes),
                                  commune_name=f"{area.commune_name or ''} {company.commune_name or ''}")
    named = f"{old} ({area.name})" if area is not None else old
    if match is not None and match.certain:
        return (company.qpv_status, match.code,
                f"Code QPV de 2015 {named} remplacé par le code actuel {match.code} ({match.name}) : même commune, "
                "même nom.")
    if company.qpv_status in ('declared', 'verified'):
        if match is not None:
            return ('declared', match.code,
                    f"Code QPV de 2015 {named} : rattachement probable au QPV actuel {match.code} ({match.name}), "
                    "à vérifier.")
        return ('declared', None,
                f"Code QPV de 2015 {named} : aucun QPV actuel de la commune ne porte ce nom avec certitude. "
                "Choisir le QPV actuel ou refuser la déclaration.")
    return (company.qpv_status, None, f"Code QPV de 2015 {named} retiré : aucun QPV actuel de même nom avec "
                                      "certitude.")


def _unanswered(connection) -> list[int]:
    """Companies "hors QPV" that never said so, or whose answer an address change cancelled."""
    ids = set(connection.scalars(sa.select(companies.c.id).where(companies.c.qpv_status == 'not_in_qpv')))
    last = {}
    stmt = (sa.select(changes.c.supplier_id, changes.c.new_status, changes.c.method)
            .join(companies, companies.c.id == changes.c.supplier_id)
            .where(companies.c.qpv_status == 'not_in_qpv').order_by(changes.c.created_at, changes.c.id))
    for supplier_id, new_status, method in connection.execute(stmt):
        last[supplier_id] = (new_status, method)
    answered = {i for i, (status, method) in last.items() if status == 'not_in_qpv' and method != 'address_change'}
    return sorted(ids - answered)


def _stamp(connection, ids, now):
    """Take the next search revision for these companies: the running search engines re-read them."""
    bumped = connection.execute(search_state.update().where(search_state.c.id == 1)
                                .values(revision=search_state.c.revision + 1))
    revision = connection.scalar(sa.select(search_state.c.revision).where(search_state.c.id == 1))
    if not bumped.rowcount or revision is None:
        return
    for start in range(0, len(ids), 500):
        connection.execute(companies.update().where(companies.c.id.in_(ids[start:start + 500]))
                           .values(search_revision=revision, updated_at=now))


def upgrade():
    connection = op.get_bind()
    now = datetime.now(UTC)
    touched = []
    holding = connection.execute(
        sa.select(companies.c.id, companies.c.commune_insee, companies.c.commune_name, companies.c.qpv_code,
                  companies.c.qpv_status).where(companies.c.qpv_code.is_not(None)).order_by(companies.c.id)
    ).all()
    for company in holding:
        if not is_2015_code(company.qpv_code):
            continue
        status, code, reason = _decide(connection, company)
        connection.execute(companies.update().where(companies.c.id == company.id)
                           .values(qpv_status=status, qpv_code=code))
        connection.execute(changes.insert().values(
            supplier_id=company.id, old_status=company.qpv_status, new_status=status, qpv_code=code,
            method='migration', reason=reason, actor_id=None, created_at=now))
        log.info("company %s: %s", company.id, reason)
        touched.append(company.id)

    unanswered = _unanswered(connection)
    for start in range(0, len(unanswered), 500):
        connection.execute(companies.update().where(companies.c.id.in_(unanswered[start:start + 500]))
                           .values(qpv_status='unknown'))
    if unanswered:
        connection.execute(changes.insert(), [
            {"supplier_id": company_id, "old_status": 'not_in_qpv', "new_status": 'unknown', "qpv_code": None,
             "method": 'migration', "reason": UNANSWERED_REASON, "actor_id": None, "created_at": now}
            for company_id in unanswered])
        log.info("%d companies \"hors QPV\" without an answer: now \"non renseigné\"", len(unanswered))
    if touched or unanswered:
        _stamp(connection, touched + unanswered, now)


def downgrade():
    # The previous schema has no "unknown" status; the 2015 codes are not put back (see the audit trail).
    connection = op.get_bind()
    # The move to "unknown" is undone, and its audit row with it: left as a "not_in_qpv" row, it would read as
    # the company's answer and keep it "hors QPV" at the next upgrade.
    connection.execute(changes.delete().where(changes.c.method == 'migration', changes.c.old_status == 'not_in_qpv',
                                              changes.c.new_status == 'unknown'))
    connection.execute(companies.update().where(companies.c.qpv_status == 'unknown').values(qpv_status='not_in_qpv'))
    for column in ('old_status', 'new_status'):
        connection.execute(changes.update().where(changes.c[column] == 'unknown').values({column: 'not_in_qpv'}))
