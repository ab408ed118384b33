"""Supplier forms: validate and shape input only; the rules live in services.py."""

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import EuroField, select_choices, siret_field_check
from ..models import LABELS, LEGAL_FORMS, STRUCTURE_TYPE_LABELS
from ..refdata.departments import department_choices

REQUIRED = "Ce champ est obligatoire."


def strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompanyProfileForm(FlaskForm):
    name = StringField("Nom de l'entreprise", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=200)])
    siret = StringField(
        "SIRET",
        filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=20), siret_field_check],
        description="14 chiffres, sans espaces (figure sur votre extrait Kbis ou avis de situation Insee).",
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
    headcount = IntegerField(
        "Effectif (salariés)",
        validators=[Optional(), NumberRange(min=0, max=1_000_000, message="Saisissez un nombre positif.")],
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
        "Site web", filters=[strip], validators=[Optional(), URL(message="Adresse web invalide."), Length(max=250)]
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


class OfferForm(FlaskForm):
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
    departments = SelectMultipleField(
        "Départements d'intervention", choices=select_choices(department_choices()), validate_choice=False,
        description="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )

    def service_data(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
