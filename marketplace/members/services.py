"""Several users per company: the team, invitations by e-mail, removal, leaving and handing ownership over.

Rules (callable without a request, inside an app context):
- Whoever acts for the company (``SupplierCompany.has_member``: its owner or a member) sees its team.
- Only the owner invites, cancels an invitation, removes a member and hands ownership over (``NotOwner``
  otherwise: the view answers 403, the company being theirs to see).
- An invitation is a random token sent by e-mail (only its SHA-256 is stored), usable once, for 7 days,
  by the entrepreneur account of the invited address. Inviting an address with an open invitation renews it:
  new token and expiry, the previous link stops working. The e-mail always goes out (transactional); an
  invitee who already has an entrepreneur account also finds it in their notifications.
- Removal, leaving and hand-over lock the company row (``with_for_update``) and notify the user concerned.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    CompanyInvitation,
    CompanyMember,
    Notification,
    NotificationKind,
    Role,
    SupplierCompany,
    User,
    utcnow,
)
from ..models.invitations import token_hash
from ..notifications import services as notifications
from ..validators import ServiceError, check_email, check_password_strength, normalise_email

INVITATION_VALIDITY = timedelta(days=7)
ALREADY_IN_TEAM = "Cette personne fait déjà partie de l'équipe de l'entreprise."


class NotOwner(Exception):
    """Only the company's owner may do this (the view answers 403)."""


class NotFound(Exception):
    """No such member or invitation in this company (the view answers 404)."""


class InvitationRefused(Exception):
    """An invitation link that cannot be used. ``reason``: "invalid" (unknown or damaged token), "expired",
    "used" (already accepted) or "cancelled"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# --- reading ----------------------------------------------------------------------------------------------

def company_for(user: User, company_id: int) -> SupplierCompany | None:
    """The company when ``user`` acts for it (owner or member), else None: the view answers 404."""
    if user is None or getattr(user, "role", None) is not Role.SUPPLIER:
        return None
    company = db.session.get(SupplierCompany, company_id)
    return company if company is not None and company.has_member(user) else None


def is_owner(company: SupplierCompany, user: User) -> bool:
    return user is not None and user.id is not None and company.owner_id == user.id


@dataclass(frozen=True)
class Team:
    company: SupplierCompany
    owner: User | None
    members: list[CompanyMember]  # the owner aside, oldest first
    invitations: list[CompanyInvitation]  # open ones (expired included, to renew or cancel), newest first
    viewer_is_owner: bool


def team(company: SupplierCompany, viewer: User) -> Team:
    members = list(db.session.scalars(
        select(CompanyMember).where(CompanyMember.company_id == company.id)
        .options(selectinload(CompanyMember.user)).order_by(CompanyMember.created_at, CompanyMember.id)
    ))
    invitations = list(db.session.scalars(
        select(CompanyInvitation)
        .where(CompanyInvitation.company_id == company.id, CompanyInvitation.accepted_at.is_(None),
               CompanyInvitation.cancelled_at.is_(None))
        .order_by(CompanyInvitation.sent_at.desc(), CompanyInvitation.id.desc())
    ))
    return Team(company=company, owner=company.owner, members=members, invitations=invitations,
                viewer_is_owner=is_owner(company, viewer))


def _locked(company: SupplierCompany) -> SupplierCompany:
    """The company's row, locked until the transaction ends and re-read under the lock."""
    return db.session.scalar(
        select(SupplierCompany).where(SupplierCompany.id == company.id)
        .with_for_update().execution_options(populate_existing=True)
    )


def _require_owner(company: SupplierCompany, actor: User) -> None:
    if not is_owner(company, actor):
        raise NotOwner()


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def account_exists(email: str) -> bool:
    return _user_by_email(email) is not None


def _in_app(user: User, title: str, body: str, link: str | None) -> None:
    """Notify ``user`` (kind INVITATION_RECEIVED: always sent, so an e-mail goes with it)."""
    notifications.notify(user, NotificationKind.INVITATION_RECEIVED, title, body, link=link)


# --- invitations ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InvitationSent:
    invitation: CompanyInvitation
    token: str  # the raw token: only in the e-mail (and the invitee's notification), never stored
    renewed: bool


