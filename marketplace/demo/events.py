"""The demo event: a diversity week organised by the demo organiser, wishes open, no meeting scheduled yet.

``event_plan`` is pure (the seed, the seeding day and the demo companies in, plain dicts out); ``seed_demo_event``
writes it. Seeding again resets the event to that plan (settings, status, participants by e-mail, wishes) and
drops its meetings, so the organiser can replay the scheduling from the same start; participants' personal
links (``access_key``) survive a re-run. No e-mail is queued: the story has everyone invited two weeks before
the seeding day, and the organiser may send an invitation again from the participants page.

Participants without an account get addresses under example.org subdomains (reserved, RFC 2606): an
organiser who sends the invitations from the demo reaches nobody.
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import delete, select

from ..events.slots import Slot, parse_breaks, slot_grid
from ..extensions import db
from ..models import (
    BuyerOrganisation,
    Event,
    EventMeeting,
    EventOrganiser,
    EventParticipant,
    EventStatus,
    EventWish,
    ParticipantSide,
    ParticipantStatus,
    SupplierCompany,
    User,
)
from .catalogue import TRADES, TRADES_BY_KEY
from .catalogue.buyers import DEMO_BUYER_NAME
from .catalogue.people import BRAND_WORDS, FEMALE_FIRST_NAMES, FIRST_NAMES, LAST_NAMES
from .catalogue.places import de_commune
from .clock import reference_moment
from .generator import siret_for, trade_for
from .text import fill, slugify

DEMO_EVENT_NAME = "Semaine de la diversité entrepreneuriale"
EVENT_PLACE = "Saint-Denis, Stade de France — salons"
EVENT_DESCRIPTION = (
    "Deux journées de rendez-vous individuels de vingt minutes entre les acheteurs publics et privés "
    "d'Île-de-France et les entrepreneurs des quartiers. Chaque participant indique qui il souhaite rencontrer ; "
    "l'équipe d'organisation publie ensuite l'agenda de chacun."
)
LEAD_DAYS = 21  # the event starts about three weeks after the seeding day
SUPPLIER_COUNT = 80
LINKED_SUPPLIERS = 10  # entrepreneurs whose demo company is on the marketplace (the demo entrepreneur's first)
MAIL_DOMAIN = "example.org"

# Where the entrepreneurs without a marketplace company are based: (postcode, commune, weight).
PLACES = (
    ("93200", "Saint-Denis", 4), ("93300", "Aubervilliers", 3), ("93000", "Bobigny", 2), ("93140", "Bondy", 2),
    ("93270", "Sevran", 2), ("93390", "Clichy-sous-Bois", 2), ("93120", "La Courneuve", 2),
    ("93400", "Saint-Ouen-sur-Seine", 1), ("93500", "Pantin", 2), ("93800", "Épinay-sur-Seine", 1),
    ("93150", "Le Blanc-Mesnil", 1), ("93600", "Aulnay-sous-Bois", 2), ("75018", "Paris", 2),
    ("75019", "Paris", 2), ("75020", "Paris", 2), ("75013", "Paris", 1), ("95200", "Sarcelles", 2),
    ("95140", "Garges-lès-Gonesse", 1), ("95100", "Argenteuil", 1), ("95400", "Villiers-le-Bel", 1),
    ("94400", "Vitry-sur-Seine", 1), ("94000", "Créteil", 1), ("92230", "Gennevilliers", 1),
)


@dataclass(frozen=True)
class EventBuyer:
    """A buyer at the event; ``offers`` are catalogue offers (trade key, position) whose CPV codes it buys."""

    organisation: str
    person: str
    needs: str
    offers: tuple[tuple[str, int], ...]

    @property
    def trades(self) -> frozenset[str]:
        return frozenset(key for key, _ in self.offers)

    @property
    def cpv_codes(self) -> list[str]:
        codes: list[str] = []
        for key, position in self.offers:
            codes += [code for code in TRADES_BY_KEY[key].offers[position].cpv if code not in codes]
        return codes


# The first eight are demo buyer organisations (linked by name; the first is the demo buyer account's), the
# others invented. Invented people.
BUYERS: tuple[EventBuyer, ...] = (
    EventBuyer(DEMO_BUYER_NAME, "Claire Moreau-Diallo",
               "Entretien des parties communes de nos résidences de Bobigny et de Bondy, remise en état des "
               "logements vacants avant relocation, petits travaux de peinture.",
               (("nettoyage", 1), ("nettoyage", 3), ("peinture", 1), ("renovation", 0))),
    EventBuyer("Groupe Énergie Avenir", "Thomas Girard",
               "Plateaux-repas et buffets pour nos sites de La Défense, navettes de salariés, films "
               "institutionnels sur nos chantiers.",
               (("traiteur", 0), ("traiteur", 1), ("transport", 0), ("audiovisuel", 0))),
    EventBuyer("Banque Coopérative des Territoires", "Sabrina Lopes",
               "Maintenance informatique de nos agences, reconditionnement des postes, secrétariat et "
               "numérisation des archives.",
               (("informatique", 0), ("reemploi", 1), ("gestion", 1), ("gestion", 2))),
    EventBuyer("Bâtir Demain Construction", "Ludovic Roux",
               "Sous-traitance en second œuvre pour nos chantiers du Grand Paris : électricité, plâtrerie, "
               "carrelage, démolition et curage, logistique de chantier.",
               (("electricite", 0), ("revetements", 2), ("revetements", 0), ("maconnerie", 1),
                ("logistique", 2))),
    EventBuyer("Connect Télécom Services", "Nabil Meziane",
               "Câblage et réseaux informatiques, coursiers urgents entre nos sites, impression de nos supports "
               "commerciaux.",
               (("informatique", 1), ("coursier", 0), ("impression", 0))),
    EventBuyer("Ville de Saint-Denis", "Aminata Sylla",
               "Entretien des espaces verts des écoles, animations des fêtes de quartier, nettoyage des "
               "bâtiments communaux et effacement des graffitis.",
               (("espaces_verts", 0), ("evenementiel", 1), ("nettoyage", 0), ("peinture", 3))),
    EventBuyer("Département du Val-de-Marne", "Julie Lambert",
               "Blanchisserie des crèches départementales, restauration collective des collèges, formations "
               "santé et sécurité au travail.",
               (("blanchisserie", 0), ("restauration", 0), ("formation", 2))),
    EventBuyer("Fondation Quartiers Solidaires", "Hakim Belkacem",
               "Communication de nos programmes, reportages photo, traduction de documents et rédaction en "
               "FALC.",
               (("communication", 0), ("audiovisuel", 1), ("traduction", 0), ("traduction", 2))),
    EventBuyer("Ville de Bondy", "Nadia Haddad",
               "Traiteur pour les réceptions municipales, entretien des parcs et jardins partagés, élagage.",
               (("traiteur", 0), ("espaces_verts", 0), ("espaces_verts", 1), ("espaces_verts", 2))),
    EventBuyer("Ville de Sarcelles", "Grégory Fontaine",
               "Nettoyage des bâtiments communaux, peinture des écoles pendant les vacances, dératisation.",
               (("nettoyage", 0), ("peinture", 0), ("hygiene", 0))),
    EventBuyer("Ville d'Aubervilliers", "Leïla Amrani",
               "Organisation d'événements et location de matériel, impression grand format, vidéos pour les "
               "réseaux sociaux de la ville.",
               (("evenementiel", 0), ("evenementiel", 2), ("impression", 1), ("communication", 1))),
    EventBuyer("Paris Nord-Est Habitat", "Vincent Dupuis",
               "Bailleur social : remise en état de logements, plomberie, adaptation de logements PMR, "
               "serrurerie et dépannage.",
               (("renovation", 0), ("renovation", 1), ("plomberie", 0), ("serrurerie", 0))),
    EventBuyer("Val-d'Oise Logement Solidaire", "Khadija Bah",
               "Bailleur social : entretien des parties communes, désinfection des vide-ordures, espaces verts "
               "des résidences.",
               (("nettoyage", 1), ("hygiene", 1), ("espaces_verts", 0))),
    EventBuyer("Résidences Sociales d'Île-de-France", "Omar Diop",
               "Déménagements et relogements de résidents, débarras, blanchisserie du linge des foyers.",
               (("demenagement", 1), ("demenagement", 2), ("blanchisserie", 0))),
    EventBuyer("Grand Paris Chantiers Ferroviaires", "Sandrine Petit",
               "Gardiennage de nos bases de chantier, navettes pour les équipes de nuit, maçonnerie et "
               "aménagements d'accessibilité.",
               (("securite", 0), ("transport", 0), ("maconnerie", 0), ("maconnerie", 2))),
    EventBuyer("Groupe Hospitalier Nord Francilien", "Issa Koné",
               "Blanchisserie professionnelle, dératisation et désinsectisation, coursiers entre nos hôpitaux, "
               "confection de tenues.",
               (("blanchisserie", 0), ("hygiene", 0), ("coursier", 0), ("couture", 0))),
    EventBuyer("Université Plaine de France", "Linh Tran",
               "Création de sites internet, maintenance informatique des salles, interprétariat pour les "
               "colloques, formations de français.",
               (("web", 0), ("informatique", 0), ("traduction", 1), ("formation", 1))),
    EventBuyer("Arènes de Saint-Denis Événements", "Mehdi Benali",
               "Sécurité événementielle, accueil, cocktails et buffets, nettoyage après les manifestations.",
               (("securite", 2), ("securite", 1), ("traiteur", 0), ("nettoyage", 3))),
    EventBuyer("Coopérative Francilienne de Distribution", "Céline Martin",
               "Stockage et préparation de commandes, pains et viennoiseries pour nos magasins, identité "
               "visuelle de notre marque solidaire.",
               (("logistique", 0), ("logistique", 1), ("boulangerie", 0), ("graphisme", 0))),
    EventBuyer("Mutuelle Francilienne des Métiers", "Rachid Ouali",
               "Comptabilité et paie de nos agences, formations professionnelles, collecte et réemploi de "
               "mobilier de bureau.",
               (("gestion", 0), ("formation", 0), ("reemploi", 0))),
)
DEMO_ORGANISATIONS = 8  # BUYERS[:8] are demo buyer organisations
BUYERS_DECLINED = {13}  # positions in BUYERS; the other buyers are confirmed
BUYERS_INVITED = {17, 19}
SUPPLIERS_DECLINED = {7, 41}  # positions among the entrepreneurs without a company; the others are confirmed
SUPPLIERS_INVITED_EVERY = 12  # ... except one in twelve, still invited


@dataclass(frozen=True)
class LinkedCompany:
    """A demo company that takes part: its row, its catalogue trade and its owner's account, if any."""

    company_id: int
    name: str
    trade: str
    postcode: str | None = None
    owner: User | None = None


