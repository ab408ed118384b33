"""Filling the catalogue's French fragments: gender agreement and placeholders."""

import re
import unicodedata

_GENDER_PAIR = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")


def fill(fragment: str, context: dict, *, female: bool) -> str:
    """Resolve '[masculine|feminine]' pairs, then the {placeholders} ({e} is the feminine 'e')."""
    text = _GENDER_PAIR.sub(lambda m: m.group(2) if female else m.group(1), fragment)
    return text.format(e="e" if female else "", **context)


def slugify(name: str) -> str:
    """ASCII slug for invented website addresses."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
