"""The supplier search's form: a GET form read into a ``SearchCriteria`` (values kept, bad ones reported in
French and ignored), and the small POST forms of saved searches (CSRF through Flask-WTF)."""

from dataclasses import asdict, dataclass, field

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from ..models import LABELS, SAVED_SEARCH_NAME_MAX, STRUCTURE_TYPE_LABELS
from ..refdata.departments import is_department, normalise_department
from ..refdata.fallback import CPV_DIVISIONS_FALLBACK
from ..refdata.lookups import is_postcode
from ..validators import page_number

MAX_QUERY_CHARS = 500
# Headcount bands (key -> label, lowest, highest included; None: no upper bound).
HEADCOUNT_BANDS = {
    "0": ("Sans salarié", 0, 0),
    "1-9": ("1 à 9 salariés", 1, 9),
    "10-49": ("10 à 49 salariés", 10, 49),
    "50-249": ("50 à 249 salariés", 50, 249),
    "250+": ("250 salariés et plus", 250, None),
}
QPV_CHOICES = {"": "Toutes les entreprises", "1": "Implantées en QPV (déclaré ou vérifié)",
               "verifie": "QPV vérifié seulement"}
SORTS = {"pertinence": "Pertinence", "distance": "Distance"}
# The 45 CPV divisions (2 digits -> French label): the reference's own top level, always available.
CPV_DIVISIONS = {d.code[:2]: d.label_fr for d in CPV_DIVISIONS_FALLBACK}
STRUCTURE_TYPES = {t.value: label for t, label in STRUCTURE_TYPE_LABELS.items()}


@dataclass
class SearchCriteria:
    """What the buyer asked for; every field is already checked (unknown values are emptied)."""

    q: str = ""
    division: str = ""
    qpv: str = ""
    type: str = ""
    labels: list[str] = field(default_factory=list)
    effectif: str = ""
    departement: str = ""
    voisins: bool = False
    tri: str = "pertinence"
    lieu: str = ""
    appel: int | None = None

    def as_args(self) -> dict:
        """The query-string arguments that reproduce this search (empty ones left out)."""
        args = {"q": self.q, "division": self.division, "qpv": self.qpv, "type": self.type,
                "label": list(self.labels) or None, "effectif": self.effectif, "departement": self.departement,
                "voisins": "1" if self.voisins else None, "tri": self.tri if self.tri != "pertinence" else None,
                "lieu": self.lieu, "appel": self.appel}
        return {key: value for key, value in args.items() if value not in (None, "", [])}

    def as_json(self) -> dict:
        return asdict(self)


def parse_criteria(args, tender_ids=()) -> tuple[SearchCriteria, dict[str, str], int]:
    """Criteria, French messages per field and the page number from query arguments (a MultiDict or a dict).

    ``tender_ids``: the organisation's tenders a distance may start from (any other id is refused).
    """
    get = args.get
    getlist = args.getlist if hasattr(args, "getlist") else (lambda key: list(args.get(key) or []))
    errors: dict[str, str] = {}
    c = SearchCriteria(q=str(get("q") or "").replace("\x00", " ").strip()[:MAX_QUERY_CHARS])
    division = str(get("division") or "").strip()
    if division and division in CPV_DIVISIONS:
        c.division = division
    elif division:
        errors["division"] = "Secteur inconnu : choisissez-en un dans la liste."
    qpv = str(get("qpv") or "")
    c.qpv = qpv if qpv in QPV_CHOICES else ""
    kind = str(get("type") or "")
    if kind and kind not in STRUCTURE_TYPES:
        errors["type"] = "Type de structure inconnu : choisissez-en un dans la liste."
    c.type = kind if kind in STRUCTURE_TYPES else ""
    c.labels = [code for code in dict.fromkeys(map(str, getlist("label"))) if code in LABELS]
    band = str(get("effectif") or "")
    if band and band not in HEADCOUNT_BANDS:
        errors["effectif"] = "Tranche d'effectif inconnue : choisissez-en une dans la liste."
    c.effectif = band if band in HEADCOUNT_BANDS else ""
    department = str(get("departement") or "").strip()[:3]
    if department and is_department(department):
        c.departement = normalise_department(department)
    elif department:
        errors["departement"] = "Département inconnu : saisissez un numéro de département, par exemple 93 ou 2A."
    c.voisins = str(get("voisins") or "") == "1" and bool(c.departement)
    c.tri = str(get("tri") or "") if get("tri") in SORTS else "pertinence"
    place = str(get("lieu") or "").strip()[:10]
    if place and (is_postcode(place) or is_department(place)):
        c.lieu = place if is_postcode(place) else normalise_department(place)
    elif place:
        errors["lieu"] = "Lieu non reconnu : saisissez un code postal (5 chiffres) ou un numéro de département."
    tender = str(get("appel") or "").strip()
    if tender.isascii() and tender.isdigit() and len(tender) < 11 and int(tender) in set(tender_ids):
        c.appel = int(tender)
    elif tender:
        errors["appel"] = "Appel d'offres inconnu : choisissez-en un dans la liste."
    if c.tri == "distance" and not (c.lieu or c.appel) and "lieu" not in errors:
        errors["lieu"] = "Pour trier par distance, indiquez un code postal, un département ou un appel d'offres."
    return c, errors, page_number(get("page"))


class SaveSearchForm(FlaskForm):
    """Save the current search: its name; the criteria travel as the page's query string."""

    name = StringField("Nom de la recherche", validators=[
        DataRequired("Donnez un nom à cette recherche."),
        Length(max=SAVED_SEARCH_NAME_MAX, message=f"{SAVED_SEARCH_NAME_MAX} caractères au plus.")],
        render_kw={"maxlength": SAVED_SEARCH_NAME_MAX, "autocomplete": "off"})
    criteria = HiddenField()


class RenameSearchForm(FlaskForm):
    name = StringField("Nouveau nom", validators=[
        DataRequired("Donnez un nom à cette recherche."),
        Length(max=SAVED_SEARCH_NAME_MAX, message=f"{SAVED_SEARCH_NAME_MAX} caractères au plus.")],
        render_kw={"maxlength": SAVED_SEARCH_NAME_MAX, "autocomplete": "off"})


class DeleteSearchForm(FlaskForm):
    pass
