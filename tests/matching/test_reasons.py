"""Reasons stay meaningful: no reason for a signal that does not count, no trivial "close words"."""

from matching import Engine, Supplier, Tender

SUPPLIERS = [
    Supplier(id="1", name="Atelier Vitrier", keywords=("vitres", "miroiterie"),
             description="Remplacement de vitres\nPose de miroirs\nVitrines de commerces"),
    Supplier(id="2", name="Jardins du Nord", description="Tonte et taille de haies"),
]


def reasons_for(text: str, **params) -> tuple[str, ...]:
    engine = Engine(**params).fit(SUPPLIERS)
    return engine.shortlist(Tender(id="t", title=text), k=1)[0].reasons


def test_experience_is_explained_only_when_it_counts():
    assert any(r.startswith("expérience") for r in reasons_for("vitres cassées", experience_weight=0.1))
    assert not any(r.startswith("expérience") for r in reasons_for("vitres cassées", experience_weight=0.0))


def test_plural_forms_are_not_reported_as_close_words():
    reasons = reasons_for("vitre")
    assert not any("vitre → vitres" in r for r in reasons)
    assert any("vitre" in r for r in reasons)
