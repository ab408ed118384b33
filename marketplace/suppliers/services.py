"""Supplier rules: companies, their profile and QPV eligibility, their offers. Callable without a request."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from matching.signals import haversine_km

from .. import submissions
from ..extensions import db
from ..models import (
    LABELS,
    LEGAL_FORMS,
    Offer,
    QpvStatus,
    QpvStatusChange,
    Role,
    StructureType,
    SupplierCompany,
    User,
    utcnow,
)
from ..money import euros_to_cents
from ..refdata import eligibility as qpv_eligibility
from ..refdata.departments import department_of_postcode, is_department, normalise_department
from ..refdata.lookups import (
    clean_cpv_codes,
    commune_for,
    communes_for_postcode,
    is_postcode,
    naf_label,
    naf_loaded,
    qpv_by_code,
)
from ..refdata.qpv_names import is_2015_code
from ..validators import SIRET_TAKEN, ServiceError, check_email, clean_siret


def companies_of(user: User) -> list[SupplierCompany]:
    """The companies the user owns or is a member of (none for other roles)."""
    if user is None or getattr(user, "role", None) is not Role.SUPPLIER:
        return []
    stmt = (
        select(SupplierCompany)
        .where(SupplierCompany.member_clause(user.id))
        .options(selectinload(SupplierCompany.offers))
        .order_by(SupplierCompany.id)
    )
    return list(db.session.scalars(stmt))


# "scheme:" at the start, not "host:port" ("www.exemple.fr:8080").
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)


def web_address(value: str | None) -> str | None:
    """A website as typed, with ``https://`` added when typed without a scheme ("atelierbois.example.org", as
    most people write it); None when empty. Other schemes ("javascript:", "ftp://") are kept for the checks to
    refuse."""
    value = (value or "").strip()
    if not value:
        return None
    return value if _URL_SCHEME.match(value) else f"https://{value}"


def owned_company(user: User, company_id: int) -> SupplierCompany | None:
    """The company if ``user`` owns it or is a member, else None (the view answers 404: no existence leak)."""
    company = db.session.get(SupplierCompany, company_id)
    return company if company is not None and company.has_member(user) else None


def owned_offer(user: User, offer_id: int) -> Offer | None:
    offer = db.session.get(Offer, offer_id)
    return offer if offer is not None and offer.supplier.has_member(user) else None


# ------------------------------------------------------------------------------------------------ profile


def commune_choices(postcode: str | None) -> list[tuple[str, str]]:
    """(INSEE code, label) of the communes a postcode serves, for the profile form's select."""
    return [(c.insee, c.label) for c in communes_for_postcode(postcode)]


DECIMAL_RE = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,12})?", re.ASCII)


def _optional_float(value, field: str, low: float, high: float, errors: dict) -> float | None:
    if value in (None, ""):
        return None
    # float() also reads "٤٣.٥", "１_0", "nan" or "1e3": only plain ASCII decimals are coordinates.
    text = str(value).strip().replace(",", ".")
    if not DECIMAL_RE.fullmatch(text):
        errors[field] = "Saisissez un nombre (par exemple 43.5789)."
        return None
    number = float(text)
    if not (low <= number <= high):
        errors[field] = f"La valeur doit être comprise entre {low:g} et {high:g}."
        return None
    return number


def _check_siret(data: dict, company: SupplierCompany | None, errors: dict) -> str | None:
    try:
        siret = clean_siret(data.get("siret") or "")
    except ValueError as error:
        errors["siret"] = str(error)
        siret = None
    else:
        other = db.session.scalar(select(SupplierCompany.id).where(SupplierCompany.siret == siret))
        if other is not None and (company is None or other != company.id):
            errors["siret"] = SIRET_TAKEN
    return siret


def _check_activity(data: dict, errors: dict) -> tuple[str | None, str | None, StructureType]:
    naf_code = _clean_naf(data.get("naf_code"), errors)
    legal_form = (data.get("legal_form") or "").strip() or None
    if legal_form and legal_form not in LEGAL_FORMS:
        errors["legal_form"] = "Choisissez une forme juridique de la liste."
    try:
        structure_type = StructureType(data.get("structure_type") or StructureType.ENTREPRISE.value)
    except ValueError:
        errors["structure_type"] = "Choisissez un type de structure de la liste."
        structure_type = StructureType.ENTREPRISE
    return naf_code, legal_form, structure_type


