"""Form helpers shared by the blueprints."""

from wtforms import HiddenField, IntegerField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import TextInput

from .money import format_euros_input, parse_euros
from .submissions import clean_token, new_token
from .validators import clean_siret

# One hint wherever a SIRET is typed; the check (python-stdnum's compact form) does drop spaces and dots.
SIRET_HINT = "14 chiffres, espaces acceptés : il figure sur votre extrait Kbis ou votre avis de situation Insee."


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


class WholeNumberField(IntegerField):
    """A whole number in ASCII digits; spaces may group thousands, as French writes them ("1 200").

    ``int()`` alone would take "١٢٣", "０１２", "1_000" or "+5". The typed text is shown back when refused.
    """

    GROUP_SPACES = ("\u00a0", "\u202f", "\u2009")  # no-break, narrow no-break and thin spaces
    widget = TextInput()  # type="number" would refuse "1 200" in the browser, with the browser's own wording

    def __init__(self, label=None, validators=None, *, message: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or "Saisissez un nombre entier en chiffres, par exemple 12 ou 1 200."

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        text = str(valuelist[0])
        for space in self.GROUP_SPACES:
            text = text.replace(space, " ")
        if not text.strip():
            return
        groups = text.strip().split(" ")
        well_grouped = len(groups) == 1 or (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))
        digits = "".join(groups)
        if not (well_grouped and digits.isascii() and digits.isdigit() and len(digits) <= 15):
            raise ValueError(self.message)
        self.data = int(digits)


def page_status(form) -> int:
    """HTTP status of a form page: 422 when it is shown again with errors, 200 otherwise."""
    return 422 if (form.errors or form.form_errors) else 200


class SubmissionTokenField(HiddenField):
    """The one-time token of a creation form (see ``submissions``): a new one each time the page is shown.

    A posted token is kept through pages shown again (errors, lot rows added); a missing or malformed one is
    replaced by a fresh token, so that such a post counts as a new submission rather than being refused
    (scripts have no token): the guarantee is per rendered form, see ``submissions``.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", new_token)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and (token := clean_token(valuelist[0])):
            self.data = token


class OneSubmissionForm:
    """Mixin for forms that create an object: one submission of the page creates one object.

    Render ``form.submission_token`` inside the ``<form>`` and pass ``form.submission_token.data`` to the
    service, which stores it with the object (``submissions.commit_once``).
    """

    submission_token = SubmissionTokenField()
