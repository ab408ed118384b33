"""The money convention: integer cents in the database, Decimal euros in Python, French text for people."""

import re
from decimal import Decimal, InvalidOperation

# 1,000 billion euros: far above any real tender or revenue, far below BIGINT.
MAX_AMOUNT_CENTS = 100_000_000_000_000
# Digits grouped by spaces (any kind), dots or commas; at most one decimal separator, handled below.
_MONEY_CHARS_RE = re.compile(r"^[0-9 .,]+$")
_SPACES = {"\u00a0", "\u202f", "\u2009", "\t"}


def cents_to_euros(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


def euros_to_cents(euros: Decimal | int | float | None) -> int | None:
    """Decimal(str(...)) avoids binary float surprises (0.1 + 0.2) when a float slips in."""
    if euros is None:
        return None
    return int((Decimal(str(euros)) * 100).to_integral_value())


def parse_euros(text: str | None) -> Decimal | None:
    """Read a French or plain amount in euros: "12 500,50", "12500.5", "12 500 €", "1.250,00".

    Returns None for an empty input; raises ValueError with a French message otherwise.
    """
    raw = (text or "").strip()
    for char in _SPACES:
        raw = raw.replace(char, " ")
    raw = raw.removesuffix("€").removesuffix("EUR").removesuffix("euros").strip()
    if not raw:
        return None
    if raw.startswith("-"):
        raise ValueError("Le montant ne peut pas être négatif.")
    invalid = "Montant invalide : saisissez un nombre en euros, par exemple 12 500,50."
    if len(raw) > 40 or not _MONEY_CHARS_RE.match(raw):
        raise ValueError(invalid)
    compact = raw.replace(" ", "")
    commas, dots = compact.count(","), compact.count(".")
    if commas and dots:
        decimal_sep = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
    elif commas == 1 or dots == 1:
        decimal_sep, thousands = ("," if commas else "."), None
    elif commas or dots:
        decimal_sep, thousands = None, ("," if commas else ".")  # "1.000.000"
    else:
        decimal_sep = thousands = None
    if decimal_sep:
        whole, _, cents = compact.rpartition(decimal_sep)
    else:
        whole, cents = compact, ""
    groups = whole.split(thousands) if thousands else [whole]
    grouped_badly = len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]))
    digits = "".join(groups)
    if grouped_badly or not digits.isdigit() or (cents and not cents.isdigit()) or (decimal_sep and not cents):
        raise ValueError(invalid)
    if len(cents) > 2:
        raise ValueError("Le montant ne peut pas avoir plus de deux décimales (centimes).")
    try:
        amount = Decimal(f"{digits}.{cents or '0'}")
    except InvalidOperation:  # pragma: no cover - the checks above make it unreachable
        raise ValueError("Montant invalide.") from None
    if amount * 100 > MAX_AMOUNT_CENTS:
        raise ValueError("Ce montant est trop élevé.")
    return amount


def format_euros(cents: int | None) -> str:
    """French display of an amount of cents: 1250050 -> "12 500,50 €" (spaces between thousands)."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{sign}{grouped},{rest:02d} €"


def format_euros_input(amount: Decimal | None) -> str:
    """An amount as the buyer would type it back: Decimal("12500.5") -> "12 500,50"."""
    if amount is None:
        return ""
    return format_euros(euros_to_cents(amount)).removesuffix(" €")
