"""Supplier forms: validate and shape input only; the rules live in services.py."""

import unicodedata

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import SIRET_HINT, EuroField, OneSubmissionForm, WholeNumberField, select_choices, siret_field_check
from ..models import LABELS, LEGAL_FORMS, STRUCTURE_TYPE_LABELS
from ..refdata.departments import list_departments
from .services import web_address

REQUIRED = "Ce champ est obligatoire."


def strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def departments_by_region() -> list[SelectChoice]:
    """Department choices grouped by region (checkboxes shown region by region), overseas departments last."""

    def region(department) -> str:
        return "Outre-mer" if len(department.code) == 3 else department.region

    def sort_key(department):
        name = unicodedata.normalize("NFKD", region(department)).encode("ascii", "ignore").decode().lower()
        return (len(department.code) == 3, name)

    return [
        SelectChoice(department.code, f"{department.code} - {department.name}", optgroup=region(department))
        for department in sorted(list_departments(), key=sort_key)
    ]


class CompanyProfileForm(FlaskForm):
    name = StringField("Nom de l'entreprise", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=200)])
    siret = StringField(
        "SIRET",
        filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=20), siret_field_check],
        description=SIRET_HINT,
    )
    naf_code = StringField(
        "Code NAF (APE)",
        filters=[strip],
        validators=[Optional(), Length(max=10)],
        description="Sur votre avis de situation Insee, par exemple 43.34Z.",
    )
    legal_form = SelectField("Forme juridique", choices=select_choices([("", "—"), *((f, f) for f in LEGAL_FORMS)]))
    structure_type = SelectField(
        "Type de structure", choices=select_choices((t.value, label) for t, label in STRUCTURE_TYPE_LABELS.items())
    )
    address = StringField("Adresse (numéro et rue)", filters=[strip], validators=[Optional(), Length(max=250)])
    postcode = StringField(
        "Code postal",
        filters=[strip],
        validators=[Optional(), Length(max=5, message="Le code postal doit comporter 5 chiffres.")],
        description="Après avoir saisi le code postal, choisissez votre commune.",
    )
    commune_insee = SelectField("Commune", choices=[], validate_choice=False)
    lat = StringField(
        "Latitude exacte (facultatif)",
        filters=[strip],
        validators=[Optional(), Length(max=20)],
        description="Position GPS de votre local (par exemple 43.5789), comparée aux contours des QPV.",
    )
    lon = StringField(
        "Longitude exacte (facultatif)",
        filters=[strip],
        validators=[Optional(), Length(max=20)],
        description="Par exemple 1.4400.",
    )
    headcount = WholeNumberField(
        "Effectif (salariés)",
        validators=[Optional(), NumberRange(max=1_000_000, message="L'effectif ne peut pas dépasser 1 000 000.")],
        message="Saisissez l'effectif en chiffres, sans signe ni décimale, par exemple 12 ou 1 200.",
        render_kw={"inputmode": "numeric"},
    )
    annual_revenue = EuroField(
        "Chiffre d'affaires annuel (euros)", description="Par exemple 120 000 ou 85 500,50."
    )
    labels = MultiCheckboxField("Labels et certifications", choices=select_choices(LABELS.items()))
    description = TextAreaField(
        "Présentation", filters=[strip], validators=[Optional(), Length(max=10_000)],
        description="Ce que fait votre entreprise, vos références : les acheteurs lisent ce texte.",
    )
    website = URLField(
        "Site web",
        filters=[web_address],
        validators=[Optional(), URL(message="Adresse web invalide : par exemple www.monentreprise.fr."),
                    Length(max=250)],
        description="Par exemple www.monentreprise.fr (https:// est ajouté s'il manque).",
    )
    contact_email = StringField(
        "E-mail de contact", filters=[strip], validators=[Optional(), Length(max=254)],
        description="L'adresse où les acheteurs peuvent vous écrire, par exemple contact@monentreprise.fr.",
    )
    contact_phone = StringField(
        "Téléphone de contact", filters=[strip], validators=[Optional(), Length(max=30)],
        description="Par exemple 01 23 45 67 89 ou +33 6 12 34 56 78.",
    )
    contact_shown = BooleanField(
        "Afficher ces coordonnées aux acheteurs",
        description="Sinon, les acheteurs vous contactent par la messagerie du site.",
    )

    def set_commune_choices(self, pairs) -> None:
        prompt = "Choisissez votre commune" if pairs else "Saisissez d'abord un code postal"
        self.commune_insee.choices = select_choices([("", prompt), *pairs])

    def service_data(self) -> dict:
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        data["annual_revenue"] = self.annual_revenue.data
        return data


class EligibilityForm(FlaskForm):
    qpv_code = RadioField("Votre quartier prioritaire", choices=[], validate_choice=False)

    def set_options(self, options, none_code: str) -> None:
        self.qpv_code.choices = select_choices(
            [*options, (none_code, "Mon entreprise n'est dans aucun quartier prioritaire")]
        )


class OfferForm(OneSubmissionForm, FlaskForm):
    title = StringField("Titre de l'offre", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(
        "Description", filters=[strip], validators=[Optional(), Length(max=10_000)],
        description="Vos prestations, vos moyens, vos références.",
    )
    cpv_codes = StringField(
        "Codes CPV",
        filters=[strip],
        validators=[InputRequired("Indiquez au moins un code CPV."), Length(max=2000)],
        render_kw={"data-cpv-autocomplete": True, "autocomplete": "off"},
        description="Codes séparés par des virgules (par exemple 90910000-9). Tapez un mot (« nettoyage ») pour "
        "obtenir des propositions.",
    )
    keywords = StringField(
        "Mots-clés", filters=[strip], validators=[Optional(), Length(max=1000)],
        description="Séparés par des virgules.",
    )
    departments = MultiCheckboxField(
        "Départements d'intervention", choices=departments_by_region(), validate_choice=False,
        description="Cochez chaque département où vous intervenez : ouvrez une région pour voir ses départements.",
    )

    def service_data(self) -> dict:
        return {
            name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "submission_token")
        }
