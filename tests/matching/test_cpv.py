"""CPV suggestion and autocomplete, on the built-in divisions and (when present) the real CPV list."""

import pytest

from matching import CpvIndex, CpvSuggester, NotFittedError
from matching.cpv import CPV_DIVISIONS, load_cpv_csv


@pytest.fixture(scope="module")
def cpv_rows(shared_data):
    path = shared_data / "cpv" / "cpv_2008_fr_en.csv"
    if not path.is_file():
        pytest.skip(f"CPV list not found at {path}")
    return load_cpv_csv(path)


def test_builtin_divisions():
    assert len(CPV_DIVISIONS) == 45
    suggester = CpvSuggester.from_csv(None)
    assert suggester.suggest("travaux de construction d'un gymnase", k=3)[0].code == "45000000"
    assert suggester.suggest("le la les") == []
    index = CpvIndex.from_csv(None)
    assert index.complete("assurance")[0][0] == "66000000"


def test_not_fitted():
    with pytest.raises(NotFittedError):
        CpvSuggester().suggest("x")
    with pytest.raises(NotFittedError):
        CpvIndex().complete("x")


def test_examples_teach_codes():
    suggester = CpvSuggester().fit(CPV_DIVISIONS, [("ménage des bureaux municipaux", "90911200-8")])
    top = suggester.suggest("ménage de bureaux", k=1)[0]
    assert top.code == "90911200"
    assert 0.0 < top.score <= 1.0


@pytest.mark.refdata
@pytest.mark.parametrize(("query", "prefix"), [
    ("netoyage", "909"), ("nettoyage", "909"), ("plomberie", "4533"), ("espaces verts", "7731"),
    ("9091", "9091"), ("90911200-8", "90911200"),
])
def test_autocomplete_real_list(cpv_rows, query, prefix):
    results = CpvIndex.from_rows(cpv_rows).complete(query, k=10)
    assert results
    assert results[0][0].startswith(prefix)


@pytest.mark.refdata
def test_suggester_real_list(cpv_rows):
    suggester = CpvSuggester.from_csv(None, n_neighbors=20).fit(cpv_rows)
    codes = [s.code for s in suggester.suggest("nettoyage des vitres de la mairie", k=5)]
    assert any(c.startswith("909") for c in codes)