def _check_capacity(data: dict, errors: dict) -> tuple[list[str], int | None, int | None]:
    labels = [label for label in (data.get("labels") or []) if label]
    if any(label not in LABELS for label in labels):
        errors["labels"] = "Choisissez les labels dans la liste."
    headcount = data.get("headcount")
    if headcount is not None and (not isinstance(headcount, int) or headcount < 0 or headcount > 1_000_000):
        errors["headcount"] = "L'effectif doit être un nombre entier positif."
    revenue = data.get("annual_revenue")
    revenue_cents = None
    if revenue not in (None, ""):
        try:
            revenue = Decimal(str(revenue))
            if revenue < 0 or revenue > Decimal("1e12"):
                raise InvalidOperation
            revenue_cents = euros_to_cents(revenue)
        except (InvalidOperation, ValueError):
            errors["annual_revenue"] = "Le chiffre d'affaires doit être un montant positif en euros."

    return labels, headcount, revenue_cents


def _check_location(data: dict, errors: dict):
    """(postcode, commune, lat, lon) of the address; lat/lon are None unless the entrepreneur gave them."""
    postcode = (data.get("postcode") or "").strip()
    insee = (data.get("commune_insee") or "").strip()
    commune = None
    if postcode and not is_postcode(postcode):
        errors["postcode"] = "Le code postal doit comporter 5 chiffres."
    elif postcode:
        choices = communes_for_postcode(postcode)
        if not choices and _postcodes_loaded():
            errors["postcode"] = "Ce code postal est inconnu de la base de La Poste."
        elif len(choices) == 1 and not insee:
            commune = choices[0]
        elif choices:
            commune = commune_for(postcode, insee)
            if commune is None:
                errors["commune_insee"] = "Choisissez votre commune parmi celles de ce code postal."
    lat = _optional_float(data.get("lat"), "lat", -90, 90, errors)
    lon = _optional_float(data.get("lon"), "lon", -180, 180, errors)
    if (lat is None) != (lon is None) and "lat" not in errors and "lon" not in errors:
        errors["lat" if lat is None else "lon"] = "Indiquez la latitude et la longitude, ou aucune des deux."
    if lat is not None and lon is not None and "lat" not in errors:
        if commune is None:
            errors["lat"] = "Choisissez d'abord la commune : les coordonnées doivent s'y trouver."
        elif commune.lat is not None:
            distance = float(haversine_km(lat, lon, commune.lat, commune.lon))
            if distance > qpv_eligibility.MAX_DISTANCE_KM:
                errors["lat"] = f"Ces coordonnées sont à {distance:.0f} km de {commune.name} : vérifiez-les."
    return postcode, commune, lat, lon


