"""Three companies (one with an owner and a member), two buyer organisations, a published tender with lots."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from marketplace.extensions import db
from marketplace.models import CompanyMember, Role, SupplierCompany, Tender, User

SOON = date.today() + timedelta(days=20)


@dataclass
class World:
    buyer: User  # organisation A (the tender's)
    stranger: User  # organisation B
    lead_owner: User  # owner of "Net Horizon"
    lead_member: User  # member of "Net Horizon"
    partner: User  # owner of "Jardins Solidaires"
    outsider: User  # owner of "Propre Cité"
    lead: SupplierCompany
    partner_company: SupplierCompany
    outsider_company: SupplierCompany
    tender: Tender  # two lots, organisation A, published, open

    def lot(self, number: int) -> int:
        return next(lot.id for lot in self.tender.lots if lot.number == number)


@pytest.fixture
def world(make_user, make_supplier, make_tender) -> World:
    buyer = make_user(Role.BUYER, full_name="Alice Acheteuse")
    stranger = make_user(Role.BUYER, full_name="Chloé Ailleurs")
    lead_owner = make_user(Role.SUPPLIER, full_name="Dina Gérante")
    lead_member = make_user(Role.SUPPLIER, full_name="Émile Associé")
    partner = make_user(Role.SUPPLIER, full_name="Gaëlle Jardinière")
    outsider = make_user(Role.SUPPLIER, full_name="Farid Concurrent")
    lead = make_supplier(owner=lead_owner, name="Net Horizon", contact_email="contact@nethorizon.fr",
                         contact_shown=True)
    db.session.add(CompanyMember(company=lead, user=lead_member))
    partner_company = make_supplier(owner=partner, name="Jardins Solidaires", contact_email="secret@jardins.fr",
                                    contact_shown=False)
    outsider_company = make_supplier(owner=outsider, name="Propre Cité")
    tender = make_tender(buyer=buyer, title="Entretien des écoles", deadline=SOON,
                         lots=({"title": "Nettoyage des locaux"}, {"title": "Espaces verts"}))
    db.session.commit()
    return World(buyer, stranger, lead_owner, lead_member, partner, outsider, lead, partner_company,
                 outsider_company, tender)
