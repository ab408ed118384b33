"""New-tender alerts: when a buyer publishes a tender, the companies it fits hear of it.

``alert_matching_companies(tender)`` is called by ``buyers.services.publish`` in the publishing transaction (it
never commits): the notifications exist if and only if the tender was published. Which companies:

* the engine's shortlist for the tender and for each of its lots (the very ranking the buyer's shortlist shows,
  the best of the whole tender and its lots as on the Opportunités page), scores >= ``NEW_TENDER_ALERT_MIN_SCORE``
  (default ``DEFAULT_MIN_SCORE``), at most ``NEW_TENDER_ALERT_MAX_COMPANIES`` companies (``MAX_COMPANIES``), so a
  publish costs a few shortlists whatever the number of companies;
* companies with at least one offer, QPV or not: an offer is the company saying what it sells (a bare profile
  matched on its description alone would be alerted on weak evidence), and the Opportunités page itself ranks
  tenders for every company, so alerts follow the same rule rather than a stricter one (the buyer filters on the
  QPV status in the shortlist, not the entrepreneur in their alerts);
* every active person acting for the company (``company.people``: the owner then the members).

A user is never alerted twice for the same tender and company (the notification's link and title say which),
so calling it again (a publication replayed) adds nothing.

Threshold calibration (``benchmarks/alert_threshold.py`` on the DECP awards: 2,573 real awardees, 439 real
contracts): at 0.30, 72 % of the real winners are alerted (77 % at 0.25, 65 % at 0.35) and a tender alerts a
median of 14 companies (p90 41, cap 50) instead of 28 at 0.25; above 0.35 most winners would never hear of the
tender. The README carries the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from .. import search
from ..extensions import db
from ..models import Notification, NotificationKind, SupplierCompany, Tender
from ..notifications.services import notify

DEFAULT_MIN_SCORE = 0.30
MAX_COMPANIES = 50


@dataclass(frozen=True)
class Alerted:
    company: SupplierCompany
    score: float
    lot: object | None  # the tender's lot that fits the company best, when it beats the whole tender


def tender_link(tender: Tender) -> str:
    return f"/entrepreneur/appels-d-offres/{tender.id}"


def _setting(name: str, default):
    try:
        return current_app.config.get(name, default)
    except RuntimeError:  # no application context: the module's defaults
        return default


def matching_companies(tender: Tender, *, min_score: float | None = None,
                       limit: int | None = None) -> list[Alerted]:
    """The companies (with offers) the tender fits, best first: score >= ``min_score``, ``limit`` at most."""
    min_score = float(_setting("NEW_TENDER_ALERT_MIN_SCORE", DEFAULT_MIN_SCORE) if min_score is None else min_score)
    limit = int(_setting("NEW_TENDER_ALERT_MAX_COMPANIES", MAX_COMPANIES) if limit is None else limit)
    if limit <= 0:
        return []
    best: dict[int, Alerted] = {}
    for lot in [None, *tender.lots]:
        ranked = search.shortlist(tender, k=limit, lot_id=lot.id if lot is not None else None)
        for entry in ranked:
            score = entry.match.score
            if score < min_score:
                continue
            known = best.get(entry.company.id)
            # Ties go to the whole tender (listed first), as on the Opportunités page.
            if known is None or score > known.score:
                best[entry.company.id] = Alerted(entry.company, score, lot)
    chosen = [a for a in best.values() if a.company.offers]
    chosen.sort(key=lambda a: (-a.score, a.company.id))
    return chosen[:limit]


def _deadline(tender: Tender) -> str:
    return tender.deadline.strftime("%d/%m/%Y") if tender.deadline else "non précisée"


def _body(tender: Tender, alerted: Alerted) -> str:
    buyer = tender.buyer_organisation.name if tender.buyer_organisation is not None else ""
    lines = [f"« {tender.title} »" + (f", publié par {buyer}." if buyer else ".")]
    if alerted.lot is not None:
        lines.append(f"Le lot {alerted.lot.number} ({alerted.lot.title}) correspond le mieux à {alerted.company.name}.")
    lines.append(f"Date limite de réponse : {_deadline(tender)}.")
    return "\n".join(lines)


def alert_matching_companies(tender: Tender) -> int:
    """Notify the people of every company the just-published tender fits; returns the number of notifications.

    Runs in the caller's transaction and never commits.
    """
    link = tender_link(tender)
    already = set(db.session.execute(
        select(Notification.user_id, Notification.title)
        .where(Notification.kind == NotificationKind.NEW_MATCHING_TENDER, Notification.link == link)).all())
    sent = 0
    for alerted in matching_companies(tender):
        company = alerted.company
        title = f"Nouvel appel d'offres pour {company.name} : {tender.title}"[:200]
        for person in company.people:
            if person is None or not person.active or (person.id, title) in already:
                continue
            notify(person, NotificationKind.NEW_MATCHING_TENDER, title, _body(tender, alerted), link=link)
            already.add((person.id, title))
            sent += 1
    return sent


__all__ = ["DEFAULT_MIN_SCORE", "MAX_COMPANIES", "Alerted", "alert_matching_companies", "matching_companies",
           "tender_link"]
