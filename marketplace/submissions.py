"""One form submission, one object: the rules of the one-time submission token, shared by the services.

A creation form carries a token generated when the page is shown (``forms.SubmissionTokenField``). The service
stores it on the new row, in a UNIQUE column, in the same transaction as the row itself. A second post of the
same page (a double click, a reload, a network retry) then creates nothing: the database refuses the token,
whatever the number of workers or concurrent requests, and the caller is led to the object the first post made.
Rows created without a form (CLI, demo, API) have no token (NULL, which UNIQUE never compares).

What the token does not guarantee: a post that carries no token, or a malformed one, is not refused; it gets
a fresh token and counts as a new submission (``forms.SubmissionTokenField``). Scripts and API clients that
post the form fields have no token to send, and must keep working. The guarantee is therefore per rendered
form: a browser always sends the token of the page it shows, so resending that page creates nothing more; two
posts without a token are two submissions and create two objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .validators import ServiceError

ALREADY_SENT = "Ce formulaire a déjà été envoyé."
TOKEN_LENGTH = 36  # str(uuid.uuid4())


class AlreadySubmitted(ServiceError):
    """This page was already posted; ``existing`` is what it created, None when that is not the caller's.

    A ServiceError, so that a caller which does not lead to the existing object still shows a French message.
    """

    def __init__(self, existing=None):
        self.existing = existing
        super().__init__(ALREADY_SENT)


def new_token() -> str:
    return str(uuid.uuid4())


def clean_token(value) -> str | None:
    """The canonical form of a submitted token, or None when it is missing or is not a UUID (a fresh post)."""
    if not isinstance(value, str) or not value.isascii() or not 32 <= len(value.strip()) <= 45:
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


def _already_submitted(model, token: str | None, is_mine: Callable) -> AlreadySubmitted | None:
    if token is None:
        return None
    existing = db.session.scalar(select(model).where(model.submission_token == token))
    if existing is None:
        return None
    return AlreadySubmitted(existing if is_mine(existing) else None)


def refuse_if_used(model, token: str | None, is_mine: Callable) -> None:
    """Raise AlreadySubmitted when a row of ``model`` already carries ``token`` (the common, sequential case)."""
    if (refusal := _already_submitted(model, token, is_mine)) is not None:
        raise refusal


def commit_once(model, token: str | None, is_mine: Callable) -> None:
    """Commit the new row carrying ``token``; AlreadySubmitted when a concurrent post committed it first."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # On PostgreSQL the insert waited for the other transaction, which has now committed the token.
        if (refusal := _already_submitted(model, token, is_mine)) is not None:
            raise refusal from None
        raise
