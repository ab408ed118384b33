"""Consortia (groupements): rules and transactions. Callable without a request.

Access rules (anybody else gets a 404, never a 403):

* an entrepreneur sees a consortium when one of the companies it acts for (``SupplierCompany.member_clause``)
  is invited to it or a member of it;
* only the users of the lead company (the mandataire) invite, remove, assign lots and roles, declare the team
  to the buyer and withdraw it;
* a buyer sees a consortium of one of its organisation's tenders once it has been declared (``submitted_at``).

The one-consortium-per-lot rule: a company cannot be an accepted member of two live consortia (forming or
submitted) of the same tender for the same lot. For a tender without lots the whole tender is the one lot: any
two live memberships collide. For a tender with lots, the lots assigned to the company collide (a member with
no lots assigned yet claims nothing; the declaration to the buyer needs every member's lots). The check runs
after ``SELECT ... FOR UPDATE`` on the company's row: two transactions adding the same company to two teams at
once are serialised on PostgreSQL (SQLite serialises writers anyway), so the second one sees the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..conversations.services import buyer_tender, start_as_buyer, start_for_consortium
from ..extensions import db
from ..models import (
    CONSORTIUM_MESSAGE_MAX,
    Consortium,
    ConsortiumMember,
    ConsortiumStatus,
    ConversationThread,
    MemberRole,
    MemberStatus,
    NotificationKind,
    Role,
    SupplierCompany,
    Tender,
    TenderStatus,
    User,
    utcnow,
)
from ..models.consortia import LIVE_STATUSES
from ..notifications.services import notify, path_for
from ..opportunities.services import NotVisible, chosen_lots, is_open, own_company, visible_tender
from ..suppliers.services import companies_of
from ..validators import ServiceError

SEARCH_LIMIT = 20
NOT_FORMING = "Le groupement a déjà été déclaré à l'acheteur ou retiré : sa composition ne change plus."
CLOSED_TENDER = "L'appel d'offres n'est plus ouvert aux réponses."


# ------------------------------------------------------------------------------------------- who sees what


def _loaded(stmt):
    return stmt.options(
        selectinload(Consortium.tender).selectinload(Tender.lots),
        selectinload(Consortium.tender).selectinload(Tender.buyer_organisation),
        selectinload(Consortium.members).selectinload(ConsortiumMember.company),
        selectinload(Consortium.lead_company),
    )


def _member_companies(user_id: int):
    return select(SupplierCompany.id).where(SupplierCompany.member_clause(user_id))


def visible_clause(user: User):
    """SQL condition on Consortium: the consortia the user may read (see the module docstring)."""
    if user is None or user.id is None:
        return Consortium.id.is_(None)
    if user.role is Role.SUPPLIER:
        return Consortium.id.in_(select(ConsortiumMember.consortium_id).where(
            ConsortiumMember.company_id.in_(_member_companies(user.id)),
            ConsortiumMember.status.in_((MemberStatus.INVITED, MemberStatus.ACCEPTED))))
    if user.role is Role.BUYER and user.buyer_organisation_id is not None:
        return Consortium.submitted_at.is_not(None) & Consortium.tender_id.in_(
            select(Tender.id).where(Tender.buyer_organisation_id == user.buyer_organisation_id))
    return Consortium.id.is_(None)


def get_consortium(user: User, consortium_id: int, *, for_update: bool = False) -> Consortium:
    """A consortium the user may read; NotVisible (404) otherwise."""
    stmt = _loaded(select(Consortium).where(Consortium.id == consortium_id, visible_clause(user)))
    if for_update:
        stmt = stmt.with_for_update(of=Consortium)
    consortium = db.session.scalar(stmt)
    if consortium is None:
        raise NotVisible()
    return consortium


def is_lead(user: User, consortium: Consortium) -> bool:
    return user.role is Role.SUPPLIER and consortium.lead_company.has_member(user)


def own_rows(user: User, consortium: Consortium) -> list[ConsortiumMember]:
    """The member rows of the companies the user acts for (invited or accepted)."""
    if user.role is not Role.SUPPLIER:
        return []
    return [m for m in consortium.members if m.company is not None and m.company.has_member(user)
            and m.status in (MemberStatus.INVITED, MemberStatus.ACCEPTED)]


def _lead_consortium(user: User, consortium_id: int) -> Consortium:
    """A forming consortium of which the user acts for the lead; 404 when it is not visible, an error otherwise."""
    consortium = get_consortium(user, consortium_id, for_update=True)
    if not is_lead(user, consortium):
        raise NotVisible()
    if consortium.status is not ConsortiumStatus.FORMING:
        raise ServiceError({"form": NOT_FORMING})
    return consortium


def consortia_of(user: User) -> list[Consortium]:
    """The user's consortia and invitations, newest first."""
    stmt = _loaded(select(Consortium).where(visible_clause(user)).order_by(Consortium.id.desc()))
    return list(db.session.scalars(stmt))


