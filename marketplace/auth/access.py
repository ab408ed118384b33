"""Login manager set-up and the role guard used by every protected view."""

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import db, login_manager
from ..models import Role, User


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        """The user whose "<id>:<session token>" this is; None once the token was rotated (logout, new
        password), once the account is deactivated, for an id from before session tokens, or if forged."""
        user_id, _, token = session_id.partition(":")
        if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 18 and token):
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active and user.holds_session_token(token) else None


def role_required(*roles: Role):
    """Anonymous users go to the login page; users of another role get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # read by the access-matrix test
        return wrapped

    return decorator
