"""The preferences form: one choice of frequency per kind of notification the user's role can receive."""

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from ..forms import select_choices
from ..models import Frequency, NotificationKind

FREQUENCY_CHOICES = select_choices((frequency.value, frequency.label) for frequency in Frequency)


class PreferencesForm(FlaskForm):
    """Fields named after the kinds (``new_matching_tender`` ...), added by ``preferences_form``."""

    kinds: tuple[NotificationKind, ...] = ()

    def chosen(self) -> dict[NotificationKind, Frequency]:
        return {kind: Frequency(self[kind.value].data) for kind in self.kinds}

    def kind_fields(self):
        return [self[kind.value] for kind in self.kinds]


def preferences_form(kinds, current: dict[NotificationKind, Frequency], **kwargs) -> PreferencesForm:
    """A form with one radio group per kind in ``kinds``, filled with the ``current`` frequencies."""
    fields = {
        kind.value: RadioField(kind.label, choices=FREQUENCY_CHOICES, validators=[
            InputRequired("Choisissez quand être prévenu pour ce type de notification.")])
        for kind in kinds
    }
    form_class = type("PreferencesForm", (PreferencesForm,), {"kinds": tuple(kinds), **fields})
    return form_class(data={kind.value: current[kind].value for kind in kinds}, **kwargs)
