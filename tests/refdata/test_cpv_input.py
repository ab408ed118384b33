"""One CPV pattern and one check of typed CPV codes: tenders and offers accept and refuse the same input alike."""

import pytest

from marketplace.buyers import services as buyer_services
from marketplace.suppliers import services as supplier_services
from marketplace.validators import ServiceError
from matching.cpv import cpv_parts, parse_cpv

OFFER = {"title": "Nettoyage", "description": "", "keywords": "", "departments": ["93"]}


@pytest.mark.parametrize(("typed", "lenient", "strict"), [
    ("45261000-4", ("45261000", "4"), ("45261000", "4")),
    ("45261000", ("45261000", ""), None),
    ("452610004", ("45261000", "4"), None),
    (" 45 261 000 - 4 ", ("45261000", "4"), None),
    ("45.26.10.00-4", ("45261000", "4"), None),
    ("45261000-4\n", ("45261000", "4"), None),
    ("4526100", None, None),
    ("45261000-44", None, None),
    ("4526-1000", None, None),
    ("45261000-X", None, None),
    ("٤٥٢٦١٠٠٠", None, None),  # Arabic-Indic digits are not a CPV code
    ("", None, None),
    (None, None, None),
    (45261000, None, None),
])
def test_one_cpv_pattern_lenient_for_people_strict_for_the_official_file(typed, lenient, strict):
    assert cpv_parts(typed) == lenient
    assert cpv_parts(typed, strict=True) == strict
    assert parse_cpv(typed) == (lenient[0] if lenient else None)


@pytest.mark.parametrize("typed", ["nettoyage", "4526100", "45261000-44", "99000000", "90910000-9, 12345678"])
def test_tenders_and_offers_refuse_a_bad_cpv_code_with_the_same_message(app, make_supplier, typed):
    with pytest.raises(ValueError, match="^Le code CPV « ") as tender_error:
        buyer_services.clean_cpv_codes(typed)
    with pytest.raises(ServiceError) as offer_error:
        supplier_services.create_offer(make_supplier(), {**OFFER, "cpv_codes": typed})
    assert offer_error.value.errors == {"cpv_codes": str(tender_error.value)}


@pytest.mark.parametrize(("typed", "codes"), [
    ("45261000 - 4, 90910000-9", ["45261000-4", "90910000-9"]),
    ("452610004; 90910000-9", ["45261000-4", "90910000-9"]),
    ("90910000-9 45261000-4", ["90910000-9", "45261000-4"]),
])
def test_tenders_and_offers_accept_the_same_forms(app, make_supplier, typed, codes):
    assert buyer_services.clean_cpv_codes(typed) == codes
    assert supplier_services.create_offer(make_supplier(), {**OFFER, "cpv_codes": typed}).cpv_codes == codes