def event_days(today: date) -> tuple[date, date]:
    """Two weekdays (Tuesday to Friday) about three weeks after ``today``."""
    first = today + timedelta(days=LEAD_DAYS)
    while first.weekday() not in (1, 2, 3):
        first += timedelta(days=1)
    return first, first + timedelta(days=1)


def event_settings(today: date) -> dict:
    first, last = event_days(today)
    return {
        "name": DEMO_EVENT_NAME, "place": EVENT_PLACE, "description": EVENT_DESCRIPTION, "first_day": first,
        "last_day": last, "day_start": time(9), "day_end": time(17), "slot_minutes": 20,
        "breaks": [["12:30", "14:00"]], "tables": 12, "max_meetings": 8, "min_score": 0.2,
        "status": EventStatus.WISHES, "schedule_job_id": None, "scheduled_at": None, "schedule_optimal": None,
        "published_at": None,
    }


def _email(person: str, organisation: str) -> str:
    return f"{slugify(person).replace('-', '.')}@{slugify(organisation)[:50].strip('-')}.{MAIL_DOMAIN}"


def _buyer_rows(buyer_user: User | None, organisation_ids: dict[str, int]) -> list[dict]:
    rows = []
    for position, spec in enumerate(BUYERS):
        user = buyer_user if spec.organisation == DEMO_BUYER_NAME else None
        status = (ParticipantStatus.DECLINED if position in BUYERS_DECLINED else
                  ParticipantStatus.INVITED if position in BUYERS_INVITED else ParticipantStatus.CONFIRMED)
        rows.append({
            "side": ParticipantSide.BUYER, "status": status, "organisation_name": spec.organisation,
            "person_name": user.full_name if user else spec.person,
            "email": user.email if user else _email(spec.person, spec.organisation),
            "user_id": user.id if user else None,
            "buyer_organisation_id": organisation_ids.get(spec.organisation) if position < DEMO_ORGANISATIONS
            else None,
            "supplier_company_id": None, "needs_text": spec.needs, "cpv_codes": spec.cpv_codes, "postcode": None,
            "qpv_declared": False, "trades": spec.trades,
        })
    return rows


