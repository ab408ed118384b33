"""Registration and login forms: validate and shape input only."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from ..forms import SIRET_HINT, select_choices, siret_field_check
from ..models import Role
from ..validators import PASSWORD_MIN_LENGTH, check_password_strength

REQUIRED = "Ce champ est obligatoire."


def strip(value):
    return value.strip() if isinstance(value, str) else value


ROLE_CHOICES = select_choices(
    [
        (Role.SUPPLIER.value, "Entrepreneur : je propose mes services"),
        (Role.BUYER.value, "Acheteur : je cherche des fournisseurs"),
        (Role.ORGANISER.value, "Organisateur d'événements"),
    ]
)


class RegisterForm(FlaskForm):
    role = RadioField("Je suis", choices=ROLE_CHOICES, validators=[InputRequired("Choisissez votre profil.")])
    full_name = StringField("Nom et prénom", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=120)])
    email = EmailField(
        "Adresse e-mail",
        filters=[strip],
        validators=[InputRequired(REQUIRED), Email("Adresse e-mail invalide."), Length(max=254)],
    )
    password = PasswordField(
        "Mot de passe",
        validators=[InputRequired(REQUIRED), Length(max=200)],
        description=f"Au moins {PASSWORD_MIN_LENGTH} caractères ; ni un mot de passe courant, ni votre adresse e-mail.",
    )
    confirm = PasswordField(
        "Confirmez le mot de passe",
        validators=[InputRequired(REQUIRED), EqualTo("password", "Les deux mots de passe ne correspondent pas.")],
    )
    company_name = StringField("Nom de l'entreprise", validators=[Length(max=200)])
    siret = StringField("SIRET", validators=[Length(max=20)], description=SIRET_HINT)
    organisation_name = StringField("Organisation", validators=[Length(max=200)])

    def validate_password(self, field):
        try:
            check_password_strength(field.data, self.email.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_company_name(self, field):
        if self.role.data == Role.SUPPLIER.value and not (field.data or "").strip():
            raise ValidationError("Indiquez le nom de votre entreprise.")

    def validate_siret(self, field):
        if self.role.data == Role.SUPPLIER.value:
            siret_field_check(self, field)

    def validate_organisation_name(self, field):
        if self.role.data == Role.BUYER.value and not (field.data or "").strip():
            raise ValidationError("Indiquez le nom de votre organisation.")


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[InputRequired(REQUIRED), Length(max=200)])
    remember = BooleanField("Rester connecté")


NEW_PASSWORD_HINT = f"Au moins {PASSWORD_MIN_LENGTH} caractères ; ni un mot de passe courant, ni votre adresse e-mail."


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail de votre compte",
        filters=[strip],
        validators=[InputRequired(REQUIRED), Email("Adresse e-mail invalide."), Length(max=254)],
    )


class NewPasswordForm(FlaskForm):
    """The new password and its confirmation; the policy is checked by the service (it knows the e-mail)."""

    password = PasswordField(
        "Nouveau mot de passe", validators=[InputRequired(REQUIRED), Length(max=200)], description=NEW_PASSWORD_HINT
    )
    confirm = PasswordField(
        "Confirmez le nouveau mot de passe",
        validators=[InputRequired(REQUIRED), EqualTo("password", "Les deux mots de passe ne correspondent pas.")],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Mot de passe actuel", validators=[InputRequired(REQUIRED), Length(max=200)])


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        "Nouvelle adresse e-mail",
        filters=[strip],
        validators=[InputRequired(REQUIRED), Email("Adresse e-mail invalide."), Length(max=254)],
        description="Un lien de confirmation lui sera envoyé ; l'adresse change quand vous l'ouvrez.",
    )
    current_password = PasswordField("Mot de passe actuel", validators=[InputRequired(REQUIRED), Length(max=200)])