def on_tender_for_user(user: User, tender: Tender) -> list[Consortium]:
    """The user's consortia on one tender (for the entrepreneurs' tender page)."""
    stmt = _loaded(select(Consortium).where(Consortium.tender_id == tender.id, visible_clause(user))
                   .order_by(Consortium.id))
    return list(db.session.scalars(stmt))


def declared_for_buyer(tender: Tender) -> list[Consortium]:
    """The consortia declared to the buyer on this tender (the buyer's tender page), oldest first."""
    stmt = _loaded(select(Consortium).where(Consortium.tender_id == tender.id, Consortium.submitted_at.is_not(None))
                   .order_by(Consortium.submitted_at, Consortium.id))
    return list(db.session.scalars(stmt))


# ------------------------------------------------------------------------------------------- the lot rule


def _check_free(company: SupplierCompany, tender: Tender, lot_ids: list[int], consortium_id: int | None) -> None:
    """Refuse when the company is an accepted member of another live consortium of the tender for one of these
    lots (the whole tender without lots). Locks the company's row first (see the module docstring)."""
    db.session.execute(select(SupplierCompany.id).where(SupplierCompany.id == company.id).with_for_update())
    others = db.session.scalars(
        select(ConsortiumMember).join(Consortium, Consortium.id == ConsortiumMember.consortium_id)
        .where(ConsortiumMember.company_id == company.id, ConsortiumMember.status == MemberStatus.ACCEPTED,
               Consortium.tender_id == tender.id, Consortium.status.in_(LIVE_STATUSES),
               Consortium.id != (consortium_id or 0)))
    wanted = set(lot_ids)
    for other in others:
        if not tender.lots or wanted & set(other.lot_ids or ()):
            where = "cet appel d'offres" if not tender.lots else "ces lots"
            raise ServiceError({"form": f"{company.name} fait déjà partie d'un autre groupement pour {where} : "
                                        "une entreprise ne peut pas répondre deux fois au même lot."})


# ------------------------------------------------------------------------------------------- notifications


def _notify_invited(member: ConsortiumMember, consortium: Consortium, by: SupplierCompany) -> None:
    tender = consortium.tender
    lots = ", ".join(f"lot {lot.number}" for lot in member.lots)
    body = (f"{by.name} propose à {member.company.name} de répondre avec elle, en groupement, à « {tender.title} »"
            f" ({tender.buyer_organisation.name})")
    body += f", pour {lots}." if lots else "."
    body += "\n\nAcceptez ou déclinez l'invitation depuis la page du groupement."
    link = path_for("consortia.detail", consortium_id=consortium.id)
    for user in member.company.people:
        if user is not None and user.active:
            notify(user, NotificationKind.INVITATION_RECEIVED,
                   f"Invitation à un groupement : « {tender.title} »", body, link=link)


