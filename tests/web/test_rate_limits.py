"""Rate limits: failed logins per account and per address, sign-ups per address, French 429s, a shared store.

TestingConfig turns the limiter off; every test here turns it on explicitly. The clock of the in-memory store
is a fake one the tests move forward: no test waits for a window to pass.
"""

import functools
import socket
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import Role
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
WRONG = "pas-le-bon-mot-de-passe"
REDIS_URL = "redis://127.0.0.1:6379/0"


class Clock:
    """Stands in for the `time` module of the in-memory rate-limit store."""

    def __init__(self):
        import time

        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("limits.storage.memory.time", clock)
    return clock


@pytest.fixture
def app(app_factory, clock):
    """The app of every test here (and so of `client` and the factories) has its limiter on, with the default
    limits; a test may change a limit in app.config, which is read at each request."""
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        yield app


FAST_HASH = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")


@pytest.fixture
def fast_hashing(monkeypatch):
    """Password checks are slow on purpose (scrypt); the limits do not depend on it, and the tests make
    hundreds of attempts."""
    monkeypatch.setattr("marketplace.models.users.generate_password_hash", FAST_HASH)
    fast_dummy = FAST_HASH("not-a-real-password")
    monkeypatch.setattr("marketplace.auth.services._dummy_hash", lambda: fast_dummy)


@pytest.fixture
def make_fast_user(make_user, fast_hashing):
    def make(role=Role.SUPPLIER):
        user = make_user(role)
        user.password_hash = FAST_HASH(PASSWORD)
        db.session.commit()
        return user

    return make