def invite(company: SupplierCompany, email: str, *, actor: User, now: datetime | None = None) -> InvitationSent:
    """Invite ``email`` to the company (or renew its open invitation) and queue the e-mail; commits. The
    company's row is locked, so two invitations of one address at once make one open invitation."""
    _require_owner(company, actor)
    company = _locked(company)
    try:
        email = check_email((email or "").strip())
    except ValueError as error:
        raise ServiceError({"email": str(error)}) from None
    if any(person.email == email for person in company.people):
        raise ServiceError({"email": ALREADY_IN_TEAM})
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    invitation = db.session.scalar(
        select(CompanyInvitation)
        .where(CompanyInvitation.company_id == company.id, CompanyInvitation.email == email,
               CompanyInvitation.accepted_at.is_(None), CompanyInvitation.cancelled_at.is_(None))
        .order_by(CompanyInvitation.id.desc()).limit(1)
        .with_for_update().execution_options(populate_existing=True)
    )
    renewed = invitation is not None
    if invitation is None:
        invitation = CompanyInvitation(company_id=company.id, email=email)
        db.session.add(invitation)
    invitation.token_hash = token_hash(token)
    invitation.invited_by_id = actor.id
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALIDITY

    account = _user_by_email(email)
    accept_url = notifications.absolute_url_for("members.invitation", token=token)
    subject = f"Invitation à rejoindre l'entreprise {company.name}"
    notifications.queue_email_to_address(
        email, NotificationKind.INVITATION_RECEIVED, subject=subject, template="invitation", user=account,
        company=company, inviter=actor, accept_url=accept_url, expires_at=invitation.expires_at,
        has_account=account is not None,
    )
    if account is not None and account.role is Role.SUPPLIER and account.active:
        # In the app too; the e-mail above is the one sent (notify() would send a second one).
        db.session.add(Notification(
            user_id=account.id, kind=NotificationKind.INVITATION_RECEIVED, title=subject[:200],
            body=f"{actor.full_name} vous invite à rejoindre l'équipe de {company.name}.",
            link=notifications.path_for("members.invitation", token=token), emailed_at=now,
        ))
    db.session.commit()
    return InvitationSent(invitation=invitation, token=token, renewed=renewed)


def cancel_invitation(company: SupplierCompany, invitation_id: int, *, actor: User) -> CompanyInvitation:
    _require_owner(company, actor)
    invitation = db.session.scalar(
        select(CompanyInvitation)
        .where(CompanyInvitation.id == invitation_id, CompanyInvitation.company_id == company.id)
        .with_for_update().execution_options(populate_existing=True)
    )
    if invitation is None or not invitation.is_open:
        raise NotFound()
    invitation.cancelled_at = utcnow()
    db.session.commit()
    return invitation


def invitation_for_token(token: str, *, now: datetime | None = None, for_update: bool = False) -> CompanyInvitation:
    """The usable invitation of this link, or ``InvitationRefused``."""
    if not token or len(token) > 200:
        raise InvitationRefused("invalid")
    stmt = select(CompanyInvitation).where(CompanyInvitation.token_hash == token_hash(token))
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    invitation = db.session.scalar(stmt)
    if invitation is None:
        raise InvitationRefused("invalid")
    if invitation.accepted_at is not None:
        raise InvitationRefused("used")
    if invitation.cancelled_at is not None:
        raise InvitationRefused("cancelled")
    if invitation.expires_at <= (now or utcnow()):
        raise InvitationRefused("expired")
    return invitation


