"""No N+1 queries on the main pages: the SQL statements of one request stay flat from ~10 to ~100 results.

Each page is built with a few results, requested once to warm up (the search engine is fitted on first use, the
reference-data caches fill), then requested again while its statements are counted; the data is grown to about a
hundred results (or as many as the page lists) and the page is counted again the same way. The counts must be
equal: a statement per row shown, ranked or aggregated would make the second one larger.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from marketplace.extensions import db
from marketplace.models import (
    Award,
    AwardShare,
    Consortium,
    ConsortiumMember,
    ConsortiumStatus,
    CurationStatus,
    MemberRole,
    MemberStatus,
    Offer,
    QpvStatus,
    Role,
    SupplierCompany,
    SupplierCuration,
    TenderInterest,
    TenderStatus,
)

pytestmark = pytest.mark.usefixtures("fresh_engine")

CLEANING = {"title": "Nettoyage de bureaux", "description": "Entretien et vitrerie des bureaux",
            "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "bureaux"], "departments": ["93"]}
FAR_DEADLINE = date(2099, 1, 1)
FEW, MANY = 10, 100


@pytest.fixture
def counted(app, client):
    """``counted(url)``: the response of a second GET of ``url`` (the first one warms up) and its statements."""

    def count(url: str):
        assert client.get(url).status_code == 200  # warm-up: engine fit or update, reference caches
        statements = []

        def listener(_conn, _cursor, statement, *_rest):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = client.get(url)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        return response.get_data(as_text=True), statements

    return count


def flat(few: list[str], many: list[str]) -> None:
    """The larger page issued as many statements as the smaller one (the larger one's listed when not)."""
    assert len(many) == len(few), "\n\n".join([f"{len(few)} -> {len(many)} statements:", *many])


def ids_of(pattern: str, html: str) -> set[str]:
    return set(re.findall(pattern, html))


def cleaners(make_supplier, owner, how_many: int, **fields) -> list:
    return [make_supplier(owner=owner, name=f"Nettoyage Solidaire {i}", description="Nettoyage de bureaux",
                          qpv_status=QpvStatus.DECLARED if i % 2 else QpvStatus.VERIFIED, qpv_code="QN09328M",
                          labels=["esus"] if i % 3 == 0 else [], offers=(CLEANING, {**CLEANING, "title": "Vitrerie"}),
                          **fields)
            for i in range(how_many)]


@pytest.fixture
def buyer(auth, make_user):
    user = make_user(Role.BUYER)
    auth.login_as(user)
    return user


@pytest.fixture
def supplier_owner(make_user):
    return make_user(Role.SUPPLIER)


# ------------------------------------------------------------------------------------------- buyers' pages


def test_supplier_search(counted, buyer, supplier_owner, make_supplier):
    url = "/acheteur/fournisseurs?q=nettoyage+bureaux"
    cleaners(make_supplier, supplier_owner, FEW)
    html, few = counted(url)
    assert len(ids_of(r'id="fournisseur-(\d+)"', html)) == FEW
    cleaners(make_supplier, supplier_owner, MANY - FEW)
    html, many = counted(url)
    assert f"{MANY} résultats" in html
    assert len(ids_of(r'id="fournisseur-(\d+)"', html)) == 20  # a page of the search
    flat(few, many)


def _curate(tender, companies, updaters):
    """A follow-up row per company, each changed by another colleague (a large organisation's shared shortlist)."""
    for company, colleague in zip(companies, updaters, strict=False):
        db.session.add(SupplierCuration(
            buyer_organisation_id=tender.buyer_organisation_id, tender_id=tender.id, lot_id=None, lot_key=0,
            company_id=company.id, status=CurationStatus.CONTACTED, note="Appelée", updated_by_id=colleague.id))
        db.session.add(TenderInterest(tender=tender, company=company, lot_ids=[tender.lots[0].id], message="Oui"))
    db.session.commit()


def test_tender_shortlist(counted, buyer, supplier_owner, make_user, make_supplier, make_tender):
    # The page lists 10 lines of the engine's top 100: it starts with fewer lines than a full page, so that a
    # statement per line shown grows the count as well as one per supplier ranked.
    tender = make_tender(buyer=buyer, title="Nettoyage des bureaux", description="Nettoyage et vitrerie des bureaux",
                         cpv_codes=["90910000-9"], deadline=FAR_DEADLINE,
                         lots=({"title": "Vitrerie", "cpv_codes": ["90911300-9"]},
                               {"title": "Nettoyage", "cpv_codes": ["90910000-9"]}))
    colleagues = [make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation) for _ in range(10)]
    url = f"/acheteur/appels-d-offres/{tender.id}/fournisseurs"
    first = cleaners(make_supplier, supplier_owner, 4)
    _curate(tender, first, colleagues)
    html, few = counted(url)
    assert len(ids_of(r'id="suivi-(\d+)"', html)) == 4
    more = cleaners(make_supplier, supplier_owner, MANY - 4)
    _curate(tender, more, colleagues * 10)
    html, many = counted(url)
    assert f"{MANY} entreprises listées" in html
    assert len(ids_of(r'id="suivi-(\d+)"', html)) == 10
    assert "Mis à jour par" in html
    flat(few, many)


