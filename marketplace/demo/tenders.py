"""Pure, deterministic generation of buyer organisations and tenders as plain dicts."""

import random
from datetime import UTC, datetime, time, timedelta

from ..models import TenderStatus
from ..refdata.fallback import QPV_FALLBACK
from .catalogue.buyers import BUYERS, DEMO_BUYER_NAME, TENDER_CLAUSES, TENDERS
from .catalogue.places import a_commune
from .generator import REFERENCE_DATE, REFERENCE_DATETIME

TENDER_COUNT = 40
_STATUS_DECK = (
    (TenderStatus.PUBLISHED,) * 26 + (TenderStatus.DRAFT,) * 5 + (TenderStatus.CLOSED,) * 5
    + (TenderStatus.AWARDED,) * 4
)


def reference_for(index: int) -> str:
    return f"DEMO-{REFERENCE_DATE.year}-{index + 1:03d}"


def generate_buyers() -> list[dict]:
    """The 20 buyer organisations (the same whatever the seed)."""
    rows = []
    for position, spec in enumerate(BUYERS):
        stamp = REFERENCE_DATETIME - timedelta(days=500 - 7 * position)
        rows.append({
            "name": spec.name, "kind": spec.kind, "sector": spec.sector, "department": spec.department,
            "city": spec.city, "siret": None, "website": None, "description": spec.description,
            "created_at": stamp, "updated_at": stamp,
        })
    return rows


def _dates(rng: random.Random, status: TenderStatus):
    if status is TenderStatus.DRAFT:
        deadline = REFERENCE_DATE + timedelta(days=rng.randint(45, 330))
        created = REFERENCE_DATETIME - timedelta(days=rng.randint(1, 30))
        return deadline, None, created
    offset = {
        TenderStatus.PUBLISHED: rng.randint(14, 330),
        TenderStatus.CLOSED: -rng.randint(5, 90),
        TenderStatus.AWARDED: -rng.randint(60, 300),
    }[status]
    deadline = REFERENCE_DATE + timedelta(days=offset)
    published = datetime.combine(deadline - timedelta(days=rng.randint(30, 75)), time(9, 30), tzinfo=UTC)
    return deadline, published, published - timedelta(days=rng.randint(1, 20))


def _lots(rng: random.Random, spec, budget_euros: int, stamp) -> list[dict]:
    if not spec.lots or rng.random() > 0.75:
        return []
    count = rng.randint(2, min(6, len(spec.lots)))
    chosen = sorted(rng.sample(range(len(spec.lots)), count))
    shares = [rng.uniform(0.5, 1.5) for _ in chosen]
    total = sum(shares)
    return [
        {
            "number": number,
            "title": spec.lots[position].title,
            "description": spec.lots[position].description,
            "cpv_codes": list(spec.lots[position].cpv),
            "budget_cents": round(budget_euros * share / total, -2) * 100,
        }
        for number, (position, share) in enumerate(zip(chosen, shares, strict=True), start=1)
    ]


def generate_tenders(seed: int) -> list[dict]:
    """40 tenders; each dict names its buyer (``buyer_name``) and carries its ``lots``."""
    statuses = list(_STATUS_DECK)
    random.Random(f"{seed}:tender-status").shuffle(statuses)
    templates = list(range(len(TENDERS)))
    random.Random(f"{seed}:tender-templates").shuffle(templates)
    tenders = []
    for index in range(TENDER_COUNT):
        rng = random.Random(f"{seed}:tender:{index}")
        spec = TENDERS[templates[index % len(templates)]]
        candidates = [buyer for buyer in BUYERS if buyer.kind in spec.kinds]
        demo = [buyer for buyer in candidates if buyer.name == DEMO_BUYER_NAME]
        buyer = demo[0] if demo and rng.random() < 0.25 else rng.choice(candidates)
        local = [qpv for qpv in QPV_FALLBACK if qpv.department == buyer.department]
        qpv = rng.choice(local or QPV_FALLBACK)
        status = statuses[index]
        deadline, published, created = _dates(rng, status)
        year = deadline.year
        values = {"n": rng.randint(*spec.n_range), "city": qpv.commune_name, "a_city": a_commune(qpv.commune_name),
                  "buyer": buyer.name, "year": year}
        clauses = rng.sample(TENDER_CLAUSES, rng.randint(1, 2))
        description = " ".join([spec.description.format(**values),
                                *(c.format(hours=rng.choice((350, 500, 800, 1200, 2000))) for c in clauses)])
        budget_euros = round(rng.randint(*spec.budget), -3)
        required = [label for label in spec.labels if rng.random() < (0.9 if label == "cnaps" else 0.35)]
        tenders.append({
            "reference": reference_for(index),
            "buyer_name": buyer.name,
            "title": spec.title.format(**values),
            "description": description,
            "cpv_codes": list(spec.cpv),
            "department": qpv.department,
            "postcode": qpv.postcode,
            "budget_cents": budget_euros * 100,
            "deadline": deadline,
            "status": status,
            "required_labels": required,
            "reserved_for_inclusive": rng.random() < spec.reserved,
            "published_at": published,
            "created_at": created,
            "updated_at": published or created,
            "lots": _lots(rng, spec, budget_euros, created),
        })
    return tenders
