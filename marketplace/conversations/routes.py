"""Thin views: the inbox, a thread and its reply form, and the pages that start a thread from either side."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..auth.access import role_required
from ..extensions import db, limiter
from ..forms import apply_service_errors, page_status
from ..models import MESSAGE_MAX, Role
from ..validators import ServiceError, page_number, parse_id
from . import services
from .forms import BuyerStartForm, MessageForm, SupplierStartForm

bp = Blueprint("conversations", __name__, url_prefix="/messages")
BOTH_SIDES = (Role.SUPPLIER, Role.BUYER)
TOO_MANY_MESSAGES = "Vous avez envoyé beaucoup de messages en peu de temps."
SENT = "Message envoyé : vos interlocuteurs sont prévenus."


def _sender() -> str:
    return f"utilisateur:{current_user.id}"


# Messages sent per user, whatever the page they are sent from; only messages actually sent (redirects) count.
sending_limit = limiter.shared_limit(
    lambda: current_app.config["MESSAGE_RATE_LIMIT"],
    scope="messages-envoyes",
    key_func=_sender,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 302,
    error_message=TOO_MANY_MESSAGES,
)


@bp.app_context_processor
def _header_counter():
    """``unread_messages()`` for the header and ``tender_threads(tender)`` for the tender pages."""

    def unread_messages() -> int:
        if not current_user.is_authenticated or current_user.role not in BOTH_SIDES:
            return 0
        try:
            return services.unread_count(current_user)
        except SQLAlchemyError:  # an error page after a database failure: still show it
            db.session.rollback()
            return 0

    def tender_threads(tender) -> list:
        if not current_user.is_authenticated or current_user.role not in BOTH_SIDES:
            return []
        return services.threads_on_tender(current_user, tender)

    return {"unread_messages": unread_messages, "tender_threads": tender_threads, "message_max": MESSAGE_MAX}


def _page_number() -> int:
    return page_number(request.args.get("page"))


def _id_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def _start(form, start):
    """A posted start form: the first message sent (redirect to its thread), or None to show the form again with
    its errors (a form that could not be read says so)."""
    if not form.is_submitted():
        return None
    if form.validate():
        try:
            message = start()
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(SENT, "success")
            return redirect(url_for("conversations.thread", thread_id=message.thread_id, _anchor="dernier-message"))
    elif not form.errors:
        form.form_errors.append("Le formulaire n'a pas pu être lu : renvoyez-le.")
    return None


@bp.route("/")
@role_required(*BOTH_SIDES)
def inbox():
    result = services.inbox(current_user, _page_number(), current_app.config["ITEMS_PER_PAGE"])
    return render_template("conversations/inbox.html", inbox=result, side=services.side_of(current_user),
                           other_party=services.other_party_name)


def _thread_page(thread_id: int, form: MessageForm):
    page = services.open_thread(current_user, thread_id)
    return render_template("conversations/thread.html", page=page, form=form,
                           other=services.other_party_name(page.thread, page.side)), page_status(form)


@bp.route("/<int:thread_id>", methods=["GET", "POST"])
@role_required(*BOTH_SIDES)
@sending_limit
def thread(thread_id: int):
    form = MessageForm()
    if form.is_submitted():
        if form.validate():
            try:
                services.reply(current_user, thread_id, form.body.data)
            except ServiceError as error:
                apply_service_errors(form, error)
            else:
                flash(SENT, "success")
                return redirect(url_for("conversations.thread", thread_id=thread_id, _anchor="dernier-message"))
        elif not form.errors:
            form.form_errors.append("Le formulaire n'a pas pu être lu : renvoyez-le.")
    return _thread_page(thread_id, form)


@bp.route("/nouveau/appel-d-offres/<int:tender_id>", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
@sending_limit
def supplier_start(tender_id: int):
    """"Écrire à l'acheteur" from the tender page, for one of the entrepreneur's companies."""
    tender = services.visible_tender(current_user, tender_id)
    companies = services.companies_of(current_user)
    form = SupplierStartForm()
    form.set_companies(companies)
    if request.method == "GET" and len(companies) == 1:
        existing = services.existing_thread(tender.id, companies[0].id, current_user)
        if existing is not None:
            return redirect(url_for("conversations.thread", thread_id=existing.id))
    sent = _start(form, lambda: services.start_as_supplier(current_user, tender.id, form.company_id.data or 0,
                                                            form.body.data))
    if sent is not None:
        return sent
    return render_template("conversations/start.html", form=form, tender=tender, companies=companies,
                           company=None, existing=services.threads_on_tender(current_user, tender)), page_status(form)


@bp.route("/nouveau/entreprise/<int:company_id>", methods=["GET", "POST"])
@role_required(Role.BUYER)
@sending_limit
def buyer_start(company_id: int):
    """A buyer writes to a company (from the supplier sheet, the shortlist or an interest: "Répondre")."""
    company = services.any_company(company_id)
    tenders = services.buyer_tenders(current_user)
    form = BuyerStartForm()
    form.set_tenders(tenders)
    if request.method == "GET":
        tender_id = _id_arg("appel")
        if tender_id is not None:
            existing = services.existing_thread(tender_id, company.id, current_user)
            if existing is not None:
                return redirect(url_for("conversations.thread", thread_id=existing.id))
            form.tender_id.data = tender_id
    sent = _start(form, lambda: services.start_as_buyer(current_user, form.tender_id.data, company.id,
                                                         form.body.data))
    if sent is not None:
        return sent
    return render_template("conversations/start.html", form=form, tender=None, companies=[], company=company,
                           tenders=tenders), page_status(form)
