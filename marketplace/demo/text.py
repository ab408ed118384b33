"""Filling the catalogue's French fragments: gender agreement and placeholders."""

import re

from ..spreadsheets import ascii_slug as slugify  # noqa: F401  (ASCII slug for invented website addresses)

_GENDER_PAIR = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")


def fill(fragment: str, context: dict, *, female: bool) -> str:
    """Resolve '[masculine|feminine]' pairs, then the {placeholders} ({e} is the feminine 'e')."""
    text = _GENDER_PAIR.sub(lambda m: m.group(2) if female else m.group(1), fragment)
    return text.format(e="e" if female else "", **context)
