"""Who may see and change what in the events journey: organisers of an event, and each participant.

* An event is edited only by its organisers (``EventOrganiser`` rows); anyone else gets a 404, so event ids
  reveal nothing.
* A participant's space (confirmation, wishes, availabilities, agenda) is open to the person it names: the
  account it is linked to, or whoever opened its personal link (a signed ``[participant id, access key]``;
  opening it remembers both in the session). A new ``access_key`` revokes the links sent so far, and the
  sessions they opened.
"""

import hmac

from flask import abort, current_app, session
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import Event, EventParticipant, new_access_key

_SALT = "event-participant-link"
_SESSION_KEY = "event_participants"
MAX_GRANTS_IN_SESSION = 20  # the session cookie stays small; the oldest grant goes first


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def link_token(participant: EventParticipant) -> str:
    """The token of the participant's personal link (the same until its access key changes)."""
    return _serializer().dumps([participant.id, participant.access_key])


def participant_from_token(token: str) -> EventParticipant | None:
    """The participant a personal link names, or None (tampered, revoked or unknown)."""
    try:
        participant_id, key = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(participant_id, int) or not isinstance(key, str):
        return None
    participant = db.session.get(EventParticipant, participant_id)
    if participant is None or participant.access_key != key:
        return None
    return participant


def revoke_links(participant: EventParticipant) -> None:
    """Every personal link sent so far stops working (the caller commits and sends the new one)."""
    participant.access_key = new_access_key()


def _grants() -> dict[int, str]:
    """{participant id: access key} of the links this browser opened (anything malformed is ignored)."""
    granted = {}
    for entry in session.get(_SESSION_KEY, []):
        if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int) and isinstance(entry[1], str):
            granted[entry[0]] = entry[1]
    return granted


def grant(participant: EventParticipant) -> None:
    """Remember in this browser's session that it opened the participant's personal link (with its key)."""
    granted = [[pid, key] for pid, key in _grants().items() if pid != participant.id]
    granted.append([participant.id, participant.access_key])
    session[_SESSION_KEY] = granted[-MAX_GRANTS_IN_SESSION:]


def may_act_as(participant: EventParticipant) -> bool:
    if current_user.is_authenticated and participant.user_id == current_user.id:
        return True
    key = _grants().get(participant.id)
    return key is not None and hmac.compare_digest(key.encode(), participant.access_key.encode())


def participant_or_404(participant_id: int) -> EventParticipant:
    """The participant whose space this is, when the visitor may act as it; otherwise 404."""
    participant = db.session.get(EventParticipant, participant_id)
    if participant is None or not may_act_as(participant):
        abort(404)
    return participant


def organised_event_or_404(event_id: int) -> Event:
    """The event, when the signed-in user is one of its organisers; otherwise 404."""
    event = db.session.get(Event, event_id)
    if event is None or not current_user.is_authenticated or not event.organised_by(current_user):
        abort(404)
    return event