def _linked_rows(rng: random.Random, companies: list[LinkedCompany]) -> list[dict]:
    rows = []
    for company in companies:
        person = company.owner.full_name if company.owner else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        rows.append({
            "side": ParticipantSide.SUPPLIER, "status": ParticipantStatus.CONFIRMED,
            "organisation_name": company.name, "person_name": person,
            "email": company.owner.email if company.owner else _email(person, company.name),
            "user_id": company.owner.id if company.owner else None, "buyer_organisation_id": None,
            "supplier_company_id": company.company_id, "needs_text": "", "cpv_codes": [], "postcode": company.postcode,
            "qpv_declared": False, "trades": frozenset({company.trade}),
        })
    return rows


def _unlinked_row(rng: random.Random, wanted: list[str], taken: set[str]) -> dict:
    """An entrepreneur without a marketplace company, mostly in a trade some buyer is looking for."""
    trade = TRADES_BY_KEY[rng.choice(wanted)] if rng.random() < 0.85 else rng.choice(TRADES)
    postcode, commune = rng.choices([p[:2] for p in PLACES], weights=[p[2] for p in PLACES])[0]
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    context = {"brand": rng.choice(BRAND_WORDS), "first": first, "last": last, "commune": commune,
               "de_commune": de_commune(commune), "dept": postcode[:2], "initials": (first[0] + last[0]).upper()}
    name = rng.choice(trade.names).format(short=trade.short, **context)
    while name.casefold() in taken:
        name = f"{rng.choice(BRAND_WORDS)} {trade.short} {commune}"
    taken.add(name.casefold())
    offers = rng.sample(trade.offers, rng.choice((1, 1, 2)))
    sentences = [f"{offer.title} : {offer.description}" for offer in offers]
    speciality = fill(rng.choice(trade.specialities), context, female=first in FEMALE_FIRST_NAMES)
    codes: list[str] = []
    for offer in offers:
        codes += [code for code in offer.cpv if code not in codes]
    person = f"{first} {last}"
    return {
        "side": ParticipantSide.SUPPLIER, "status": ParticipantStatus.CONFIRMED, "organisation_name": name,
        "person_name": person, "email": _email(person, name), "user_id": None, "buyer_organisation_id": None,
        "supplier_company_id": None, "needs_text": " ".join([*sentences, speciality]), "cpv_codes": codes,
        "postcode": postcode, "qpv_declared": rng.random() < 0.5, "trades": frozenset({trade.key}),
    }


