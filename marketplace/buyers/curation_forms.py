"""Shortlist curation forms: shape input only; the rules (known status, note length) live in curation.py."""

from babel.numbers import format_decimal
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField

from ..forms import select_choices
from ..models import CURATION_NOTE_MAX, CURATION_STATUS_LABELS

NOTE_HINT = (f"Visible par les acheteurs de votre organisation seulement, "
             f"{format_decimal(CURATION_NOTE_MAX, locale='fr')} caractères au plus.")


class CurationForm(FlaskForm):
    """One line's status and note; prefixed by the company id so that every line's fields have their own ids (the
    page writes the fields out itself: templates/buyers/_curation.html)."""

    status = SelectField("Statut de suivi", validate_choice=False,
                         choices=select_choices((s.value, label) for s, label in CURATION_STATUS_LABELS.items()))
    note = TextAreaField("Note privée", description=NOTE_HINT, render_kw={"rows": 2})
    lot = HiddenField()
    page = HiddenField()
    show = HiddenField()
    qpv = HiddenField()


class InviteForm(FlaskForm):
    lot = HiddenField()
    page = HiddenField()
    show = HiddenField()
    qpv = HiddenField()
