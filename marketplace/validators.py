"""Input checks shared by forms, services, imports and the CLI (French messages)."""

import dataclasses
import functools

from stdnum import exceptions as stdnum_errors
from stdnum.fr import siret as stdnum_siret

from matching.text import fold

PASSWORD_MIN_LENGTH = 10
SIRET_TAKEN = "Une entreprise avec ce SIRET est déjà inscrite. Contactez l'équipe si c'est la vôtre."


class ServiceError(Exception):
    """A business rule refused the input; ``errors`` maps field names to French messages."""

    def __init__(self, errors: dict[str, str] | str):
        self.errors = errors if isinstance(errors, dict) else {"": errors}
        super().__init__("; ".join(self.errors.values()))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def organisation_key(name: str) -> str:
    """What makes two organisation names the same: case, accents, ligatures and spacing do not count.

    Stored in ``buyer_organisations.name_key`` (unique) because SQLite's ``lower()`` folds ASCII only; the
    folding is the engine's ``matching.text.fold`` (migration 0008 recomputed the keys when it became so).
    """
    return " ".join(fold(name or "").split())[:200]


def clean_siret(value: str) -> str:
    """Return the 14-digit SIRET or raise ValueError with a French message."""
    compact = stdnum_siret.compact(value or "")
    if not compact:
        raise ValueError("Le numéro SIRET est obligatoire.")
    try:
        siret = stdnum_siret.validate(compact)
    except stdnum_errors.InvalidLength:
        raise ValueError("Le SIRET doit comporter 14 chiffres.") from None
    except stdnum_errors.InvalidFormat:
        raise ValueError("Le SIRET ne doit contenir que des chiffres.") from None
    except stdnum_errors.InvalidChecksum:
        raise ValueError("Ce numéro SIRET n'est pas valide (clé de contrôle incorrecte).") from None
    except stdnum_errors.ValidationError:
        raise ValueError("Ce numéro SIRET n'est pas valide.") from None
    if siret[:9] == "000000000":  # passes the Luhn key, yet no company has it
        raise ValueError("Ce numéro SIRET n'est pas valide : le SIREN 000 000 000 n'existe pas.")
    return siret


# French favourites, some missing from zxcvbn's list (drawn mostly from English-language leaks); the named three
# are there already but are kept here so that the rule does not hang on the package's list. Keep it short.
FRENCH_COMMON_PASSWORDS = frozenset({
    "azertyuiop", "motdepasse", "soleil", "bonjour", "doudou", "loulou", "chouchou", "coucou", "bisounours",
    "bienvenue", "jetaimemonamour", "vivelafrance", "qsdfghjklm", "wxcvbn",
})


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of public leaks, as shipped by the zxcvbn package, and the French ones."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | FRENCH_COMMON_PASSWORDS


def _letters_and_digits(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def check_password_strength(password: str, email: str | None = None) -> None:
    """Raise ValueError (French) for a password that is too short, too simple, common, or the e-mail itself.

    A password is common when, case, separators and trailing digits aside, it is in ``common_passwords()``:
    "Password12", "mot-de-passe" and "azertyuiop2024!" are, "motdepasse-solide-42" is not.
    """
    if len(password or "") < PASSWORD_MIN_LENGTH:
        raise ValueError(f"Le mot de passe doit contenir au moins {PASSWORD_MIN_LENGTH} caractères.")
    if password.isdigit() or len(set(password)) < 4:
        raise ValueError("Ce mot de passe est trop simple : mélangez lettres, chiffres ou symboles.")
    compact = _letters_and_digits(password)
    if {password.casefold(), compact, compact.rstrip("0123456789")} & common_passwords():
        raise ValueError(
            "Ce mot de passe fait partie des plus courants : choisissez-en un moins prévisible, "
            "par exemple trois ou quatre mots sans rapport entre eux."
        )
    address = normalise_email(email or "")
    local_part = _letters_and_digits(address.partition("@")[0])
    if address and (address in password.casefold() or (len(local_part) >= 4 and local_part in compact)):
        raise ValueError("Le mot de passe ne doit pas reprendre votre adresse e-mail.")


def check_email(email: str) -> str:
    """Return the normalised address or raise ValueError (no DNS look-up: machines may be offline)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email or "", check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("Adresse e-mail invalide.") from None
    return normalise_email(email)


# The largest id a database row can have (ids are INTEGER columns); larger numbers are no row's id. Bounded
# here, not by the database: on PostgreSQL a bigger number cast to INTEGER is an error, not "no such row".
MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """An id from a URL or a form: ASCII digits up to MAX_ID, else None (never an exception: "²", "9" * 30)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


def page_number(value) -> int:
    """A page number from a URL: 1 when missing or malformed."""
    text = str(value or "")
    return max(int(text), 1) if text.isascii() and text.isdigit() and len(text) < 6 else 1


@dataclasses.dataclass(frozen=True)
class ListPage:
    """One page of a list already in memory (ranked results): the items and where they stand."""

    items: list
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def first_rank(self) -> int:
        return (self.page - 1) * self.per_page + 1


def list_page(items: list, page: int, per_page: int) -> ListPage:
    """The ``page``-th slice of ``items`` (clamped to the pages there are: never an empty page past the end)."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    return ListPage(items[(page - 1) * per_page: page * per_page], page, pages, len(items), per_page)