class CannotJoin(Exception):
    """The signed-in account cannot accept: ``reason`` "wrong_account" (another address) or "not_supplier"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def account_refusal(invitation: CompanyInvitation, user: User) -> str | None:
    """Why ``user`` (signed in) cannot accept this invitation (a ``CannotJoin`` reason); None when they can."""
    if normalise_email(user.email) != invitation.email:
        return "wrong_account"
    if user.role is not Role.SUPPLIER:
        return "not_supplier"
    return None


def _join(invitation: CompanyInvitation, user: User, now: datetime) -> SupplierCompany:
    company = _locked(invitation.company)
    if not company.has_member(user):
        db.session.add(CompanyMember(company_id=company.id, user_id=user.id))
    invitation.accepted_at = now
    if company.owner is not None:
        _in_app(company.owner, f"{user.full_name} a rejoint l'équipe de {company.name}",
                f"{user.full_name} ({user.email}) a accepté votre invitation.",
                notifications.path_for("members.team", company_id=company.id))
    return company


def accept(token: str, user: User, *, now: datetime | None = None) -> SupplierCompany:
    """Make ``user`` (signed in as the invited address) a member; commits. ``InvitationRefused`` for a link
    that cannot be used, ``CannotJoin`` for another account or a role that cannot join a company."""
    now = now or utcnow()
    invitation = invitation_for_token(token, now=now, for_update=True)
    refusal = account_refusal(invitation, user)
    if refusal is not None:
        raise CannotJoin(refusal)
    company = _join(invitation, user, now)
    db.session.commit()
    return company


def register_and_accept(token: str, *, full_name: str, password: str, now: datetime | None = None) -> User:
    """Create the entrepreneur account of the invited address and make it a member; commits. The link came to
    that mailbox: it proves the address, as a confirmation link would."""
    now = now or utcnow()
    invitation = invitation_for_token(token, now=now, for_update=True)
    if _user_by_email(invitation.email) is not None:
        raise ServiceError("Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation.")
    errors = {}
    if not (full_name or "").strip():
        errors["full_name"] = "Ce champ est obligatoire."
    try:
        check_password_strength(password, invitation.email)
    except ValueError as error:
        errors["password"] = str(error)
    if errors:
        raise ServiceError(errors)
    user = User(email=invitation.email, full_name=full_name.strip()[:120], role=Role.SUPPLIER)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _join(invitation, user, now)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("Un compte vient d'être créé pour cette adresse : connectez-vous.") from None
    return user


# --- members ------------------------------------------------------------------------------------------------

def member(company: SupplierCompany, user_id: int) -> CompanyMember | None:
    """The membership of ``user_id`` in the company (the owner has none)."""
    return db.session.scalar(
        select(CompanyMember).where(CompanyMember.company_id == company.id, CompanyMember.user_id == user_id)
    )


def remove_member(company: SupplierCompany, user_id: int, *, actor: User) -> User:
    """The owner removes a member; commits. The removed user is notified."""
    company = _locked(company)
    _require_owner(company, actor)
    membership = member(company, user_id)
    if membership is None:
        raise NotFound()
    removed = membership.user
    db.session.delete(membership)
    _in_app(removed, f"Vous ne faites plus partie de l'équipe de {company.name}",
            f"{actor.full_name} vous a retiré de l'équipe de l'entreprise {company.name}.", None)
    db.session.commit()
    return removed


def leave(company: SupplierCompany, *, user: User) -> None:
    """A member leaves the company; commits. The owner must hand ownership over first. The owner is notified."""
    company = _locked(company)
    if is_owner(company, user):
        raise ServiceError("En tant que propriétaire, vous ne pouvez pas quitter l'entreprise : transmettez "
                           "d'abord la propriété à un autre membre de l'équipe.")
    membership = member(company, user.id)
    if membership is None:
        raise NotFound()
    db.session.delete(membership)
    if company.owner is not None:
        _in_app(company.owner, f"{user.full_name} a quitté l'équipe de {company.name}",
                f"{user.full_name} ({user.email}) ne fait plus partie de l'équipe.",
                notifications.path_for("members.team", company_id=company.id))
    db.session.commit()


def promote(company: SupplierCompany, membership: CompanyMember) -> User:
    """The member becomes the company's owner (their member row goes: the owner is not listed among members);
    returns them. Never commits: hand-over and account deletion build on it."""
    new_owner = membership.user
    db.session.delete(membership)
    db.session.flush()
    company.owner_id = new_owner.id
    return new_owner


def hand_over(company: SupplierCompany, user_id: int, *, actor: User) -> User:
    """The owner makes a member the owner and becomes a member; commits. The new owner is notified."""
    company = _locked(company)
    _require_owner(company, actor)
    membership = member(company, user_id)
    if membership is None:
        raise NotFound()
    new_owner = promote(company, membership)
    db.session.add(CompanyMember(company_id=company.id, user_id=actor.id))
    db.session.flush()
    db.session.expire(company, ["owner", "members"])
    _in_app(new_owner, f"Vous êtes maintenant propriétaire de {company.name}",
            f"{actor.full_name} vous a transmis la propriété de l'entreprise {company.name} ; "
            "il ou elle reste membre de l'équipe.",
            notifications.path_for("members.team", company_id=company.id))
    db.session.commit()
    return new_owner
