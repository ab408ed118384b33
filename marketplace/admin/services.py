"""Administrators' rules: overview figures and the QPV verification queue (with its audit trail)."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import NotificationKind, QpvStatus, QpvStatusChange, Role, SupplierCompany, User
from ..notifications.services import notify, path_for
from ..refdata.lookups import qpv_by_code
from ..refdata.qpv_names import is_2015_code
from ..suppliers.services import eligibility, record_status
from ..validators import ServiceError


def overview() -> dict[str, int]:
    """Figures named for what they count: every referenced company (the home page's figure) and, among them,
    those an entrepreneur account manages (imported and demo companies have none)."""
    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "accounts": count(select(func.count(User.id))),
        "companies": count(select(func.count(SupplierCompany.id))),
        "companies_with_owner": count(
            select(func.count(SupplierCompany.id)).where(SupplierCompany.owner_id.is_not(None))
        ),
        "buyer_accounts": count(select(func.count(User.id)).where(User.role == Role.BUYER)),
        "qpv_to_verify": count(
            select(func.count(SupplierCompany.id)).where(SupplierCompany.qpv_status == QpvStatus.DECLARED)
        ),
    }


def verification_queue(page: int, per_page: int):
    """Declared QPV waiting for verification, oldest declaration first (a Flask-SQLAlchemy Pagination)."""
    stmt = (
        select(SupplierCompany)
        .where(SupplierCompany.qpv_status == QpvStatus.DECLARED)
        .order_by(SupplierCompany.updated_at, SupplierCompany.id)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def verification_case(company_id: int) -> dict | None:
    """What an administrator needs to decide: the company, the reference data verdict, the history."""
    company = db.session.get(SupplierCompany, company_id)
    if company is None:
        return None
    history = db.session.scalars(
        select(QpvStatusChange)
        .where(QpvStatusChange.supplier_id == company.id)
        .order_by(QpvStatusChange.created_at.desc(), QpvStatusChange.id.desc())
    ).all()
    assessment = eligibility(company)
    return {"company": company, "assessment": assessment, "qpv": qpv_by_code(company.qpv_code),
            "needs_qpv_choice": needs_qpv_choice(company), "qpv_options": assessment.options, "history": history}


def needs_qpv_choice(company: SupplierCompany) -> bool:
    """A declaration with no current QPV code (a 2015 code the 0007 migration could not match with certainty):
    the administrator verifies it by choosing the current QPV."""
    return not company.qpv_code or is_2015_code(company.qpv_code)


def verify(company: SupplierCompany, *, actor: User, note: str = "", qpv_code: str | None = None) -> None:
    """Confirm a pending declaration; ``qpv_code`` (one of the commune's current QPV) only when it carries none."""
    if company.qpv_status is not QpvStatus.DECLARED:
        raise ServiceError("Seule une déclaration QPV en attente peut être vérifiée.")
    code = company.qpv_code
    if needs_qpv_choice(company):
        code = (qpv_code or "").strip().upper()
        if not code:
            raise ServiceError({"qpv_code": "Choisissez le QPV actuel de l'entreprise : la déclaration "
                                            "n'en porte pas."})
        if code not in {option for option, _ in eligibility(company).options}:
            raise ServiceError({"qpv_code": "Choisissez un QPV actuel de la commune de l'entreprise."})
    note = (note or "").strip()[:2000]
    record_status(company, QpvStatus.VERIFIED, code, method="admin", actor=actor,
                  reason=note or "Vérifié par l'équipe.")
    _notify_qpv_decision(company, f"QPV vérifié pour {company.name}",
                         f"Votre déclaration QPV (quartier {code}) est vérifiée : votre entreprise apparaît "
                         "comme entreprise d'un quartier prioritaire auprès des acheteurs."
                         + (f"\n\nNote de l'équipe : {note}" if note else ""))
    db.session.commit()
    from ..buyers.saved_searches import enqueue_alerts  # noqa: PLC0415 (a verified QPV may meet saved searches)

    enqueue_alerts(company.id)


def reject(company: SupplierCompany, *, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": "Indiquez le motif du refus : il sera communiqué à l'entrepreneur."})
    if company.qpv_status is not QpvStatus.DECLARED:
        raise ServiceError("Seule une déclaration QPV en attente peut être refusée.")
    record_status(company, QpvStatus.REJECTED, company.qpv_code, method="admin", actor=actor, reason=reason[:2000])
    _notify_qpv_decision(company, f"Déclaration QPV refusée pour {company.name}",
                         f"Votre déclaration QPV n'a pas été acceptée.\n\nMotif : {reason[:2000]}\n\n"
                         "Vous pouvez corriger l'adresse ou le quartier et déclarer à nouveau.")
    db.session.commit()


def _notify_qpv_decision(company: SupplierCompany, title: str, body: str) -> None:
    """The owner and the members hear of the decision in the same transaction (imported companies have none)."""
    for user in company.people:
        notify(user, NotificationKind.QPV_DECISION, title, body,
               link=path_for("suppliers.eligibility", company_id=company.id))
