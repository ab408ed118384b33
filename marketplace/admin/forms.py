"""Administrators' forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import select_choices


def strip(value):
    return value.strip() if isinstance(value, str) else value


class VerifyForm(FlaskForm):
    # Only shown when the declaration carries no current code (a 2015 code sent back by the 0007 migration);
    # the service checks the choice against the commune's current QPV.
    qpv_code = SelectField("QPV actuel de l'entreprise", choices=[], validate_choice=False)
    note = TextAreaField("Note (facultatif)", filters=[strip], validators=[Optional(), Length(max=2000)])

    def set_qpv_options(self, options) -> None:
        self.qpv_code.choices = select_choices([("", "Choisissez le QPV actuel"), *options])


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Motif du refus",
        filters=[strip],
        validators=[InputRequired("Indiquez le motif du refus : il sera communiqué à l'entrepreneur."),
                    Length(max=2000)],
        description="Par exemple : l'adresse déclarée n'est pas dans le périmètre du quartier.",
    )
