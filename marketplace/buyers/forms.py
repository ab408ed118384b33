"""Tender forms: validate and shape input only (the rules live in services.py)."""

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import EuroField, OneSubmissionForm, select_choices
from ..models import LABELS
from ..money import euros_to_cents
from ..refdata.departments import is_department, list_departments
from . import services

REQUIRED = "Ce champ est obligatoire."
TOO_LONG = f"{services.TITLE_MAX} caractères au maximum."
DESCRIPTION_TOO_LONG = "Description trop longue (20 000 caractères au maximum)."



class CpvField(StringField):
    """Comma-separated CPV codes, normalised; ``data`` is a list of codes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {})
        kwargs["render_kw"].setdefault("data-cpv-autocomplete", "")
        kwargs["render_kw"].setdefault("autocomplete", "off")
        kwargs["render_kw"].setdefault("spellcheck", "false")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.data = []
        if valuelist:
            if len(valuelist[0]) > 2000:
                raise ValueError("Trop de texte : indiquez au plus 30 codes CPV.")
            self.data = services.clean_cpv_codes(valuelist[0])

    def process_data(self, value):
        self.data = list(value or ())

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(self.data or ())


class FrenchDateField(DateField):
    """A date input (``type=date`` sends YYYY-MM-DD) that also accepts JJ/MM/AAAA, with a French error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for fmt in self.format:
            try:
                self.data = datetime.strptime(text[:20], fmt).date()
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError("Date invalide : utilisez le format JJ/MM/AAAA.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        for value in self.data or ():
            if value not in {choice.value for choice in self.choices}:
                raise ValidationError("Choix inconnu : rechargez la page et recommencez.")


def _typed(field) -> str:
    """What the user typed in a field (or its initial value), as text."""
    if field.raw_data:
        return str(field.raw_data[0] or "").strip()
    return str(field._value() or "").strip()


class LotForm(Form):
    """One lot row (a sub-form without its own CSRF token)."""

    lot_id = HiddenField()
    title = StringField("Titre du lot", validators=[Length(max=services.TITLE_MAX, message=TOO_LONG)])
    description = TextAreaField(
        "Description du lot",
        validators=[Length(max=services.DESCRIPTION_MAX, message=DESCRIPTION_TOO_LONG)],
    )
    cpv_codes = CpvField("Codes CPV du lot", description="Séparés par des virgules, par exemple 90910000-9.")
    budget = EuroField(
        "Budget du lot (en euros HT)",
        description="Facultatif. Par exemple 12 500,50.",
        render_kw={"inputmode": "decimal"},
    )

    def is_blank(self) -> bool:
        """A row left empty (e.g. added then not filled) is dropped instead of refused."""
        return not any(_typed(field) for field in (self.title, self.description, self.cpv_codes, self.budget))

    def validate_title(self, field):
        if not (field.data or "").strip() and not self.is_blank():
            raise ValidationError("Donnez un titre au lot (ou videz toute la ligne pour le retirer).")

    def existing_id(self) -> int | None:
        value = (self.lot_id.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


class TenderForm(OneSubmissionForm, FlaskForm):
    title = StringField(
        "Titre",
        validators=[InputRequired(REQUIRED), Length(max=services.TITLE_MAX, message=TOO_LONG)],
    )
    description = TextAreaField(
        "Description du besoin",
        validators=[Length(max=services.DESCRIPTION_MAX, message=DESCRIPTION_TOO_LONG)],
        description="Ce que vous achetez, où, quand et avec quelles attentes (obligatoire pour publier).",
    )
    cpv_codes = CpvField(
        "Codes CPV",
        description="Tapez un mot-clé ou un code ; plusieurs codes séparés par des virgules (ex. 45261000-4).",
    )
    department = SelectField(
        "Département",
        choices=select_choices(
            [("", "— Choisir un département —")] + [(d.code, f"{d.code} – {d.name}") for d in list_departments()]
        ),
        validate_choice=False,
        validators=[Optional()],
    )
    postcode = StringField(
        "Code postal",
        validators=[Optional(), Regexp(r"^\s*[0-9]{5}\s*$", message="Le code postal doit comporter 5 chiffres.")],
        description="Facultatif, 5 chiffres.",
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5},
    )
    budget = EuroField(
        "Budget total (en euros HT)",
        description="Facultatif. Par exemple 12 500,50. Le total des lots ne peut pas le dépasser.",
        render_kw={"inputmode": "decimal"},
    )
    deadline = FrenchDateField(
        "Date limite de réponse", description="Obligatoire pour publier ; elle ne peut pas être passée."
    )
    required_labels = MultiCheckboxField("Labels exigés", choices=select_choices(LABELS.items()))
    reserved_for_inclusive = BooleanField("Marché réservé aux structures inclusives (QPV, SIAE, EA/ESAT, ESS)")
    lots = FieldList(FormField(LotForm), min_entries=0, max_entries=services.MAX_LOTS + 1)

    def validate_department(self, field):
        if field.data and not is_department(field.data):
            raise ValidationError("Département inconnu : choisissez un département dans la liste.")

    def validate_lots(self, field):
        if len(field.entries) > services.MAX_LOTS:
            raise ValidationError(f"Un appel d'offres compte au plus {services.MAX_LOTS} lots.")

    # ------------------------------------------------------------------ lot rows without JavaScript

    def add_lot(self) -> bool:
        """Append an empty lot row; False when the maximum is reached."""
        if len(self.lots.entries) >= services.MAX_LOTS:
            return False
        self.lots.append_entry()
        return True

    def remove_lot(self, position: str) -> bool:
        if not (position.isascii() and position.isdigit()) or int(position) >= len(self.lots.entries):
            return False
        self.lots.entries.pop(int(position))
        self.lots._compact_indices()
        return True

    def to_data(self) -> services.TenderData:
        lots = [entry.form for entry in self.lots.entries if not entry.form.is_blank()]
        return services.TenderData(
            title=self.title.data or "",
            description=self.description.data or "",
            cpv_codes=self.cpv_codes.data or [],
            department=self.department.data or None,
            postcode=(self.postcode.data or "").strip() or None,
            budget_cents=euros_to_cents(self.budget.data),
            deadline=self.deadline.data,
            required_labels=list(self.required_labels.data or ()),
            reserved_for_inclusive=bool(self.reserved_for_inclusive.data),
            lots=[
                services.LotData(
                    title=lot.title.data or "",
                    description=lot.description.data or "",
                    cpv_codes=lot.cpv_codes.data or [],
                    budget_cents=euros_to_cents(lot.budget.data),
                    id=lot.existing_id(),
                )
                for lot in lots
            ],
        )

    def apply_service_errors(self, error) -> None:
        """Show a ServiceError on the right field, lots included (``lots-2-budget``)."""
        kept = [entry for entry in self.lots.entries if not entry.form.is_blank()]
        for name, message in error.errors.items():
            target = None
            if name.startswith("lots-"):
                _, index, sub = (name.split("-", 2) + ["", ""])[:3]
                if index.isascii() and index.isdigit() and int(index) < len(kept):
                    target = getattr(kept[int(index)].form, sub, None)
            elif name:
                target = getattr(self, name, None)
            if target is not None and hasattr(target, "errors") and not isinstance(target, FieldList):
                target.errors = [*target.errors, message]
            else:
                self.form_errors.append(message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for every error, lot fields included, for the summary at the top."""
        items = []
        for field in self:
            if field.name == "csrf_token":
                continue
            if isinstance(field, FieldList):
                for number, entry in enumerate(field.entries, start=1):
                    for sub in entry.form:
                        for message in sub.errors:
                            items.append((sub.id, f"Lot {number} – {sub.label.text}", message))
                for message in field.errors:
                    if isinstance(message, str):
                        items.append((field.id, "Lots", message))
            else:
                for message in field.errors:
                    items.append((field.id, field.label.text, message))
        return items

