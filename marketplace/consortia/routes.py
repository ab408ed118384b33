"""Thin views of the consortia (groupements), for entrepreneurs and, once declared, for the tender's buyer."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..auth.access import role_required
from ..extensions import db
from ..models import Role
from ..opportunities.services import is_open, visible_tender
from ..validators import ServiceError, parse_id
from . import services, suggestions
from .forms import ActionForm, CompanyForm, CreateForm, InviteForm, MessageForm, SubmitForm

bp = Blueprint("consortia", __name__)


@bp.app_context_processor
def _tender_pages():
    """``consortium_panel(tender)`` for the entrepreneurs' tender page, ``buyer_teams(tender)`` and
    ``declared_consortia(tender)`` for the buyers' pages."""

    def consortium_panel(tender, with_teams: bool = False) -> dict:
        if not current_user.is_authenticated or current_user.role is not Role.SUPPLIER:
            return {"teams": [], "consortia": [], "companies": []}
        return _panel(tender, with_teams=with_teams, consortia=services.on_tender_for_user(current_user, tender))

    def buyer_teams(tender) -> list:
        if not current_user.is_authenticated or current_user.role is not Role.BUYER or not tender.lots:
            return []
        return suggestions.teams_for(tender)

    def declared_consortia(tender) -> list:
        if not current_user.is_authenticated or current_user.role is not Role.BUYER:
            return []
        return services.declared_for_buyer(tender)

    return {"consortium_panel": consortium_panel, "buyer_teams": buyer_teams,
            "declared_consortia": declared_consortia}


def _panel(tender, *, with_teams: bool, consortia: list) -> dict:
    """The entrepreneur's "Répondre à plusieurs" panel: their companies, the suggested teams with one of them
    (when asked), whether the tender has nothing to split, and their consortia on it."""
    companies = services.companies_of(current_user)
    teams = _teams(tender, companies) if with_teams else []
    return {"teams": teams, "companies": companies, "consortia": consortia,
            "nothing_to_split": with_teams and not teams and suggestions.nothing_to_split(tender)}


def _teams(tender, companies) -> list:
    """The suggested teams with one of these companies; none when the engine cannot answer (no page error)."""
    if not companies:
        return []
    try:
        return suggestions.teams_with(tender, {c.id for c in companies})
    except (ValueError, SQLAlchemyError):
        db.session.rollback()
        return []


def _detail(consortium_id: int):
    return redirect(url_for("consortia.detail", consortium_id=consortium_id))


def _errors(error: ServiceError) -> None:
    for message in error.errors.values():
        flash(message, "error")


@bp.route("/entrepreneur/groupements")
@role_required(Role.SUPPLIER)
def index():
    return render_template("consortia/index.html", consortia=services.consortia_of(current_user))


def _parse_lots(value: str) -> list[str]:
    return [part for part in (value or "").split(",") if part.strip()]


@bp.route("/entrepreneur/groupements/appel/<int:tender_id>")
@role_required(Role.SUPPLIER)
def suggested(tender_id: int):
    tender = visible_tender(current_user, tender_id)
    panel = _panel(tender, with_teams=True, consortia=[])
    return render_template("consortia/suggested.html", tender=tender, panel=panel, is_open=is_open(tender))


@bp.route("/entrepreneur/groupements/nouveau", methods=["POST"])
@role_required(Role.SUPPLIER)
def create():
    form = CreateForm()
    form.set_choices(services.companies_of(current_user))
    tender_id = form.tender_id.data
    if not form.validate_on_submit():
        if tender_id is None:
            return redirect(url_for("consortia.index"))
        flash("Le formulaire n'a pas pu être lu : choisissez l'entreprise et renvoyez-le.", "error")
        return redirect(url_for("opportunities.tender", tender_id=tender_id))
    invite = {}
    for value in request.form.getlist("invite"):
        company, _, lots = value.partition(":")
        if parse_id(company) is not None:
            invite[parse_id(company)] = _parse_lots(lots)
    try:
        consortium = services.create(current_user, tender_id, form.company_id.data, invite=invite,
                                     lead_lots=_parse_lots(request.form.get("lead_lots", "")))
    except ServiceError as error:
        _errors(error)
        return redirect(url_for("opportunities.tender", tender_id=tender_id))
    flash("Le groupement est créé" + (" et les invitations envoyées." if invite else " : invitez vos partenaires."),
          "success")
    return _detail(consortium.id)


@bp.route("/entrepreneur/groupements/<int:consortium_id>")
@role_required(Role.SUPPLIER)
def detail(consortium_id: int):
    consortium = services.get_consortium(current_user, consortium_id)
    lead = services.is_lead(current_user, consortium)
    query = request.args.get("q", "")[:100]
    found = []
    if lead and consortium.status.value == "forming":
        found = services.search_companies(query, exclude=[m.company_id for m in consortium.members
                                                          if m.status.value in ("invited", "accepted")])
    return render_template(
        "consortia/detail.html", consortium=consortium, lead=lead, viewer="supplier",
        own_rows=services.own_rows(current_user, consortium), contacts=services.contacts(consortium),
        query=query, found=found, action_form=ActionForm(), submit_form=SubmitForm(),
        thread=services.thread_of(consortium), can_write=services.can_write(current_user, consortium),
        message_form=MessageForm(),
    )


@bp.route("/acheteur/groupements/<int:consortium_id>")
@role_required(Role.BUYER)
def buyer_detail(consortium_id: int):
    consortium = services.get_consortium(current_user, consortium_id)
    return render_template("consortia/detail.html", consortium=consortium, lead=False, viewer="buyer", own_rows=[],
                           contacts=services.contacts(consortium), query="", found=[], action_form=None,
                           submit_form=None, thread=services.thread_of(consortium),
                           can_write=services.can_write(current_user, consortium), message_form=MessageForm())


