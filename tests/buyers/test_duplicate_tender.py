"""Duplicating a past tender: a new draft of the same organisation, without dates, opened in its edit form."""

from datetime import date, timedelta

from sqlalchemy import func, select

from marketplace.buyers import awards
from marketplace.extensions import db
from marketplace.models import Role, Tender, TenderStatus


def _past_tender(make_user, make_tender):
    buyer = make_user(Role.BUYER)
    tender = make_tender(buyer, title="Nettoyage 2025", status=TenderStatus.AWARDED, description="Le besoin",
                         cpv_codes=["90910000-9"], department="93", postcode="93200", budget_cents=1_250_050,
                         deadline=date.today() - timedelta(days=90), required_labels=["esus"],
                         reserved_for_inclusive=True, published_at=None,
                         lots=({"title": "Bureaux", "cpv_codes": ["90911200-8"], "budget_cents": 750_000},
                               {"title": "Vitres", "budget_cents": 500_050}))
    return buyer, tender


def test_duplicate_copies_the_need_not_the_dates(make_user, make_tender):
    buyer, source = _past_tender(make_user, make_tender)
    colleague = make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation)
    copy = awards.duplicate(colleague, source.id)
    assert copy.id != source.id
    assert (copy.title, copy.status, copy.deadline, copy.published_at) == (
        "Copie de Nettoyage 2025", TenderStatus.DRAFT, None, None)
    assert (copy.description, copy.cpv_codes, copy.department, copy.postcode, copy.budget_cents) == (
        "Le besoin", ["90910000-9"], "93", "93200", 1_250_050)
    assert (copy.required_labels, copy.reserved_for_inclusive) == (["esus"], True)
    assert copy.buyer_organisation_id == source.buyer_organisation_id
    assert copy.created_by_id == colleague.id
    assert [(lot.number, lot.title, lot.cpv_codes, lot.budget_cents) for lot in copy.lots] == [
        (1, "Bureaux", ["90911200-8"], 750_000), (2, "Vitres", [], 500_050)]
    assert {lot.id for lot in copy.lots}.isdisjoint({lot.id for lot in source.lots})
    assert source.status is TenderStatus.AWARDED
    assert source.title == "Nettoyage 2025"


def test_duplicate_button_opens_the_edit_form(client, auth, make_user, make_tender):
    buyer, source = _past_tender(make_user, make_tender)
    auth.login_as(buyer)
    page = client.get(f"/acheteur/appels-d-offres/{source.id}").get_data(as_text=True)
    assert f'action="/acheteur/appels-d-offres/{source.id}/dupliquer"' in page
    response = client.post(f"/acheteur/appels-d-offres/{source.id}/dupliquer")
    copy_id = db.session.scalar(select(func.max(Tender.id)))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/acheteur/appels-d-offres/{copy_id}/modifier")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Copie de Nettoyage 2025" in page
    assert "Vitres" in page


def test_another_organisation_cannot_duplicate(client, auth, make_user, make_tender):
    _, source = _past_tender(make_user, make_tender)
    auth.login_as(make_user(Role.BUYER))
    assert client.post(f"/acheteur/appels-d-offres/{source.id}/dupliquer").status_code == 404
    assert client.post("/acheteur/appels-d-offres/99999999999/dupliquer").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Tender)) == 1


def test_duplicate_copies_every_column_but_the_drafts_own(make_user, make_tender):
    """Generic copy: a column added to Tender or Lot later is copied without anyone remembering to."""
    from sqlalchemy import inspect

    from marketplace.models import Lot
    buyer, source = _past_tender(make_user, make_tender)
    source.submission_token = "d3b07384-d9a0-4c7d-9a5a-000000000001"
    db.session.commit()
    copy = awards.duplicate(buyer, source.id)
    assert copy.submission_token is None  # unique: copying it would fail
    for model, pairs in ((Tender, [(source, copy)]), (Lot, list(zip(source.lots, copy.lots, strict=True)))):
        for old, new in pairs:
            for column in inspect(model).column_attrs:
                if column.key not in awards.NOT_COPIED | {"title"}:
                    assert getattr(new, column.key) == getattr(old, column.key), column.key
