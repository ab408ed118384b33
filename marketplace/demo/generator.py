"""Pure, deterministic generation of demo suppliers as plain dicts (no database).

Supplier ``i`` depends only on ``(seed, i)`` and the seeding day ``today``: asking for 500 suppliers gives the same
first 300 as asking for 300, and another day moves the dates only.
"""

import random
from datetime import date, datetime, timedelta
from functools import lru_cache

from stdnum import luhn

from ..models import QpvStatus, StructureType
from ..refdata.fallback import QPV_FALLBACK
from .catalogue import TRADES, TRADES_BY_KEY, Trade
from .catalogue.people import BRAND_WORDS, FEMALE_FIRST_NAMES, FIRST_NAMES, INCLUSIVE_NAMES, LAST_NAMES
from .catalogue.phrases import AREAS, SIGN_OFFS, STORIES, STRUCTURE_SENTENCES
from .catalogue.places import DEPARTMENTS, NEIGHBOURS, PREMISES, STREETS, a_commune, de_commune, short_qpv_name
from .clock import reference_moment
from .text import fill, slugify

DEMO_SIREN_BODY = "90000000"  # the demo entrepreneur's company, the same whatever the seed
_INCLUSIVE_FAMILIES = (
    (StructureType.ASSOCIATION, 30), (StructureType.SIAE, 35), (StructureType.EA_ESAT, 15),
    (StructureType.SCOP_SCIC, 20),
)
_COMPANY_FORMS = (("SASU", 30), ("SAS", 25), ("SARL", 25), ("EURL", 15), ("SA", 5))
_QPV_WEIGHTS = tuple(3 if qpv.department in {"93", "94", "95"} else 1 for qpv in QPV_FALLBACK)


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def siret_for(seed: int, index: int) -> str:
    """A valid SIRET (SIREN and SIRET Luhn checks), unique per index for a given seed."""
    if index == 0:
        body = DEMO_SIREN_BODY
    else:
        offset = random.Random(f"{seed}:siret").randrange(10**7)
        body = f"9{1 + (offset + index - 1) % (10**7 - 1):07d}"
    siren = body + luhn.calc_check_digit(body)
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


@lru_cache(maxsize=64)
def _trade_deck(seed: int, block: int) -> tuple[Trade, ...]:
    """Every trade ``weight`` times, shuffled: each block of suppliers covers all trades in proportion."""
    deck = [trade for trade in TRADES for _ in range(trade.weight)]
    random.Random(f"{seed}:deck:{block}").shuffle(deck)
    return tuple(deck)


