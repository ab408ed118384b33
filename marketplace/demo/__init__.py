"""Deterministic demo data (placeholder until the seed-demo work lands)."""


def database_is_empty() -> bool:
    from sqlalchemy import func, select

    from ..extensions import db
    from ..models import SupplierCompany

    return not db.session.scalar(select(func.count(SupplierCompany.id)))


def seed_demo(*, suppliers: int, seed: int, progress=None):
    raise NotImplementedError("seed-demo is being written")
