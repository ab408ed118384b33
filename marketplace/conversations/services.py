"""Conversations between buyers and entrepreneurs about a tender. Callable without a request.

One thread per (tender, buyer organisation, company); either side starts it (the first message creates it,
later starts from the same place add to it). The data model and why the party is "a company today, a
consortium later" are described in ``marketplace/models/conversations.py``.

Access rules (another side's or another organisation's thread is a 404, never a 403):

* an entrepreneur reads and writes the threads of the companies it owns or is a member of
  (``SupplierCompany.member_clause``), and starts one only on a tender it may read
  (``opportunities.services.visible_tender``: published, or closed/awarded once engaged, never a draft);
* a consortium's thread (``consortium_id``, see ``consortia.services``) is read and written by the users of every
  company that accepted to be part of it;
* a buyer reads and writes the threads of its organisation, and starts one only on one of its
  organisation's tenders that is not a draft, with any company (buyers see every supplier sheet);
* organisers and administrators have no messaging (the views answer 403).

Each message notifies every active user of the other side (the organisation's members, or the company's
people) in the message's own transaction. Unread counts are per user: a read mark per (thread, user) holds
the id of the newest message shown to that user; messages of the user's own side never count as unread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    MESSAGE_MAX,
    BuyerOrganisation,
    ConsortiumMember,
    ConversationMessage,
    ConversationReadMark,
    ConversationThread,
    MemberStatus,
    NotificationKind,
    Role,
    Side,
    SupplierCompany,
    Tender,
    TenderStatus,
    User,
    utcnow,
)
from ..notifications.services import notify, path_for
from ..opportunities.services import NotVisible, own_company, visible_tender
from ..suppliers.services import companies_of
from ..validators import ServiceError

PER_PAGE = 20
MESSAGES_SHOWN = 200  # the newest ones; older messages of a very long thread are summarised by a count
EXCERPT_CHARS = 300
EMPTY_MESSAGE = "Écrivez votre message avant de l'envoyer."


# ------------------------------------------------------------------------------------------- who sees what


def side_of(user: User) -> Side | None:
    """The side the user writes for: buyers for their organisation, entrepreneurs for their companies."""
    if user is None or user.id is None:
        return None
    if user.role is Role.BUYER:
        return Side.BUYER
    if user.role is Role.SUPPLIER:
        return Side.SUPPLIER
    return None


def _visible_clause(user: User):
    """SQL condition on ConversationThread: the threads the user may read (false for other roles)."""
    side = side_of(user)
    if side is Side.SUPPLIER:
        companies = select(SupplierCompany.id).where(SupplierCompany.member_clause(user.id))
        # A consortium's thread: the users of every company that accepted to be part of it.
        consortia = select(ConsortiumMember.consortium_id).where(
            ConsortiumMember.company_id.in_(companies), ConsortiumMember.status == MemberStatus.ACCEPTED)
        return or_(ConversationThread.supplier_company_id.in_(companies),
                   ConversationThread.consortium_id.in_(consortia))
    if side is Side.BUYER and user.buyer_organisation_id is not None:
        return ConversationThread.buyer_organisation_id == user.buyer_organisation_id
    return ConversationThread.id.is_(None)  # matches nothing


def _unread_select(user: User, *columns):
    """SELECT ``columns`` over the messages of the other side newer than the user's read mark, in any thread
    (the caller adds which threads)."""
    side = side_of(user)
    mark = ConversationReadMark
    return (
        select(*columns)
        .select_from(ConversationMessage)
        .join(ConversationThread, ConversationThread.id == ConversationMessage.thread_id)
        .outerjoin(mark, and_(mark.thread_id == ConversationThread.id, mark.user_id == user.id))
        .where(ConversationMessage.side == (side.other if side else Side.BUYER),
               ConversationMessage.id > func.coalesce(mark.last_read_message_id, 0))
    )


def unread_count(user: User) -> int:
    """Unread messages in all the user's threads: the header's "Messages (n)". One query."""
    if side_of(user) is None:
        return 0
    stmt = _unread_select(user, func.count(ConversationMessage.id)).where(_visible_clause(user))
    return db.session.scalar(stmt) or 0


def get_thread(user: User, thread_id: int) -> ConversationThread:
    """One of the user's threads; NotVisible (404) for anybody else's."""
    thread = db.session.scalar(
        select(ConversationThread).where(ConversationThread.id == thread_id, _visible_clause(user))
        .options(selectinload(ConversationThread.tender), selectinload(ConversationThread.company),
                 selectinload(ConversationThread.buyer_organisation)))
    if thread is None:
        raise NotVisible()
    return thread


def threads_on_tender(user: User, tender: Tender) -> list[ConversationThread]:
    """The user's threads about one tender (an entrepreneur: one per company it acts for)."""
    stmt = (select(ConversationThread)
            .where(ConversationThread.tender_id == tender.id, _visible_clause(user))
            .options(selectinload(ConversationThread.company)).order_by(ConversationThread.id))
    return list(db.session.scalars(stmt))


