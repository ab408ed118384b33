"""Award forms: validate and shape input only (the rules live in awards.py)."""

from flask import request
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField

from ..forms import EuroField
from ..money import euros_to_cents, parse_euros
from ..validators import parse_id
from .awards import AwardData
from .forms import FrenchDateField
from .services import today

SHARE_PREFIX = "share-"


class AwardForm(FlaskForm):
    """One lot's (or the tender's) award; the page holds one per lot, told apart by ``prefix="lot<id>-"``.

    The winner radios and each consortium member's share ("<prefix>share-<consortium>-<company>") are drawn by the
    template from the candidates, hence read from the raw form data here.
    """

    lot_id = HiddenField()
    winner = StringField("Entreprise ou groupement retenu")
    amount = EuroField("Montant attribué (en euros HT)", description="Par exemple 12 500,50.",
                       render_kw={"inputmode": "decimal"})
    awarded_on = FrenchDateField("Date d'attribution", description="Au format JJ/MM/AAAA.")
    confirm_over_budget = BooleanField("Je confirme ce montant supérieur au budget prévu")
    notify_others = BooleanField("Prévenir aussi, poliment, les autres entreprises qui ont manifesté leur intérêt")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shares_typed: dict[str, str] = {}
        self.share_errors: dict[str, str] = {}
        if not self.is_submitted() and self.awarded_on.data is None:
            self.awarded_on.data = today()

    def share_name(self, consortium_id: int, company_id: int) -> str:
        return f"{self._prefix}{SHARE_PREFIX}{consortium_id}-{company_id}"

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.shares_typed = {}
        consortium_id = self._chosen_consortium()
        prefix = f"{self._prefix}{SHARE_PREFIX}{consortium_id}-"
        for name, value in request.form.items():
            if consortium_id is None or not name.startswith(prefix) or not value.strip():
                continue
            self.shares_typed[name] = value
            try:
                parse_euros(value)
            except ValueError as error:
                self.share_errors[name] = str(error)
        if self.share_errors:
            self.form_errors.append("Une part d'un membre du groupement n'est pas un montant valide.")
        return ok and not self.share_errors

    def _chosen_consortium(self) -> int | None:
        value = self.winner.data or ""
        return parse_id(value[1:]) if value.startswith("g") else None

    def to_data(self) -> AwardData:
        shares = {}
        consortium_id = self._chosen_consortium()
        prefix = f"{self._prefix}{SHARE_PREFIX}{consortium_id}-"
        for name, value in self.shares_typed.items():
            company_id = parse_id(name.removeprefix(prefix))
            if company_id is not None:
                shares[company_id] = euros_to_cents(parse_euros(value))
        return AwardData(
            lot_id=parse_id(self.lot_id.data), winner=(self.winner.data or "").strip(),
            amount_cents=euros_to_cents(self.amount.data), awarded_on=self.awarded_on.data,
            confirm_over_budget=bool(self.confirm_over_budget.data), notify_others=bool(self.notify_others.data),
            shares=shares,
        )


class ConfirmForm(FlaskForm):
    """A confirmed action without fields (cancel an award, duplicate a tender): the CSRF token only."""

    confirm = BooleanField("Je confirme l'annulation de cette attribution")