def _notify_buyers(consortium: Consortium) -> None:
    tender = consortium.tender
    lines = []
    for member in consortium.accepted_members:
        lots = ", ".join(f"lot {lot.number}" for lot in member.lots)
        lines.append(f"- {member.company.name} ({member.role_label.lower()})" + (f" : {lots}" if lots else ""))
    body = f"Un groupement d'entreprises répond à « {tender.title} » :\n" + "\n".join(lines)
    if consortium.message:
        body += f"\n\nSon message : {consortium.message}"
    for user in tender.buyer_organisation.members:
        if user.active and user.role is Role.BUYER:
            notify(user, NotificationKind.INTEREST_RECEIVED, f"Un groupement répond à « {tender.title} »", body,
                   link=path_for("buyers.tender_detail", tender_id=tender.id))


# ------------------------------------------------------------------------------------------- changes


def _open_tender(user: User, tender_id: int) -> Tender:
    tender = visible_tender(user, tender_id)
    if not is_open(tender):
        raise ServiceError({"form": CLOSED_TENDER})
    return tender


def _invite(consortium: Consortium, company: SupplierCompany, lot_ids: list[int], by: SupplierCompany
            ) -> ConsortiumMember:
    member = next((m for m in consortium.members if m.company_id == company.id), None)
    if member is not None and member.status in (MemberStatus.INVITED, MemberStatus.ACCEPTED):
        raise ServiceError({"company_id": f"{company.name} est déjà invitée dans ce groupement."})
    if member is None:
        member = ConsortiumMember(company=company, role=MemberRole.CO_TRAITANT)
        consortium.members.append(member)
    member.status, member.lot_ids, member.invited_at, member.answered_at = MemberStatus.INVITED, lot_ids, utcnow(), None
    member.consortium = consortium
    db.session.flush()
    _notify_invited(member, consortium, by)
    return member


def create(user: User, tender_id: int, company_id: int, *, invite: Mapping[int, Iterable] | None = None,
           lead_lots: Iterable = ()) -> Consortium:
    """A new consortium led by one of the user's companies on an open tender; ``invite`` maps other companies'
    ids to their proposed lots (a suggestion taken as it is). Commits."""
    lead = own_company(user, company_id)
    tender = _open_tender(user, tender_id)
    lots = chosen_lots(tender, lead_lots)
    _check_free(lead, tender, lots, None)
    consortium = Consortium(tender=tender, lead_company=lead, created_by=user, status=ConsortiumStatus.FORMING)
    now = utcnow()
    consortium.members.append(ConsortiumMember(company=lead, role=MemberRole.MANDATAIRE,
                                               status=MemberStatus.ACCEPTED, lot_ids=lots, invited_at=now,
                                               answered_at=now))
    db.session.add(consortium)
    db.session.flush()
    for other_id, other_lots in (invite or {}).items():
        other = db.session.get(SupplierCompany, int(other_id))
        if other is None or other.id == lead.id:
            continue
        _invite(consortium, other, chosen_lots(tender, other_lots), lead)
    db.session.commit()
    return consortium


def invite(user: User, consortium_id: int, company_id: int | None, lot_ids: Iterable = ()) -> ConsortiumMember:
    """The lead invites a company (any company of the directory). Commits."""
    consortium = _lead_consortium(user, consortium_id)
    company = db.session.get(SupplierCompany, company_id) if company_id else None
    if company is None:
        raise ServiceError({"company_id": "Choisissez une entreprise dans les résultats de la recherche."})
    member = _invite(consortium, company, chosen_lots(consortium.tender, lot_ids), consortium.lead_company)
    db.session.commit()
    return member


def _own_row(user: User, consortium: Consortium, company_id: int, status: MemberStatus) -> ConsortiumMember:
    member = next((m for m in own_rows(user, consortium) if m.company_id == company_id), None)
    if member is None:
        raise NotVisible()
    if member.status is not status:
        raise ServiceError({"form": "Cette invitation a déjà reçu une réponse." if status is MemberStatus.INVITED
                            else "Votre entreprise ne fait pas partie de ce groupement."})
    return member


