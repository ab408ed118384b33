"""Forms of the entrepreneurs' side of tenders: validate and shape input only (rules in services.py)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import INTEREST_MESSAGE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class InterestForm(FlaskForm):
    company_id = SelectField("Pour l'entreprise", coerce=int, validate_choice=True,
                             validators=[InputRequired("Choisissez l'entreprise.")])
    lots = SelectMultipleField(
        "Lots qui vous intéressent", coerce=int, validate_choice=False,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description="Un lot est une partie de l'appel d'offres attribuée séparément : vous pouvez répondre à un "
                    "seul lot. Ne cochez rien pour vous intéresser à l'ensemble.",
    )
    message = TextAreaField(
        "Message à l'acheteur (facultatif)", filters=[_strip],
        validators=[Length(max=INTEREST_MESSAGE_MAX,
                           message=f"Le message est trop long ({INTEREST_MESSAGE_MAX} caractères au plus).")],
        description=f"Présentez-vous en quelques lignes ({INTEREST_MESSAGE_MAX} caractères au plus).",
    )

    def set_choices(self, companies, tender) -> None:
        self.company_id.choices = [(c.id, c.name) for c in companies]
        self.lots.choices = [(lot.id, f"Lot {lot.number} : {lot.title}") for lot in tender.lots]


class WithdrawForm(FlaskForm):
    company_id = HiddenField(validators=[InputRequired()])
