"""Idempotent database upserts of the generated demo data, in bulk batches.

Natural keys: SIRET (suppliers), name (buyers), reference (tenders), email (users); offers are matched by
(supplier, position) and lots by (tender, number), so re-running keeps every row and id as it was.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import islice

from sqlalchemy import delete, insert, select, update

from ..extensions import db
from ..models import BuyerOrganisation, Lot, Offer, Role, SupplierCompany, Tender, User, next_search_revision
from ..validators import organisation_key

BATCH_SIZE = 1000
Progress = Callable[[str, int, int], None]


def _batches(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _upsert(model, rows: list[dict], existing: dict, key: str) -> tuple[int, int]:
    """Insert rows whose ``key`` is not in ``existing`` (key -> id), update the others by primary key."""
    new = [row for row in rows if row[key] not in existing]
    old = [{**row, "id": existing[row[key]]} for row in rows if row[key] in existing]
    if new:
        db.session.execute(insert(model), new)
    if old:
        db.session.execute(update(model), old)
    return len(new), len(old)


def _sync_children(model, parent_column: str, wanted: dict[int, list[dict]],
                   existing: dict[int, dict[int, int]], key_column: str | None = None) -> int:
    """Match children to existing rows by (parent, key): update them, insert the surplus, delete the rest.

    The key is ``row[key_column]`` (lots: their number) or, without a key column, the position (offers).
    """
    inserts, updates, deletions = [], [], []
    for parent_id, rows in wanted.items():
        current = dict(existing.get(parent_id, {}))
        for position, row in enumerate(rows):
            row = {**row, parent_column: parent_id}
            child_id = current.pop(position if key_column is None else row[key_column], None)
            if child_id is None:
                inserts.append(row)
            else:
                updates.append({**row, "id": child_id})
        deletions.extend(current.values())
    if deletions:
        db.session.execute(delete(model).where(model.id.in_(deletions)))
    if inserts:
        db.session.execute(insert(model), inserts)
    if updates:
        db.session.execute(update(model), updates)
    return len(inserts) + len(updates)


def _children_ids(model, parent_column, key_column=None) -> dict[int, dict[int, int]]:
    """parent id -> {key: child id}, the key being ``key_column`` or the rank by id."""
    key = model.id if key_column is None else key_column
    result = defaultdict(dict)
    for parent_id, child_key, child_id in db.session.execute(
        select(parent_column, key, model.id).order_by(parent_column, key)
    ):
        children = result[parent_id]
        children[len(children) if key_column is None else child_key] = child_id
    return result


def upsert_buyers(rows: list[dict]) -> dict[str, int]:
    existing = dict(db.session.execute(select(BuyerOrganisation.name, BuyerOrganisation.id)).all())
    # Bulk statements bypass the model's name -> name_key hook.
    rows = [{**row, "name_key": organisation_key(row["name"])} for row in rows]
    _upsert(BuyerOrganisation, rows, existing, "name")
    names = [row["name"] for row in rows]
    query = select(BuyerOrganisation.name, BuyerOrganisation.id).where(BuyerOrganisation.name.in_(names))
    return dict(db.session.execute(query).all())


def upsert_users(specs, password: str, buyer_organisation_id: int, stamp) -> dict[Role, User]:
    """Demo accounts by email; an existing hash is kept when it already matches the password."""
    users = {}
    for email, full_name, role in specs:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, created_at=stamp, updated_at=stamp, full_name=full_name, role=role)
            db.session.add(user)
        organisation = buyer_organisation_id if role is Role.BUYER else None
        for field, value in (("full_name", full_name), ("role", role), ("active", True),
                             ("buyer_organisation_id", organisation)):
            if getattr(user, field) != value:
                setattr(user, field, value)
        if not user.password_hash or not user.check_password(password):
            user.set_password(password)
        users[role] = user
    db.session.flush()
    return users


def upsert_suppliers(suppliers: Iterable[dict], total: int, owners: dict[str, int],
                     progress: Progress | None) -> tuple[int, int, int]:
    """Returns (created, updated, offers); ``owners`` maps a SIRET to its owner's user id.

    A company already owned by someone else than a demo account is real data: it is left untouched.
    """
    query = select(SupplierCompany.siret, SupplierCompany.id, SupplierCompany.owner_id)
    existing, protected = {}, set()
    for siret, company_id, owner_id in db.session.execute(query):
        existing[siret] = company_id
        if owner_id is not None and owner_id not in owners.values():
            protected.add(siret)
    offer_ids = _children_ids(Offer, Offer.supplier_id)
    # Bulk statements bypass the ORM's stamp: stamp the rows so running web workers pick the changes up.
    revision = next_search_revision(db.session.connection())
    created = updated = offers = done = 0
    for batch in _batches(suppliers, BATCH_SIZE):
        rows, offers_by_siret = [], {}
        for supplier in batch:
            if supplier["siret"] in protected:
                continue
            row = {key: value for key, value in supplier.items() if key not in ("offers", "trade")}
            row["owner_id"] = owners.get(row["siret"])
            row["search_revision"] = revision
            rows.append(row)
            offers_by_siret[row["siret"]] = supplier["offers"]
        new, old = _upsert(SupplierCompany, rows, existing, "siret")
        created, updated = created + new, updated + old
        if new:
            query = select(SupplierCompany.siret, SupplierCompany.id).where(
                SupplierCompany.siret.in_([row["siret"] for row in rows if row["siret"] not in existing]))
            existing.update(db.session.execute(query).all())
        wanted = {existing[siret]: rows for siret, rows in offers_by_siret.items()}
        offers += _sync_children(Offer, "supplier_id", wanted, offer_ids)
        done += len(batch)
        if progress:
            progress("Entreprises", done, total)
    return created, updated, offers


def upsert_tenders(tenders: list[dict], buyer_ids: dict[str, int], creator_ids: dict[str, int],
                   progress: Progress | None) -> tuple[int, int]:
    """Tenders by reference and their lots by number; ``creator_ids`` maps a buyer name to a user id."""
    references = [tender["reference"] for tender in tenders]
    query = select(Tender.reference, Tender.id).where(Tender.reference.in_(references))
    existing = dict(db.session.execute(query).all())
    rows = []
    for tender in tenders:
        row = {key: value for key, value in tender.items() if key not in ("lots", "buyer_name")}
        row["buyer_organisation_id"] = buyer_ids[tender["buyer_name"]]
        row["created_by_id"] = creator_ids.get(tender["buyer_name"])
        rows.append(row)
    _upsert(Tender, rows, existing, "reference")
    existing = dict(db.session.execute(query).all())
    wanted = {existing[tender["reference"]]: tender["lots"] for tender in tenders}
    lots = _sync_children(Lot, "tender_id", wanted, _children_ids(Lot, Lot.tender_id, Lot.number), "number")
    if progress:
        progress("Appels d'offres", len(tenders), len(tenders))
    return len(tenders), lots
