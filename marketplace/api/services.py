"""JSON-ready answers built from the reference look-ups."""

from ..refdata import cpv_lookup
from ..refdata.lookups import communes_for_postcode


def cpv_complete(query: str, limit: int) -> list[dict]:
    return [result.as_dict() for result in cpv_lookup.complete(query, limit)]


def cpv_suggest(text: str, limit: int) -> list[dict]:
    return [result.as_dict() for result in cpv_lookup.suggest(text, limit)]


def communes(postcode: str) -> list[dict]:
    return [
        {"insee": c.insee, "name": c.name, "label": c.label, "department": c.department}
        for c in communes_for_postcode((postcode or "")[:10])
    ]
