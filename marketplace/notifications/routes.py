"""Thin views: the notification list, mark as read, preferences, and the one-click unsubscribe link."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..auth.access import role_required
from ..extensions import csrf, db
from ..models import Role
from ..validators import ServiceError, page_number
from . import services
from .forms import preferences_form

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
EVERY_ROLE = tuple(Role)


@bp.app_context_processor
def header_counter():
    """``unread_notifications()`` for the header: counted only when a signed-in page asks for it."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        try:
            return services.unread_count(current_user)
        except SQLAlchemyError:  # the page is an error page after a database failure: still show it
            db.session.rollback()
            return 0

    return {"unread_notifications": unread_notifications}


def _page_number() -> int:
    return page_number(request.args.get("page"))


@bp.route("/")
@role_required(*EVERY_ROLE)
def index():
    pagination = services.notifications_page(current_user, _page_number(), current_app.config["ITEMS_PER_PAGE"])
    return render_template("notifications/index.html", pagination=pagination,
                           unread=services.unread_count(current_user))


@bp.route("/<int:notification_id>/lue", methods=["POST"])
@role_required(*EVERY_ROLE)
def mark_read(notification_id: int):
    if services.mark_read(current_user, notification_id) is None:
        abort(404)
    flash("Notification marquée comme lue.", "success")
    return redirect(url_for("notifications.index", page=_page_number()))


@bp.route("/tout-lu", methods=["POST"])
@role_required(*EVERY_ROLE)
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(f"{count} notification(s) marquée(s) comme lue(s)." if count else "Aucune notification non lue.",
          "success")
    return redirect(url_for("notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@role_required(*EVERY_ROLE)
def preferences():
    form = preferences_form(services.kinds_for(current_user), services.frequencies(current_user))
    if form.validate_on_submit():
        services.save_frequencies(current_user, form.chosen())
        flash("Vos préférences de notification sont enregistrées.", "success")
        return redirect(url_for("notifications.preferences"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/preferences.html", form=form), status


@bp.route("/desinscription/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST here without a session; the signed token is the authorisation
def unsubscribe(token: str):
    """Public: GET shows what the link stops and a button; POST (the button or a mail client's one-click
    request, body "List-Unsubscribe=One-Click") stops it. The signature, not a login, authorises it."""
    try:
        if request.method == "POST":
            unsubscription = services.unsubscribe(token)
            return render_template("notifications/unsubscribed.html", unsubscription=unsubscription)
        unsubscription = services.read_unsubscribe_token(token)
    except ServiceError as error:
        return render_template("notifications/unsubscribe_invalid.html", message=error.errors[""]), 400
    return render_template("notifications/unsubscribe.html", unsubscription=unsubscription, token=token)
