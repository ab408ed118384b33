"""The account's security page and the forgotten / new password pages in a real browser, desktop and phone:
no sideways scroll, no WCAG 2.1 AA violation, no console error, with and without field errors."""

from playwright.sync_api import expect

from marketplace.auth.services import password_reset_token
from marketplace.extensions import db
from marketplace.models import User
from tests.browser.test_layout import layout_problems, log_in, market, screen  # noqa: F401 (fixtures)


def test_security_page(screen, axe_violations, market):  # noqa: F811
    log_in(screen, "awa@exemple.fr")
    screen.get_by_role("link", name="Sécurité du compte").click()
    expect(screen.get_by_role("heading", name="Sécurité du compte", level=1)).to_be_visible()
    problems = layout_problems(screen, axe_violations)
    # Wrong current password and a weak new one: field errors, shown accessibly.
    screen.locator("#mdp-current_password").fill("pas-le-bon-mot-de-passe")
    screen.locator("#mdp-password").fill("azertyuiop")
    screen.locator("#mdp-confirm").fill("azertyuiop")
    screen.get_by_role("button", name="Changer mon mot de passe").click()
    expect(screen.get_by_text("Le formulaire contient des erreurs").first).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.locator("#adresse-email").fill("pas une adresse")
    screen.get_by_role("button", name="Envoyer le lien de confirmation").click()
    expect(screen.get_by_text("Le formulaire contient des erreurs").first).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)


def test_forgot_and_reset_password_pages(screen, axe_violations, market, live_app):  # noqa: F811
    screen.goto("/compte/connexion")
    screen.get_by_role("link", name="Mot de passe oublié ?").click()
    problems = layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Recevoir le lien").click()  # empty: the field error
    problems += layout_problems(screen, axe_violations)
    screen.get_by_label("Adresse e-mail de votre compte").fill("awa@exemple.fr")
    screen.get_by_role("button", name="Recevoir le lien").click()
    expect(screen.get_by_text("Si un compte existe pour cette adresse")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    with live_app.app_context():
        token = password_reset_token(db.session.query(User).filter_by(email="awa@exemple.fr").one())
    screen.goto(f"/compte/mot-de-passe/{token}")
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Changer mon mot de passe").click()  # empty: field errors
    expect(screen.get_by_text("Le formulaire contient des erreurs").first).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    # A damaged link: the French refusal page.
    screen.goto(f"/compte/mot-de-passe/{token[:-4]}abcd")
    expect(screen.get_by_role("heading", name="Ce lien ne peut plus servir")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
