"""The report's period form: read from the address (GET), validated here; the rules live in report.py."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import ValidationError

from ..forms import select_choices
from .forms import FrenchDateField
from .report import PRESETS, Period, preset_period
from .services import today

MAX_DAYS = 366 * 10  # ten years: beyond that the quarters' chart is unreadable
FIRST_YEAR = 2000  # no award can predate the marketplace; also keeps date arithmetic far from year 9999


def _year_in_range(field):
    last = today().year + 10
    if field.data and not FIRST_YEAR <= field.data.year <= last:
        raise ValidationError(f"Indiquez une date entre {FIRST_YEAR} et {last}.")


class PeriodForm(FlaskForm):
    """A preset or two dates (dates win when both are typed). Read-only page, so no CSRF token in the address."""

    class Meta:
        csrf = False

    periode = SelectField("Période prédéfinie",
                          choices=select_choices([("", "Dates choisies ci-dessous"), *PRESETS.items()]),
                          default="annee", validate_choice=False)
    du = FrenchDateField("Du", description="Au format JJ/MM/AAAA.")
    au = FrenchDateField("Au", description="Au format JJ/MM/AAAA.")

    def validate_periode(self, field):
        if field.data and field.data not in PRESETS:
            field.data = "annee"

    def validate_du(self, field):
        _year_in_range(field)

    def validate_au(self, field):
        _year_in_range(field)
        if self.du.data and field.data and not self.du.errors:
            if field.data < self.du.data:
                raise ValidationError("La date de fin doit être postérieure ou égale à la date de début.")
            if (field.data - self.du.data).days > MAX_DAYS:
                raise ValidationError("Choisissez une période de dix ans au plus.")
        elif bool(self.du.data) != bool(field.data) and not self.du.errors and not field.errors:
            raise ValidationError("Indiquez les deux dates (début et fin), ou choisissez une période prédéfinie.")

    def period(self) -> Period:
        """The period asked for (call after validate(): a bad input falls back to this calendar year)."""
        if self.du.data and self.au.data and not self.errors:
            return Period(self.du.data, self.au.data)
        return preset_period(self.periode.data or "annee")

    def query_args(self) -> dict[str, str]:
        """The same period for the download links."""
        period = self.period()
        return {"du": period.start.strftime("%d/%m/%Y"), "au": period.end.strftime("%d/%m/%Y")}