def update_profile(company: SupplierCompany | None, data: dict, *, actor: User) -> SupplierCompany:
    """Create (``company`` None) or update a company profile; one transaction; ServiceError on bad input.

    Changing the SIRET, the commune or the coordinates of a company whose QPV status was answered or checked
    resets it to "non renseigné" (recorded in the audit trail): the eligibility step must be done again.
    """
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "Indiquez le nom de votre entreprise."
    siret = _check_siret(data, company, errors)
    website = (web_address(data.get("website")) or "")[:250] or None
    if website and not website.lower().startswith(("http://", "https://")):
        errors["website"] = "L'adresse du site doit commencer par http:// ou https://."
    naf_code, legal_form, structure_type = _check_activity(data, errors)
    labels, headcount, revenue_cents = _check_capacity(data, errors)
    postcode, commune, lat, lon = _check_location(data, errors)
    contact = _check_contact(data, company, errors)
    if errors:
        raise ServiceError(errors)

    if company is None:
        company = SupplierCompany(owner=actor, siret=siret, name=name)
        db.session.add(company)
    # The QPV status is about one establishment at one place: a new SIRET or address means checking again.
    old_establishment = (company.siret, company.commune_insee, company.lat, company.lon)
    company.name = name[:200]
    company.siret = siret
    company.legal_form = legal_form
    company.structure_type = structure_type
    company.address = (data.get("address") or "").strip()[:250] or None
    company.postcode = postcode or None
    company.commune_insee = commune.insee if commune else None
    company.commune_name = commune.name[:120] if commune else None
    company.department = (commune.department if commune else department_of_postcode(postcode)) or None
    company.position_is_exact = lat is not None
    if lat is None and commune is not None:
        lat, lon = commune.lat, commune.lon
    company.lat, company.lon = lat, lon
    company.naf_code = naf_code
    company.headcount = headcount
    company.annual_revenue_cents = revenue_cents
    company.labels = labels
    company.description = (data.get("description") or "").strip()[:10_000]
    company.website = website
    company.contact_email, company.contact_phone, company.contact_shown = contact
    new_establishment = (company.siret, company.commune_insee, company.lat, company.lon)
    if old_establishment != new_establishment and company.qpv_status not in (None, QpvStatus.UNKNOWN):
        record_status(company, QpvStatus.UNKNOWN, None, method="address_change", actor=actor,
                      reason="Adresse ou SIRET modifié : l'éligibilité QPV est à refaire.")
    try:
        db.session.commit()
    except IntegrityError:  # the same SIRET saved by someone else in the meantime
        db.session.rollback()
        raise ServiceError({"siret": SIRET_TAKEN}) from None
    _alert_saved_searches(company.id)
    return company


