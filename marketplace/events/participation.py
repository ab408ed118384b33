"""What a participant does in its own space: answer the invitation, say what it buys or does, its
availabilities and its wishes.

The event's phase decides what may change: the profile and the availabilities until the agendas are
published, the wishes only while the wish phase is open (``EventStatus.WISHES``). Every function takes the
participant the caller already checked (``access.participant_or_404``) and commits; a refusal is a
``ServiceError`` keyed by the form field, in French.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from matching.text import fold

from ..extensions import db
from ..models import (
    Event,
    EventMeeting,
    EventParticipant,
    EventStatus,
    EventWish,
    ParticipantSide,
    ParticipantStatus,
    User,
    utcnow,
)
from ..models.events import NEEDS_TEXT_MAX
from ..refdata.lookups import is_postcode
from ..validators import ServiceError, normalise_email
from .scoring import EventScorer
from .services import needs_from_tenders
from .slots import event_slots

MAX_MUST_WISHES = 5  # beyond a handful, "must" stops meaning anything to the scheduler
WISH_VALUES = frozenset({2, 1, -1})  # matching.schedule: must, would like, refuses; no row: no preference
PUBLISHED_LOCKED = "Les agendas sont publiés : cette information ne peut plus être modifiée. Contactez l'organisateur."


def is_published(participant: EventParticipant) -> bool:
    return participant.event.status is EventStatus.PUBLISHED


def wishes_open(participant: EventParticipant) -> bool:
    return participant.event.status is EventStatus.WISHES


def _locked(participant: EventParticipant) -> EventParticipant:
    """The participant's row, locked until commit: two tabs saving at once do not interleave."""
    db.session.execute(sa.select(EventParticipant.id).where(EventParticipant.id == participant.id).with_for_update())
    return participant


def _refuse_once_published(participant: EventParticipant, field: str = "") -> None:
    if is_published(participant):
        raise ServiceError({field: PUBLISHED_LOCKED})


# ------------------------------------------------------------------------------------------ who and answer


def events_of(user: User) -> list[EventParticipant]:
    """The user's participations (one per event), the coming events first."""
    stmt = (sa.select(EventParticipant).join(EventParticipant.event).where(EventParticipant.user_id == user.id)
            .order_by(Event.first_day.desc(), EventParticipant.id))
    return list(db.session.scalars(stmt))


def takes_part(user: User) -> bool:
    stmt = sa.select(EventParticipant.id).where(EventParticipant.user_id == user.id).limit(1)
    return db.session.scalar(stmt) is not None


def link_account(participant: EventParticipant, user: User) -> bool:
    """Link the signed-in ``user`` to the participant its link names, when the e-mail is the account's and the
    participant has no account yet (and the user is not already another participant of the event)."""
    if participant.user_id is not None or normalise_email(user.email) != normalise_email(participant.email):
        return False
    already = sa.select(EventParticipant.id).where(EventParticipant.event_id == participant.event_id,
                                                    EventParticipant.user_id == user.id)
    if db.session.scalar(already) is not None:
        return False
    participant.user_id = user.id
    if participant.is_buyer and participant.buyer_organisation_id is None:
        participant.buyer_organisation_id = user.buyer_organisation_id
    db.session.commit()
    return True


def answer(participant: EventParticipant, confirmed: bool) -> None:
    """Confirm or decline; either may be changed until the agendas are published.

    Declining also drops the participant's meetings of the planning being prepared, in the same transaction
    (nobody is told: nothing was published; the organiser sees the planning change)."""
    _locked(participant)
    _refuse_once_published(participant)
    participant.status = ParticipantStatus.CONFIRMED if confirmed else ParticipantStatus.DECLINED
    participant.answered_at = utcnow()
    if not confirmed:
        db.session.execute(sa.delete(EventMeeting).where(
            EventMeeting.event_id == participant.event_id,
            sa.or_(EventMeeting.buyer_id == participant.id, EventMeeting.supplier_id == participant.id)),
            execution_options={"synchronize_session": "fetch"})
        db.session.expire(participant.event, ["meetings"])
    db.session.commit()


# ---------------------------------------------------------------------------------------------- profile


