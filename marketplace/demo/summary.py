"""What a demo load did, told in one French paragraph for the command line."""

from dataclasses import dataclass


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class DemoSummary:
    suppliers: int
    suppliers_created: int
    suppliers_updated: int
    offers: int
    trades: int
    buyers: int
    tenders: int
    lots: int
    event: str  # the demo event's name
    event_participants: int
    accounts: tuple[tuple[str, str], ...]  # (email, role label)
    password: str
    seed: int
    seconds: float

    def describe(self) -> str:
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        accounts = ", ".join(f"{email} ({label.lower()})" for email, label in self.accounts)
        return (
            f"Données de démonstration prêtes (graine {self.seed}, {seconds} s) : "
            f"{_n(self.suppliers)} entreprises de quartier dans {self.trades} métiers "
            f"({_n(self.suppliers_created)} créées, {_n(self.suppliers_updated)} déjà présentes et remises à jour) "
            f"avec {_n(self.offers)} offres, {self.buyers} organisations acheteuses, {self.tenders} appels "
            f"d'offres et {self.lots} lots, l'événement « {self.event} » ({self.event_participants} participants). "
            f"Comptes de démonstration : {accounts} ; "
            f"mot de passe : « {self.password} »."
        )