def _write(consortium_id: int):
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = services.write(current_user, consortium_id, form.body.data)
        except ServiceError as error:
            _errors(error)
        else:
            flash("Votre message est envoyé.", "success")
            return redirect(url_for("conversations.thread", thread_id=message.thread_id))
    else:
        flash("Le formulaire n'a pas pu être lu : renvoyez-le.", "error")
    endpoint = "consortia.buyer_detail" if current_user.role is Role.BUYER else "consortia.detail"
    return redirect(url_for(endpoint, consortium_id=consortium_id))


@bp.route("/entrepreneur/groupements/<int:consortium_id>/message", methods=["POST"])
@role_required(Role.SUPPLIER)
def write(consortium_id: int):
    return _write(consortium_id)


@bp.route("/acheteur/groupements/<int:consortium_id>/message", methods=["POST"])
@role_required(Role.BUYER)
def buyer_write(consortium_id: int):
    return _write(consortium_id)


def _run(consortium_id: int, form, action, success: str):
    """Validate the form, run the service, flash and go back to the consortium (or the list when gone)."""
    if not form.validate_on_submit():
        messages = [m for errors in form.errors.values() for m in errors if isinstance(m, str)]
        flash(" ".join(messages) if messages and "csrf_token" not in form.errors
              else "Le formulaire n'a pas pu être lu : renvoyez-le.", "error")
        return _detail(consortium_id)
    try:
        action()
    except ServiceError as error:
        _errors(error)
    else:
        flash(success, "success")
    return _detail(consortium_id)


@bp.route("/entrepreneur/groupements/<int:consortium_id>/inviter", methods=["POST"])
@role_required(Role.SUPPLIER)
def invite(consortium_id: int):
    services.get_consortium(current_user, consortium_id)
    form = InviteForm()
    return _run(consortium_id, form, lambda: services.invite(current_user, consortium_id, form.company_id.data),
                "L'invitation est envoyée.")


@bp.route("/entrepreneur/groupements/<int:consortium_id>/repondre", methods=["POST"])
@role_required(Role.SUPPLIER)
def answer(consortium_id: int):
    services.get_consortium(current_user, consortium_id)
    form = CompanyForm()
    accept = form.choice.data == "accepter"
    return _run(consortium_id, form,
                lambda: services.answer(current_user, consortium_id, form.company_id.data, accept),
                "Vous faites partie du groupement." if accept else "Vous avez décliné l'invitation.")


@bp.route("/entrepreneur/groupements/<int:consortium_id>/quitter", methods=["POST"])
@role_required(Role.SUPPLIER)
def leave(consortium_id: int):
    services.get_consortium(current_user, consortium_id)
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            services.leave(current_user, consortium_id, form.company_id.data)
        except ServiceError as error:
            _errors(error)
            return _detail(consortium_id)
        flash("Votre entreprise a quitté le groupement.", "success")
        return redirect(url_for("consortia.index"))
    flash("Le formulaire n'a pas pu être lu : renvoyez-le.", "error")
    return _detail(consortium_id)


@bp.route("/entrepreneur/groupements/<int:consortium_id>/membres/<int:member_id>/retirer", methods=["POST"])
@role_required(Role.SUPPLIER)
def remove(consortium_id: int, member_id: int):
    services.get_consortium(current_user, consortium_id)
    return _run(consortium_id, ActionForm(), lambda: services.remove(current_user, consortium_id, member_id),
                "L'entreprise est retirée du groupement.")


@bp.route("/entrepreneur/groupements/<int:consortium_id>/lots", methods=["POST"])
@role_required(Role.SUPPLIER)
def assign(consortium_id: int):
    consortium = services.get_consortium(current_user, consortium_id)
    lots = {m.id: request.form.getlist(f"lots-{m.id}") for m in consortium.accepted_members}
    lead = request.form.get("lead", "")
    lead_id = parse_id(lead)
    return _run(consortium_id, ActionForm(), lambda: services.assign(current_user, consortium_id, lots, lead_id),
                "La répartition est enregistrée.")


@bp.route("/entrepreneur/groupements/<int:consortium_id>/declarer", methods=["POST"])
@role_required(Role.SUPPLIER)
def submit(consortium_id: int):
    services.get_consortium(current_user, consortium_id)
    form = SubmitForm()
    return _run(consortium_id, form, lambda: services.submit(current_user, consortium_id, form.message.data),
                "Le groupement est déclaré : l'acheteur voit sa composition sur son appel d'offres.")


@bp.route("/entrepreneur/groupements/<int:consortium_id>/retirer", methods=["POST"])
@role_required(Role.SUPPLIER)
def withdraw(consortium_id: int):
    services.get_consortium(current_user, consortium_id)
    return _run(consortium_id, ActionForm(), lambda: services.withdraw(current_user, consortium_id),
                "Le groupement est retiré.")


@bp.route("/acheteur/appels-d-offres/<int:tender_id>/equipes/inviter", methods=["POST"])
@role_required(Role.BUYER)
def invite_team(tender_id: int):
    services.buyer_tender(current_user, tender_id)  # 404 for another organisation's tender or a draft
    back = redirect(url_for("buyers.tender_shortlist", tender_id=tender_id))
    if not ActionForm().validate_on_submit():
        flash("Le formulaire n'a pas pu être lu : renvoyez-le.", "error")
        return back
    ids = [parse_id(v) for v in request.form.getlist("members") if parse_id(v) is not None]
    try:
        services.invite_team(current_user, tender_id, ids)
    except ServiceError as error:
        _errors(error)
    else:
        flash("L'équipe est invitée : chaque entreprise a reçu un message, ses réponses arriveront dans votre "
              "messagerie.", "success")
    return back
