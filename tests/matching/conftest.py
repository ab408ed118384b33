"""Fixtures for the matching engine tests (no Flask app needed)."""

import os
from pathlib import Path

import pytest

from matching import Supplier


def shared_data_dir() -> Path:
    """The shared reference data folder ($SHARED_DATA_DIR or ../shared/data next to the project)."""
    env = os.environ.get("SHARED_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared reference data not found at {path} (set SHARED_DATA_DIR)")
    return path


SUPPLIERS = (
    Supplier(id="clean93", name="Brillance Services", description="Nettoyage de bureaux et vitrerie",
             keywords=("nettoyage", "vitrerie"), cpv_codes=("90911200-8",), departments=("93",),
             lat=48.91, lon=2.45, headcount=12, annual_revenue_eur=400_000, labels=("Entreprise QPV",)),
    Supplier(id="clean13", name="Propre Sud", description="Entretien et nettoyage de locaux",
             keywords=("nettoyage",), cpv_codes=("90919200",), departments=("13",), lat=43.30, lon=5.37,
             headcount=300, annual_revenue_eur=15_000_000),
    Supplier(id="pastry", name="Délices de Bondy", description="Pâtissier traiteur pour buffets et cocktails",
             keywords=("pâtissier", "traiteur"), cpv_codes=("15812000",), departments=("93",),
             labels=("ESS", "Entreprise QPV")),
    Supplier(id="paint", name="Couleurs et Façades", description="Travaux de peinture intérieure et ravalement",
             keywords=("peinture",), cpv_codes=("45442100",), departments=("94",), headcount=4,
             annual_revenue_eur=150_000),
    Supplier(id="plumb", name="Eau Flux", description="Plomberie, chauffage, sanitaires",
             keywords=("plomberie", "chauffage"), cpv_codes=("45330000",), departments=("75", "93")),
    Supplier(id="garden", name="Vert Demain", description="Entretien des espaces verts, élagage des arbres",
             keywords=("espaces verts", "élagage"), cpv_codes=("77310000",), departments=("95",)),
    Supplier(id="it", name="Code Quartier", description="Développement de sites internet et maintenance "
             "informatique", keywords=("informatique", "web"), cpv_codes=("72000000",), departments=("93",)),
    Supplier(id="print", name="Imprim'Cité", description="Impression de flyers, affiches et reprographie",
             keywords=("impression",), cpv_codes=("79800000",), departments=("92",)),
)


@pytest.fixture(scope="session")
def suppliers():
    return list(SUPPLIERS)