def clean_phone(value: str | None) -> str | None:
    """A phone number as buyers will read it, or ValueError (French). No phone library: French numbers
    ("01 23 45 67 89", "+33 1 23 45 67 89", "0033...") become "01 23 45 67 89"; other countries keep their
    "+" and 8 to 15 digits."""
    text = (value or "").strip()
    if not text:
        return None
    compact = re.sub(r"[\s.\-()/\u00a0\u202f]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        compact = "0" + compact[3:].removeprefix("0")  # "+33 (0)1 ..." too
    digits = compact.removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError("Le numéro de téléphone ne doit contenir que des chiffres, des espaces et éventuellement "
                         "un + au début : par exemple 01 23 45 67 89.")
    if compact.startswith("+"):
        if not 8 <= len(digits) <= 15:
            raise ValueError("Ce numéro international n'a pas le bon nombre de chiffres.")
        return compact
    if len(compact) != 10 or not compact.startswith("0") or compact[1] == "0":
        raise ValueError("Un numéro français comporte 10 chiffres et commence par 0 : par exemple 01 23 45 67 89.")
    return " ".join(compact[i:i + 2] for i in range(0, 10, 2))


def _check_contact(data: dict, company: SupplierCompany | None, errors: dict) -> tuple[str | None, str | None, bool]:
    """The contact e-mail, phone and whether buyers see them. Keys missing from ``data`` keep the current values
    (imports and other callers that do not send them)."""
    email = data["contact_email"] if "contact_email" in data else getattr(company, "contact_email", None)
    phone = data["contact_phone"] if "contact_phone" in data else getattr(company, "contact_phone", None)
    shown = bool(data["contact_shown"] if "contact_shown" in data else getattr(company, "contact_shown", False))
    email = (email or "").strip() or None
    if email:
        try:
            email = check_email(email)[:254]
        except ValueError as error:
            errors["contact_email"] = f"{error} Par exemple contact@monentreprise.fr."
    try:
        phone = clean_phone(phone)
    except ValueError as error:
        errors["contact_phone"] = str(error)
    if shown and not (email or phone):
        errors["contact_shown"] = "Indiquez un e-mail ou un téléphone à afficher, ou décochez cette case."
    return email, phone, shown


NAF_RE = re.compile(r"^[0-9]{4}[A-Z]$")


def _clean_naf(value, errors: dict) -> str | None:
    """"4334Z" or "43.34z" -> "43.34Z"; must exist in the NAF table when it is loaded."""
    compact = re.sub(r"[\s.]", "", str(value or "")).upper()
    if not compact:
        return None
    if not NAF_RE.match(compact):
        errors["naf_code"] = "Le code NAF (APE) s'écrit 4 chiffres et une lettre, par exemple 43.34Z."
        return None
    code = f"{compact[:2]}.{compact[2:]}"
    if naf_loaded() and not naf_label(code):
        errors["naf_code"] = f"Le code NAF {code} n'existe pas dans la nomenclature NAF rév. 2."
        return None
    return code


def _postcodes_loaded() -> bool:
    from ..models import PostcodeEntry

    return db.session.execute(select(PostcodeEntry.id).limit(1)).first() is not None


# ------------------------------------------------------------------------------------------ QPV eligibility


def eligibility(company: SupplierCompany) -> qpv_eligibility.Eligibility:
    return qpv_eligibility.assess(
        company.postcode, company.commune_insee, company.lat, company.lon, exact=company.position_is_exact
    )


def record_status(company, status: QpvStatus, qpv_code, *, method: str, actor: User | None, reason: str = ""):
    """Change the QPV status and add the audit-trail row (the caller commits)."""
    db.session.add(
        QpvStatusChange(
            supplier=company,
            old_status=company.qpv_status,
            new_status=status,
            qpv_code=qpv_code,
            method=method,
            reason=reason,
            actor=actor,
        )
    )
    company.qpv_status = status
    company.qpv_code = qpv_code


def qpv_refusals(companies) -> dict[int, QpvStatusChange]:
    """The administrator's refusal (date and reason, for the entrepreneur) of each company whose QPV
    declaration stands refused, by company id."""
    ids = [company.id for company in companies if company.qpv_status is QpvStatus.REJECTED]
    if not ids:
        return {}
    stmt = (
        select(QpvStatusChange)
        .where(QpvStatusChange.supplier_id.in_(ids), QpvStatusChange.new_status == QpvStatus.REJECTED,
               QpvStatusChange.method == "admin")  # not a migration's note
        .order_by(QpvStatusChange.created_at, QpvStatusChange.id)
    )
    return {change.supplier_id: change for change in db.session.scalars(stmt)}  # the latest one wins


NOT_IN_QPV_CHOICE = "aucun"


def submit_eligibility(company: SupplierCompany, choice: str | None, *, actor: User) -> QpvStatus:
    """Record the entrepreneur's answer to the eligibility step (a QPV code, or ``"aucun"``).

    Every declaration waits for an administrator. A position typed by the entrepreneur that falls inside a
    loaded contour is recorded as geolocation evidence (method ``geolocation``), not as a verification: the
    coordinates are the entrepreneur's own word until a trusted geocoder places the address.
    """
    assessment = eligibility(company)
    if assessment.commune is None:
        raise ServiceError({"qpv_code": "Complétez d'abord le code postal et la commune de votre entreprise."})
    choice = (choice or "").strip().upper()
    if not choice:
        raise ServiceError(
            {"qpv_code": "Choisissez votre quartier prioritaire, ou indiquez que vous n'êtes dans aucun."}
        )
    if choice == NOT_IN_QPV_CHOICE.upper():
        record_status(company, QpvStatus.NOT_IN_QPV, None, method="declaration", actor=actor,
                    reason="L'entrepreneur indique ne pas être dans un QPV.")
        db.session.commit()
        _alert_saved_searches(company.id)
        return company.qpv_status
    hit, current = assessment.hit, assessment.current
    if current is not None and choice == current.code and assessment.geolocated:
        reason = f"Position indiquée dans le contour {hit.code} ({hit.source}) : à confirmer."
        if assessment.hit_is_outdated:
            reason = (f"Position indiquée dans le contour 2015 {hit.code} « {hit.name} » ({hit.source}), rattaché par "
                      f"son nom au QPV actuel {current.code} : à confirmer.")
        record_status(company, QpvStatus.DECLARED, current.code, method="geolocation", actor=actor, reason=reason)
        db.session.commit()
        _alert_saved_searches(company.id)
        return company.qpv_status
    valid_codes = {code for code, _ in assessment.options}  # current codes only: never a 2015 one
    if choice not in valid_codes:
        if is_2015_code(choice):
            raise ServiceError({"qpv_code": f"{choice[:12]} est un code de la géographie 2015 des QPV, qui n'est plus "
                                            "en vigueur : choisissez votre QPV actuel dans la liste."})
        if qpv_by_code(choice) is None:
            raise ServiceError({"qpv_code": f"Le code QPV « {choice[:12]} » n'existe pas."})
        raise ServiceError(
            {"qpv_code": f"Le QPV {choice[:12]} n'est pas situé dans votre commune ({assessment.commune.name})."}
        )
    reason = "Déclaration de l'entrepreneur, à vérifier."
    if current is not None and choice == current.code:
        reason = "Point de référence de la commune dans ce contour (indicatif), à vérifier."
    elif assessment.contours_loaded and assessment.exact_point and hit is None:
        reason = "Déclaration de l'entrepreneur alors que le point exact est hors des contours chargés, à vérifier."
    record_status(company, QpvStatus.DECLARED, choice, method="declaration", actor=actor, reason=reason)
    db.session.commit()
    _alert_saved_searches(company.id)
    return company.qpv_status


# --------------------------------------------------------------------------------------------------- offers


MAX_OFFER_CPV_CODES = 20


def _offer_fields(data: dict) -> dict:
    errors: dict[str, str] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "Donnez un titre à votre offre."
    elif len(title) > 200:
        errors["title"] = "Le titre ne doit pas dépasser 200 caractères."
    try:
        codes = clean_cpv_codes(data.get("cpv_codes") or "", max_codes=MAX_OFFER_CPV_CODES)
    except ValueError as error:
        codes, errors["cpv_codes"] = [], str(error)
    else:
        if not codes:
            errors["cpv_codes"] = "Indiquez au moins un code CPV (commencez à taper votre activité pour en trouver)."
    departments = [normalise_department(d) for d in (data.get("departments") or []) if d]
    if not all(is_department(d) for d in departments):
        errors["departments"] = "Choisissez les départements dans la liste."
    keywords = [k.strip()[:60] for k in (data.get("keywords") or "").split(",") if k.strip()][:30]
    if errors:
        raise ServiceError(errors)
    return {
        "title": title,
        "description": (data.get("description") or "").strip()[:10_000],
        "cpv_codes": codes,
        "keywords": keywords,
        "departments": sorted(set(departments)),
    }


def create_offer(company: SupplierCompany, data: dict, *, submission_token: str | None = None) -> Offer:
    """A new offer of ``company``; a form page posted twice creates one offer (``marketplace.submissions``)."""
    token = submissions.clean_token(submission_token)
    company_id = company.id

    def is_mine(offer: Offer) -> bool:
        return offer.supplier_id == company_id

    submissions.refuse_if_used(Offer, token, is_mine)
    offer = Offer(supplier=company, submission_token=token, **_offer_fields(data))
    db.session.add(offer)
    _touch(company)
    submissions.commit_once(Offer, token, is_mine)
    _alert_saved_searches(company_id)
    return offer


def update_offer(offer: Offer, data: dict) -> Offer:
    for name, value in _offer_fields(data).items():
        setattr(offer, name, value)
    _touch(offer.supplier)
    db.session.commit()
    _alert_saved_searches(offer.supplier_id)
    return offer


def delete_offer(offer: Offer) -> None:
    _touch(offer.supplier)
    db.session.delete(offer)
    db.session.commit()


def _alert_saved_searches(company_id: int) -> None:
    """Queue the alerts of the buyers' saved searches the company now matches (after the commit; best effort)."""
    from ..buyers.saved_searches import enqueue_alerts  # noqa: PLC0415 (buyers import suppliers)

    enqueue_alerts(company_id)


def _touch(company: SupplierCompany) -> None:
    """A company changes with its offers: the search index re-reads companies by their updated_at."""
    company.updated_at = utcnow()
