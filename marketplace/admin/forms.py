"""Administrators' forms."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, Optional


def strip(value):
    return value.strip() if isinstance(value, str) else value


class VerifyForm(FlaskForm):
    note = TextAreaField("Note (facultatif)", filters=[strip], validators=[Optional(), Length(max=2000)])


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Motif du refus",
        filters=[strip],
        validators=[InputRequired("Indiquez le motif du refus : il sera communiqué à l'entrepreneur."),
                    Length(max=2000)],
        description="Par exemple : l'adresse déclarée n'est pas dans le périmètre du quartier.",
    )
