"""A participant's own data in "Mes données"; an account's deletion leaves the event's participant row."""

from marketplace.account.services import export_summary, export_user_data
from marketplace.extensions import db
from marketplace.models import EventMeeting, EventParticipant, EventWish, User


def test_the_export_holds_the_users_participations_wishes_and_meetings(event_world):
    town, parks, _ = event_world.buyers
    net_horizon = event_world.suppliers[0]
    db.session.add_all([
        EventWish(event_id=event_world.event.id, requester=net_horizon, other=town, value=2),
        EventWish(event_id=event_world.event.id, requester=parks, other=net_horizon, value=1),  # not the user's
        EventMeeting(event=event_world.event, buyer=town, supplier=net_horizon, slot=2, table_index=0,
                     reason="souhait de l'entreprise"),
    ])
    db.session.commit()
    data = export_user_data(event_world.supplier_user)
    [entry] = data["event_participations"]
    assert entry["event"]["name"] == "Semaine de la diversité entrepreneuriale"
    assert entry["organisation_name"] == "Net Horizon"
    assert "access_key" not in entry
    assert entry["wishes"] == [{"other": town.label, "value": 2}]
    assert entry["meetings"] == [{"slot": 2, "table": 1, "with": town.label, "reason": "souhait de l'entreprise"}]
    assert export_summary(event_world.supplier_user)["event_participations"] == 1
    assert export_user_data(event_world.organiser)["event_participations"] == []


def test_deleting_the_account_keeps_the_participant_for_the_organiser(event_world):
    participant_id = event_world.suppliers[0].id
    db.session.delete(db.session.get(User, event_world.supplier_user.id))
    db.session.commit()
    db.session.expire_all()
    participant = db.session.get(EventParticipant, participant_id)
    assert participant is not None
    assert participant.user_id is None


def test_an_event_nobody_else_organises_goes_with_its_organisers_account(client, auth, event_world, make_event):
    from marketplace.account.services import delete_account, deletion_plan
    from marketplace.models import Event, EventOrganiser
    from tests.conftest import PASSWORD

    shared = make_event(event_world.organiser, name="Rencontres partagées")
    db.session.add(EventOrganiser(event=shared, user=event_world.other_organiser))
    db.session.commit()
    plan = deletion_plan(event_world.organiser)
    assert plan.events_deleted == ["Semaine de la diversité entrepreneuriale"]
    assert plan.events_kept == ["Rencontres partagées"]
    auth.login_as(event_world.organiser)
    page = client.get("/compte/suppression").get_data(as_text=True)
    assert "vous en êtes le seul organisateur" in page
    event_id, participant_id = event_world.event.id, event_world.suppliers[1].id
    delete_account(event_world.organiser, PASSWORD)
    db.session.expire_all()
    assert db.session.get(Event, event_id) is None
    assert db.session.get(EventParticipant, participant_id) is None  # the participants' data is erased too
    kept = db.session.get(Event, shared.id)
    assert [o.user_id for o in kept.organisers] == [event_world.other_organiser.id]
