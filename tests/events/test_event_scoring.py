"""The engine's scores for an event's pairs: buyers asked as tenders, entrepreneurs as their company or profile."""

from marketplace.events.scoring import EventScorer, as_supplier, scheduled_participants
from marketplace.extensions import db
from marketplace.models import ParticipantStatus


def test_pairs_of_the_same_trade_score_and_others_do_not(event_world):
    scores = EventScorer.for_event(event_world.event).scores()
    town, parks, energy = event_world.buyers
    net_horizon, gardens, caterer, cleaners, joinery = event_world.suppliers
    assert scores[(town.id, net_horizon.id)] > 0.5  # cleaning, same CPV code, through the company's offer
    assert (parks.id, gardens.id) in scores
    assert (energy.id, caterer.id) in scores
    assert (town.id, joinery.id) not in scores
    assert (energy.id, gardens.id) not in scores
    assert all(0.0 < value <= 1.0 for value in scores.values())


def test_best_for_ranks_the_other_side_with_reasons(event_world):
    town = event_world.buyers[0]
    ranked = EventScorer.for_event(event_world.event).best_for(town, event_world.suppliers)
    assert [p.organisation_name for p, _ in ranked][:2] == ["Net Horizon", "Propre Cité"]
    assert any("nettoyage" in r.text for r in ranked[0][1].reasons)
    assert "nettoyage" in ranked[0][1].summary
    gardens = event_world.suppliers[1]
    best_buyers = EventScorer.for_event(event_world.event).best_for(gardens, event_world.buyers)
    assert best_buyers[0][0].organisation_name == "Plaine Commune Habitat"


def test_an_entrepreneur_without_company_is_scored_on_what_it_told(event_world):
    gardens = event_world.suppliers[1]
    record = as_supplier(gardens)
    assert record.id == str(gardens.id)
    assert record.departments == ("93",)
    assert record.qpv_status == "declared"
    linked = as_supplier(event_world.suppliers[0])
    assert linked.id == str(event_world.suppliers[0].id)
    assert "vitres" in linked.description


def test_declined_participants_are_left_out(event_world):
    caterer = event_world.suppliers[2]
    caterer.status = ParticipantStatus.DECLINED
    db.session.commit()
    assert caterer not in scheduled_participants(event_world.event)
    scores = EventScorer.for_event(event_world.event).scores()
    assert all(supplier != caterer.id for _, supplier in scores)


def test_the_buyers_name_is_not_matched(event_world, make_participant):
    from marketplace.models import ParticipantSide

    town = event_world.buyers[0]
    namesake = make_participant(event_world.event, ParticipantSide.SUPPLIER, "Saint-Denis Menuiserie",
                                needs_text="Menuiserie Saint-Denis, portes et fenêtres")
    ranked = EventScorer.for_event(event_world.event).best_for(town, [namesake])
    assert ranked == []