def _wishes(rng: random.Random, buyers: list[dict], suppliers: list[dict]) -> dict[tuple[str, str], int]:
    """{(requester e-mail, other e-mail): value}, about sixty, between participants who have not declined.

    Buyers wish entrepreneurs of the trades they buy (a "must" for two buyers in three, one or two "would
    like"); a few entrepreneurs wish them back (mutual wishes), others wish a buyer of their trade; four pairs
    are refused, never a pair someone wished. Only confirmed participants have expressed wishes.
    """
    wishes: dict[tuple[str, str], int] = {}

    def free(a: dict, b: dict) -> bool:
        return (a["email"], b["email"]) not in wishes and (b["email"], a["email"]) not in wishes

    present_buyers = [row for row in buyers if row["status"] is not ParticipantStatus.DECLINED]
    present = [row for row in suppliers if row["status"] is not ParticipantStatus.DECLINED]
    liked = []
    for position, buyer in enumerate(row for row in buyers if row["status"] is ParticipantStatus.CONFIRMED):
        pool = [s for s in present if s["trades"] & buyer["trades"]]
        rng.shuffle(pool)
        if buyer["user_id"] is not None:  # the demo buyer account wishes the demo entrepreneur's company first
            pool.sort(key=lambda s: s["user_id"] is None)
        values = ([2] if position % 3 != 2 else []) + [1] * (1 + position % 2) + ([-1] if position in (4, 9) else [])
        for value, supplier in zip(values, pool, strict=False):
            wishes[(buyer["email"], supplier["email"])] = value
            if value > 0 and supplier["status"] is ParticipantStatus.CONFIRMED:
                liked.append((buyer, supplier))
    # The demo entrepreneur answers the demo buyer with a "must": one mutual "must" to show.
    liked.sort(key=lambda pair: pair[1]["user_id"] is None)
    for buyer, supplier in liked[:5]:
        wishes[(supplier["email"], buyer["email"])] = 2 if supplier["user_id"] is not None else 1
    refusals = 0
    for supplier in present:
        if supplier["status"] is not ParticipantStatus.CONFIRMED or rng.random() > 0.3:
            continue
        fitting = [b for b in present_buyers if b["trades"] & supplier["trades"] and free(supplier, b)]
        if fitting:
            value = -1 if refusals < 2 and rng.random() < 0.15 else 2 if rng.random() < 0.25 else 1
            refusals += value == -1
            wishes[(supplier["email"], rng.choice(fitting)["email"])] = value
    return wishes


