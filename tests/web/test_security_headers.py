"""Security headers on every answer: pages, errors, static files and the JSON API."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from marketplace.models import Role
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def csp_directives(response) -> dict[str, set[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (piece.strip() for piece in policy.split(";"))):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def get(client, path):
    """The answer, closed (a static file's answer holds an open file until then)."""
    response = client.get(path)
    response.close()
    return response


@pytest.fixture
def signed_in(client, make_user):
    user = make_user(Role.BUYER)
    assert client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("anonymous", "/", 200),
        ("anonymous", "/compte/connexion", 200),
        ("signed_in", "/acheteur/", 200),
        ("signed_in", "/nexiste-pas", 404),
        ("anonymous", "/static/css/app.css", 200),
        ("signed_in", "/api/cpv?q=nettoyage", 200),
    ],
)
def test_every_answer_carries_the_security_headers(app, signed_in, who, path, status):
    response = get(signed_in if who == "signed_in" else app.test_client(), path)
    assert response.status_code == status
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == {"'none'"}
    assert directives["default-src"] == {"'self'"}
    assert directives["object-src"] == {"'none'"}


def test_the_csp_allows_no_inline_script_or_style(client):
    directives = csp_directives(client.get("/"))
    for directive in ("script-src", "style-src"):
        assert directives[directive] == {"'self'"}, directive  # no 'unsafe-inline', no 'unsafe-eval'


def test_anonymous_error_and_redirect_answers_carry_the_headers_too(client):
    for response in (client.get("/acheteur/"), client.post("/compte/connexion", json={})):
        assert response.status_code in {302, 415}
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_signed_in_pages_are_never_stored_by_a_browser_or_proxy(signed_in):
    for path in ("/acheteur/", "/api/cpv?q=nettoyage", "/"):
        assert "no-store" in signed_in.get(path).headers["Cache-Control"], path


def test_anonymous_pages_and_static_files_stay_cacheable(signed_in, client, app):
    assert "no-store" not in get(signed_in, "/static/css/app.css").headers.get("Cache-Control", "")
    anonymous = app.test_client()
    assert "no-store" not in anonymous.get("/").headers.get("Cache-Control", "")


def test_hsts_only_in_production(client, app_factory, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/").headers
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    from marketplace.config import ProductionConfig

    production = ProductionConfig()
    overrides = {
        key: getattr(production, key) for key in dir(production) if key.isupper() and not key.startswith("SQLALCHEMY")
    }
    overrides["TESTING"] = True
    response = app_factory(**overrides).test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(re.search(r"max-age=(\d+)", response.headers["Strict-Transport-Security"])[1]) >= 31536000


def test_templates_have_no_inline_script_style_or_event_handler():
    """The CSP refuses them: the browser would silently drop the behaviour (and log an error)."""
    offenders = []
    pattern = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    for path in TEMPLATES.rglob("*.html"):
        if path.parent == TEMPLATES / "emails":
            continue  # e-mail bodies are read by mail clients, not served under the CSP: inline styles are the rule
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_browser_marker_selects_the_browser_tests():
    """`pytest -m browser` must find them: a marker set in a conftest's pytestmark is silently ignored."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "browser", "-p", "no:cacheprovider",
         "tests/browser"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    collected = re.search(r"(\d+)(?:/\d+)? tests? (?:collected|selected)", result.stdout)
    assert collected, result.stdout + result.stderr
    assert int(collected[1]) > 0, result.stdout
    assert "deselected" not in result.stdout.splitlines()[-1], result.stdout
