"""Forms of the planning page: run the scheduler, edit meetings by hand, publish (input shape only; the rules are
in ``scheduling``)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import ValidationError

from .forms import ActionForm  # a button (CSRF only): cancel a meeting, publish

__all__ = ["ActionForm", "AddMeetingForm", "ChoiceField", "RunForm", "SeatForm", "slot_choices", "table_choices"]


class ChoiceField(SelectField):
    """A select of integer choices whose errors are French (typed ids and tampered values included)."""

    def __init__(self, label=None, validators=None, invalid="Choisissez une valeur de la liste.", **kwargs):
        super().__init__(label, validators, coerce=int, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.invalid) from None

    def pre_validate(self, form):
        if self.data is None or self.data not in {value for value, _ in self.choices}:
            raise ValidationError(self.invalid)


def slot_choices(slots) -> list[tuple[int, str]]:
    return [(slot.index, slot.label) for slot in slots]


def table_choices(n_tables: int) -> list[tuple[int, str]]:
    return [(index, f"Table {index + 1}") for index in range(n_tables)]


class SeatForm(FlaskForm):
    """Where to move a meeting, or whose seat to swap with: a slot and a table."""

    slot = ChoiceField("Créneau", invalid="Choisissez un créneau de l'événement.")
    table = ChoiceField("Table", invalid="Choisissez une table de l'événement.")

    def set_choices(self, slots, n_tables: int) -> "SeatForm":
        self.slot.choices = slot_choices(slots)
        self.table.choices = table_choices(n_tables)
        return self


class AddMeetingForm(SeatForm):
    buyer_id = ChoiceField("Acheteur", invalid="Choisissez un acheteur de l'événement.")
    supplier_id = ChoiceField("Entrepreneur", invalid="Choisissez un entrepreneur de l'événement.")

    def set_people(self, buyers, suppliers) -> "AddMeetingForm":
        self.buyer_id.choices = [(p.id, p.label) for p in buyers]
        self.supplier_id.choices = [(p.id, p.label) for p in suppliers]
        return self


class RunForm(FlaskForm):
    """"Calculer le planning"; once published, the organiser confirms that everyone will be told again."""

    confirm_republish = BooleanField("Je confirme : le planning publié sera remplacé et tous les participants "
                                     "recevront à nouveau leur agenda à la prochaine publication.")
