"""Tender rules, called without a request: money, CPV codes, lots, publication and status transitions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from marketplace import money
from marketplace.buyers import services
from marketplace.extensions import db
from marketplace.models import Lot, Role, Tender, TenderStatus
from marketplace.validators import ServiceError

SOON = date.today() + timedelta(days=30)
PAST = date.today() - timedelta(days=30)


def publishable(**overrides):
    data = {
        "title": "Entretien des espaces verts",
        "description": "Tonte et taille sur trois sites.",
        "cpv_codes": ["77310000-6"],
        "department": "93",
        "budget_cents": 5_000_000,
        "deadline": SOON,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 500,50", Decimal("12500.50")),
        ("12500.5", Decimal("12500.5")),
        ("12\u202f500,50\u00a0€", Decimal("12500.50")),
        ("1.250.000", Decimal("1250000")),
        ("1.250,75", Decimal("1250.75")),
        ("1,250.75", Decimal("1250.75")),
        ("0", Decimal("0")),
        ("  ", None),
        ("", None),
    ],
)
def test_parse_euros_reads_french_and_plain_amounts(typed, expected):
    assert money.parse_euros(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "négatif"),
        ("- 12,50", "négatif"),
        ("douze", "Montant invalide"),
        ("12,505", "deux décimales"),
        ("1e9", "Montant invalide"),
        ("12,", "Montant invalide"),
        ("1 2,3,4", "Montant invalide"),
        ("9" * 30, "trop élevé"),
        ("1" * 100, "Montant invalide"),
    ],
)
def test_parse_euros_refuses_bad_amounts_in_french(typed, message):
    with pytest.raises(ValueError, match=message):
        money.parse_euros(typed)


@pytest.mark.parametrize(
    ("cents", "shown"),
    [(1_250_050, "12 500,50 €"), (0, "0,00 €"), (99, "0,99 €"), (123_456_789_00, "123 456 789,00 €"), (None, "—")],
)
def test_format_euros_is_french(cents, shown):
    assert money.format_euros(cents) == shown


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("45261000-4", ["45261000-4"]),
        ("452610004", ["45261000-4"]),
        ("45261000 - 4, 90910000", ["45261000-4", "90910000"]),
        ("45261000-4; 45261000-4 ,,", ["45261000-4"]),
        ("", []),
        (["90910000-9", " 77310000 "], ["90910000-9", "77310000"]),
    ],
)
def test_cpv_codes_are_normalised(app, typed, codes):
    assert services.clean_cpv_codes(typed) == codes


@pytest.mark.parametrize("bad", ["4526100", "45261000-44", "ABCDEFGH", "45261000-X", "4526-1000"])
def test_cpv_error_names_the_bad_code(bad):
    with pytest.raises(ValueError, match=f"Le code CPV « {bad} » n'est pas valide"):
        services.clean_cpv_codes(f"90910000-9, {bad}")


def test_create_tender_with_lots_numbers_them_in_order(make_user):
    buyer = make_user(Role.BUYER)
    tender = services.create_tender(
        buyer,
        publishable(
            cpv_codes="452610004",
            lots=[
                {"title": "Bâtiment A", "budget_cents": 2_000_000, "cpv_codes": ["90910000-9"]},
                services.LotData(title="Bâtiment B", budget_cents=3_000_000),
            ],
        ),
    )
    assert tender.status is TenderStatus.DRAFT
    assert tender.buyer_organisation_id == buyer.buyer_organisation_id
    assert tender.created_by_id == buyer.id
    assert tender.cpv_codes == ["45261000-4"]
    assert [(lot.number, lot.title) for lot in tender.lots] == [(1, "Bâtiment A"), (2, "Bâtiment B")]


def test_lot_budgets_may_not_exceed_the_tender_budget(make_user):
    with pytest.raises(ServiceError) as caught:
        services.create_tender(
            make_user(Role.BUYER),
            publishable(budget_cents=1_000_000, lots=[{"title": "A", "budget_cents": 600_000},
                                                     {"title": "B", "budget_cents": 600_050}]),
        )
    assert caught.value.errors["budget"].startswith(
        "Le total des budgets des lots (12 000,50 €) dépasse le budget de l'appel d'offres (10 000,00 €)"
    )
    assert db.session.scalar(select(Tender)) is None


def test_lot_budgets_equal_to_the_total_or_without_total_are_accepted(make_user):
    buyer = make_user(Role.BUYER)
    services.create_tender(buyer, publishable(budget_cents=100, lots=[{"title": "A", "budget_cents": 100}]))
    services.create_tender(buyer, publishable(budget_cents=None, lots=[{"title": "A", "budget_cents": 999}]))
    assert len(db.session.scalars(select(Tender)).all()) == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "titre"),
        ({"title": "x" * 251}, "title", "250 caractères"),
        ({"budget_cents": -1}, "budget", "négatif"),
        ({"department": "99"}, "department", "Département inconnu"),
        ({"department": "20"}, "department", "Département inconnu"),
        ({"postcode": "9320"}, "postcode", "5 chiffres"),
        ({"postcode": "75001"}, "postcode", "pas dans le département 93"),
        ({"required_labels": ["inconnu"]}, "required_labels", "Label inconnu"),
        ({"cpv_codes": "123"}, "cpv_codes", "« 123 »"),
        ({"lots": [{"title": ""}]}, "lots-0-title", "titre au lot"),
        ({"lots": [{"title": "A", "budget_cents": -5}]}, "lots-0-budget", "négatif"),
        ({"lots": [{"title": f"L{i}"} for i in range(21)]}, "lots", "au plus 20 lots"),
    ],
)
def test_create_tender_refuses_bad_data_with_french_messages(make_user, overrides, field, message):
    with pytest.raises(ServiceError) as caught:
        services.create_tender(make_user(Role.BUYER), publishable(**overrides))
    assert message in caught.value.errors[field]


@pytest.mark.parametrize("role", [Role.SUPPLIER, Role.ORGANISER, Role.ADMIN])
def test_only_buyers_with_an_organisation_create_tenders(make_user, role):
    with pytest.raises(ServiceError, match="organisation acheteuse"):
        services.create_tender(make_user(role), publishable())


def test_update_keeps_surviving_lots_and_renumbers(make_user):
    buyer = make_user(Role.BUYER)
    tender = services.create_tender(buyer, publishable(lots=[{"title": t} for t in ("A", "B", "C")]))
    a, b, c = (lot.id for lot in tender.lots)
    services.update_tender(
        buyer, tender.id, publishable(title="Nouveau titre", lots=[{"title": "C bis", "id": c}, {"title": "D"},
                                                                   {"title": "A", "id": a}]),
    )
    db.session.expire_all()
    tender = db.session.get(Tender, tender.id)
    assert tender.title == "Nouveau titre"
    assert [(lot.number, lot.title) for lot in tender.lots] == [(1, "C bis"), (2, "D"), (3, "A")]
    assert tender.lots[0].id == c
    assert tender.lots[2].id == a
    assert db.session.get(Lot, b) is None


def test_update_ignores_lot_ids_of_another_tender(make_user, make_tender):
    buyer = make_user(Role.BUYER)
    other = make_tender(lots=({"title": "Étranger"},))
    tender = services.create_tender(buyer, publishable())
    services.update_tender(buyer, tender.id, publishable(lots=[{"title": "Mien", "id": other.lots[0].id}]))
    db.session.expire_all()
    assert db.session.get(Lot, other.lots[0].id).title == "Étranger"
    assert [lot.title for lot in db.session.get(Tender, tender.id).lots] == ["Mien"]


def test_another_organisation_cannot_touch_the_tender(make_user):
    tender = services.create_tender(make_user(Role.BUYER), publishable())
    intruder = make_user(Role.BUYER)
    for action in (services.publish, services.close, services.delete_tender, services.get_tender):
        with pytest.raises(services.TenderNotFound):
            action(intruder, tender.id)
    with pytest.raises(services.TenderNotFound):
        services.update_tender(intruder, tender.id, publishable())


def test_full_life_cycle(make_user):
    buyer = make_user(Role.BUYER)
    tender = services.create_tender(buyer, publishable())
    assert services.publish(buyer, tender.id).status is TenderStatus.PUBLISHED
    assert tender.published_at is not None
    assert tender.published_at.tzinfo is not None
    assert services.close(buyer, tender.id).status is TenderStatus.CLOSED
    # The award itself (closed -> awarded): tests/buyers/test_awards.py.


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        (services.publish, TenderStatus.PUBLISHED, "Seul un brouillon peut être publié"),
        (services.close, TenderStatus.DRAFT, "Seul un appel d'offres publié peut être clos"),
        (services.delete_tender, TenderStatus.PUBLISHED, "Seul un brouillon peut être supprimé"),
    ],
)
def test_invalid_transitions_change_nothing(make_user, make_tender, action, status, message):
    buyer = make_user(Role.BUYER)
    tender = make_tender(buyer, status=status, description="x", cpv_codes=["90910000-9"], deadline=SOON)
    with pytest.raises(ServiceError, match=message):
        action(buyer, tender.id)
    db.session.expire_all()
    assert db.session.get(Tender, tender.id).status is status


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"cpv_codes": []}, "cpv_codes"),
        ({"deadline": None}, "deadline"),
        ({"deadline": PAST}, "deadline"),
    ],
)
def test_publication_requirements(make_user, overrides, field):
    buyer = make_user(Role.BUYER)
    tender = services.create_tender(buyer, publishable(**overrides))
    with pytest.raises(ServiceError) as caught:
        services.publish(buyer, tender.id)
    assert field in caught.value.errors
    db.session.expire_all()
    tender = db.session.get(Tender, tender.id)
    assert (tender.status, tender.published_at) == (TenderStatus.DRAFT, None)


def test_a_lot_cpv_code_is_enough_to_publish(make_user):
    buyer = make_user(Role.BUYER)
    tender = services.create_tender(buyer, publishable(cpv_codes=[], lots=[{"title": "A", "cpv_codes": "90910000"}]))
    assert services.publish(buyer, tender.id).status is TenderStatus.PUBLISHED


def test_published_tender_must_stay_publishable_and_closed_ones_are_frozen(make_user):
    buyer = make_user(Role.BUYER)
    tender = services.create_tender(buyer, publishable())
    services.publish(buyer, tender.id)
    with pytest.raises(ServiceError) as caught:
        services.update_tender(buyer, tender.id, publishable(cpv_codes=[], deadline=PAST))
    assert set(caught.value.errors) == {"cpv_codes", "deadline"}
    services.close(buyer, tender.id)
    with pytest.raises(ServiceError, match="ne peut plus être modifié"):
        services.update_tender(buyer, tender.id, publishable())


def test_delete_a_draft_removes_its_lots(make_user):
    buyer = make_user(Role.BUYER)
    tender = services.create_tender(buyer, publishable(lots=[{"title": "A"}]))
    assert services.delete_tender(buyer, tender.id) == "Entretien des espaces verts"
    assert db.session.scalar(select(Tender)) is None
    assert db.session.scalar(select(Lot)) is None


def test_list_tenders_paginates_filters_and_clamps(make_user, make_tender):
    buyer = make_user(Role.BUYER)
    for n in range(45):
        make_tender(buyer, title=f"AO {n}", status=TenderStatus.DRAFT if n % 3 else TenderStatus.CLOSED)
    make_tender(title="Autre organisation")
    first = services.list_tenders(buyer)
    assert (first.total, first.pages, len(first.items), first.page) == (45, 3, 20, 1)
    last = services.list_tenders(buyer, page=99)
    assert (last.page, len(last.items)) == (3, 5)
    assert services.list_tenders(buyer, page=-4).page == 1
    closed = services.list_tenders(buyer, "closed")
    assert closed.total == 15
    assert all(t.status is TenderStatus.CLOSED for t in closed.items)
    assert services.status_counts(buyer)[TenderStatus.DRAFT] == 30
    with pytest.raises(ServiceError):
        services.list_tenders(buyer, "nimporte")


def test_list_tenders_is_empty_for_a_new_organisation(make_user):
    page = services.list_tenders(make_user(Role.BUYER), page=5)
    assert (page.items, page.page, page.pages, page.total) == ([], 1, 1, 0)


def test_cpv_codes_must_exist_in_the_nomenclature(app):
    # Fallback mode (no CPV table loaded): the code's division must be one of the 45 CPV divisions.
    with pytest.raises(ValueError, match="« 99000000 » n'existe pas dans la nomenclature CPV"):
        services.clean_cpv_codes("90910000-9, 99000000")
    assert services.clean_cpv_codes("90910000-9") == ["90910000-9"]
