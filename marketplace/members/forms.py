"""Team forms: validate and shape input only (the rules are in services.py)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..validators import PASSWORD_MIN_LENGTH

REQUIRED = "Ce champ est obligatoire."


def strip(value):
    return value.strip() if isinstance(value, str) else value


class InviteForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail de la personne à inviter", filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=254, message="Adresse e-mail trop longue.")],
        description="Elle recevra un lien valable 7 jours pour rejoindre l'équipe avec un compte entrepreneur.",
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class JoinForm(FlaskForm):
    """Create the entrepreneur account of the invited address (the address comes from the invitation)."""

    full_name = StringField("Nom et prénom", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=120)])
    password = PasswordField(
        "Mot de passe", validators=[InputRequired(REQUIRED), Length(max=200)],
        description=f"Au moins {PASSWORD_MIN_LENGTH} caractères ; ni un mot de passe courant, ni votre adresse e-mail.",
    )
    confirm = PasswordField(
        "Confirmez le mot de passe",
        validators=[InputRequired(REQUIRED), EqualTo("password", "Les deux mots de passe ne correspondent pas.")],
    )