def profile_kind(participant: EventParticipant) -> str:
    """"buyer" (what it buys), "company" (its marketplace profile is used) or "own" (what it does)."""
    if participant.side is ParticipantSide.BUYER:
        return "buyer"
    return "company" if participant.supplier_company_id is not None else "own"


@dataclass(frozen=True)
class ProfileData:
    needs_text: str
    cpv_codes: list[str]  # already checked (buyers.forms.CpvField)
    postcode: str | None = None  # entrepreneurs without a company only
    qpv_declared: bool = False


def prefill(participant: EventParticipant) -> ProfileData | None:
    """A buyer who said nothing yet: what its organisation's recent published tenders say it buys (or None)."""
    if profile_kind(participant) != "buyer" or participant.needs_text or participant.cpv_codes:
        return None
    organisation_id = participant.buyer_organisation_id or (participant.user.buyer_organisation_id
                                                            if participant.user is not None else None)
    needs, codes = needs_from_tenders(organisation_id)
    return ProfileData(needs_text=needs, cpv_codes=codes) if needs or codes else None


def update_profile(participant: EventParticipant, data: ProfileData) -> None:
    kind = profile_kind(participant)
    if kind == "company":
        raise ServiceError({"": "Votre profil d'entreprise sur la plateforme est utilisé : modifiez-le là."})
    _locked(participant)
    _refuse_once_published(participant, "needs_text")
    text = (data.needs_text or "").strip()
    errors = {}
    if len(text) > NEEDS_TEXT_MAX:
        errors["needs_text"] = f"Texte trop long ({NEEDS_TEXT_MAX} caractères au plus)."
    postcode = (data.postcode or "").strip() or None
    if kind == "own" and postcode is not None and not is_postcode(postcode):
        errors["postcode"] = "Le code postal doit comporter 5 chiffres."
    if errors:
        raise ServiceError(errors)
    participant.needs_text = text
    participant.cpv_codes = list(data.cpv_codes or ())
    if kind == "own":
        participant.postcode = postcode
        participant.qpv_declared = bool(data.qpv_declared)
    db.session.commit()


# ----------------------------------------------------------------------------------------- availability


def set_availability(participant: EventParticipant, available: Iterable[int]) -> list[int]:
    """Store the slots the participant can attend as the others (``unavailable_slots``); returns those."""
    _locked(participant)
    _refuse_once_published(participant, "slots")
    grid = {slot.index for slot in event_slots(participant.event)}
    ticked = set(available or ())
    if not ticked <= grid:
        raise ServiceError({"slots": "Un des créneaux cochés n'existe pas dans cet événement : rechargez la page."})
    participant.unavailable_slots = sorted(grid - ticked)
    db.session.commit()
    return participant.unavailable_slots


# ---------------------------------------------------------------------------------------------- wishes


def others_of(participant: EventParticipant) -> list[EventParticipant]:
    """Whom the participant may wish to meet: the other side of its event, not declined, by name."""
    side = ParticipantSide.SUPPLIER if participant.is_buyer else ParticipantSide.BUYER
    stmt = sa.select(EventParticipant).where(EventParticipant.event_id == participant.event_id,
                                             EventParticipant.side == side,
                                             EventParticipant.status != ParticipantStatus.DECLINED)
    people = db.session.scalars(stmt)
    return sorted(people, key=lambda p: (p.organisation_name.casefold(), p.person_name.casefold(), p.id))


def wishes_of(participant: EventParticipant) -> dict[int, int]:
    """{other participant id: 2 | 1 | -1}: the participant's own wishes."""
    stmt = sa.select(EventWish.other_id, EventWish.value).where(EventWish.requester_id == participant.id)
    return {other_id: value for other_id, value in db.session.execute(stmt)}


def wished_by_others(participant: EventParticipant) -> set[int]:
    """Who of the other side asked to meet the participant (must or would like): mutual interest hints."""
    stmt = sa.select(EventWish.requester_id).where(EventWish.other_id == participant.id, EventWish.value > 0)
    return set(db.session.scalars(stmt))