# ------------------------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class InboxRow:
    thread: ConversationThread
    unread: int
    last: ConversationMessage | None

    @property
    def excerpt(self) -> str:
        body = self.last.body if self.last is not None else ""
        return body if len(body) <= 140 else body[:139].rstrip() + "…"


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    page: int
    pages: int
    total: int
    unread: int  # over every thread, not only this page


def inbox(user: User, page: int = 1, per_page: int = PER_PAGE) -> InboxPage:
    """The user's threads, newest message first, with their unread counts and last message."""
    visible = _visible_clause(user)
    total = db.session.scalar(select(func.count(ConversationThread.id)).where(visible)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, pages))
    threads = list(db.session.scalars(
        select(ConversationThread).where(visible)
        .order_by(ConversationThread.last_message_at.desc(), ConversationThread.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
        .options(selectinload(ConversationThread.tender), selectinload(ConversationThread.company),
                 selectinload(ConversationThread.buyer_organisation))))
    ids = [t.id for t in threads]
    unread: dict[int, int] = {}
    last: dict[int, ConversationMessage] = {}
    if ids:
        unread = dict(db.session.execute(
            _unread_select(user, ConversationMessage.thread_id, func.count(ConversationMessage.id))
            .where(ConversationMessage.thread_id.in_(ids)).group_by(ConversationMessage.thread_id)).all())
        newest = (select(func.max(ConversationMessage.id)).where(ConversationMessage.thread_id.in_(ids))
                  .group_by(ConversationMessage.thread_id))
        last = {m.thread_id: m for m in db.session.scalars(
            select(ConversationMessage).where(ConversationMessage.id.in_(newest))
            .options(selectinload(ConversationMessage.author)))}
    rows = [InboxRow(t, unread.get(t.id, 0), last.get(t.id)) for t in threads]
    return InboxPage(rows, page, pages, total, unread_count(user))


# ------------------------------------------------------------------------------------------- a thread


@dataclass(frozen=True)
class ThreadPage:
    thread: ConversationThread
    messages: list[ConversationMessage]
    hidden: int  # older messages not shown
    unread_ids: frozenset[int]  # the messages that were new to the reader on opening the page
    side: Side


def _read_mark(user: User, thread: ConversationThread) -> ConversationReadMark | None:
    return db.session.scalar(select(ConversationReadMark).where(
        ConversationReadMark.thread_id == thread.id, ConversationReadMark.user_id == user.id))


def _insert(table):
    """INSERT with ON CONFLICT for the two supported databases (SQLite by default, PostgreSQL in production)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _mark_read_up_to(user: User, thread: ConversationThread, message_id: int) -> None:
    """Move the user's read mark forward to ``message_id`` (never back); the caller commits.

    An upsert: two tabs of the same user opening the thread at once both succeed, and the later mark wins.
    """
    table = ConversationReadMark.__table__
    stmt = _insert(table).values(thread_id=thread.id, user_id=user.id, last_read_message_id=message_id,
                                 read_at=utcnow())
    newer = stmt.excluded.last_read_message_id > table.c.last_read_message_id
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=["thread_id", "user_id"],
        set_={"last_read_message_id": case((newer, stmt.excluded.last_read_message_id),
                                           else_=table.c.last_read_message_id),
              "read_at": case((newer, stmt.excluded.read_at), else_=table.c.read_at)},
    ))


def open_thread(user: User, thread_id: int) -> ThreadPage:
    """The thread as its reader sees it; marks every message shown as read for this user (commits)."""
    thread = get_thread(user, thread_id)
    side = side_of(user)
    newest = list(db.session.scalars(
        select(ConversationMessage).where(ConversationMessage.thread_id == thread.id)
        .order_by(ConversationMessage.id.desc()).limit(MESSAGES_SHOWN)
        .options(selectinload(ConversationMessage.author))))
    messages = newest[::-1]
    count = db.session.scalar(select(func.count(ConversationMessage.id))
                              .where(ConversationMessage.thread_id == thread.id)) or 0
    mark = _read_mark(user, thread)
    seen = mark.last_read_message_id if mark is not None else 0
    unread = frozenset(m.id for m in messages if m.side is not side and m.id > seen)
    if messages:
        _mark_read_up_to(user, thread, messages[-1].id)
        db.session.commit()
    return ThreadPage(thread, messages, count - len(messages), unread, side)


# ------------------------------------------------------------------------------------------- writing


def clean_body(body: str | None) -> str:
    """The message as it will be stored, or a field-keyed ServiceError (blank, too long)."""
    text = (body or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ServiceError({"body": EMPTY_MESSAGE})
    if len(text) > MESSAGE_MAX:
        raise ServiceError({"body": f"Le message est trop long ({len(text)} caractères, {MESSAGE_MAX} au plus) : "
                                    "raccourcissez-le, votre texte est conservé ci-dessous."})
    return text


def _recipients(thread: ConversationThread, side: Side) -> list[User]:
    """Every active user of the side that did not write: the organisation's members or the company's people."""
    if side is Side.SUPPLIER:
        users = list(db.session.scalars(select(User).where(
            User.buyer_organisation_id == thread.buyer_organisation_id, User.role == Role.BUYER)
            .order_by(User.id)))
    elif thread.consortium is not None:
        users = [u for m in thread.consortium.accepted_members for u in m.company.people]
    else:
        users = list(thread.company.people) if thread.company is not None else []
    return [u for u in users if u is not None and u.active]


def _notify(thread: ConversationThread, message: ConversationMessage, author: User) -> None:
    tender = thread.tender
    if message.side is Side.SUPPLIER:
        sender = thread.party_name
    else:
        sender = thread.buyer_organisation.name
    excerpt = message.body if len(message.body) <= EXCERPT_CHARS else message.body[:EXCERPT_CHARS - 1] + "…"
    link = path_for("conversations.thread", thread_id=thread.id)
    recipients = _recipients(thread, message.side)
    if thread.consortium is not None and message.side is Side.SUPPLIER:
        recipients += _recipients(thread, Side.BUYER)  # the team's partners read what one of them wrote
    told = {author.id}
    for user in recipients:
        if user.id in told:
            continue
        told.add(user.id)
        notify(user, NotificationKind.MESSAGE_RECEIVED, f"Nouveau message de {sender} : « {tender.title} »",
               f"{author.full_name} ({sender}) vous a écrit à propos de « {tender.title} » :\n\n{excerpt}",
               link=link)


def _follow_up(thread: ConversationThread, message: ConversationMessage) -> None:
    """The buyers' shortlist follow-up: "a répondu" when the company writes, "contacté" on the organisation's
    first message (``buyers.curation``; imported here since the buyers' package imports this one)."""
    if thread.supplier_company_id is None:
        return
    from ..buyers import curation

    ids = (thread.buyer_organisation_id, thread.tender_id, thread.supplier_company_id)
    if message.side is Side.SUPPLIER:
        curation.mark_answered(*ids)
    elif db.session.scalar(select(ConversationMessage.id).where(
            ConversationMessage.thread_id == thread.id, ConversationMessage.side == Side.BUYER,
            ConversationMessage.id != message.id).limit(1)) is None:
        curation.mark_contacted(*ids)


def _add_message(user: User, thread: ConversationThread, text: str) -> ConversationMessage:
    """Add the message, stamp the thread, notify the other side, advance the author's read mark; commits."""
    side = side_of(user)
    message = ConversationMessage(thread_id=thread.id, author=user, side=side, body=text, created_at=utcnow())
    db.session.add(message)
    thread.last_message_at = message.created_at
    db.session.flush()
    _notify(thread, message, user)
    _follow_up(thread, message)
    _mark_read_up_to(user, thread, message.id)
    db.session.commit()
    return message


def reply(user: User, thread_id: int, body: str | None) -> ConversationMessage:
    """Add a message to one of the user's threads (404 for another's; a withdrawn consortium's thread is closed)."""
    thread = get_thread(user, thread_id)
    if thread.consortium is not None and thread.consortium.status.value == "withdrawn":
        raise ServiceError({"body": "Ce groupement a été retiré : sa conversation est close."})
    return _add_message(user, thread, clean_body(body))


def _thread_for(tender: Tender, company: SupplierCompany) -> ConversationThread:
    """The thread of (tender, its organisation, company), created when there is none yet (not committed)."""
    where = (ConversationThread.tender_id == tender.id,
             ConversationThread.buyer_organisation_id == tender.buyer_organisation_id,
             ConversationThread.supplier_company_id == company.id)
    thread = db.session.scalar(select(ConversationThread).where(*where))
    if thread is not None:
        return thread
    # Insert-or-nothing: the other side (or another tab) may create the same thread at the same moment.
    db.session.execute(_insert(ConversationThread.__table__).values(
        tender_id=tender.id, buyer_organisation_id=tender.buyer_organisation_id, supplier_company_id=company.id,
    ).on_conflict_do_nothing(index_elements=["tender_id", "buyer_organisation_id", "supplier_company_id"]))
    return db.session.scalar(select(ConversationThread).where(*where))


def start_for_consortium(user: User, consortium, body: str | None) -> ConversationMessage:
    """A message in the thread of (the consortium's tender, its buyer organisation, the consortium), created when
    there is none yet; the caller (``consortia.services``) has checked that the user may write it."""
    text = clean_body(body)
    tender = consortium.tender
    where = (ConversationThread.tender_id == tender.id,
             ConversationThread.buyer_organisation_id == tender.buyer_organisation_id,
             ConversationThread.consortium_id == consortium.id)
    if db.session.scalar(select(ConversationThread.id).where(*where)) is None:
        db.session.execute(_insert(ConversationThread.__table__).values(
            tender_id=tender.id, buyer_organisation_id=tender.buyer_organisation_id, consortium_id=consortium.id,
        ).on_conflict_do_nothing(index_elements=["tender_id", "buyer_organisation_id", "consortium_id"]))
    return _add_message(user, db.session.scalar(select(ConversationThread).where(*where)), text)


def existing_thread(tender_id: int, company_id: int, user: User) -> ConversationThread | None:
    """The thread of that tender and company if it exists and the user may read it."""
    return db.session.scalar(select(ConversationThread).where(
        ConversationThread.tender_id == tender_id, ConversationThread.supplier_company_id == company_id,
        _visible_clause(user)))


def start_as_supplier(user: User, tender_id: int, company_id: int, body: str | None) -> ConversationMessage:
    """"Écrire à l'acheteur" for one of the user's companies, on a tender the user may read."""
    company = own_company(user, company_id)
    tender = visible_tender(user, tender_id)
    text = clean_body(body)
    return _add_message(user, _thread_for(tender, company), text)


def buyer_tender(user: User, tender_id: int) -> Tender:
    """One of the buyer's organisation's tenders that is not a draft; NotVisible otherwise."""
    if side_of(user) is not Side.BUYER or user.buyer_organisation_id is None:
        raise NotVisible()
    tender = db.session.scalar(select(Tender).where(
        Tender.id == tender_id, Tender.buyer_organisation_id == user.buyer_organisation_id,
        Tender.status != TenderStatus.DRAFT))
    if tender is None:
        raise NotVisible()
    return tender


def buyer_tenders(user: User) -> list[Tender]:
    """The tenders a buyer may write about: the organisation's, drafts aside, newest first."""
    if side_of(user) is not Side.BUYER or user.buyer_organisation_id is None:
        return []
    return list(db.session.scalars(select(Tender).where(
        Tender.buyer_organisation_id == user.buyer_organisation_id, Tender.status != TenderStatus.DRAFT)
        .order_by(Tender.id.desc())))


def any_company(company_id: int) -> SupplierCompany:
    company = db.session.get(SupplierCompany, company_id)
    if company is None:
        raise NotVisible()
    return company


def start_as_buyer(user: User, tender_id: int | None, company_id: int, body: str | None) -> ConversationMessage:
    """A buyer writes to a company about one of the organisation's tenders (not a draft)."""
    company = any_company(company_id)
    if tender_id is None:
        raise ServiceError({"tender_id": "Choisissez l'appel d'offres dont vous voulez parler."})
    try:
        tender = buyer_tender(user, tender_id)
    except NotVisible:
        raise ServiceError({"tender_id": "Choisissez un de vos appels d'offres publiés."}) from None
    text = clean_body(body)
    return _add_message(user, _thread_for(tender, company), text)


def other_party_name(thread: ConversationThread, side: Side) -> str:
    """Whom the reader talks to: the company for buyers, the organisation for entrepreneurs."""
    return thread.party_name if side is Side.BUYER else thread.buyer_organisation.name


# ------------------------------------------------------------------------------------------- RGPD export


def export_records(user: User) -> list[dict]:
    """The messages the user wrote, with their thread and tender, for "Télécharger mes données"."""
    stmt = (select(ConversationMessage, ConversationThread, Tender, BuyerOrganisation, SupplierCompany)
            .join(ConversationThread, ConversationThread.id == ConversationMessage.thread_id)
            .join(Tender, Tender.id == ConversationThread.tender_id)
            .join(BuyerOrganisation, BuyerOrganisation.id == ConversationThread.buyer_organisation_id)
            .outerjoin(SupplierCompany, SupplierCompany.id == ConversationThread.supplier_company_id)
            .where(ConversationMessage.author_id == user.id).order_by(ConversationMessage.id))
    return [
        {"message_id": message.id, "thread_id": thread.id, "tender_id": tender.id, "tender_title": tender.title,
         "buyer_organisation": organisation.name, "company": company.name if company is not None else None,
         "side": message.side.value, "created_at": message.created_at.isoformat(), "body": message.body}
        for message, thread, tender, organisation, company in db.session.execute(stmt)
    ]


__all__ = [
    "MESSAGE_MAX", "InboxPage", "InboxRow", "ThreadPage", "any_company", "buyer_tender", "buyer_tenders",
    "clean_body", "companies_of", "existing_thread", "export_records", "get_thread", "inbox", "open_thread",
    "other_party_name", "reply", "side_of", "start_as_buyer", "start_as_supplier", "start_for_consortium",
    "threads_on_tender", "unread_count",
]
