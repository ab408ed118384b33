"""The hand-written showcase: demo accounts and the demo entrepreneur's own company."""

import os
from datetime import date, timedelta

from ..models import QpvStatus, Role, StructureType
from .clock import reference_moment

DEFAULT_DEMO_PASSWORD = "demo-quartiers-2026"
DEMO_DOMAIN = "demo.marche-quartiers.fr"
ENTREPRENEUR_EMAIL = f"entrepreneur@{DEMO_DOMAIN}"
BUYER_EMAIL = f"acheteur@{DEMO_DOMAIN}"
ORGANISER_EMAIL = f"organisateur@{DEMO_DOMAIN}"

# (email, full name, role); invented people.
DEMO_USERS = (
    (ENTREPRENEUR_EMAIL, "Fatou Camara", Role.SUPPLIER),
    (BUYER_EMAIL, "Claire Moreau-Diallo", Role.BUYER),
    (ORGANISER_EMAIL, "Karim Benhaddou", Role.ORGANISER),
)


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def demo_company(siret: str, *, today: date) -> dict:
    """The company owned by the demo entrepreneur (owner set by the loader), as seeded on ``today``."""
    created = reference_moment(today) - timedelta(days=420)
    served = ["93", "75", "92", "95"]
    return {
        "name": "Horizon Propreté 93",
        "siret": siret,
        "legal_form": "SAS",
        "structure_type": StructureType.ENTREPRISE,
        "address": "Pépinière d'entreprises, 14 rue Gabriel-Péri",
        "postcode": "93200",
        "commune_insee": "93066",
        "commune_name": "Saint-Denis",
        "department": "93",
        "lat": 48.93712,
        "lon": 2.35804,
        "qpv_code": "QN09328M",
        "qpv_status": QpvStatus.VERIFIED,
        "headcount": 9,
        "annual_revenue_cents": 310_000_00,
        "labels": ["ecocert"],
        "description": (
            "Horizon Propreté est née en 2019 à Saint-Denis, au Franc-Moisin, où j'ai grandi. Après huit ans "
            "comme agente puis cheffe d'équipe dans une grande société de nettoyage, j'ai voulu créer une "
            "entreprise où les équipes sont stables, bien formées et payées à l'heure juste. Nous entretenons "
            "aujourd'hui une quarantaine d'entrées d'immeubles pour deux bailleurs sociaux, les bureaux de "
            "plusieurs associations et deux crèches. Produits écolabellisés, microfibres, contrôle qualité "
            "mensuel avec chaque client. Nous sommes prêts à répondre en groupement avec d'autres entreprises "
            "du quartier pour les marchés plus importants."
        ),
        "website": "https://www.horizon-proprete-93.example",
        "owner_id": None,
        "created_at": created,
        "updated_at": created,
        "trade": "nettoyage",
        "offers": [
            {
                "title": "Entretien des parties communes d'immeubles",
                "description": "Halls, escaliers, ascenseurs, locaux poubelles et sortie des conteneurs, de 2 à 5 "
                               "passages par semaine, cahier de liaison sur chaque site.",
                "cpv_codes": ["90911200-8", "90911000-6"],
                "keywords": ["parties communes", "immeuble", "hall", "conteneurs", "bailleur social"],
                "departments": served,
                "created_at": created,
                "updated_at": created,
            },
            {
                "title": "Nettoyage de bureaux et de crèches",
                "description": "Entretien quotidien en horaires décalés, produits adaptés aux jeunes enfants.",
                "cpv_codes": ["90919200-4", "90910000-9"],
                "keywords": ["bureaux", "crèche", "horaires décalés", "écolabel"],
                "departments": served,
                "created_at": created,
                "updated_at": created,
            },
            {
                "title": "Remise en état de logements vacants",
                "description": "Nettoyage complet avant relocation, sous 72 heures après l'état des lieux.",
                "cpv_codes": ["90910000-9"],
                "keywords": ["remise en état", "logement vacant", "relocation"],
                "departments": ["93"],
                "created_at": created,
                "updated_at": created,
            },
        ],
    }
