"""Deterministic, idempotent demo data: ``seed_demo(suppliers=N, seed=S)`` (the ``flask seed-demo`` command).

catalogue/ holds the hand-written French content, generator.py and tenders.py turn it into plain dicts
(pure functions of the seed and of the seeding day, see clock.py), loader.py upserts them in bulk.
"""

import time
from datetime import date

from ..extensions import db, refresh_planner_statistics
from ..models import ROLE_LABELS, Role, SupplierCompany
from .catalogue.buyers import DEMO_BUYER_NAME
from .clock import reference_moment, seeding_day
from .events import seed_demo_event
from .generator import generate_suppliers, siret_for, trade_for
from .loader import upsert_buyers, upsert_suppliers, upsert_tenders, upsert_users
from .showcase import DEMO_USERS, demo_password
from .summary import DemoSummary
from .tenders import generate_buyers, generate_extra_tenders, generate_tenders

__all__ = ["DemoSummary", "database_is_empty", "seed_demo"]


def database_is_empty() -> bool:
    from sqlalchemy import func, select

    return not db.session.scalar(select(func.count(SupplierCompany.id)))


def seed_demo(*, suppliers: int = 300, seed: int = 42, tenders: int = 0, today: date | None = None,
              progress=None) -> DemoSummary:
    """Load (or refresh) the demo data and commit; the same arguments on the same day always give the same rows.

    Dates count from ``today`` (default: the real date), so the demo never ages: seeding again another day moves
    the dates of the same rows. ``tenders``: that many more published tenders besides the 40 of the demo (open on
    ``today``, see ``generate_extra_tenders``); a later run with a smaller number leaves the surplus in place.
    """
    if suppliers < 1:
        raise ValueError("suppliers must be at least 1")
    if tenders < 0:
        raise ValueError("tenders must not be negative")
    today = today or seeding_day()
    started = time.perf_counter()
    password = demo_password()
    try:
        buyer_ids = upsert_buyers(generate_buyers(today=today))
        users = upsert_users(DEMO_USERS, password, buyer_ids[DEMO_BUYER_NAME], reference_moment(today))
        owners = {siret_for(seed, 0): users[Role.SUPPLIER].id}
        created, updated, offers = upsert_suppliers(generate_suppliers(seed, suppliers, today=today), suppliers,
                                                    owners, progress)
        rows = generate_tenders(seed, today=today)
        if tenders:
            rows += generate_extra_tenders(seed, tenders, today=today, titles={row["title"] for row in rows})
        tender_count, lots = upsert_tenders(rows, buyer_ids, {DEMO_BUYER_NAME: users[Role.BUYER].id}, progress)
        event = seed_demo_event(seed=seed, suppliers=suppliers, today=today, organiser=users[Role.ORGANISER],
                                buyer=users[Role.BUYER], entrepreneur=users[Role.SUPPLIER])
        event_name, event_participants = event.name, len(event.participants)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    refresh_planner_statistics()
    trades = len({trade_for(seed, index).key for index in range(1, suppliers)} | {"nettoyage"})
    return DemoSummary(
        suppliers=suppliers, suppliers_created=created, suppliers_updated=updated, offers=offers, trades=trades,
        buyers=len(buyer_ids), tenders=tender_count, lots=lots, event=event_name,
        event_participants=event_participants,
        accounts=tuple((email, ROLE_LABELS[role]) for email, _name, role in DEMO_USERS),
        password=password, seed=seed, seconds=time.perf_counter() - started,
    )
