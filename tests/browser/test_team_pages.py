"""The team of a company in a real browser, desktop and phone: the owner invites by e-mail, the invitee opens the
link, creates an entrepreneur account and joins; the member's view, hand-over and leave confirmations, a refused
link. No sideways scroll, no WCAG 2.1 AA violation, no console error."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import OutboxEmail
from tests.browser.test_layout import check_pages, layout_problems, log_in, market, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

LINK = re.compile(r"http://marche\.test(/invitations/[A-Za-z0-9_-]+)")


def invitation_path(live_app, email):
    with live_app.app_context():
        body = db.session.scalars(
            select(OutboxEmail.text_body).where(OutboxEmail.to_address == email).order_by(OutboxEmail.id.desc())
        ).first()
    return LINK.search(body).group(1)


def test_invite_join_and_team_pages(screen, axe_violations, market, live_app):  # noqa: F811
    company = market["company"]
    log_in(screen, "awa@exemple.fr")
    screen.goto("/entrepreneur/")
    screen.get_by_role("link", name="Équipe de Propreté et Services du Franc-Moisin").click()
    expect(screen.get_by_role("heading", name="Équipe de Propreté et Services du Franc-Moisin")).to_be_visible()
    problems = layout_problems(screen, axe_violations)
    # A wrong address: the field error, the typed value kept.
    field = screen.get_by_label("Adresse e-mail de la personne à inviter")
    field.fill("pas une adresse")
    screen.get_by_role("button", name="Envoyer l'invitation").click()
    expect(screen.get_by_text("Adresse e-mail invalide.").first).to_be_visible()
    expect(field).to_have_value("pas une adresse")
    problems += layout_problems(screen, axe_violations)
    field.fill("moussa.konate-traore@exemple.fr")
    screen.get_by_role("button", name="Envoyer l'invitation").click()
    expect(screen.get_by_text("Invitation envoyée à moussa.konate-traore@exemple.fr")).to_be_visible()
    expect(screen.get_by_role("button", name="Annuler l'invitation de moussa.konate-traore@exemple.fr")
           ).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Se déconnecter").click()

    # The invitee opens the link, creates the account and joins.
    path = invitation_path(live_app, "moussa.konate-traore@exemple.fr")
    screen.goto(path)
    expect(screen.get_by_role("heading", name="Créer mon compte entrepreneur et rejoindre l'équipe")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_label("Nom et prénom").fill("Moussa Konaté-Traoré")
    screen.locator("#password").fill(PASSWORD)
    screen.locator("#confirm").fill(PASSWORD)
    screen.get_by_role("button", name="Créer mon compte et rejoindre Propreté et Services du Franc-Moisin").click()
    expect(screen.get_by_text("Votre compte est créé")).to_be_visible()
    expect(screen.get_by_role("cell", name="Moussa Konaté-Traoré (vous)")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    problems += check_pages(screen, axe_violations, [f"/entrepreneur/entreprises/{company}/equipe/quitter"])
    screen.goto(path)  # used: refused
    expect(screen.get_by_role("heading", name="Cette invitation ne peut plus servir")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Se déconnecter").click()

    # The owner: the hand-over confirmation, then the member list.
    log_in(screen, "awa@exemple.fr")
    screen.goto(f"/entrepreneur/entreprises/{company}/equipe")
    screen.get_by_role("link", name="Transmettre la propriété à Moussa Konaté-Traoré").click()
    expect(screen.get_by_role("button", name="Confirmer : Moussa Konaté-Traoré devient propriétaire")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.goto(f"/entrepreneur/entreprises/{company}/equipe")
    screen.get_by_role("button", name="Retirer Moussa Konaté-Traoré de l'équipe").click()
    expect(screen.get_by_text("Moussa Konaté-Traoré ne fait plus partie de l'équipe.")).to_be_visible()
    expect(screen.get_by_text("Aucun autre membre pour l'instant")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