def _unavailable(slots: list[Slot], day: date, afternoon: bool) -> list[int]:
    return [s.index for s in slots if s.day == day and (s.start >= time(14)) == afternoon]


def event_plan(seed: int, today: date, companies: list[LinkedCompany], *, buyer_user: User | None = None,
               organisation_ids: dict[str, int] | None = None) -> dict:
    """The demo event as plain data: ``settings`` (Event columns), ``participants`` (EventParticipant columns
    plus ``trades``, not a column) and ``wishes`` ({(requester e-mail, other e-mail): value}).

    Pure: the same arguments always give the same plan. ``companies``: the demo companies that take part,
    the demo entrepreneur's first (at most ``LINKED_SUPPLIERS`` are used).
    """
    rng = random.Random(f"{seed}:event")
    settings = event_settings(today)
    buyers = _buyer_rows(buyer_user, organisation_ids or {})
    suppliers = _linked_rows(rng, companies[:LINKED_SUPPLIERS])
    taken = {row["organisation_name"].casefold() for row in buyers + suppliers}
    wanted = sorted({key for spec in BUYERS for key in spec.trades})
    unlinked = [_unlinked_row(rng, wanted, taken) for _ in range(SUPPLIER_COUNT - len(suppliers))]
    for position, row in enumerate(unlinked):
        if position in SUPPLIERS_DECLINED:
            row["status"] = ParticipantStatus.DECLINED
        elif position % SUPPLIERS_INVITED_EVERY == 5:
            row["status"] = ParticipantStatus.INVITED
    suppliers += unlinked
    slots = slot_grid(settings["first_day"], settings["last_day"], settings["day_start"], settings["day_end"],
                      settings["slot_minutes"], parse_breaks(settings["breaks"]))
    first, last = settings["first_day"], settings["last_day"]
    buyers[2]["unavailable_slots"] = _unavailable(slots, first, afternoon=False)
    buyers[6]["unavailable_slots"] = _unavailable(slots, last, afternoon=True)
    for position in (3, 20, 50):
        unlinked[position]["unavailable_slots"] = _unavailable(slots, last, afternoon=True)
    invited = reference_moment(today) - timedelta(days=14)
    participants = buyers + suppliers
    emails: set[str] = set()
    for position, row in enumerate(participants):
        local, _, domain = row["email"].partition("@")
        while row["email"] in emails:  # two people of the same name in one organisation
            local += "1"
            row["email"] = f"{local}@{domain}"
        emails.add(row["email"])
        row.setdefault("unavailable_slots", [])
        row["invited_at"] = invited + timedelta(minutes=position)
        answered = row["status"] is not ParticipantStatus.INVITED
        row["answered_at"] = invited + timedelta(days=1 + position % 8, hours=position % 7) if answered else None
    return {"settings": settings, "participants": participants, "wishes": _wishes(rng, buyers, suppliers)}


