"""Form helpers shared by the blueprints."""

from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice

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