def answer(user: User, consortium_id: int, company_id: int, accept: bool) -> ConsortiumMember:
    """An invited company accepts (subject to the lot rule) or declines. Commits."""
    consortium = get_consortium(user, consortium_id, for_update=True)
    member = _own_row(user, consortium, company_id, MemberStatus.INVITED)
    if consortium.status is not ConsortiumStatus.FORMING:
        raise ServiceError({"form": NOT_FORMING})
    if accept:
        _check_free(member.company, consortium.tender, list(member.lot_ids or ()), consortium.id)
    member.status = MemberStatus.ACCEPTED if accept else MemberStatus.DECLINED
    member.answered_at = utcnow()
    db.session.commit()
    return member


def leave(user: User, consortium_id: int, company_id: int) -> ConsortiumMember:
    """A member other than the lead leaves, until the team is declared to the buyer. Commits."""
    consortium = get_consortium(user, consortium_id, for_update=True)
    member = _own_row(user, consortium, company_id, MemberStatus.ACCEPTED)
    if member.company_id == consortium.lead_company_id:
        raise ServiceError({"form": "Le mandataire ne quitte pas le groupement : confiez ce rôle à un autre "
                                    "membre ou retirez le groupement."})
    if consortium.status is not ConsortiumStatus.FORMING:
        raise ServiceError({"form": "Le groupement a été déclaré à l'acheteur : on ne le quitte plus. "
                                    "Parlez-en au mandataire."})
    member.status, member.answered_at = MemberStatus.LEFT, utcnow()
    db.session.commit()
    return member


def remove(user: User, consortium_id: int, member_id: int) -> ConsortiumMember:
    """The lead removes an invited or accepted company (not itself). Commits."""
    consortium = _lead_consortium(user, consortium_id)
    member = next((m for m in consortium.members if m.id == member_id), None)
    if member is None or member.company_id == consortium.lead_company_id:
        raise NotVisible()
    db.session.delete(member)
    db.session.commit()
    return member


def assign(user: User, consortium_id: int, lots_by_member: Mapping[int, Iterable], lead_member_id: int | None = None
           ) -> Consortium:
    """The lead assigns the lots of the accepted members (each lot to one member at most) and, optionally, hands
    the mandataire role to another accepted member. Commits."""
    consortium = _lead_consortium(user, consortium_id)
    tender = consortium.tender
    accepted = {m.id: m for m in consortium.accepted_members}
    taken: dict[int, ConsortiumMember] = {}
    new_lots: dict[int, list[int]] = {}
    for member_id, values in lots_by_member.items():
        member = accepted.get(int(member_id))
        if member is None:
            continue
        chosen = chosen_lots(tender, values)
        for lot_id in chosen:
            if lot_id in taken:
                raise ServiceError({"lots": "Un lot ne revient qu'à un membre du groupement : "
                                            "décochez-le chez l'un des deux."})
            taken[lot_id] = member
        new_lots[member.id] = chosen
    for member_id, chosen in new_lots.items():
        _check_free(accepted[member_id].company, tender, chosen, consortium.id)
        accepted[member_id].lot_ids = chosen
    if lead_member_id is not None and int(lead_member_id) != _lead_row(consortium).id:
        new_lead = accepted.get(int(lead_member_id))
        if new_lead is None:
            raise ServiceError({"lead": "Le mandataire doit être un membre qui a accepté."})
        _lead_row(consortium).role = MemberRole.CO_TRAITANT
        new_lead.role = MemberRole.MANDATAIRE
        consortium.lead_company_id = new_lead.company_id
        consortium.lead_company = new_lead.company
    db.session.commit()
    return consortium


