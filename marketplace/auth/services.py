"""Account rules: registration, authentication, administrators, password reset, change of password and of
e-mail. Callable without a request (inside an app context)."""

import functools
import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import BuyerOrganisation, NotificationKind, Role, SupplierCompany, User, utcnow
from ..notifications import services as notifications
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


# --- password reset, change of password and of e-mail ----------------------------------------------------
#
# Links are signed with the app's SECRET_KEY (itsdangerous), no table: a reset link carries a fingerprint of
# the password hash it was issued for, so it works once (the new password changes the hash) and an older link
# stops working as soon as the password changes by any way. An e-mail confirmation link carries the account's
# address when it was asked for: once the address has changed, the link is spent.

RESET_SALT = "auth-password-reset"
RESET_MAX_AGE = 3600  # seconds
EMAIL_CHANGE_SALT = "auth-email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 3600
WRONG_CURRENT_PASSWORD = "Mot de passe actuel incorrect."
EMAIL_IN_USE = "Cette adresse e-mail est déjà utilisée par un autre compte."


class LinkRefused(Exception):
    """A signed link that cannot be used: ``expired`` (too old or already used) or forged/damaged."""

    def __init__(self, expired: bool):
        self.expired = expired
        super().__init__("expired or used" if expired else "invalid")


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _load(salt: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkRefused(expired=True) from None
    except BadSignature:
        raise LinkRefused(expired=False) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise LinkRefused(expired=False)
    return data


def password_reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"u": user.id, "p": _fingerprint(user.password_hash)})


def request_password_reset(email: str) -> None:
    """Queue a reset link for the active account of this address; nothing at all for an unknown or inactive
    one. The caller answers the same way in both cases."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return
    notifications.queue_email(
        user, NotificationKind.PASSWORD_RESET, subject="Réinitialisez votre mot de passe", template="password_reset",
        transactional=True,
        reset_url=notifications.absolute_url_for("auth.reset_password", token=password_reset_token(user)),
        valid_minutes=RESET_MAX_AGE // 60,
    )
    db.session.commit()


def user_for_reset_token(token: str, max_age: int = RESET_MAX_AGE) -> User:
    """The account a reset link was issued for, or LinkRefused (expired, used, or forged)."""
    data = _load(RESET_SALT, token, max_age)
    user = db.session.get(User, data["u"])
    if user is None or not user.active:
        raise LinkRefused(expired=False)
    if not hmac.compare_digest(str(data.get("p", "")), _fingerprint(user.password_hash)):
        raise LinkRefused(expired=True)  # the password changed since: the link was used
    return user


def reset_password(token: str, password: str, max_age: int = RESET_MAX_AGE) -> User:
    """Set a new password through a reset link; every session of the account ends."""
    user = user_for_reset_token(token, max_age)
    _check_new_password(user, password)
    user.set_password(password)
    db.session.commit()
    return user


def _check_new_password(user: User, password: str, field: str = "password") -> None:
    try:
        check_password_strength(password, user.email)
    except ValueError as error:
        raise ServiceError({field: str(error)}) from None


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a signed-in user's password; every session ends (the view signs this one in again)."""
    if not user.check_password(current_password or ""):
        raise ServiceError({"current_password": WRONG_CURRENT_PASSWORD})
    _check_new_password(user, new_password)
    user.set_password(new_password)
    db.session.commit()


def email_change_token(user: User, new_email: str) -> str:
    return _serializer(EMAIL_CHANGE_SALT).dumps({"u": user.id, "from": user.email, "to": new_email})


def request_email_change(user: User, current_password: str, new_email: str) -> str:
    """Check the password and the new address, and send the confirmation link to the new address. Nothing
    changes until the link is opened. Returns the normalised new address."""
    if not user.check_password(current_password or ""):
        raise ServiceError({"current_password": WRONG_CURRENT_PASSWORD})
    try:
        new_email = check_email(new_email)
    except ValueError as error:
        raise ServiceError({"email": str(error)}) from None
    if new_email == user.email:
        raise ServiceError({"email": "C'est déjà l'adresse de votre compte."})
    if email_taken(new_email):
        raise ServiceError({"email": EMAIL_IN_USE})
    notifications.queue_email_to_address(  # to the new address: the link proves it is the user's
        new_email, NotificationKind.EMAIL_CONFIRMATION, subject="Confirmez votre nouvelle adresse e-mail",
        template="email_confirmation", user=user, new_email=new_email,
        confirm_url=notifications.absolute_url_for("auth.confirm_email", token=email_change_token(user, new_email)),
        valid_hours=EMAIL_CHANGE_MAX_AGE // 3600,
    )
    db.session.commit()
    return new_email


def confirm_email_change(token: str, max_age: int = EMAIL_CHANGE_MAX_AGE) -> User:
    """Apply a confirmed change of address: the old address gets a notice, every session ends.

    LinkRefused when the link is forged, too old, or spent (the account's address is no longer the one it
    was issued for); ServiceError when another account took the new address meanwhile."""
    data = _load(EMAIL_CHANGE_SALT, token, max_age)
    user = db.session.get(User, data["u"])
    if user is None or not user.active or not isinstance(data.get("to"), str):
        raise LinkRefused(expired=False)
    if user.email != data.get("from"):
        raise LinkRefused(expired=True)
    new_email = data["to"]
    if email_taken(new_email):
        raise ServiceError({"email": EMAIL_IN_USE})
    old_email = user.email
    notifications.queue_email_to_address(
        old_email, NotificationKind.EMAIL_CONFIRMATION, subject="L'adresse e-mail de votre compte a changé",
        template="email_changed", user=user, old_email=old_email, new_email=new_email,
    )
    user.email = new_email
    user.end_all_sessions()
    try:
        db.session.commit()
    except IntegrityError:  # taken between the check and the commit
        db.session.rollback()
        raise ServiceError({"email": EMAIL_IN_USE}) from None
    return user
