"""User accounts and roles."""

import enum
import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, enum_column


class Role(enum.StrEnum):
    SUPPLIER = "supplier"
    BUYER = "buyer"
    ORGANISER = "organiser"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SUPPLIER: "Entrepreneur",
    Role.BUYER: "Acheteur",
    Role.ORGANISER: "Organisateur d'événements",
    Role.ADMIN: "Administrateur",
}


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, TimestampMixin, db.Model):
    """An account. Its ``session_token`` is part of the id kept in session and remember cookies: rotating
    it (logout, password change) makes every copy of those cookies, on every device, sign in no one."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    full_name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False, index=True)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    session_token: Mapped[str] = mapped_column(sa.String(64), nullable=False, default=new_session_token)
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("buyer_organisations.id", ondelete="SET NULL"), index=True
    )

    buyer_organisation = relationship("BuyerOrganisation", back_populates="members")
    companies = relationship("SupplierCompany", back_populates="owner")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: "<id>:<session token>"."""
        return f"{self.id}:{self.session_token}"

    def holds_session_token(self, token: str) -> bool:
        return hmac.compare_digest(self.session_token.encode(), token.encode())

    def end_all_sessions(self) -> None:
        """Every session and remember cookie issued so far stops working (the caller commits)."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """A new password also ends every session: whoever held the old one is signed out."""
        self.password_hash = generate_password_hash(password)
        self.end_all_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"
