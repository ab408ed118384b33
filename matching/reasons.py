"""How reasons show words: as the tender or the supplier wrote them, without boilerplate or place names.

Display only: nothing here changes the tokens that rank. A shared word is found by its stem (as the ranking
found it); it is then shown in the form the tender wrote it (or the supplier's, when the tender's form lost
its accents), unless its stem is procurement boilerplate (:data:`DISPLAY_STOP_WORDS`) or a place name (the
tender's ``place_names``, the supplier's ``commune`` and ``place_names``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .text import fold, indexed_word, tokenize, written_words

__all__ = ["DISPLAY_STOP_WORDS", "SurfaceForms", "best_form", "display_stems"]

# Words that procurement texts and company presentations share whatever the trade ("Entreprise de ...",
# "achats", "disponible sur demande", "prestations de services", "devis") and generic parts of place names
# ("Saint-", "rue", "cedex"). Folded, compared by stem. They still count for ranking (IDF already discounts
# them); they are only never offered as evidence of a shared trade.
DISPLAY_STOP_WORDS: frozenset[str] = frozenset(
    """
    entreprise entreprises societe societes achat achats acheteur acheteurs
    disponible disponibles disponibilite demande demandes devis contact contacter contactez client clients
    prestation prestations prestataire prestataires service services fourniture fournitures fournisseur
    fournisseurs travaux besoin besoins realisation realisations intervention interventions intervenir
    intervenons zone zones secteur secteurs public publics publique publiques ensemble divers diverses
    general generale generales generaux offre offres proposition propositions mise
    jour jours mois an ans annuel annuelle sas sarl eurl sasu sa scop association
    saint sainte st ste cedex rue avenue boulevard place quartier quartiers departement departements region
    """.split()
)

# Short all-capital words in a text that is not written in capitals are acronyms: "VRD", "BTP", "CVC".
_ACRONYM_MAX_LEN = 4


def display_stems(texts: Iterable[str], stem: Callable[[str], str]) -> frozenset[str]:
    """Stems of every token of ``texts`` (place names, boilerplate), to be kept out of the shown words."""
    return frozenset(stem(token) for text in texts if text for token in tokenize(text))


def _has_accents(word: str) -> bool:
    return fold(word) != word.casefold()


class SurfaceForms:
    """The words of a text as written, by stem: ``form(stem)`` is the first form written with that stem.

    Forms are lower-cased (titles are often capitalised or written in capitals), except acronyms in a text that
    is not all capitals.
    """

    def __init__(self, text: str, stem: Callable[[str], str]) -> None:
        self.forms: dict[str, list[str]] = {}
        letters = [ch for ch in text if ch.isalpha()]
        shouting = bool(letters) and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
        for word in written_words(text):
            tokens = indexed_word(word)
            for token in tokens:
                if len(tokens) > 1:  # a word folding to several tokens: show each token
                    shown = token
                elif not shouting and word.isupper() and len(word) <= _ACRONYM_MAX_LEN:
                    shown = word
                else:
                    shown = word.lower()
                forms = self.forms.setdefault(stem(token), [])
                if shown not in forms:
                    forms.append(shown)

    def form(self, stem: str) -> str | None:
        """The first form written with ``stem``, or None."""
        forms = self.forms.get(stem)
        return forms[0] if forms else None

    def accented(self, stem: str) -> str | None:
        """The first form written with ``stem`` that carries accents, or None."""
        return next((f for f in self.forms.get(stem, ()) if _has_accents(f)), None)


def best_form(stem: str, token: str, query: SurfaceForms, other: Callable[[], SurfaceForms]) -> str:
    """How to show a query word: as the query wrote it; with the other side's accents when the query had none."""
    shown = query.form(stem) or token
    if not _has_accents(shown):
        shown = other().accented(stem) or shown
    return shown
