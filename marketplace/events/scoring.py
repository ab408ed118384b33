"""The engine's scores and reasons for the buyer-entrepreneur pairs of one event.

A buyer participant is asked as a tender (what it buys: ``needs_text`` and ``cpv_codes``); an entrepreneur is
its marketplace company (``search.to_supplier``: profile and offers) or, without one, what it told the
organiser (``needs_text``, ``cpv_codes``, postcode, QPV claim). The engine is the web app's, fitted on the
event's entrepreneurs only: a few hundred records fit in well under a second, and an event's scores then depend
only on its own participants (the marketplace's shared engine is neither waited for nor changed).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import matching
from matching.signals import department_of_postcode

from ..models import Event, EventParticipant, ParticipantSide, ParticipantStatus
from ..search import new_engine, to_supplier


@dataclass(frozen=True)
class PairScore:
    score: float
    reasons: tuple[matching.Reason, ...] = ()

    @property
    def summary(self) -> str:
        """The reasons in one French line ("mots en commun : nettoyage ; code CPV ..."), cautions left out."""
        return " ; ".join(r.text for r in self.reasons if not r.is_caution)


def scheduled_participants(event: Event) -> list[EventParticipant]:
    """Who takes part in the schedule: every participant who has not declined."""
    return [p for p in event.participants if p.status is not ParticipantStatus.DECLINED]


def as_supplier(participant: EventParticipant) -> matching.Supplier:
    company = participant.company
    if company is not None:
        record = to_supplier(company)
        return matching.Supplier(**{**record.__dict__, "id": str(participant.id)})
    department = department_of_postcode(participant.postcode) if participant.postcode else None
    return matching.Supplier(
        id=str(participant.id),
        name=participant.organisation_name,
        description=participant.needs_text or "",
        cpv_codes=tuple(participant.cpv_codes or ()),
        postcode=participant.postcode,
        departments=(department,) if department else (),
        qpv_status="declared" if participant.qpv_declared else None,
    )


def as_tender(buyer: EventParticipant) -> matching.Tender:
    # Only what it buys: the organisation's name ("Ville de Saint-Denis") would match entrepreneurs on place words.
    return matching.Tender(id=str(buyer.id), title="", description=buyer.needs_text or "",
                           cpv_codes=tuple(buyer.cpv_codes or ()))


class EventScorer:
    """The engine fitted on an event's entrepreneurs; answers scores and reasons for its pairs."""

    def __init__(self, buyers: Sequence[EventParticipant], suppliers: Sequence[EventParticipant]):
        self._tenders = {b.id: as_tender(b) for b in buyers}
        self._engine = new_engine().fit(as_supplier(s) for s in suppliers)
        self._supplier_ids = [s.id for s in suppliers]

    @classmethod
    def for_event(cls, event: Event) -> "EventScorer":
        people = scheduled_participants(event)
        return cls([p for p in people if p.side is ParticipantSide.BUYER],
                   [p for p in people if p.side is ParticipantSide.SUPPLIER])

    def scores(self, progress=None) -> dict[tuple[int, int], float]:
        """{(buyer id, entrepreneur id): score} for every pair the engine finds a link in (others score 0)."""
        buyers = list(self._tenders)
        pairs = [(self._tenders[b], None) for b in buyers]
        out: dict[tuple[int, int], float] = {}
        for done, supplier_id in enumerate(self._supplier_ids, 1):
            for buyer_id, match in zip(buyers, self._engine.score_many(pairs, str(supplier_id), reasons=False),
                                       strict=True):
                if match is not None:
                    out[(buyer_id, supplier_id)] = float(match.score)
            if progress is not None:
                progress(done / max(1, len(self._supplier_ids)))
        return out

    def explain(self, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], PairScore]:
        """Score and reasons of the given (buyer id, entrepreneur id) pairs; a pair without a link is absent."""
        by_supplier: dict[int, list[int]] = {}
        for buyer_id, supplier_id in pairs:
            if buyer_id in self._tenders:
                by_supplier.setdefault(supplier_id, []).append(buyer_id)
        out = {}
        for supplier_id, buyer_ids in by_supplier.items():
            matches = self._engine.score_many([(self._tenders[b], None) for b in buyer_ids], str(supplier_id))
            for buyer_id, match in zip(buyer_ids, matches, strict=True):
                if match is not None:
                    out[(buyer_id, supplier_id)] = PairScore(float(match.score), tuple(match.explanations))
        return out

    def best_for(self, participant: EventParticipant, others: Sequence[EventParticipant], k: int = 10
                 ) -> list[tuple[EventParticipant, PairScore]]:
        """The ``k`` participants of the other side that fit ``participant`` best, with their reasons."""
        if participant.side is ParticipantSide.BUYER:
            pairs = [(participant.id, o.id) for o in others]
        else:
            pairs = [(o.id, participant.id) for o in others]
        explained = self.explain(pairs)
        ranked = []
        for other, pair in zip(others, pairs, strict=True):
            if pair in explained:
                ranked.append((other, explained[pair]))
        ranked.sort(key=lambda item: (-item[1].score, item[0].organisation_name.casefold(), item[0].id))
        return ranked[:k]
