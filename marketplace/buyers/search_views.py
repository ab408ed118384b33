"""Thin views of the steered supplier search (/acheteur/fournisseurs) and of the buyer's saved searches."""

from urllib.parse import parse_qs

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..auth.access import role_required
from ..models import LABELS, Role
from ..validators import ServiceError, parse_id
from . import saved_searches, sourcing
from .routes import bp
from .search_forms import (
    CPV_DIVISIONS,
    HEADCOUNT_BANDS,
    QPV_CHOICES,
    SORTS,
    STRUCTURE_TYPES,
    DeleteSearchForm,
    RenameSearchForm,
    SaveSearchForm,
    parse_criteria,
)

SESSION_EXPIRED = "La page a expiré : rechargez-la puis recommencez."
MAX_CRITERIA_FIELDS = 200
TOO_MANY_CRITERIA = "Cette recherche compte trop de critères pour être enregistrée : simplifiez-la puis recommencez."


def _render(args, save_form=None, status: int = 200):
    tenders = sourcing.organisation_tenders(current_user)
    criteria, errors, page = parse_criteria(args, [t.id for t in tenders])
    result = sourcing.steered_search(current_user, criteria, page)
    searched = bool(criteria.q)
    if save_form is None:
        save_form = SaveSearchForm(formdata=None, data={"criteria": request.query_string.decode("ascii", "replace")})
    saved = saved_searches.saved_searches_of(current_user)
    return render_template(
        "buyers/supplier_search.html", criteria=criteria, errors=errors, result=result, searched=searched,
        words=sourcing.query_words(criteria.q), tenders=tenders, divisions=CPV_DIVISIONS, qpv_choices=QPV_CHOICES,
        structure_types=STRUCTURE_TYPES, all_labels=LABELS, bands=HEADCOUNT_BANDS, sorts=SORTS,
        save_form=save_form, saved=saved, rename_forms={s.id: RenameSearchForm(formdata=None, prefix=f"r{s.id}",
                                                                                  data={"name": s.name})
                                                          for s in saved},
        delete_forms={s.id: DeleteSearchForm(formdata=None, prefix=f"d{s.id}") for s in saved},
        highlight=sourcing.highlight,
    ), status


@bp.route("/fournisseurs")
@role_required(Role.BUYER)
def supplier_search():
    return _render(request.args)


@bp.route("/recherches", methods=["POST"])
@role_required(Role.BUYER)
def save_search():
    form = SaveSearchForm()
    try:
        args = MultiDict(parse_qs(form.criteria.data or "", max_num_fields=MAX_CRITERIA_FIELDS))
    except ValueError:  # more fields than any search form sends: refused, not a 500
        form.validate()
        form.name.errors = [*form.name.errors, TOO_MANY_CRITERIA]
        flash(TOO_MANY_CRITERIA, "error")
        return _render(MultiDict(), save_form=form, status=400)
    if not form.validate():
        if "csrf_token" in form.errors:
            flash(SESSION_EXPIRED, "error")
        return _render(args, save_form=form, status=400)
    try:
        saved = saved_searches.save_search(current_user, form.name.data, args)
    except ServiceError as error:
        form.name.errors = [error.errors.get("name", "")]
        flash(form.name.errors[0], "error")  # also when the form is not shown (a search without words)
        return _render(args, save_form=form, status=400)
    flash(f"Recherche « {saved.name} » enregistrée : vous serez averti des nouveaux fournisseurs.", "success")
    return redirect(url_for("buyers.supplier_search", **saved.criteria))


@bp.route("/recherches/<search_id>/renommer", methods=["POST"])
@role_required(Role.BUYER)
def rename_search(search_id):
    saved = saved_searches.get_saved_search(current_user, parse_id(search_id))
    form = RenameSearchForm(prefix=f"r{saved.id}")
    if not form.validate():
        flash(SESSION_EXPIRED if "csrf_token" in form.errors else " ".join(form.name.errors), "error")
        return redirect(url_for("buyers.supplier_search"))
    saved_searches.rename_search(current_user, saved.id, form.name.data)
    flash("Recherche renommée.", "success")
    return redirect(url_for("buyers.supplier_search"))


@bp.route("/recherches/<search_id>/supprimer", methods=["POST"])
@role_required(Role.BUYER)
def delete_search(search_id):
    saved = saved_searches.get_saved_search(current_user, parse_id(search_id))
    if not DeleteSearchForm(prefix=f"d{saved.id}").validate():
        flash(SESSION_EXPIRED, "error")
        return redirect(url_for("buyers.supplier_search"))
    name = saved_searches.delete_search(current_user, saved.id)
    flash(f"Recherche « {name} » supprimée.", "success")
    return redirect(url_for("buyers.supplier_search"))
