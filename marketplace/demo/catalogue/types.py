"""Plain data types of the demo catalogue."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OfferSpec:
    """One capability a supplier of the trade may list (CPV codes with check digit)."""

    title: str
    description: str
    cpv: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Trade:
    """A trade of neighbourhood entrepreneurship, with hand-written fragments combined by the generator."""

    key: str
    label: str
    short: str  # short noun used in names of inclusive structures ("Propreté")
    weight: int  # relative frequency among the demo suppliers
    names: tuple[str, ...]  # patterns: {brand} {commune} {dept} {first} {last} {initials}
    intros: tuple[str, ...]
    specialities: tuple[str, ...]
    clients: tuple[str, ...]
    stories: tuple[str, ...]
    guarantees: tuple[str, ...]
    offers: tuple[OfferSpec, ...]
    labels: dict[str, float] = field(default_factory=dict)  # label key -> probability
    inclusive: float = 0.15  # share of associations, SIAE, EA/ESAT and cooperatives
    revenue_per_head: int = 55_000  # euros per full-time person, order of magnitude
    wide_area: bool = False  # serves more departments (intellectual services)
