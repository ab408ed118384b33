"""Server time of the buyers' inclusive-purchasing report at scale (prints figures; not a test).

    .venv/bin/python benchmarks/buyer_report.py [--tenders 2000] [--companies 300] [--runs 15]
                                                [--database PATH | --postgres URL]

Builds one buyer organisation with ``--tenders`` awarded tenders (bulk inserts: a tender in three has two lots,
each awarded; one award in five goes to a three-member consortium), spread over two years, plus curations of
its shortlists, and a second organisation with as many awards (never counted). Then, signed in as the buyer,
it prints the median over ``--runs`` of the report's service function (``report.build_report``) and of the
page ``/acheteur/rapport`` through the test client, next to the buyer's dashboard page in the same run (the
baseline), and the CSV and XLSX downloads. SQLite file by default; ``--postgres URL`` uses an empty PostgreSQL
database (its tables are created, then dropped).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from marketplace import create_app  # noqa: E402
from marketplace.buyers import report  # noqa: E402
from marketplace.config import TestingConfig  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.models import (  # noqa: E402
    Award,
    AwardShare,
    BuyerOrganisation,
    CurationStatus,
    Lot,
    QpvStatus,
    Role,
    SupplierCompany,
    SupplierCuration,
    Tender,
    TenderStatus,
    User,
)

PASSWORD = "banc-d-essai-2027"
BUYER_EMAIL = "acheteuse@banc.example"
DEPARTMENTS = ("93", "95", "94", "75", "92", "69", "13", "59")
CPV = ("90910000", "77310000", "45000000", "79530000", "55520000", "72000000")
STATUSES = (QpvStatus.VERIFIED, QpvStatus.DECLARED, QpvStatus.NOT_IN_QPV, QpvStatus.UNKNOWN)


def _config(url: str) -> TestingConfig:
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    return config


def build(tenders: int, companies: int, seed: int = 7, start: date = date(2026, 1, 1)) -> dict[str, int]:
    """The two organisations and their awards (inside an app context, on empty tables). Returns row counts."""
    rng = random.Random(seed)
    from werkzeug.security import generate_password_hash

    mine, other = BuyerOrganisation(name="Ville de Banc"), BuyerOrganisation(name="Autre organisation")
    buyer = User(email=BUYER_EMAIL, full_name="Acheteuse du banc", role=Role.BUYER, buyer_organisation=mine,
                 password_hash=generate_password_hash(PASSWORD))
    owner = User(email="entrepreneur@banc.example", full_name="Entrepreneur du banc", role=Role.SUPPLIER,
                 password_hash="x")
    db.session.add_all([mine, other, buyer, owner])
    db.session.flush()
    db.session.execute(insert(SupplierCompany), [
        {"id": i, "owner_id": owner.id, "name": f"Entreprise {i}", "siret": f"{10_000_000_000_000 + i}",
         "department": DEPARTMENTS[i % len(DEPARTMENTS)], "postcode": "93200", "qpv_status": STATUSES[i % 4]}
        for i in range(1, companies + 1)])
    tender_rows, lot_rows, award_rows, share_rows, curation_rows = [], [], [], [], []
    award_id = share_id = lot_id = 0
    for tender_id in range(1, 2 * tenders + 1):
        organisation = mine.id if tender_id <= tenders else other.id
        tender_rows.append({"id": tender_id, "buyer_organisation_id": organisation, "title": f"Marché {tender_id}",
                            "cpv_codes": [rng.choice(CPV)], "department": "93", "status": TenderStatus.AWARDED})
        lots = [None]
        if tender_id % 3 == 0:
            lots = []
            for number in (1, 2):
                lot_id += 1
                lot_rows.append({"id": lot_id, "tender_id": tender_id, "number": number, "title": f"Lot {number}",
                                 "cpv_codes": [rng.choice(CPV)]})
                lots.append(lot_id)
        for lot in lots:
            award_id += 1
            members = rng.sample(range(1, companies + 1), 3 if award_id % 5 == 0 else 1)
            amount = rng.randrange(100_000, 20_000_000)
            award_rows.append({"id": award_id, "tender_id": tender_id, "lot_id": lot, "winner_name": "Lauréat",
                               "amount_cents": amount, "awarded_on": start + timedelta(days=rng.randrange(730))})
            parts = [amount // len(members)] * len(members)
            parts[0] += amount - sum(parts)
            for company, cents in zip(members, parts, strict=True):
                share_id += 1
                share_rows.append({"id": share_id, "award_id": award_id, "company_id": company,
                                   "company_name": f"Entreprise {company}", "company_siret": f"{10**13 + company}",
                                   "department": DEPARTMENTS[company % len(DEPARTMENTS)], "amount_cents": cents,
                                   "qpv_status_at_award": rng.choice(STATUSES), "lot_ids": []})
            if organisation == mine.id:
                curation_rows.append({"buyer_organisation_id": mine.id, "tender_id": tender_id,
                                      "lot_id": lot, "lot_key": lot or 0, "company_id": members[0],
                                      "status": rng.choice(list(CurationStatus)), "note": ""})
    for model, rows in ((Tender, tender_rows), (Lot, lot_rows), (Award, award_rows), (AwardShare, share_rows),
                        (SupplierCuration, curation_rows)):
        for i in range(0, len(rows), 1000):
            db.session.execute(insert(model), rows[i:i + 1000])
    db.session.commit()
    _fix_sequences()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("ANALYZE"))  # fresh bulk-loaded tables have no statistics: bad join plans
        db.session.commit()
    return {"awards": len(award_rows), "shares": len(share_rows), "tenders": len(tender_rows)}


def _fix_sequences():
    """PostgreSQL: explicit ids leave the sequences behind (later inserts would collide)."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("supplier_companies", "tenders", "lots", "awards", "award_shares"):
        db.session.execute(db.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    db.session.commit()


def _median(call, runs: int) -> float:
    call()  # warm-up: templates compiled, connection pooled
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(1000 * (time.perf_counter() - start))
    return statistics.median(samples)


def measure(app, runs: int, period: report.Period) -> dict[str, float]:
    client = app.test_client()
    if client.post("/compte/connexion", data={"email": BUYER_EMAIL, "password": PASSWORD}).status_code != 302:
        raise RuntimeError("could not sign in as the benchmark's buyer")
    args = {"du": period.start.strftime("%d/%m/%Y"), "au": period.end.strftime("%d/%m/%Y")}

    def get(url, **kwargs):
        def call():
            response = client.get(url, **kwargs)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
        return call

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == BUYER_EMAIL))
        service = _median(lambda: report.build_report(user, period), runs)
        awarded = report.build_report(user, period).totals.awards
    return {
        "report service (build_report)": service,
        "report page /acheteur/rapport": _median(get("/acheteur/rapport", query_string=args), runs),
        "baseline: buyer dashboard": _median(get("/acheteur/"), runs),
        "report CSV": _median(get("/acheteur/rapport.csv", query_string=args), runs),
        "report XLSX": _median(get("/acheteur/rapport.xlsx", query_string=args), runs),
        "awards in the period": awarded,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenders", type=int, default=2_000, help="awarded tenders of the measured organisation")
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", help="SQLite file to build (default: a temporary one)")
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL (postgresql+psycopg://...)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres or f"sqlite:///{Path(args.database) if args.database else Path(tmp) / 'bench.sqlite3'}"
        app = create_app(_config(url))
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            counts = build(args.tenders, args.companies)
            built = time.perf_counter() - start
        try:
            period = report.Period(date(2026, 1, 1), date(2027, 12, 31))
            figures = measure(app, args.runs, period)
            print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':', 1)[0]}, "
                  f"{counts['tenders']} awarded tenders over two organisations, {counts['awards']} awards, "
                  f"{counts['shares']} award shares (built in {built:.1f} s)")
            for name, value in figures.items():
                print(f"  {name:<32} {value:8.0f}" if name == "awards in the period"
                      else f"  {name:<32} median {value:8.1f} ms")
            base = figures["baseline: buyer dashboard"]
            print(f"ratio report page / buyer dashboard: x{figures['report page /acheteur/rapport'] / base:.1f}")
        finally:
            with app.app_context():
                if args.postgres:
                    db.drop_all()
                db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
