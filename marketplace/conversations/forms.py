"""Message forms: shape input only; the rules (blank, length, who may write) live in services.py."""

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField

from ..forms import select_choices
from ..models import MESSAGE_MAX
from ..validators import parse_id

BODY_HINT = f"Texte seul, {MESSAGE_MAX:,} caractères au plus.".replace(",", "\u202f")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _int_or_none(value):
    return parse_id(value)


class MessageForm(FlaskForm):
    body = TextAreaField("Votre message", filters=[_strip], description=BODY_HINT,
                         render_kw={"rows": 6})


class SupplierStartForm(MessageForm):
    company_id = SelectField("Pour l'entreprise", coerce=_int_or_none, validate_choice=False)

    def set_companies(self, companies) -> None:
        self.company_id.choices = select_choices((c.id, c.name) for c in companies)


class BuyerStartForm(MessageForm):
    tender_id = SelectField("À propos de l'appel d'offres", coerce=_int_or_none, validate_choice=False)

    def set_tenders(self, tenders) -> None:
        self.tender_id.choices = select_choices(
            [("", "Choisissez un appel d'offres"), *((t.id, f"{t.title} ({t.status_label.lower()})") for t in tenders)])
