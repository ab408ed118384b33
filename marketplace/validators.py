"""Input checks shared by forms, services, imports and the CLI (French messages)."""

import unicodedata

from stdnum import exceptions as stdnum_errors
from stdnum.fr import siret as stdnum_siret

PASSWORD_MIN_LENGTH = 10
SIRET_TAKEN = "Une entreprise avec ce SIRET est déjà inscrite. Contactez l'équipe si c'est la vôtre."


class ServiceError(Exception):
    """A business rule refused the input; ``errors`` maps field names to French messages."""

    def __init__(self, errors: dict[str, str] | str):
        self.errors = errors if isinstance(errors, dict) else {"": errors}
        super().__init__("; ".join(self.errors.values()))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` ("École" -> "ecole"), for any script."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def organisation_key(name: str) -> str:
    """What makes two organisation names the same: case, accents and spacing do not count.

    Stored in ``buyer_organisations.name_key`` (unique) because SQLite's ``lower()`` folds ASCII only.
    """
    return " ".join(fold(name).split())[:200]


def clean_siret(value: str) -> str:
    """Return the 14-digit SIRET or raise ValueError with a French message."""
    compact = stdnum_siret.compact(value or "")
    if not compact:
        raise ValueError("Le numéro SIRET est obligatoire.")
    try:
        return stdnum_siret.validate(compact)
    except stdnum_errors.InvalidLength:
        raise ValueError("Le SIRET doit comporter 14 chiffres.") from None
    except stdnum_errors.InvalidFormat:
        raise ValueError("Le SIRET ne doit contenir que des chiffres.") from None
    except stdnum_errors.InvalidChecksum:
        raise ValueError("Ce numéro SIRET n'est pas valide (clé de contrôle incorrecte).") from None
    except stdnum_errors.ValidationError:
        raise ValueError("Ce numéro SIRET n'est pas valide.") from None


def check_password_strength(password: str) -> None:
    if len(password or "") < PASSWORD_MIN_LENGTH:
        raise ValueError(f"Le mot de passe doit contenir au moins {PASSWORD_MIN_LENGTH} caractères.")
    if password.isdigit() or len(set(password)) < 4:
        raise ValueError("Ce mot de passe est trop simple : mélangez lettres, chiffres ou symboles.")


def check_email(email: str) -> str:
    """Return the normalised address or raise ValueError (no DNS look-up: machines may be offline)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email or "", check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("Adresse e-mail invalide.") from None
    return normalise_email(email)
