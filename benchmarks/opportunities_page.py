"""Server time of the Opportunités page at scale (prints figures; not a test).

    .venv/bin/python benchmarks/opportunities_page.py [--suppliers 10000] [--tenders 1000] [--baseline-tenders 100]
                                                      [--runs 15] [--database PATH]

Builds a SQLite database with the demo seed (``seed_demo(suppliers=N, tenders=...)``: the demo entrepreneur's
company among N suppliers), first with ``--baseline-tenders`` published tenders, then grown to ``--tenders``
(the same rows plus more: seeding is idempotent). Each time, signed in as the demo entrepreneur, it times the
Opportunités page (test client GET, engine already warm: the first request is left out) and, as a second
baseline, the buyer's shortlist page of the showcase tender. Prints median and p95 over ``--runs`` requests and
the ratio of the big page to the baselines measured in the same run, on the same machine.

Two first views (nothing cached for the company) are timed as well: the very first one after the engine's fit
(every tender's query is built: the engine keeps them per fit, for every company), and the median of
``--edits`` first views right after an edit of the company (the usual case: an edit invalidates the company's
cached verdicts, the engine's tender queries stay).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from marketplace import create_app, search  # noqa: E402
from marketplace.config import TestingConfig  # noqa: E402
from marketplace.demo import seed_demo  # noqa: E402
from marketplace.demo.showcase import BUYER_EMAIL, ENTREPRENEUR_EMAIL, demo_password  # noqa: E402
from marketplace.demo.tenders import SHOWCASE_TENDER, generate_tenders  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.models import SupplierCompany, Tender, TenderStatus, User  # noqa: E402

OPPORTUNITIES = "/entrepreneur/opportunites"
FIRST_AFTER_FIT = "opportunities, first request (warm engine, no cached fit)"  # the first view after the fit
FIRST_AFTER_EDIT = "opportunities, first view after an edit of the company (median)"


def _config(database: Path) -> TestingConfig:
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
    return config


def _timed(client, url: str, runs: int, first: dict | None = None) -> tuple[float, float]:
    """(median, p95) in ms of ``runs`` GETs, after one warm-up request (engine fit, caches) whose time goes to
    ``first[url]``."""
    start = time.perf_counter()
    response = client.get(url)
    if first is not None:
        first[url] = 1000 * (time.perf_counter() - start)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        samples.append(1000 * (time.perf_counter() - start))
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def _signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/compte/connexion", data={"email": email, "password": demo_password()})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {email}")
    return client


def _first_views_after_edits(app, client, edits: int) -> float:
    """Median time (ms) of the page's first view right after an edit of the demo entrepreneur's company."""
    samples = []
    for i in range(edits):
        with app.app_context():
            company = db.session.scalar(select(SupplierCompany).join(User, User.id == SupplierCompany.owner_id)
                                        .where(User.email == ENTREPRENEUR_EMAIL).order_by(SupplierCompany.id))
            company.description = (company.description or "").rstrip() + (" " if i % 2 == 0 else "")
            db.session.commit()  # a new search revision: every verdict of the company is stale
        start = time.perf_counter()
        if client.get(OPPORTUNITIES).status_code != 200:
            raise RuntimeError(f"GET {OPPORTUNITIES} failed")
        samples.append(1000 * (time.perf_counter() - start))
    return statistics.median(samples)


def _measure(app, runs: int, edits: int) -> dict[str, tuple[float, float]]:
    with app.app_context():
        showcase = db.session.scalar(select(Tender.id).where(Tender.title == SHOWCASE_TENDER["title"]))
        published = db.session.scalar(select(func.count(Tender.id)).where(Tender.status == TenderStatus.PUBLISHED))
    entrepreneur, buyer = _signed_in(app, ENTREPRENEUR_EMAIL), _signed_in(app, BUYER_EMAIL)
    figures, first = {}, {}
    # The buyer's shortlist page (of the first tender of the demo buyer's organisation) comes first: it fits
    # the engine, so the Opportunités page's first request measures its own work (every fit not yet cached).
    with app.app_context():
        own = db.session.scalar(select(Tender.id).where(  # the demo buyer creates its organisation's tenders
            Tender.created_by_id.is_not(None), Tender.status == TenderStatus.PUBLISHED).order_by(Tender.id))
    if own is not None:
        figures["buyer shortlist"] = _timed(buyer, f"/acheteur/appels-d-offres/{own}/fournisseurs", runs)
    figures["opportunities"] = _timed(entrepreneur, OPPORTUNITIES, runs, first)
    figures[FIRST_AFTER_FIT] = (first[OPPORTUNITIES],) * 2
    after_edit = _first_views_after_edits(app, entrepreneur, edits)
    figures[FIRST_AFTER_EDIT] = (after_edit,) * 2
    figures["tender page"] = _timed(entrepreneur, f"/entrepreneur/appels-d-offres/{showcase}", runs)
    figures["published"] = (published, published)
    return figures


def _published_in_demo(seed: int) -> int:
    from datetime import date

    return sum(t["status"] is TenderStatus.PUBLISHED for t in generate_tenders(seed, today=date.today()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--tenders", type=int, default=1_000, help="published tenders in the measured database")
    parser.add_argument("--baseline-tenders", type=int, default=100, help="published tenders in the baseline")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--edits", type=int, default=5, help="first views timed after an edit of the company")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", help="SQLite file to build (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(args.database) if args.database else Path(tmp) / "bench.sqlite3"
        app = create_app(_config(database))
        with app.app_context():
            db.create_all()
        base = _published_in_demo(args.seed)
        rows = []
        for target in (args.baseline_tenders, args.tenders):
            extra = max(0, target - base)
            with app.app_context():
                start = time.perf_counter()
                seed_demo(suppliers=args.suppliers, seed=args.seed, tenders=extra)
                seeded = time.perf_counter() - start
            figures = _measure(app, args.runs, args.edits)
            rows.append(figures)
            print(f"database: {args.suppliers} suppliers, {figures['published'][0]} published tenders "
                  f"(seeded in {seeded:.1f} s)")
            for name, (p50, p95) in figures.items():
                if name != "published":
                    print(f"  {name:<16} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms" if p50 != p95 or "first" not in name
                          else f"  {name}: {p50:.1f} ms")
        (small, big) = rows
        print(f"ratio Opportunités {big['published'][0]} / {small['published'][0]} tenders: "
              f"p50 x{big['opportunities'][0] / small['opportunities'][0]:.1f}")
        if "buyer shortlist" in big:
            shortlist = big["buyer shortlist"][0]
            print(f"ratio Opportunités / buyer shortlist ({big['published'][0]} tenders): "
                  f"p50 x{big['opportunities'][0] / shortlist:.1f}; first view after the fit "
                  f"x{big[FIRST_AFTER_FIT][0] / shortlist:.1f}, after an edit "
                  f"x{big[FIRST_AFTER_EDIT][0] / shortlist:.1f}")
        with app.app_context():
            db.engine.dispose()
        search.reset_engine_cache()  # the per-process engine reflected the benchmark's database
    return 0


if __name__ == "__main__":
    sys.exit(main())