def companies_leaving(company_ids: Iterable[int]) -> None:
    """These companies are about to be deleted (their last user deleted their account): a live consortium they
    lead passes to its longest-standing other accepted member, who is told; without one it is withdrawn (and
    goes with its lead). Their other memberships go with them (ON DELETE CASCADE). Never commits."""
    leaving = set(company_ids)
    if not leaving:
        return
    led = db.session.scalars(select(Consortium).where(
        Consortium.lead_company_id.in_(leaving), Consortium.status.in_(LIVE_STATUSES)).with_for_update())
    for consortium in led:
        heirs = [m for m in consortium.accepted_members if m.company_id not in leaving]
        if not heirs:
            consortium.status = ConsortiumStatus.WITHDRAWN
            continue
        old_lead, heir = _lead_row(consortium), heirs[0]
        old_lead.role = MemberRole.CO_TRAITANT
        heir.role = MemberRole.MANDATAIRE
        consortium.lead_company_id = heir.company_id
        consortium.lead_company = heir.company
        db.session.flush()
        for user in heir.company.people:
            if user is not None and user.active:
                notify(user, NotificationKind.INVITATION_RECEIVED,
                       f"Vous êtes mandataire du groupement : « {consortium.tender.title} »",
                       f"{old_lead.company.name} a quitté la plateforme : {heir.company.name} devient le mandataire "
                       "du groupement. Vérifiez la répartition des lots avec vos partenaires.",
                       link=path_for("consortia.detail", consortium_id=consortium.id))


def _lead_row(consortium: Consortium) -> ConsortiumMember:
    return next(m for m in consortium.members if m.company_id == consortium.lead_company_id)


def submit(user: User, consortium_id: int, message: str | None = "") -> Consortium:
    """The lead declares the team to the buyer: forming -> submitted, the buyers are notified. Commits."""
    consortium = _lead_consortium(user, consortium_id)
    text = (message or "").replace("\x00", "").strip()
    if len(text) > CONSORTIUM_MESSAGE_MAX:
        raise ServiceError({"message": f"Le message est trop long ({len(text)} caractères, "
                                       f"{CONSORTIUM_MESSAGE_MAX} au plus)."})
    if not is_open(consortium.tender):
        raise ServiceError({"form": CLOSED_TENDER})
    accepted = consortium.accepted_members
    if len(accepted) < 2:
        raise ServiceError({"form": "Un groupement compte au moins deux entreprises qui ont accepté."})
    if consortium.tender.lots and any(not m.lot_ids for m in accepted):
        raise ServiceError({"form": "Attribuez au moins un lot à chaque membre avant de déclarer le groupement."})
    taken = [lot_id for m in accepted for lot_id in m.lot_ids or ()]
    if len(taken) != len(set(taken)):
        raise ServiceError({"form": "Un lot ne revient qu'à un membre du groupement : corrigez la répartition."})
    for member in accepted:  # the rule again, under the locks, as the team becomes binding
        _check_free(member.company, consortium.tender, list(member.lot_ids or ()), consortium.id)
    consortium.status, consortium.submitted_at, consortium.message = ConsortiumStatus.SUBMITTED, utcnow(), text
    _notify_buyers(consortium)
    db.session.commit()
    return consortium


def withdraw(user: User, consortium_id: int) -> Consortium:
    """The lead withdraws the team (forming or submitted). Commits."""
    consortium = get_consortium(user, consortium_id, for_update=True)
    if not is_lead(user, consortium):
        raise NotVisible()
    if not consortium.live:
        raise ServiceError({"form": "Ce groupement n'est plus en cours."})
    consortium.status = ConsortiumStatus.WITHDRAWN
    db.session.commit()
    return consortium


def settle(consortium: Consortium, won: bool) -> Consortium:
    """The buyer's award: submitted -> won or lost. For the awards' service, in its transaction (never commits)."""
    if consortium.status is not ConsortiumStatus.SUBMITTED:
        raise ServiceError({"form": "Seul un groupement déclaré à l'acheteur peut être retenu ou écarté."})
    consortium.status = ConsortiumStatus.WON if won else ConsortiumStatus.LOST
    consortium.settled_at = utcnow()
    return consortium


# ------------------------------------------------------------------------------------------- finding companies


