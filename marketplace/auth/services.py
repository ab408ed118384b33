"""Account rules: registration, authentication, administrators. Callable without a request."""

import functools

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import BuyerOrganisation, Role, SupplierCompany, User, utcnow
from ..validators import (
    SIRET_TAKEN,
    ServiceError,
    check_email,
    check_password_strength,
    clean_siret,
    normalise_email,
    organisation_key,
)


def email_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == normalise_email(email))) is not None


def register_user(
    *,
    email: str,
    password: str,
    full_name: str,
    role: Role,
    company_name: str | None = None,
    siret: str | None = None,
    organisation_name: str | None = None,
) -> User:
    """Create an account (and the supplier's company or the buyer's organisation) in one transaction."""
    role = Role(role)
    email = normalise_email(email)
    siret, errors = _registration_errors(email, password, role, company_name, siret, organisation_name)
    if errors:
        raise ServiceError(errors)

    organisation = BuyerOrganisation(name=organisation_name.strip()) if role is Role.BUYER else None
    user = User(email=email, full_name=full_name.strip(), role=role, buyer_organisation=organisation)
    user.set_password(password)
    db.session.add(user)
    if role is Role.SUPPLIER:
        db.session.add(SupplierCompany(name=company_name.strip(), siret=siret, owner=user))
    try:
        db.session.commit()
    except IntegrityError:
        # Someone registered the same e-mail, SIRET or organisation between our checks and this commit.
        db.session.rollback()
        _, errors = _registration_errors(email, password, role, company_name, siret, organisation_name)
        raise ServiceError(errors or "Ce compte vient d'être créé par ailleurs : connectez-vous.") from None
    return user


def _registration_errors(email, password, role, company_name, siret, organisation_name) -> tuple[str | None, dict]:
    """The cleaned SIRET and every reason to refuse this registration (field -> French message)."""
    errors: dict[str, str] = {}
    if email_taken(email):
        errors["email"] = "Un compte existe déjà avec cette adresse e-mail. Connectez-vous à ce compte."
    try:
        check_password_strength(password, email)
    except ValueError as error:
        errors["password"] = str(error)
    if role is Role.SUPPLIER:
        try:
            siret = clean_siret(siret or "")
        except ValueError as error:
            errors["siret"] = str(error)
        else:
            if db.session.scalar(select(SupplierCompany.id).where(SupplierCompany.siret == siret)):
                errors["siret"] = SIRET_TAKEN
        if not (company_name or "").strip():
            errors["company_name"] = "Indiquez le nom de votre entreprise."
    if role is Role.BUYER:
        name = (organisation_name or "").strip()
        if not name:
            errors["organisation_name"] = "Indiquez le nom de votre organisation."
        elif db.session.scalar(
            select(BuyerOrganisation.id).where(BuyerOrganisation.name_key == organisation_key(name))
        ):
            errors["organisation_name"] = (
                "Cette organisation est déjà inscrite : demandez à l'un de ses membres "
                "ou à l'équipe de vous y rattacher."
            )
    if role is Role.ADMIN:
        errors["role"] = "Les comptes administrateurs se créent en ligne de commande."
    return siret, errors


@functools.cache
def _dummy_hash() -> str:
    """Checked when the e-mail is unknown, so that both answers take the same time."""
    return generate_password_hash("not-a-real-password")


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for unknown e-mail and bad password)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.active or not user.check_password(password or ""):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere: every session and remember cookie issued so far stops working."""
    user.end_all_sessions()
    db.session.commit()


def create_admin(email: str, password: str, full_name: str = "Administrateur") -> User:
    """Create an administrator, or promote and reset the password of an existing account (which, like
    every password change through ``User.set_password``, ends that account's sessions)."""
    email = check_email(email)
    check_password_strength(password, email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=full_name, role=Role.ADMIN)
        db.session.add(user)
    user.role = Role.ADMIN
    user.set_password(password)
    db.session.commit()
    return user
