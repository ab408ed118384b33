"""Two buyer organisations and two companies (one with an owner and a member) around published tenders."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from marketplace.extensions import db
from marketplace.models import CompanyMember, Role, SupplierCompany, Tender, TenderStatus, User

SOON = date.today() + timedelta(days=10)


@dataclass
class World:
    buyer: User  # organisation A
    colleague: User  # organisation A too
    stranger: User  # organisation B
    owner: User  # company "Net Horizon"
    member: User  # member of "Net Horizon"
    rival: User  # owner of company "Propre Cité"
    company: SupplierCompany
    other_company: SupplierCompany
    tender: Tender  # organisation A, published
    draft: Tender  # organisation A, draft
    foreign_tender: Tender  # organisation B, published


@pytest.fixture
def world(make_user, make_supplier, make_tender) -> World:
    buyer = make_user(Role.BUYER, full_name="Alice Acheteuse")
    colleague = make_user(Role.BUYER, full_name="Bruno Collègue", buyer_organisation=buyer.buyer_organisation)
    stranger = make_user(Role.BUYER, full_name="Chloé Ailleurs")
    owner = make_user(Role.SUPPLIER, full_name="Dina Gérante")
    member = make_user(Role.SUPPLIER, full_name="Émile Associé")
    rival = make_user(Role.SUPPLIER, full_name="Farid Concurrent")
    company = make_supplier(owner=owner, name="Net Horizon")
    db.session.add(CompanyMember(company=company, user=member))
    other_company = make_supplier(owner=rival, name="Propre Cité")
    tender = make_tender(buyer=buyer, title="Nettoyage des écoles", deadline=SOON)
    draft = make_tender(buyer=buyer, title="Brouillon secret", status=TenderStatus.DRAFT, deadline=SOON)
    foreign_tender = make_tender(buyer=stranger, title="Espaces verts", deadline=SOON)
    db.session.commit()
    return World(buyer, colleague, stranger, owner, member, rival, company, other_company, tender, draft,
                 foreign_tender)
