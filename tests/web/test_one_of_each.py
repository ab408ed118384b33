"""One of each: a rule written twice drifts (two folds, two CPV patterns, three copies of the QPV statuses).

These read the sources, so that a second copy fails here rather than disagreeing with the first in production.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for d in ("marketplace", "matching") for p in (ROOT / d).rglob("*.py"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def places(pattern: str) -> list[str]:
    regex = re.compile(pattern)
    return [str(p.relative_to(ROOT)) for p in SOURCES for _ in regex.finditer(p.read_text(encoding="utf-8"))]


def test_the_qpv_statuses_shown_are_written_once():
    from marketplace.models import QPV_STATUSES_SHOWN, QpvStatus

    assert QPV_STATUSES_SHOWN == (QpvStatus.DECLARED, QpvStatus.VERIFIED)
    assert places(r"QpvStatus\.DECLARED,\s*QpvStatus\.VERIFIED") == ["marketplace/models/suppliers.py"]


def test_templates_do_not_spell_the_qpv_statuses_shown():
    # Templates ask the company (company.qpv_shown) rather than keeping their own ('declared', 'verified').
    pair = re.compile(r"""(['"])(declared|verified)\1\s*,\s*(['"])(declared|verified)\3""")
    found = [str(p.relative_to(ROOT)) for p in TEMPLATES for _ in pair.finditer(p.read_text(encoding="utf-8"))]
    assert TEMPLATES
    assert found == []


@pytest.mark.parametrize(("what", "pattern", "home"), [
    ("CPV pattern", r"\\d\{8\}", "matching/cpv.py"),
    ("fold()", r"\ndef fold\(", "matching/text.py"),
    ("accent stripping (fold)", r"unicodedata\.combining\(", "matching/text.py"),
    ("ligature folding (fold)", r"\"œ\"", "matching/text.py"),
    ("department of a postcode", r"\ndef department_of_postcode\(", "matching/signals.py"),
    ("department of an INSEE code", r"startswith\(\(\"97\", \"98\"\)\)", "matching/signals.py"),
])
def test_one_implementation(what, pattern, home):
    assert places(pattern) == [home], what


def test_the_cpv_lookup_has_no_dead_fallback():
    # matching is part of the application: an "engine not importable" fallback would never run, untested.
    assert places(r"class _Fallback") == []