def trade_for(seed: int, index: int) -> Trade:
    size = sum(trade.weight for trade in TRADES)
    return _trade_deck(seed, index // size)[index % size]


def _structure(rng: random.Random, trade: Trade) -> tuple[StructureType, str]:
    if rng.random() < trade.inclusive:
        structure = _pick(rng, _INCLUSIVE_FAMILIES)
        legal_form = {
            StructureType.ASSOCIATION: "Association loi 1901",
            StructureType.SIAE: rng.choice(("Association loi 1901", "Association loi 1901", "SAS", "SARL")),
            StructureType.EA_ESAT: rng.choice(("Association loi 1901", "SAS")),
            StructureType.SCOP_SCIC: rng.choice(("SCOP", "SCOP", "SCIC")),
        }[structure]
        return structure, legal_form
    if rng.random() < 0.4:
        return StructureType.MICRO, "EI"
    return StructureType.ENTREPRISE, _pick(rng, _COMPANY_FORMS)


def _headcount(rng: random.Random, structure: StructureType) -> int:
    if structure is StructureType.MICRO:
        return rng.choice((0, 0, 0, 1, 1, 2))
    roll = rng.random()
    if structure is StructureType.ENTREPRISE:
        if roll < 0.55:
            return rng.randint(1, 5)
        if roll < 0.9:
            return rng.randint(6, 10)
        return rng.randint(11, 25) if roll < 0.98 else rng.randint(26, 50)
    return rng.randint(3, 12) if roll < 0.6 else rng.randint(13, 30) if roll < 0.95 else rng.randint(31, 50)


def _revenue_cents(rng: random.Random, trade: Trade, structure: StructureType, headcount: int) -> int:
    if structure is StructureType.MICRO:
        euros = rng.randint(12_000, 75_000)
    else:
        euros = int(max(1, headcount) * trade.revenue_per_head * rng.uniform(0.7, 1.3))
    return round(euros, -2) * 100


def _name(rng: random.Random, trade: Trade, structure: StructureType, legal_form: str, context: dict) -> str:
    patterns = trade.names
    family = structure.value
    if family in INCLUSIVE_NAMES and rng.random() < 0.7:
        other = "SCIC" if legal_form == "SCOP" else "SCOP"
        patterns = tuple(p for p in INCLUSIVE_NAMES[family] if other not in p)
    return rng.choice(patterns).format(short=trade.short, **context)


def _intros(trade: Trade, structure: StructureType, headcount: int) -> tuple[str, ...]:
    """First-person singular openings for one-person businesses, 'we' openings for teams."""
    solo = tuple(intro for intro in trade.intros if "j'" in intro or "je " in intro.lower())
    if structure is StructureType.MICRO:
        return solo or trade.intros
    if headcount >= 3:
        return tuple(intro for intro in trade.intros if intro not in solo) or trade.intros
    return trade.intros


def _description(rng: random.Random, trade: Trade, structure: StructureType, headcount: int, context: dict,
                 female: bool) -> str:
    specialities = rng.sample(trade.specialities, rng.choice((1, 1, 2)))
    middle = [rng.choice(trade.clients)]
    roll = rng.random()
    if roll < 0.5:
        middle.append(rng.choice(trade.stories))
    elif roll < 0.8:
        middle.append(rng.choice(STORIES))
    if structure.value in STRUCTURE_SENTENCES:
        middle.append(rng.choice(STRUCTURE_SENTENCES[structure.value]))
    rng.shuffle(middle)
    sentences = [rng.choice(_intros(trade, structure, headcount)), *specialities, *middle,
                 rng.choice(trade.guarantees)]
    if rng.random() < 0.6:
        sentences.append(rng.choice(AREAS))
    if rng.random() < 0.25:
        sentences.append(rng.choice(SIGN_OFFS))
    return " ".join(fill(sentence, context, female=female) for sentence in sentences)


def _served_departments(rng: random.Random, trade: Trade, department: str) -> list[str]:
    neighbours = NEIGHBOURS.get(department, ())
    if trade.wide_area:
        count = rng.randint(1, len(neighbours))
    else:
        count = 0 if rng.random() < 0.45 else rng.randint(1, min(3, len(neighbours)))
    return [department, *sorted(rng.sample(neighbours, count))]


def _offers(rng: random.Random, trade: Trade, served: list[str], stamp: datetime) -> list[dict]:
    count = min(len(trade.offers), _pick(rng, ((1, 35), (2, 45), (3, 20))))
    chosen = sorted(rng.sample(range(len(trade.offers)), count))
    offers = []
    for position in chosen:
        spec = trade.offers[position]
        description = spec.description
        if rng.random() < 0.5:
            description += " " + fill(rng.choice(trade.guarantees), {}, female=False)
        keywords = [kw for kw in spec.keywords if rng.random() < 0.8] or list(spec.keywords[:2])
        offers.append({
            "title": spec.title,
            "description": description,
            "cpv_codes": list(spec.cpv),
            "keywords": keywords,
            "departments": served if rng.random() < 0.8 else served[:1],
            "created_at": stamp,
            "updated_at": stamp,
        })
    return offers


def generate_supplier(seed: int, index: int, *, today: date) -> dict:
    """Supplier number ``index`` (0 is the demo entrepreneur's company) as a dict of column values.

    The extra keys ``trade`` and ``offers`` (a list of offer dicts) are not columns.
    """
    if index == 0:
        from .showcase import demo_company

        return demo_company(siret_for(seed, 0), today=today)
    rng = random.Random(f"{seed}:supplier:{index}")
    trade = trade_for(seed, index)
    qpv = rng.choices(QPV_FALLBACK, weights=_QPV_WEIGHTS)[0]
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    female = first in FEMALE_FIRST_NAMES
    year = rng.randint(2008, 2025)
    context = {
        "brand": rng.choice(BRAND_WORDS), "first": first, "last": last, "initials": (first[0] + last[0]).upper(),
        "commune": qpv.commune_name, "a_commune": a_commune(qpv.commune_name),
        "de_commune": de_commune(qpv.commune_name), "dept": qpv.department,
        "dept_name": DEPARTMENTS[qpv.department][0], "dept_loc": DEPARTMENTS[qpv.department][1],
        "qpv": short_qpv_name(qpv.name), "year": year, "years": rng.randint(5, 20),
    }
    structure, legal_form = _structure(rng, trade)
    headcount = _headcount(rng, structure)
    name = _name(rng, trade, structure, legal_form, context)
    labels = [key for key, probability in trade.labels.items() if rng.random() < probability]
    if structure is not StructureType.ENTREPRISE and structure is not StructureType.MICRO and "esus" not in labels:
        if rng.random() < 0.3:
            labels.append("esus")
    roll = rng.random()
    status = QpvStatus.VERIFIED if roll < 0.72 else QpvStatus.DECLARED if roll < 0.93 else QpvStatus.NOT_IN_QPV
    created = reference_moment(today) - timedelta(days=rng.randint(30, 700), minutes=rng.randint(0, 600))
    served = _served_departments(rng, trade, qpv.department)
    return {
        "name": name,
        "siret": siret_for(seed, index),
        "legal_form": legal_form,
        "structure_type": structure,
        "address": f"{rng.choice(PREMISES)}{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "postcode": qpv.postcode,
        "commune_insee": qpv.commune_insee,
        "commune_name": qpv.commune_name,
        "department": qpv.department,
        "lat": round(qpv.lat + rng.uniform(-0.012, 0.012), 5),
        "lon": round(qpv.lon + rng.uniform(-0.016, 0.016), 5),
        "qpv_code": None if status is QpvStatus.NOT_IN_QPV else qpv.code,
        "qpv_status": status,
        "headcount": headcount,
        "annual_revenue_cents": _revenue_cents(rng, trade, structure, headcount),
        "labels": labels,
        "description": _description(rng, trade, structure, headcount, context, female),
        "website": f"https://www.{slugify(name)}.example" if rng.random() < 0.35 else None,
        "owner_id": None,
        "created_at": created,
        "updated_at": created,
        "trade": trade.key,
        "offers": _offers(rng, trade, served, created),
    }


def generate_suppliers(seed: int, count: int, *, today: date):
    """Yield suppliers 0 .. count - 1 as seeded on ``today``."""
    for index in range(count):
        yield generate_supplier(seed, index, today=today)


__all__ = ["TRADES_BY_KEY", "generate_supplier", "generate_suppliers", "siret_for", "trade_for"]
