"""Budget bands shown to entrepreneurs instead of the buyer's exact estimate.

The one place for the thresholds. Public procurement in France:

* below 40,000 € HT a buyer may award without advertising or competition (Code de la commande publique,
  art. R2122-8, threshold since 1 January 2025: 40 000 € HT);
* the European thresholds (above them: formal procedures published in the EU Official Journal) for 2024-2025,
  for local authorities: 221,000 € HT for supplies and services, 5,538,000 € HT for works (EU regulations
  2023/2495 and following; revised every two years: update both numbers here when they change).

A tender is "works" when its CPV codes (or its lots') belong to division 45 (construction work).
"""

from dataclasses import dataclass

SMALL_CONTRACT_CENTS = 40_000 * 100
EU_THRESHOLD_SUPPLIES_SERVICES_CENTS = 221_000 * 100
EU_THRESHOLD_WORKS_CENTS = 5_538_000 * 100
WORKS_DIVISION = "45"


@dataclass(frozen=True)
class BudgetBand:
    code: str  # "small", "medium", "large" or "unknown"
    label: str
    explanation: str


def is_works(cpv_codes) -> bool:
    return any(str(code).strip().startswith(WORKS_DIVISION) for code in cpv_codes or ())


def eu_threshold_cents(cpv_codes) -> int:
    return EU_THRESHOLD_WORKS_CENTS if is_works(cpv_codes) else EU_THRESHOLD_SUPPLIES_SERVICES_CENTS


def _euros(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", "\u202f") + " €"


def budget_band(budget_cents: int | None, cpv_codes) -> BudgetBand:
    """The band of a budget (HT), the European threshold chosen by the kind of contract (works or not)."""
    threshold = eu_threshold_cents(cpv_codes)
    kind = "travaux" if threshold == EU_THRESHOLD_WORKS_CENTS else "fournitures et services"
    if budget_cents is None:
        return BudgetBand("unknown", "Budget non communiqué", "L'acheteur n'a pas indiqué de budget.")
    if budget_cents < SMALL_CONTRACT_CENTS:
        return BudgetBand("small", f"moins de {_euros(SMALL_CONTRACT_CENTS)}",
                          "Petit marché : l'acheteur peut choisir une entreprise sans procédure formelle.")
    if budget_cents < threshold:
        return BudgetBand("medium", f"de {_euros(SMALL_CONTRACT_CENTS)} au seuil européen ({_euros(threshold)})",
                          f"Procédure adaptée : l'acheteur fixe ses règles. Seuil européen pour des {kind} : "
                          f"{_euros(threshold)} HT.")
    return BudgetBand("large", f"au-dessus du seuil européen ({_euros(threshold)})",
                      f"Procédure formelle, publiée au Journal officiel de l'Union européenne ({kind}).")
