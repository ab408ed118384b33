"""The ``trade`` signal: CPV groups suggested by the query's words, learned from the suppliers' own texts."""

from matching import Engine, Supplier, Tender

CORPUS = (
    Supplier(id="plumber", name="A", description="Travaux de plomberie sanitaire\nRemplacement de chauffe-eau",
             cpv_codes=("45330000",)),
    Supplier(id="plumber2", name="B", description="Plomberie et chauffage d'un gymnase", cpv_codes=("45331000",)),
    Supplier(id="electric", name="C", description="Construction d'un gymnase - lot électricité",
             cpv_codes=("45311000",)),
    Supplier(id="painter", name="D", description="Peinture des salles de classe", cpv_codes=("45442100",)),
)


def test_trade_profile_points_to_the_trade_of_the_words():
    engine = Engine().fit(CORPUS)
    profile = engine.trade_model_.profile(engine.text_model_.query("réfection de la plomberie").word)
    assert max(profile, key=profile.get) == "4533"
    assert all(0.0 <= v <= 1.0 for v in profile.values())


def test_trade_favours_the_supplier_of_the_same_trade():
    tender = Tender(id="t", title="Construction d'un gymnase - lot plomberie")
    with_trade = {m.supplier_id: m.components["trade"] for m in Engine().fit(CORPUS).shortlist(tender, k=4)}
    assert with_trade["plumber"] > with_trade["electric"]
    assert all(0.0 <= v <= 1.0 for v in with_trade.values())
    without = Engine(trade_weight=0.0).fit(CORPUS).shortlist(tender, k=4)
    assert all(m.components["trade"] == 0.0 for m in without)
