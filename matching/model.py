"""Plain, frozen input and output records of the engine (no ORM, no framework)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["QPV_STATUSES", "REASON_KINDS", "Group", "Lot", "Match", "Reason", "Supplier", "Tender"]

# A supplier's QPV claim as the engine sees it: declared by the company, or verified by an administrator.
# Anything else (no claim, a refused one) is None. Buyers may filter on either, so the two stay distinct.
QPV_STATUSES = ("declared", "verified")

# How a reason is meant: why the supplier fits ("match"), a point against it ("caution"), or a remark about
# the data ("note": a malformed code that was ignored, the labels a tender requires).
REASON_KINDS = ("match", "caution", "note")


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
    """A supplier as the engine sees it; ``id`` is any stable string (e.g. a SIRET or a database key).

    ``qpv_status`` is the supplier's QPV claim (:data:`QPV_STATUSES` or None), next to its ``qpv_code``;
    ``commune`` (where it is based) is named in distance cautions. The words of ``commune`` and
    ``place_names`` (e.g. the names of the departments it serves) still count for ranking but are never shown
    as shared trade words ("saint", "denis").
    """

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
    qpv_status: str | None = None
    commune: str | None = None
    place_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.id))
        _as_tuple(self, "keywords", "cpv_codes", "departments", "labels", "place_names")
        if self.qpv_status is not None:
            if str(self.qpv_status) not in QPV_STATUSES:
                raise ValueError(f"Supplier.qpv_status must be None, 'declared' or 'verified', got {self.qpv_status!r}")
            object.__setattr__(self, "qpv_status", str(self.qpv_status))


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
    """A buyer's need: text, CPV codes, place of execution, budget, lots and required labels.

    ``place_names`` (the place of execution's commune, department...) count for ranking like any word but are
    never shown as shared trade words.
    """

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
    place_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.id))
        _as_tuple(self, "cpv_codes", "lots", "required_labels", "place_names")


@dataclass(frozen=True, kw_only=True)
class Reason:
    """One French sentence explaining a match, and its ``kind`` (:data:`REASON_KINDS`) for the display."""

    text: str
    kind: str = "match"

    def __post_init__(self) -> None:
        if self.kind not in REASON_KINDS:
            raise ValueError(f"Reason.kind must be one of {', '.join(REASON_KINDS)}, got {self.kind!r}")

    @property
    def is_caution(self) -> bool:
        """True for a point against the supplier (shown as a caution, not as a reason to choose it)."""
        return self.kind == "caution"


@dataclass(frozen=True, kw_only=True)
class Match:
    """One ranked supplier: overall score in [0, 1], French reasons and the per-signal components.

    ``explanations`` are the reasons with their kind; ``reasons`` are the same texts, in the same order (kept
    for callers that only need the sentences). Give either one: the other is derived.
    """

    supplier_id: str
    score: float
    reasons: tuple[str, ...] = ()
    components: dict[str, float] = field(default_factory=dict)
    explanations: tuple[Reason, ...] = ()

    def __post_init__(self) -> None:
        _as_tuple(self, "reasons", "explanations")
        texts = tuple(e.text for e in self.explanations)
        if not self.explanations:
            object.__setattr__(self, "explanations", tuple(Reason(text=r) for r in self.reasons))
        elif not self.reasons:
            object.__setattr__(self, "reasons", texts)
        elif self.reasons != texts:
            raise ValueError("Match.reasons must be the texts of Match.explanations, in the same order")

    @property
    def cautions(self) -> tuple[str, ...]:
        """The texts of the reasons that are cautions (points against the supplier)."""
        return tuple(e.text for e in self.explanations if e.is_caution)


@dataclass(frozen=True, kw_only=True)
class Group:
    """A suggested team (groupement) for a tender: :meth:`Engine.suggest_groups` returns them best first.

    ``assignments`` maps each covered requirement id (a lot id, ``"cpv:<group>"`` or ``"tender"``: see
    docs/matching.md) to the member that takes it; ``supplier_ids`` are the members (the lead first, then in
    the order of the requirements they take); ``lead_id`` is the mandataire. ``score`` is in [0, 1];
    ``covers_all`` is true only when every requirement is assigned; ``reasons`` are French sentences saying who
    takes what and why.
    """

    supplier_ids: tuple[str, ...]
    assignments: dict[str, str]
    lead_id: str
    score: float
    covers_all: bool
    reasons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _as_tuple(self, "supplier_ids", "reasons")
        object.__setattr__(self, "supplier_ids", tuple(str(x) for x in self.supplier_ids))
        object.__setattr__(self, "assignments", {str(k): str(v) for k, v in dict(self.assignments).items()})
        if self.lead_id not in self.supplier_ids:
            raise ValueError(f"Group.lead_id must be one of the members, got {self.lead_id!r}")
        if not set(self.assignments.values()) <= set(self.supplier_ids):
            raise ValueError("Group.assignments must assign requirements to members only")


class NotFittedError(ValueError, AttributeError):
    """A model asked to answer before ``fit``: scikit-learn's exception of that name, with the same bases, kept here
    so that importing the engine does not import scikit-learn (a second of every web worker's start)."""