def set_wishes(participant: EventParticipant, values: Mapping[int, int | None]) -> dict[int, int]:
    """Merge ``{other id: 2 | 1 | -1 | None}`` (None or 0: no preference) into the participant's wishes; the
    others keep theirs (a page shows a part of the list). Returns every wish after the change."""
    _locked(participant)
    if is_published(participant):
        raise ServiceError({"wishes": "Les agendas sont publiés : vos souhaits ne peuvent plus être modifiés."})
    if not wishes_open(participant):
        raise ServiceError({"wishes": "La phase des souhaits n'est pas encore ouverte."})
    allowed = {p.id for p in others_of(participant)}
    for other_id, value in values.items():
        if other_id not in allowed:
            raise ServiceError({"wishes": "Une des personnes choisies ne participe pas (ou plus) à cet événement : "
                                          "rechargez la page."})
        if value not in WISH_VALUES and value not in (None, 0):
            raise ServiceError({"wishes": "Choix inconnu : rechargez la page et choisissez parmi les options."})
    current = wishes_of(participant)
    merged = {**current, **{k: v for k, v in values.items() if v}}
    for other_id, value in values.items():
        if not value:
            merged.pop(other_id, None)
    musts = sum(1 for other_id, v in merged.items() if v == 2 and other_id in allowed)
    if musts > MAX_MUST_WISHES:
        raise ServiceError({"wishes": f"Vous avez choisi « Je dois le/la rencontrer » pour {musts} personnes : "
                                      f"{MAX_MUST_WISHES} au plus, pour que ces rencontres restent prioritaires."})
    rows = {w.other_id: w for w in db.session.scalars(sa.select(EventWish).where(
        EventWish.requester_id == participant.id))}
    for other_id in values:
        value, row = merged.get(other_id), rows.get(other_id)
        if value is None and row is not None:
            db.session.delete(row)
        elif value is not None and row is None:
            db.session.add(EventWish(event_id=participant.event_id, requester_id=participant.id, other_id=other_id,
                                     value=value))
        elif value is not None and row.value != value:
            row.value = value
    db.session.commit()
    return merged


# ------------------------------------------------------------------------------------------ the wish page

SUGGESTIONS = 10
WISHES_PER_PAGE = 25


@dataclass(frozen=True)
class WishPage:
    """What the wish page shows: the engine's suggestions (first page, no filter), then everyone else."""

    suggestions: list  # [(EventParticipant, scoring.PairScore)], best first
    people: list[EventParticipant]  # this page of the others, alphabetically (suggested ones left out)
    page: int
    pages: int
    total: int  # how many people the list (after the filter) holds
    wishes: dict[int, int]  # the participant's wishes, every page
    wished_by: set[int]  # who of the other side asked to meet the participant

    @property
    def shown(self) -> list[EventParticipant]:
        return [other for other, _ in self.suggestions] + self.people


def wish_page(participant: EventParticipant, *, query: str = "", page: int = 1,
              per_page: int = WISHES_PER_PAGE) -> WishPage:
    """The page of the wish list asked for. The engine is fitted on the event's entrepreneurs at each call
    (0.1-0.5 s for a few hundred) when there is no filter: the suggestions head the first page and are left out
    of the alphabetical list on every page."""
    others = others_of(participant)
    suggestions = []
    needle = " ".join(fold(query or "").split())
    if needle:
        others = [o for o in others if needle in fold(f"{o.organisation_name} {o.person_name}")]
    elif others:
        try:
            suggestions = EventScorer.for_event(participant.event).best_for(participant, others, k=SUGGESTIONS)
        except ValueError:  # the engine cannot answer (nothing to fit on): the plain list still works
            suggestions = []
    suggested = {other.id for other, _ in suggestions}
    rest = [o for o in others if o.id not in suggested]
    pages = max(1, -(-len(rest) // per_page))
    page = min(max(page, 1), pages)
    return WishPage(suggestions if page == 1 else [], rest[(page - 1) * per_page: page * per_page], page, pages,
                    len(others), wishes_of(participant), wished_by_others(participant))


def wish_list(participant: EventParticipant) -> list[tuple[EventParticipant, int]]:
    """The participant's wishes with whom they name, strongest first then by name (the read-only view)."""
    stmt = sa.select(EventWish).where(EventWish.requester_id == participant.id)
    rows = [(w.other, w.value) for w in db.session.scalars(stmt)]
    return sorted(rows, key=lambda item: (-item[1], item[0].organisation_name.casefold(), item[0].id))
