"""The demo's multi-trade tender: no single demo company covers it, the engine suggests teams for it."""

from datetime import date

import pytest
from sqlalchemy import select

from marketplace import search
from marketplace.consortia import suggestions
from marketplace.demo import seed_demo
from marketplace.demo.tenders import TEAM_TENDER
from marketplace.extensions import db
from marketplace.models import Tender

pytestmark = pytest.mark.usefixtures("fresh_engine")

TODAY = date(2027, 3, 29)


def test_demo_team_tender_gets_teams_and_no_single_company(app):
    seed_demo(suppliers=300, seed=42, today=TODAY)
    tender = db.session.scalar(select(Tender).where(Tender.title == TEAM_TENDER["title"]))
    assert tender is not None
    assert len(tender.lots) == 3
    teams = suggestions.teams_for(tender)
    assert teams, "the team tender has suggested teams"
    assert any(team.covers_all for team in teams)
    groups = search.suggest_groups(tender, max_size=3, limit=5)
    assert groups
    assert all(len(g.supplier_ids) >= 2 for g in groups if g.covers_all)
    # No team of one covers the three lots.
    assert not any(len(g.supplier_ids) == 1 and g.covers_all for g in groups)
