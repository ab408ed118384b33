"""App factory, configuration and pages every visitor sees."""

import pytest

from marketplace import create_app
from marketplace.config import Config, ProductionConfig, TestingConfig


def test_factory_uses_the_given_config(app):
    assert app.testing
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_default_config_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    import importlib

    import marketplace.config as config_module

    importlib.reload(config_module)
    try:
        config = config_module.Config()
        assert config.SQLALCHEMY_DATABASE_URI.endswith("x.db")
        assert config.SECRET_KEY == "from-the-environment"
    finally:
        monkeypatch.undo()
        importlib.reload(config_module)


def test_production_config_requires_a_secret_and_secure_cookies(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE is True
    assert config.REMEMBER_COOKIE_SECURE is True


def test_create_app_accepts_a_mapping_of_overrides():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "ITEMS_PER_PAGE": 7})
    assert app.config["ITEMS_PER_PAGE"] == 7
    assert isinstance(Config().SECRET_KEY, str)
    assert TestingConfig().WTF_CSRF_ENABLED is False


def test_home_page_is_french_with_live_counts(client, make_supplier, make_tender):
    make_supplier(qpv_status="verified", qpv_code="QN09301M")
    make_tender()
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="fr">' in html
    assert "quartiers prioritaires" in html
    assert '<span class="figure">1</span> entreprises référencées' in html
    assert '<span class="figure">1</span> appels d\'offres ouverts' in html


def test_english_locale_can_be_selected(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Skip to content" in html  # the compiled English catalogue (make install compiles it)
    assert "Aller au contenu" in client.get("/?lang=fr").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/nexiste-pas", "/entrepreneur/nope/deeper"])
def test_not_found_page_is_french(client, path):
    page = client.get(path)
    assert page.status_code == 404
    assert "Page introuvable" in page.get_data(as_text=True)


def test_internal_error_page_is_french(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    page = app.test_client().get("/boom")
    assert page.status_code == 500
    assert "Erreur interne" in page.get_data(as_text=True)
    assert "boom" not in page.get_data(as_text=True)


def test_method_not_allowed_is_french(client):
    page = client.delete("/")
    assert page.status_code == 405
    assert "Méthode non autorisée" in page.get_data(as_text=True)


def test_the_database_enforces_foreign_keys_on_sqlite_as_on_postgresql(app, make_supplier):
    """An offer of a company that does not exist is refused, and deleting a company deletes its offers (the
    schema's ON DELETE CASCADE), whichever the database."""
    import sqlalchemy as sa
    from sqlalchemy.exc import IntegrityError

    from marketplace.extensions import db
    from marketplace.models import Offer, SupplierCompany

    with pytest.raises(IntegrityError):
        with db.engine.begin() as connection:
            connection.execute(sa.insert(Offer).values(supplier_id=987654, title="Orpheline", description="",
                                                       cpv_codes=[], keywords=[], departments=[],
                                                       created_at=sa.func.now(), updated_at=sa.func.now()))
    company = make_supplier()
    db.session.add(Offer(supplier_id=company.id, title="Nettoyage"))
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.delete(SupplierCompany).where(SupplierCompany.id == company.id))
    assert db.session.scalar(sa.select(sa.func.count(Offer.id))) == 0