def linked_companies(seed: int, suppliers: int, entrepreneur: User | None) -> list[LinkedCompany]:
    """The demo companies that take part: the demo entrepreneur's, then Île-de-France ones, then others.

    A company owned by someone else than the demo entrepreneur is real data: it never takes part.
    """
    sirets = {siret_for(seed, index): index for index in range(suppliers)}
    query = select(SupplierCompany.siret, SupplierCompany.id, SupplierCompany.name, SupplierCompany.owner_id,
                   SupplierCompany.department, SupplierCompany.postcode).where(SupplierCompany.siret.in_(list(sirets)))
    candidates = []
    for siret, company_id, name, owner_id, department, postcode in db.session.execute(query):
        index = sirets[siret]
        owner = entrepreneur if entrepreneur is not None and owner_id == entrepreneur.id else None
        if owner_id is not None and owner is None:
            continue
        trade = "nettoyage" if index == 0 else trade_for(seed, index).key
        rank = (index != 0, department not in ("75", "92", "93", "94", "95"), index)
        candidates.append((rank, LinkedCompany(company_id, name, trade, postcode, owner)))
    return [company for _rank, company in sorted(candidates, key=lambda item: item[0])][:LINKED_SUPPLIERS]


def _demo_event(organiser: User) -> Event | None:
    query = (select(Event).where(Event.name == DEMO_EVENT_NAME, Event.created_by_id == organiser.id)
             .order_by(Event.id).limit(1))
    return db.session.scalar(query)


def seed_demo_event(*, seed: int, suppliers: int, today: date, organiser: User, buyer: User | None = None,
                    entrepreneur: User | None = None) -> Event:
    """Create or reset the demo event (flushed, not committed): the caller commits with the rest of the demo."""
    organisation_ids = dict(db.session.execute(
        select(BuyerOrganisation.name, BuyerOrganisation.id)
        .where(BuyerOrganisation.name.in_([spec.organisation for spec in BUYERS[:DEMO_ORGANISATIONS]]))).all())
    plan = event_plan(seed, today, linked_companies(seed, suppliers, entrepreneur), buyer_user=buyer,
                      organisation_ids=organisation_ids)
    event = _demo_event(organiser)
    if event is None:
        event = Event(created_by_id=organiser.id, created_at=reference_moment(today))
        db.session.add(event)
    for field, value in plan["settings"].items():
        if getattr(event, field) != value:
            setattr(event, field, value)
    db.session.flush()
    if not db.session.scalar(select(EventOrganiser.id).where(EventOrganiser.event_id == event.id,
                                                             EventOrganiser.user_id == organiser.id)):
        db.session.add(EventOrganiser(event_id=event.id, user_id=organiser.id, added_at=reference_moment(today)))
    db.session.execute(delete(EventMeeting).where(EventMeeting.event_id == event.id))
    db.session.execute(delete(EventWish).where(EventWish.event_id == event.id))
    wanted = {row["email"]: row for row in plan["participants"]}
    existing = {p.email: p for p in db.session.scalars(
        select(EventParticipant).where(EventParticipant.event_id == event.id))}
    for email, participant in existing.items():
        if email not in wanted:
            db.session.delete(participant)
    for email, row in wanted.items():
        participant = existing.get(email)
        if participant is None:
            participant = EventParticipant(event_id=event.id, email=email)
            db.session.add(participant)
        for field, value in row.items():
            if field != "trades" and getattr(participant, field, None) != value:
                setattr(participant, field, value)
    db.session.flush()
    ids = dict(db.session.execute(select(EventParticipant.email, EventParticipant.id)
                                  .where(EventParticipant.event_id == event.id)).all())
    stamp = reference_moment(today)
    db.session.add_all(EventWish(event_id=event.id, requester_id=ids[requester], other_id=ids[other], value=value,
                                 updated_at=stamp) for (requester, other), value in plan["wishes"].items())
    db.session.flush()
    db.session.expire(event, ["organisers", "participants", "meetings"])  # changed by bulk statements above
    return event