@pytest.fixture
def companies_loaded(client):
    """``companies_loaded(url)``: the page of a second GET of ``url`` and the ids of the companies it loaded whole
    (ORM objects). Pages that rank many suppliers and show a few must load only those."""

    def load(url: str):
        assert client.get(url).status_code == 200
        loaded = []

        def listener(company, _context):
            loaded.append(company.id)

        event.listen(SupplierCompany, "load", listener)
        try:
            response = client.get(url)
        finally:
            event.remove(SupplierCompany, "load", listener)
        assert response.status_code == 200
        return response.get_data(as_text=True), loaded

    return load


def test_search_and_shortlist_load_only_the_companies_shown(companies_loaded, buyer, supplier_owner, make_supplier,
                                                             make_tender):
    cleaners(make_supplier, supplier_owner, MANY)
    for url in ("/acheteur/fournisseurs?q=nettoyage+bureaux",
                "/acheteur/fournisseurs?q=nettoyage+bureaux&type=entreprise"):  # a filter reads a few columns
        html, loaded = companies_loaded(url)
        shown = ids_of(r'id="fournisseur-(\d+)"', html)
        assert f"{MANY} résultats" in html
        assert len(shown) == 20
        assert sorted(map(str, loaded)) == sorted(shown)

    tender = make_tender(buyer=buyer, title="Nettoyage des bureaux", cpv_codes=["90910000-9"], deadline=FAR_DEADLINE)
    html, loaded = companies_loaded(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs")
    shown = ids_of(r'id="suivi-(\d+)"', html)
    assert f"{MANY} entreprises listées" in html
    assert len(shown) == 10
    assert sorted(map(str, loaded)) == sorted(shown)


def test_buyer_tender_page(counted, buyer, supplier_owner, make_supplier, make_tender):
    tender = make_tender(buyer=buyer, deadline=FAR_DEADLINE, cpv_codes=["90910000-9"], description="Nettoyage",
                         lots=tuple({"title": f"Site {n}", "cpv_codes": ["90910000-9"]} for n in range(5)))
    url = f"/acheteur/appels-d-offres/{tender.id}"

    def interested(how_many):
        """Interested companies, in pairs that also declared a consortium (a lead and a partner on a lot)."""
        companies = cleaners(make_supplier, supplier_owner, how_many)
        for n, company in enumerate(companies):
            db.session.add(TenderInterest(tender=tender, company=company, message="Intéressée",
                                          lot_ids=[tender.lots[n % 5].id] if n % 2 else []))
        for lead, partner in zip(companies[::2], companies[1::2], strict=True):
            consortium = Consortium(tender=tender, lead_company=lead, status=ConsortiumStatus.SUBMITTED,
                                    submitted_at=datetime.now(UTC))
            consortium.members += [
                ConsortiumMember(company=lead, role=MemberRole.MANDATAIRE, status=MemberStatus.ACCEPTED,
                                 lot_ids=[tender.lots[0].id]),
                ConsortiumMember(company=partner, status=MemberStatus.ACCEPTED, lot_ids=[tender.lots[1].id])]
            db.session.add(consortium)
        db.session.commit()

    interested(FEW)
    html, few = counted(url)
    assert f"Entreprises intéressées ({FEW})" in html
    assert f"Groupements déclarés ({FEW // 2})" in html
    interested(MANY - FEW)
    html, many = counted(url)
    assert f"Entreprises intéressées ({MANY})" in html
    assert f"Groupements déclarés ({MANY // 2})" in html
    assert len(ids_of(r'href="/acheteur/fournisseurs/(\d+)"', html)) == MANY
    flat(few, many)


def test_supplier_sheet(counted, buyer, supplier_owner, make_supplier):
    company = make_supplier(owner=supplier_owner, offers=tuple(
        {**CLEANING, "title": f"Offre {n}"} for n in range(FEW)))
    url = f"/acheteur/fournisseurs/{company.id}"
    html, few = counted(url)
    assert html.count("<h3>Offre ") == FEW
    company.offers.extend(Offer(**{**CLEANING, "title": f"Offre {n}"}) for n in range(FEW, MANY))
    db.session.commit()
    html, many = counted(url)
    assert html.count("<h3>Offre ") == MANY
    flat(few, many)


def test_report(counted, buyer, supplier_owner, make_supplier, make_tender):
    url = "/acheteur/rapport?du=01/01/2027&au=31/12/2027"
    march = datetime(2027, 3, 1, 10, tzinfo=UTC)

    def awarded(how_many, start):
        for n, company in enumerate(cleaners(make_supplier, supplier_owner, how_many), start=start):
            tender = make_tender(buyer=buyer, title=f"Marché {n}", status=TenderStatus.AWARDED,
                                 cpv_codes=[f"{90 - n % 5}000000"], department=f"{91 + n % 5}",
                                 lots=({"title": "Lot", "cpv_codes": [f"{77 - n % 3}000000"]},))
            award = Award(tender_id=tender.id, lot_id=tender.lots[0].id if n % 2 else None, winner_name=company.name,
                          awarded_on=date(2027, 1, 1) + timedelta(days=3 * n), amount_cents=100_000 + n)
            award.shares.append(AwardShare(company_id=company.id, company_name=company.name,
                                           company_siret=company.siret, department=tender.department,
                                           amount_cents=100_000 + n, qpv_status_at_award=company.qpv_status))
            db.session.add(award)
            db.session.add(SupplierCuration(
                buyer_organisation_id=buyer.buyer_organisation_id, tender_id=tender.id, lot_id=None, lot_key=0,
                company_id=company.id, status=CurationStatus.INVITED, created_at=march, updated_at=march))
            db.session.add(TenderInterest(tender=tender, company=company, created_at=march))
        db.session.commit()

    awarded(FEW, 0)
    html, few = counted(url)
    assert f"({FEW} attributions)" in html
    awarded(MANY - FEW, FEW)
    html, many = counted(url)
    assert f"({MANY} attributions)" in html
    flat(few, many)


# ------------------------------------------------------------------------------------------- entrepreneurs' pages


@pytest.fixture
def entrepreneurs_company(auth, make_user, make_supplier):
    user = make_user(Role.SUPPLIER)
    company = make_supplier(owner=user, name="Nettoyage Solidaire", description="Nettoyage de bureaux",
                            offers=(CLEANING,))
    auth.login_as(user)
    return company


@pytest.fixture
def entrepreneur(entrepreneurs_company):
    return entrepreneurs_company.owner


def _open_tenders(make_tender, make_user, how_many, start=0):
    buyers = [make_user(Role.BUYER) for _ in range(3)]
    return [make_tender(buyer=buyers[n % 3], title=f"Nettoyage des bureaux {n}", description="Nettoyage et vitrerie",
                        cpv_codes=["90910000-9"], deadline=FAR_DEADLINE - timedelta(days=n), department="93",
                        lots=({"title": "Vitrerie", "cpv_codes": ["90911300-9"]},
                              {"title": "Espaces verts", "cpv_codes": ["77310000-6"]}))
            for n in range(start, start + how_many)]


def test_opportunities(counted, entrepreneurs_company, make_user, make_tender):
    url = f"/entrepreneur/opportunites?entreprise={entrepreneurs_company.id}"
    _open_tenders(make_tender, make_user, FEW)
    html, few = counted(url)
    assert len(ids_of(r'id="ao-(\d+)"', html)) == FEW
    _open_tenders(make_tender, make_user, MANY - FEW, FEW)
    html, many = counted(url)
    assert f"{MANY} appels d'offres ouverts" in html
    assert len(ids_of(r'id="ao-(\d+)"', html)) == 20  # a page of opportunities
    flat(few, many)


def test_entrepreneurs_tender_page(counted, entrepreneur, make_user, make_supplier, make_tender):
    # What grows here is the entrepreneur's side: their companies, each interested in some of the tender's lots.
    tender = _open_tenders(make_tender, make_user, 1)[0]
    url = f"/entrepreneur/appels-d-offres/{tender.id}"

    def interested(how_many):
        for n, company in enumerate(cleaners(make_supplier, entrepreneur, how_many)):
            db.session.add(TenderInterest(tender=tender, company=company, message="Intéressée",
                                          lot_ids=[tender.lots[n % 2].id] if n % 3 else []))
        db.session.commit()

    interested(FEW)
    html, few = counted(url)
    assert html.count("s'est déclarée intéressée") == FEW
    interested(MANY - FEW)
    html, many = counted(url)
    assert html.count("s'est déclarée intéressée") == MANY
    flat(few, many)
