"""A transactional change counter for the per-process search engines (no clocks involved).

Every flush that touches a supplier company or one of its offers takes the next value of the single
``search_state`` row and stamps it on the company's ``search_revision``. Taking the value locks the row until
commit, so revisions are committed in order: a worker that has seen revision N finds every later change with
``search_revision > N``, however long the writing transaction ran or whatever its clock said.
"""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from .suppliers import Offer, SupplierCompany

STATE_ID = 1


class SearchState(db.Model):
    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0)


def next_search_revision(connection: sa.Connection) -> int:
    """Take the next revision in the caller's transaction (the row stays locked until it ends)."""
    table = SearchState.__table__
    bumped = connection.execute(
        table.update().where(table.c.id == STATE_ID).values(revision=table.c.revision + 1).returning(table.c.revision)
    ).scalar()
    if bumped is None:  # a schema made without the migrations (which insert the row)
        connection.execute(table.insert().values(id=STATE_ID, revision=1))
        bumped = 1
    return bumped


def current_search_revision() -> int:
    return db.session.scalar(sa.select(SearchState.revision).where(SearchState.id == STATE_ID)) or 0


def _touched_companies(session: Session) -> set[SupplierCompany]:
    touched = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, SupplierCompany):
                touched.add(obj)
            elif isinstance(obj, Offer):
                company = obj.supplier
                if company is None and obj.supplier_id is not None:
                    company = session.get(SupplierCompany, obj.supplier_id)
                if company is not None:
                    touched.add(company)
    return {company for company in touched if company not in session.deleted}


@event.listens_for(Session, "before_flush")
def _stamp_search_revision(session: Session, _context, _instances) -> None:
    touched = _touched_companies(session)
    if touched:
        revision = next_search_revision(session.connection())
        for company in touched:
            company.search_revision = revision