def search_companies(query: str | None, exclude: Iterable[int] = ()) -> list[SupplierCompany]:
    """Companies by name (contains, case-insensitive) or SIRET/SIREN (digits), for "Inviter une entreprise"."""
    text = (query or "").strip()
    if len(text) < 2:
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    conditions = [func.lower(SupplierCompany.name).contains(text.lower(), autoescape=True)]
    if len(digits) >= 9 and len(digits) == len(text.replace(" ", "")):
        conditions.append(SupplierCompany.siret.startswith(digits, autoescape=True))
    stmt = (select(SupplierCompany).where(or_(*conditions), SupplierCompany.id.not_in(list(exclude) or [0]))
            .order_by(SupplierCompany.name, SupplierCompany.id).limit(SEARCH_LIMIT))
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Contact:
    company: SupplierCompany
    email: str | None
    phone: str | None


def contacts(consortium: Consortium) -> list[Contact]:
    """Each accepted member's contact, only when the company agreed to show it (``contact_shown``)."""
    return [Contact(m.company, m.company.contact_email, m.company.contact_phone)
            for m in consortium.accepted_members if m.company.contact_shown
            and (m.company.contact_email or m.company.contact_phone)]


def tender_is_open(consortium: Consortium) -> bool:
    return consortium.tender.status is TenderStatus.PUBLISHED and is_open(consortium.tender)


# ------------------------------------------------------------------------------------------- buyers invite a team

TEAM_MAX = 4


def invite_team(user: User, tender_id: int, company_ids: Iterable) -> list:
    """A buyer invites a suggested team to answer one of its tenders (not a draft): one message to each member
    company, in its thread with the organisation, naming the partners (each company's people are notified).
    Returns the messages; ServiceError for a team of fewer than two or more than TEAM_MAX companies."""
    tender = buyer_tender(user, tender_id)
    ids = list(dict.fromkeys(int(i) for i in company_ids))
    companies = [c for c in (db.session.get(SupplierCompany, i) for i in ids) if c is not None]
    if not 2 <= len(companies) <= TEAM_MAX or len(companies) != len(ids):
        raise ServiceError({"form": "Une équipe compte de deux à quatre entreprises inscrites."})
    messages = []
    for company in companies:
        partners = [c.name for c in companies if c.id != company.id]
        names = partners[0] if len(partners) == 1 else f"{', '.join(partners[:-1])} et {partners[-1]}"
        body = (f"Bonjour, nous pensons que {company.name} pourrait répondre à « {tender.title} » en groupement "
                f"avec {names}, vos métiers se complétant pour couvrir le besoin. Si cela vous intéresse, formez le "
                "groupement depuis la page de l'appel d'offres (« Répondre à plusieurs ») ; nous restons "
                "disponibles ici pour vos questions.")
        messages.append(start_as_buyer(user, tender.id, company.id, body))
    return messages


# ------------------------------------------------------------------------------------------- the conversation


def thread_of(consortium: Consortium) -> ConversationThread | None:
    """The thread between the tender's buyer organisation and the consortium, if it has started."""
    return db.session.scalar(select(ConversationThread).where(ConversationThread.consortium_id == consortium.id))


def can_write(user: User, consortium: Consortium) -> bool:
    """Once declared, the buyer and the users of the accepted members talk in one thread; a withdrawn team's
    thread stays readable, closed to new messages."""
    if consortium.submitted_at is None or consortium.status is ConsortiumStatus.WITHDRAWN:
        return False
    if user.role is Role.BUYER:
        return True  # get_consortium already checked the organisation
    return any(m.status is MemberStatus.ACCEPTED for m in own_rows(user, consortium))


def write(user: User, consortium_id: int, body: str | None):
    """A message about the consortium to the other side (404 when the user may not write it). Commits."""
    consortium = get_consortium(user, consortium_id)
    if not can_write(user, consortium):
        raise NotVisible()
    return start_for_consortium(user, consortium, body)


__all__ = [
    "buyer_tender", "can_write", "invite_team", "thread_of", "write",
    "answer", "assign", "companies_of", "consortia_of", "contacts", "create", "declared_for_buyer",
    "get_consortium", "invite", "is_lead", "leave", "on_tender_for_user", "own_rows", "remove", "search_companies",
    "settle", "submit", "visible_clause", "withdraw",
]
