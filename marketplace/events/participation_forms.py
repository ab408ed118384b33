"""Forms of the participants' space: validate and shape input only (rules in participation.py)."""

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from ..buyers.forms import CpvField
from ..models.events import NEEDS_TEXT_MAX
from ..validators import parse_id
from .forms import _strip


class AnswerForm(FlaskForm):
    """"Je confirme ma participation" / "Je ne pourrai pas venir": the button pressed sends ``choice``."""

    choice = HiddenField(validators=[InputRequired(), AnyOf(["oui", "non"])])


class BuyerProfileForm(FlaskForm):
    needs_text = TextAreaField(
        "Ce que vous achetez", filters=[_strip],
        validators=[Length(max=NEEDS_TEXT_MAX, message=f"Texte trop long ({NEEDS_TEXT_MAX} caractères au plus).")],
        description="Vos besoins des prochains mois : prestations, travaux, fournitures, lieux. Les entreprises vous "
                    "sont proposées d'après ce texte et vos codes CPV.",
    )
    cpv_codes = CpvField(
        "Codes CPV",
        description="Tapez un mot-clé ou un code ; plusieurs codes séparés par des virgules (ex. 90910000-9).",
    )


class OwnProfileForm(BuyerProfileForm):
    """An entrepreneur without a company on the marketplace: what it does, where, and its QPV claim."""

    needs_text = TextAreaField(
        "Ce que fait votre entreprise", filters=[_strip],
        validators=[Length(max=NEEDS_TEXT_MAX, message=f"Texte trop long ({NEEDS_TEXT_MAX} caractères au plus).")],
        description="Vos prestations, vos savoir-faire, vos clients : les acheteurs vous sont proposés d'après ce "
                    "texte et vos codes CPV.",
    )
    postcode = StringField(
        "Code postal de l'entreprise", filters=[_strip],
        validators=[Optional(), Length(min=5, max=5, message="Le code postal doit comporter 5 chiffres.")],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code"},
    )
    qpv_declared = BooleanField("Mon entreprise est implantée dans un quartier prioritaire de la ville (QPV)")


class SlotsField(SelectMultipleField):
    """The ticked slot indexes (0 is a slot); an index that is no number is refused in French."""

    def pre_validate(self, form):  # the service checks the indexes against the event's grid
        pass

    def process_formdata(self, valuelist):
        self.data = []
        for value in valuelist:
            text = str(value).strip()
            if not (text.isascii() and text.isdigit() and len(text) <= 4):
                self.data = []
                raise ValueError("Un des créneaux envoyés est inconnu : rechargez la page.")
            self.data.append(int(text))


class AvailabilityForm(FlaskForm):
    slots = SlotsField("Vos disponibilités", coerce=int, choices=[])


WISH_CHOICES = (("2", "Je dois le/la rencontrer"), ("1", "J'aimerais"), ("0", "Sans préférence"),
                ("-1", "Je ne souhaite pas"))
_WISH_VALUES = {"2": 2, "1": 1, "0": None, "-1": -1}


class WishesForm(FlaskForm):
    """One radio group ``wish-<participant id>`` per person shown on the page; ``shown`` lists their ids, so a
    person left on "Sans préférence" on this page loses an older wish, and the other pages keep theirs."""

    shown = HiddenField(validators=[Length(max=20_000)])

    def wish_values(self, formdata: Mapping[str, str]) -> dict[int, int | None]:
        """``{participant id: 2 | 1 | -1 | None}`` for the people shown; ValueError (French) on a forged value."""
        out: dict[int, int | None] = {}
        for part in (self.shown.data or "").split(","):
            if not part.strip():
                continue
            other_id = parse_id(part)
            if other_id is None:
                raise ValueError("La liste envoyée n'a pas pu être lue : rechargez la page.")
            value = formdata.get(f"wish-{other_id}", "0")
            if value not in _WISH_VALUES:
                raise ValueError("Choix inconnu : rechargez la page et choisissez parmi les options.")
            out[other_id] = _WISH_VALUES[value]
        return out
