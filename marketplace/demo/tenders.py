"""Pure, deterministic generation of buyer organisations and tenders as plain dicts.

Dates count from the seeding day ``today`` (see clock.py): open tenders were published in the last weeks and close
in the coming months, closed and awarded ones belong to the past, drafts are not published.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from ..models import TenderStatus
from ..refdata.fallback import QPV_FALLBACK
from .catalogue.buyers import BUYERS, DEMO_BUYER_NAME, TENDER_CLAUSES, TENDERS
from .catalogue.places import a_commune
from .clock import reference_moment

TENDER_COUNT = 40
_STATUS_DECK = (
    (TenderStatus.PUBLISHED,) * 26 + (TenderStatus.DRAFT,) * 5 + (TenderStatus.CLOSED,) * 5
    + (TenderStatus.AWARDED,) * 4
)

# Tenders' natural key (loader.py). Never derived from the clock: seeding again another day or year updates the
# same rows instead of adding 40 more.
_REFERENCE_PREFIX = "DEMO-2026"


def reference_for(index: int) -> str:
    return f"{_REFERENCE_PREFIX}-{index + 1:03d}"


def generate_buyers(*, today: date) -> list[dict]:
    """The 20 buyer organisations (the same whatever the seed), as seeded on ``today``."""
    rows = []
    for position, spec in enumerate(BUYERS):
        stamp = reference_moment(today) - timedelta(days=500 - 7 * position)
        rows.append({
            "name": spec.name, "kind": spec.kind, "sector": spec.sector, "department": spec.department,
            "city": spec.city, "siret": None, "website": None, "description": spec.description,
            "created_at": stamp, "updated_at": stamp,
        })
    return rows


def _dates(rng: random.Random, status: TenderStatus, today: date):
    """(deadline, published_at, created_at) of a tender seeded on ``today``; timestamps before that day."""
    if status is TenderStatus.DRAFT:
        deadline = today + timedelta(days=rng.randint(45, 330))
        created = reference_moment(today) - timedelta(days=rng.randint(0, 30))
        return deadline, None, created
    if status is TenderStatus.PUBLISHED:
        published_on = today - timedelta(days=rng.randint(1, 60))
        deadline = today + timedelta(days=rng.randint(14, 150))
    else:
        ago = rng.randint(5, 90) if status is TenderStatus.CLOSED else rng.randint(60, 300)
        deadline = today - timedelta(days=ago)
        published_on = deadline - timedelta(days=rng.randint(30, 75))
    published = datetime.combine(published_on, time(9, 30), tzinfo=UTC)
    return deadline, published, published - timedelta(days=rng.randint(1, 20))


def _distinct_title(title: str, used: set[str], city: str, buyer: str) -> str:
    """``title``, or, when another tender already has it (40 tenders from fewer templates), the same title
    followed by its place, then by its buyer: a list of tenders never shows the same line twice."""
    candidates = [title, f"{title} ({city})", f"{title} – {buyer}", f"{title} ({city}) – {buyer}"]
    candidates = [c for c in candidates if c not in used] or [
        f"{title} – {n}" for n in range(2, len(used) + 3) if f"{title} – {n}" not in used
    ]
    used.add(candidates[0])
    return candidates[0]


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


# The showcase tender: a cleaning contract in Seine-Saint-Denis, published, for the demo entrepreneur (Horizon
# Propreté 93, cleaning, Saint-Denis) to find at the top of its opportunities. It takes the place of the first
# published tender of the deck: the counts, statuses and references stay those of the generator.
SHOWCASE_BUYER_NAME = "Ville de Saint-Denis"
SHOWCASE_TENDER = {
    "title": "Nettoyage et entretien des écoles et gymnases de Saint-Denis",
    "description": (
        "Nettoyage quotidien des locaux de douze écoles élémentaires et de trois gymnases de la ville : sols, "
        "sanitaires, vitrerie deux fois par an, remise en état après les vacances scolaires. Produits écolabellisés. "
        "La ville souhaite des entreprises implantées dans les quartiers prioritaires de Saint-Denis et accueille "
        "les candidatures en groupement."
    ),
    "cpv_codes": ["90919200-4", "90911200-8"],
    "department": "93",
    "postcode": "93200",
    "budget_cents": 180_000_00,
    "required_labels": [],
    "reserved_for_inclusive": False,
    "lots": [
        {"number": 1, "title": "Écoles élémentaires", "description": "Nettoyage quotidien de douze écoles.",
         "cpv_codes": ["90919200-4"], "budget_cents": 120_000_00},
        {"number": 2, "title": "Vitrerie", "description": "Nettoyage des vitres des écoles et gymnases.",
         "cpv_codes": ["90911300-9"], "budget_cents": 20_000_00},
        {"number": 3, "title": "Gymnases", "description": "Nettoyage des trois gymnases et de leurs vestiaires.",
         "cpv_codes": ["90911200-8"], "budget_cents": 40_000_00},
    ],
}


def _showcase(tender: dict, titles: set[str]) -> dict:
    """``tender`` (a published one: its reference and dates are kept) made into the showcase cleaning tender."""
    titles.discard(tender["title"])
    titles.add(SHOWCASE_TENDER["title"])
    lots = [dict(lot) for lot in SHOWCASE_TENDER["lots"]]
    return {**tender, **SHOWCASE_TENDER, "buyer_name": SHOWCASE_BUYER_NAME, "lots": lots,
            "cpv_codes": list(SHOWCASE_TENDER["cpv_codes"]), "required_labels": []}


# The team showcase (grouped bids): three lots in three trades (cleaning, green spaces, painting) that no single
# demo company covers, so that "Équipes suggérées" and "Répondre à plusieurs" show teams. It takes the place of
# the second published tender of the deck, as the showcase above does of the first.
TEAM_BUYER_NAME = "Toits de l'Ourcq Habitat"
TEAM_TENDER = {
    "title": "Résidences de Bobigny : propreté, espaces verts et peinture",
    "description": (
        "Quatre résidences à Bobigny, trois lots de métiers différents : propreté, espaces verts en pied "
        "d'immeuble, remise en peinture. Les réponses en groupement d'entreprises du quartier sont bienvenues."
    ),
    # The lots carry the trades; the tender itself is classified as green spaces and painting, so that the
    # cleaning showcase above stays the demo entrepreneur's first opportunity.
    "cpv_codes": ["77310000-6", "45442100-8"],
    "department": "93",
    "postcode": "93000",
    "budget_cents": 150_000_00,
    "required_labels": [],
    "reserved_for_inclusive": False,
    "lots": [
        {"number": 1, "title": "Propreté des halls",
         "description": "Deux passages par semaine.",
         "cpv_codes": ["90911000-6"], "budget_cents": 70_000_00},
        {"number": 2, "title": "Espaces verts", "description": "Tonte, taille de haies et désherbage des abords.",
         "cpv_codes": ["77310000-6"], "budget_cents": 50_000_00},
        {"number": 3, "title": "Peinture des cages d'escalier",
         "description": "Préparation des supports et peinture des cages d'escalier en site occupé.",
         "cpv_codes": ["45442100-8"], "budget_cents": 30_000_00},
    ],
}


def _team_showcase(tender: dict, titles: set[str]) -> dict:
    """``tender`` (a published one: its reference and dates are kept) made into the multi-trade team tender."""
    titles.discard(tender["title"])
    titles.add(TEAM_TENDER["title"])
    lots = [dict(lot) for lot in TEAM_TENDER["lots"]]
    return {**tender, **TEAM_TENDER, "buyer_name": TEAM_BUYER_NAME, "lots": lots,
            "cpv_codes": list(TEAM_TENDER["cpv_codes"]), "required_labels": []}


def _tender(rng: random.Random, spec, status: TenderStatus, today: date, titles: set[str], reference: str,
            distinct=None) -> dict:
    """One tender from the template ``spec`` (``rng`` draws its buyer, place, dates, text, budget and lots)."""
    candidates = [buyer for buyer in BUYERS if buyer.kind in spec.kinds]
    demo = [buyer for buyer in candidates if buyer.name == DEMO_BUYER_NAME]
    buyer = demo[0] if demo and rng.random() < 0.25 else rng.choice(candidates)
    local = [qpv for qpv in QPV_FALLBACK if qpv.department == buyer.department]
    qpv = rng.choice(local or QPV_FALLBACK)
    deadline, published, created = _dates(rng, status, today)
    year = deadline.year
    values = {"n": rng.randint(*spec.n_range), "city": qpv.commune_name, "a_city": a_commune(qpv.commune_name),
              "buyer": buyer.name, "year": year}
    clauses = rng.sample(TENDER_CLAUSES, rng.randint(1, 2))
    description = " ".join([spec.description.format(**values),
                            *(c.format(hours=rng.choice((350, 500, 800, 1200, 2000))) for c in clauses)])
    budget_euros = round(rng.randint(*spec.budget), -3)
    required = [label for label in spec.labels if rng.random() < (0.9 if label == "cnaps" else 0.35)]
    return {
        "reference": reference,
        "buyer_name": buyer.name,
        "title": (distinct or _distinct_title)(spec.title.format(**values), titles, qpv.commune_name, buyer.name),
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
    }


def generate_tenders(seed: int, *, today: date) -> list[dict]:
    """40 tenders with distinct titles, seeded on ``today``; each dict names its buyer (``buyer_name``) and carries
    its ``lots``."""
    statuses = list(_STATUS_DECK)
    random.Random(f"{seed}:tender-status").shuffle(statuses)
    templates = list(range(len(TENDERS)))
    random.Random(f"{seed}:tender-templates").shuffle(templates)
    tenders, titles = [], set()
    for index in range(TENDER_COUNT):
        rng = random.Random(f"{seed}:tender:{index}")
        spec = TENDERS[templates[index % len(templates)]]
        tenders.append(_tender(rng, spec, statuses[index], today, titles, reference_for(index)))
    first_published = next(i for i, t in enumerate(tenders) if t["status"] is TenderStatus.PUBLISHED)
    tenders[first_published] = _showcase(tenders[first_published], titles)
    second_published = next(i for i, t in enumerate(tenders)
                            if t["status"] is TenderStatus.PUBLISHED and i != first_published)
    tenders[second_published] = _team_showcase(tenders[second_published], titles)
    return tenders


# ``seed-demo --tenders N``: N more published tenders (load tests, a busy Opportunités page), keyed by their own
# references so that the 40 tenders above keep theirs and a rerun updates the same rows.
_EXTRA_REFERENCE_PREFIX = "DEMO-2026-P"


def extra_reference_for(index: int) -> str:
    return f"{_EXTRA_REFERENCE_PREFIX}{index + 1:06d}"


def _numbered_title(title: str, used: set[str], city: str, buyer: str) -> str:
    """As ``_distinct_title``, then numbered ("… – 2", "… – 3"): linear in the number of homonyms, not of titles."""
    for candidate in (title, f"{title} ({city})", f"{title} – {buyer}", f"{title} ({city}) – {buyer}"):
        if candidate not in used:
            used.add(candidate)
            return candidate
    number = 2
    while f"{title} ({city}) – {number}" in used:
        number += 1
    used.add(f"{title} ({city}) – {number}")
    return f"{title} ({city}) – {number}"


def generate_extra_tenders(seed: int, count: int, *, today: date, titles: set[str] | None = None) -> list[dict]:
    """``count`` published tenders, open on ``today`` (published in the last 60 days, deadlines 14 to 150 days
    ahead), spread over every template of the catalogue (hence CPV divisions) and every buyer's departments.

    ``titles``: titles already used (the 40 tenders'), so that no two tenders share a title.
    """
    titles = set() if titles is None else titles
    templates = list(range(len(TENDERS)))
    random.Random(f"{seed}:extra-tender-templates").shuffle(templates)
    tenders = []
    for index in range(count):
        rng = random.Random(f"{seed}:extra-tender:{index}")
        spec = TENDERS[templates[index % len(templates)]]
        tenders.append(_tender(rng, spec, TenderStatus.PUBLISHED, today, titles, extra_reference_for(index),
                               distinct=_numbered_title))
    return tenders
