"""Plain, frozen input and output records of the engine (no ORM, no framework)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Lot", "Match", "Supplier", "Tender"]


def _as_tuple(obj: object, *names: str) -> None:
    # Callers often pass lists (JSON, ORM rows): store tuples so records stay hashable and immutable.
    for name in names:
        value = getattr(obj, name)
        if value is None:
            value = ()
        elif isinstance(value, str):
            value = (value,)
        object.__setattr__(obj, name, tuple(value))


@dataclass(frozen=True, kw_only=True)
class Supplier:
    """A supplier as the engine sees it; ``id`` is any stable string (e.g. a SIRET or a database key)."""

    id: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    cpv_codes: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    postcode: str | None = None
    lat: float | None = None
    lon: float | None = None
    headcount: int | None = None
    annual_revenue_eur: float | None = None
    labels: tuple[str, ...] = ()
    qpv_code: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.id))
        _as_tuple(self, "keywords", "cpv_codes", "departments", "labels")


@dataclass(frozen=True, kw_only=True)
class Lot:
    """One lot of a tender; ranking for a lot uses its own text, CPV codes and budget."""

    id: str
    title: str
    description: str = ""
    cpv_codes: tuple[str, ...] = ()
    budget_eur: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.id))
        _as_tuple(self, "cpv_codes")


@dataclass(frozen=True, kw_only=True)
class Tender:
    """A buyer's need: text, CPV codes, place of execution, budget, lots and required labels."""

    id: str
    title: str
    description: str = ""
    cpv_codes: tuple[str, ...] = ()
    department: str | None = None
    postcode: str | None = None
    lat: float | None = None
    lon: float | None = None
    budget_eur: float | None = None
    lots: tuple[Lot, ...] = ()
    required_labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.id))
        _as_tuple(self, "cpv_codes", "lots", "required_labels")


@dataclass(frozen=True, kw_only=True)
class Match:
    """One ranked supplier: overall score in [0, 1], French reasons and the per-signal components."""

    supplier_id: str
    score: float
    reasons: tuple[str, ...] = ()
    components: dict[str, float] = field(default_factory=dict)
