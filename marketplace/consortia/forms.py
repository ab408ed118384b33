"""Forms of the consortia: validate and shape input only (rules in services.py)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..models import CONSORTIUM_MESSAGE_MAX
from ..validators import MAX_ID


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CreateForm(FlaskForm):
    """"Former un groupement": by hand (the lead company only) or from a suggestion (hidden ``invite`` values
    "company_id:lot_id,lot_id" and ``lead_lots``, read by the view)."""

    tender_id = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    company_id = SelectField("Entreprise mandataire", coerce=int, validate_choice=True,
                             validators=[InputRequired("Choisissez l'entreprise qui mène le groupement.")])

    def set_choices(self, companies) -> None:
        self.company_id.choices = [(c.id, c.name) for c in companies]


class InviteForm(FlaskForm):
    company_id = IntegerField(validators=[InputRequired("Choisissez une entreprise."),
                                          NumberRange(1, MAX_ID, "Choisissez une entreprise de la liste.")])


class CompanyForm(FlaskForm):
    """Accept, decline or leave for one of the user's companies."""

    company_id = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    choice = HiddenField(validators=[Optional()])


class ActionForm(FlaskForm):
    """A button (CSRF only): remove a member, withdraw; the lots form's checkboxes are read by the view."""


class SubmitForm(FlaskForm):
    message = TextAreaField(
        "Message à l'acheteur (facultatif)", filters=[_strip],
        validators=[Length(max=CONSORTIUM_MESSAGE_MAX,
                           message=f"Le message est trop long ({CONSORTIUM_MESSAGE_MAX} caractères au plus).")],
        description="Présentez l'équipe et la façon dont vous vous répartissez le travail.",
    )


class MessageForm(FlaskForm):
    body = TextAreaField("Votre message", filters=[_strip])
