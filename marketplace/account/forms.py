"""The account deletion form: validate and shape input only (the password is checked by the service)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import InputRequired, Length

REQUIRED = "Ce champ est obligatoire."


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Votre mot de passe", validators=[InputRequired(REQUIRED), Length(max=200)])
    confirm = BooleanField(
        "Je comprends que la suppression est définitive et ne peut pas être annulée.",
        validators=[InputRequired("Cochez cette case pour confirmer la suppression.")],
    )
