"""The engine's suggested teams (``Engine.suggest_groups``) as display rows for buyers and entrepreneurs.

Reads the engine and the ``matching.Tender`` through ``marketplace.search`` (the one bridge to the engine);
nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from matching.groups import NOTHING_TO_SPLIT

from .. import search
from ..extensions import db
from ..models import Lot, SupplierCompany, Tender

MAX_SIZE = 3
LIMIT = 5


@dataclass(frozen=True)
class TeamMember:
    company: SupplierCompany
    lots: tuple[Lot, ...]  # the lots it takes (empty for a tender without lots)
    needs: tuple[str, ...]  # what it takes, in words ("Lot 2 : Espaces verts", "Besoin CPV 909", ...)
    is_lead: bool


@dataclass(frozen=True)
class Team:
    members: tuple[TeamMember, ...]  # the lead first
    score: float
    covers_all: bool
    covered: int  # requirements taken
    required: int | None  # requirements of the tender (its lots; None without lots)
    reasons: tuple[str, ...]

    @property
    def lead(self) -> TeamMember:
        return self.members[0]

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    def others(self, company_id: int) -> list[TeamMember]:
        return [m for m in self.members if m.company.id != company_id]

    def has(self, company_id: int) -> bool:
        return any(m.company.id == company_id for m in self.members)


def _need_label(requirement_id: str, lots: dict[str, Lot]) -> str:
    lot = lots.get(requirement_id)
    if lot is not None:
        return f"Lot {lot.number} : {lot.title}"
    if requirement_id.startswith("cpv:"):
        return f"Besoin CPV {requirement_id[4:]}"
    return "L'ensemble de l'appel d'offres"


def teams_for(tender: Tender, *, max_size: int = MAX_SIZE, limit: int = LIMIT) -> list[Team]:
    """The suggested teams of the tender, best first; only teams of two or more companies (a team of one is the
    shortlist's business)."""
    groups = search.suggest_groups(tender, max_size=max_size, limit=limit)
    ids = {int(sid) for g in groups for sid in g.supplier_ids}
    companies = ({c.id: c for c in db.session.scalars(select(SupplierCompany).where(SupplierCompany.id.in_(ids)))}
                 if ids else {})
    lots = {str(lot.id): lot for lot in tender.lots}
    required = len(tender.lots) if tender.lots else None
    teams = []
    for group in groups:
        if len(group.supplier_ids) < 2 or any(int(sid) not in companies for sid in group.supplier_ids):
            continue
        members = []
        for sid in group.supplier_ids:
            taken = [rid for rid, owner in group.assignments.items() if owner == sid]
            members.append(TeamMember(
                company=companies[int(sid)],
                lots=tuple(sorted((lots[r] for r in taken if r in lots), key=lambda lot: lot.number)),
                needs=tuple(_need_label(r, lots) for r in taken),
                is_lead=sid == group.lead_id,
            ))
        members.sort(key=lambda m: not m.is_lead)
        covered = len(group.assignments)
        teams.append(Team(tuple(members), group.score, group.covers_all, covered, required, tuple(group.reasons)))
    return teams


def nothing_to_split(tender: Tender) -> bool:
    """True when the tender is a single need with no budget to share: one company answers it alone."""
    groups = search.suggest_groups(tender, max_size=1, limit=1)
    return bool(groups) and groups[0].reasons[:1] == (NOTHING_TO_SPLIT,)


def teams_with(tender: Tender, company_ids: set[int]) -> list[tuple[SupplierCompany, Team]]:
    """The suggested teams that include one of these companies (the entrepreneur's own), with that company."""
    out = []
    for team in teams_for(tender):
        mine = next((m.company for m in team.members if m.company.id in company_ids), None)
        if mine is not None:
            out.append((mine, team))
    return out
