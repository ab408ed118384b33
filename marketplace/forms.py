"""Form helpers shared by the blueprints."""

from wtforms import StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from .money import format_euros_input, parse_euros
from .validators import clean_siret


def siret_field_check(form, field) -> None:
    """WTForms validator: a valid SIRET (checked with python-stdnum), stored compact."""
    try:
        field.data = clean_siret(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def apply_service_errors(form, error) -> None:
    """Show a ServiceError's messages on the form's fields (unknown fields go to the form level)."""
    for name, message in error.errors.items():
        field = getattr(form, name, None) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 SelectChoice objects (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


class EuroField(StringField):
    """An amount in euros typed the French way ("12 500,50"); ``data`` is a Decimal or None."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            self.data = parse_euros(valuelist[0])  # ValueError -> a field error, typed text kept

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_euros_input(self.data)


def page_status(form) -> int:
    """HTTP status of a form page: 422 when it is shown again with errors, 200 otherwise."""
    return 422 if (form.errors or form.form_errors) else 200