def login(client, email, password=PASSWORD, address="127.0.0.1"):
    return client.post(
        "/compte/connexion", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_five_failures_lock_that_address_out_of_the_account_even_for_the_right_password(client, make_user, clock):
    user = make_user(Role.BUYER)
    assert [login(client, user.email, WRONG).status_code for _ in range(5)] == [422] * 5
    locked = login(client, user.email)
    assert locked.status_code == 429
    html = locked.get_data(as_text=True)
    assert "Réessayez dans 15 minutes" in html
    assert "même avec le bon mot de passe" in html
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert client.get("/acheteur/").status_code == 302  # not signed in
    clock.advance(14 * 60)
    assert login(client, user.email).status_code == 429
    clock.advance(60 + 1)
    assert login(client, user.email).status_code == 302


def test_a_stranger_failing_on_an_account_does_not_lock_its_owner_out(client, make_user):
    user = make_user()
    for _ in range(5):  # five wrong passwords from one address, then from five others
        assert login(client, user.email, WRONG, address="203.0.113.66").status_code == 422
    for n in range(1, 6):
        login(client, user.email, WRONG, address=f"198.51.100.{n}")
    assert login(client, user.email, address="203.0.113.66").status_code == 429  # the stranger's address
    assert login(client, user.email, address="192.0.2.10").status_code == 302  # the owner, at home


def test_an_account_attacked_from_many_addresses_is_refused_to_those_that_failed(app, client, make_user):
    app.config["LOGIN_ACCOUNT_FAILURE_LIMIT"] = "3 per hour"
    user = make_user()
    for n in range(1, 4):  # one failure each: no address reaches its own limit of 5
        assert login(client, user.email, WRONG, address=f"203.0.113.{n}").status_code == 422
    # The account has failed 3 times: each address that failed on it is refused from now on ...
    assert login(client, user.email, WRONG, address="203.0.113.1").status_code == 429
    assert login(client, user.email, address="203.0.113.2").status_code == 429
    # ... but an address with no failure on it still gets in with the right password.
    assert login(client, user.email, address="192.0.2.10").status_code == 302


def test_an_ipv6_client_counts_as_its_whole_slash_64(client, make_user):
    user = make_user()
    statuses = [login(client, user.email, WRONG, address=f"2001:db8:1:2::{n:x}").status_code for n in range(1, 7)]
    assert statuses == [422] * 5 + [429]
    assert login(client, user.email, address="2001:db8:1:2:ffff::1").status_code == 429  # same /64
    assert login(client, user.email, address="2001:db8:1:3::1").status_code == 302  # another network


def test_addresses_and_accounts_are_read_alike(client, make_user):
    user = make_user()
    for _ in range(5):
        login(client, user.email, WRONG, address="::ffff:203.0.113.9")  # IPv4 seen through an IPv6 socket
    assert login(client, " " + user.email.upper(), address="203.0.113.9").status_code == 429


def test_a_locked_account_does_not_lock_the_others(client, make_user):
    locked, other = make_user(), make_user()
    for _ in range(5):
        login(client, locked.email, WRONG)
    assert login(client, locked.email).status_code == 429
    assert login(client, other.email).status_code == 302


def test_parallel_attempts_get_no_extra_guesses(app, make_user):
    """Attempts are counted before the password is checked, atomically: 20 at once from one address get 5."""
    from marketplace.ratelimits import LoginGuard

    email = make_user().email
    barrier = threading.Barrier(20)
    outcomes = []

    def attempt():
        with app.test_request_context("/compte/connexion", method="POST", data={"email": email},
                                      environ_base={"REMOTE_ADDR": "203.0.113.5"}):
            guard = LoginGuard(email)
            barrier.wait()
            outcomes.append(guard.begin() is None)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(True) == 5


def test_posts_without_an_e_mail_are_limited_quietly(client, caplog):
    with caplog.at_level("ERROR"):
        statuses = [client.post("/compte/connexion", data={"password": WRONG}).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_a_rate_limit_store_outage_lets_people_in_rather_than_failing(app_factory):
    from marketplace.models import User

    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")  # nothing listens
    with app.app_context():
        user = User(email="panne@exemple.fr", full_name="Camille Panne", role=Role.SUPPLIER)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        assert login(client, user.email).status_code == 302
        assert app.test_client().post("/compte/inscription", data={"role": "supplier"}).status_code == 422


def test_successful_logins_never_count(client, make_fast_user):
    """A workshop: 40 people behind one address sign in (some twice) within minutes."""
    users = [make_fast_user() for _ in range(40)]
    for user in users + users[:10]:
        assert login(client, user.email).status_code == 302
        assert client.post("/compte/deconnexion").status_code == 302


def test_the_address_ceiling_counts_failures_across_accounts(app, client, fast_hashing):
    app.config["LOGIN_ADDRESS_FAILURE_LIMIT"] = "3 per hour"
    statuses = [login(client, f"inconnu{n}@exemple.fr", WRONG, address="203.0.113.9").status_code for n in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert login(client, "inconnu9@exemple.fr", WRONG, address="203.0.113.10").status_code == 422


def test_the_default_address_ceiling_is_generous(client, fast_hashing):
    statuses = {login(client, f"inconnu{n}@exemple.fr", WRONG).status_code for n in range(100)}
    assert statuses == {422}
    assert login(client, "encore@exemple.fr", WRONG).status_code == 429


def sign_up(app, n, **overrides):
    data = {"role": "organiser", "full_name": f"Personne {n}", "email": f"atelier{n}@exemple.fr",
            "password": PASSWORD, "confirm": PASSWORD, **overrides}
    return app.test_client().post("/compte/inscription", data=data)


def test_forty_sign_ups_from_one_address_pass_and_a_script_is_stopped(app, fast_hashing):
    for n in range(40):
        assert sign_up(app, n, confirm="faute-de-frappe").status_code == 422  # one mistake each
        assert sign_up(app, n).status_code == 302
    statuses = [sign_up(app, n).status_code for n in range(40, 100)]
    assert 429 in statuses
    assert statuses.index(429) == 20  # 60 accounts per 10 minutes from one address
    refused = sign_up(app, 1000)
    assert "Réessayez dans" in refused.get_data(as_text=True)


def test_a_registration_script_failing_every_time_is_stopped_too(app, client):
    app.config["REGISTER_ATTEMPT_LIMIT"] = "5 per 10 minutes"
    statuses = [client.post("/compte/inscription", data={"role": "supplier"}).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]


def test_the_api_answers_429_in_french_json_with_the_wait(client, make_user):
    user = make_user()
    assert login(client, user.email).status_code == 302
    for _ in range(120):
        client.get("/api/communes?postcode=93200")
    page = client.get("/api/communes?postcode=93200")
    assert page.status_code == 429
    assert page.get_json()["error"] == "Trop de tentatives"
    assert "Réessayez dans 1 minute" in page.get_json()["message"]
    assert int(page.headers["Retry-After"]) <= 60


def test_production_with_an_in_memory_store_warns_at_start(monkeypatch, caplog):
    from marketplace.config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = ProductionConfig()
    config.SQLALCHEMY_DATABASE_URI = "sqlite://"
    config.RATELIMIT_STORAGE_URI = "memory://"
    with caplog.at_level("WARNING"):
        create_app(config)
    assert "RATELIMIT_STORAGE_URI" in caplog.text
    caplog.clear()
    config.RATELIMIT_STORAGE_URI = REDIS_URL
    with caplog.at_level("WARNING"):
        create_app(config)
    assert "RATELIMIT_STORAGE_URI" not in caplog.text


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_prefix():
    if not _redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    import redis

    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


WORKER = """
from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db

config = TestingConfig()
config.RATELIMIT_ENABLED = True
config.RATELIMIT_STORAGE_URI = {url!r}
config.RATELIMIT_KEY_PREFIX = {prefix!r}
app = create_app(config)
with app.app_context():
    db.create_all()
client = app.test_client()
statuses = [
    client.post("/compte/connexion", data={{"email": "partage@exemple.fr", "password": "faux"}}).status_code
    for _ in range({attempts})
]
print(" ".join(map(str, statuses)))
"""


def run_worker(prefix: str, attempts: int) -> list[int]:
    """One app process, as one gunicorn worker, trying wrong passwords on one account."""
    script = textwrap.dedent(WORKER.format(url=REDIS_URL, prefix=prefix, attempts=attempts))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    return [int(status) for status in done.stdout.split()]


def test_two_app_processes_sharing_redis_count_failures_together(redis_prefix):
    """Three failures in one worker and two in another lock the account for both."""
    assert run_worker(redis_prefix, 3) == [422, 422, 422]
    assert run_worker(redis_prefix, 3) == [422, 422, 429]
