"""Thin views of the curated shortlist: the page, one line's follow-up, the invitation, the exports."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..models import Role
from ..spreadsheets import download
from ..validators import ServiceError, page_number, parse_id
from . import curation, exports, sourcing
from .curation_forms import CurationForm, InviteForm
from .routes import bp
from .search_forms import parse_criteria
from .search_views import SESSION_EXPIRED


def _state(source) -> dict:
    """The page's place (lot, QPV filter, dismissed shown, page number) from the query or a form's hidden fields."""
    lot = parse_id(source.get("lot"))
    return {"lot": lot, "qpv": "1" if source.get("qpv") == "1" else None,
            "ecartes": "1" if source.get("ecartes") == "1" or source.get("show") == "1" else None,
            "page": page_number(source.get("page"))}


def _line_forms(shortlist, state: dict, failed: tuple[int, CurationForm] | None = None) -> dict:
    """What the lines' follow-up forms need (see templates/buyers/_curation.html): one CurationForm for the labels
    and choices, the form of the line whose saving failed, and the hidden fields every form sends back."""
    hidden = {"lot": state["lot"] or "", "page": shortlist.page, "show": state["ecartes"] or "",
              "qpv": state["qpv"] or ""}
    return {"spec": CurationForm(formdata=None), "failed": {failed[0]: failed[1]} if failed else {}, "hidden": hidden}


def _render(tender_id: int, state: dict, failed=None, status: int = 200):
    shortlist = curation.curated_shortlist(current_user, tender_id, lot_id=state["lot"], qpv_only=bool(state["qpv"]),
                                           show_dismissed=bool(state["ecartes"]), page=state["page"])
    page = render_template("buyers/shortlist.html", shortlist=shortlist, state=state,
                           **_line_forms(shortlist, state, failed))
    return page, status


@bp.route("/appels-d-offres/<int:tender_id>/fournisseurs")
@role_required(Role.BUYER)
def tender_shortlist(tender_id: int):
    return _render(tender_id, _state(request.args))


def _back(tender_id: int, state: dict, company_id: int | None = None):
    args = {k: v for k, v in state.items() if v and not (k == "page" and v == 1)}
    anchor = f"suivi-{company_id}" if company_id else None
    return redirect(url_for("buyers.tender_shortlist", tender_id=tender_id, _anchor=anchor, **args))


@bp.route("/appels-d-offres/<int:tender_id>/fournisseurs/<company_id>/suivi", methods=["POST"])
@role_required(Role.BUYER)
def curation_save(tender_id: int, company_id: str):
    company = parse_id(company_id) or abort(404)
    form = CurationForm(prefix=f"c{company}")
    state = _state({k: getattr(form, k).data for k in ("lot", "page", "show", "qpv")})
    if not form.validate():
        form.form_errors.append(SESSION_EXPIRED)
        return _render(tender_id, state, (company, form), 400)
    try:
        row = curation.save(current_user, tender_id, company, lot_id=state["lot"], status=form.status.data,
                            note=form.note.data)
    except ServiceError as error:
        for field, message in error.errors.items():
            getattr(form, field, form.note).errors = [*(getattr(form, field, form.note).errors or ()), message]
        return _render(tender_id, state, (company, form), 422)
    flash(f"Suivi de {row.company.name} enregistré : {row.status_label.lower()}.", "success")
    return _back(tender_id, state, company)


@bp.route("/appels-d-offres/<int:tender_id>/fournisseurs/<company_id>/inviter", methods=["POST"])
@role_required(Role.BUYER)
def curation_invite(tender_id: int, company_id: str):
    company = parse_id(company_id) or abort(404)
    form = InviteForm(prefix=f"i{company}")
    state = _state({k: getattr(form, k).data for k in ("lot", "page", "show", "qpv")})
    if not form.validate():
        flash(SESSION_EXPIRED, "error")
        return _back(tender_id, state, company)
    try:
        message = curation.invite(current_user, tender_id, company, lot_id=state["lot"])
    except ServiceError as error:
        for text in error.errors.values():
            flash(text, "error")
    else:
        flash(f"Invitation envoyée à {message.thread.party_name} : la conversation est ouverte dans vos messages.",
              "success")
    return _back(tender_id, state, company)


@bp.route("/appels-d-offres/<int:tender_id>/fournisseurs.csv")
@role_required(Role.BUYER)
def shortlist_csv(tender_id: int):
    tender, content = exports.shortlist_csv(current_user, tender_id, lot_id=parse_id(request.args.get("lot")))
    return download(content, "text/csv; charset=utf-8", exports.filename(tender, "csv"))


@bp.route("/appels-d-offres/<int:tender_id>/fournisseurs.xlsx")
@role_required(Role.BUYER)
def shortlist_xlsx(tender_id: int):
    tender, content = exports.shortlist_xlsx(current_user, tender_id)
    return download(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     exports.filename(tender, "xlsx"))


def _search_results():
    """The results of the search page's criteria, every filter applied (bad values ignored, as on the page)."""
    tender_ids = [t.id for t in sourcing.organisation_tenders(current_user)]
    criteria, _errors, _page = parse_criteria(request.args, tender_ids)
    return sourcing.matching_suppliers(criteria)


@bp.route("/fournisseurs.csv")
@role_required(Role.BUYER)
def search_csv():
    return download(exports.search_csv(_search_results()), "text/csv; charset=utf-8", "recherche-fournisseurs.csv")


@bp.route("/fournisseurs.xlsx")
@role_required(Role.BUYER)
def search_xlsx():
    return download(exports.search_xlsx(_search_results()),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "recherche-fournisseurs.xlsx")
