"""One department normalisation: the web app and the engine agree on every code and postcode prefix.

Only the 101 departments count. Monaco (98000), the overseas collectivities (Saint-Pierre-et-Miquelon 975,
Saint-Barthélemy 97133, Saint-Martin 97150, Wallis-et-Futuna 986, French Polynesia 987, New Caledonia 988)
and unused prefixes (00, 96, 99) have no department.
"""

import pytest

from marketplace.refdata import departments
from marketplace.refdata.fallback import DEPARTMENTS
from matching import signals

THE_101 = {d.code for d in DEPARTMENTS}
OVERSEAS_DEPARTMENTS = {"971", "972", "973", "974", "976"}


def expected_department(postcode: str) -> str | None:
    """The documented answer, written independently of both implementations."""
    if postcode in ("97133", "97150"):  # Saint-Barthélemy, Saint-Martin: collectivities since 2007
        return None
    if postcode.startswith("20"):
        return "2A" if int(postcode) < 20200 else "2B"
    if postcode.startswith("97"):
        return postcode[:3] if postcode[:3] in OVERSEAS_DEPARTMENTS else None
    prefix = postcode[:2]
    return prefix if 1 <= int(prefix) <= 95 else None


POSTCODES = [
    *(f"{p:02d}100" for p in range(100)),
    *(f"{p}10" for p in range(970, 990)),
    "20000", "20190", "20200", "20600", "97133", "97150", "97100", "98000", "75001",
]


def test_the_engine_knows_the_same_101_departments_as_the_app():
    assert len(THE_101) == 101
    assert signals.DEPARTMENT_CODES == THE_101 == departments.DEPARTMENT_CODES


@pytest.mark.parametrize("postcode", POSTCODES)
def test_both_sides_give_the_same_department_for_every_postcode_prefix(postcode):
    expected = expected_department(postcode)
    assert expected is None or expected in THE_101
    assert signals.department_of_postcode(postcode) == expected
    assert (departments.department_of_postcode(postcode) or None) == expected


CODES = [
    *(f"{n:02d}" for n in range(100)),
    *(str(n) for n in range(970, 990)),
    "1", "9", "2a", "2B", " 93 ", "093", "2C", "", "x", "٩٣",
]


@pytest.mark.parametrize("code", CODES)
def test_both_sides_normalise_department_codes_alike(code):
    canonical = code.strip().upper().zfill(2) if code.strip().isascii() else code
    expected = canonical if canonical in THE_101 else None
    assert signals.normalize_department(code) == expected
    assert departments.is_department(code) is (expected is not None)
    if expected is not None:
        assert departments.normalise_department(code) == expected


@pytest.mark.parametrize("value", [None, 93, 1, "  ", "9320O", "932000", "9320", " 93 200 "])
def test_odd_values(value):
    assert signals.normalize_department(value) == ("93" if value == 93 else "01" if value == 1 else None)
    expected = "93" if value == " 93 200 " else None
    assert signals.department_of_postcode(value) == expected
    if value is None or isinstance(value, str):
        assert (departments.department_of_postcode(value) or None) == expected


@pytest.mark.parametrize(("insee", "expected"), [
    ("93066", "93"), ("01001", "01"), ("2A004", "2A"), ("2b033", "2B"), ("97411", "974"), ("97608", "976"),
    ("97502", None), ("97701", None), ("98611", None), ("98735", None), ("99138", None), ("", None), (None, None),
])
def test_the_department_of_an_insee_code_follows_the_same_rule(insee, expected):
    assert signals.department_of_insee(insee) == expected
    assert departments.department_of_insee(insee) == (expected or "")
