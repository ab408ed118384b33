"""The text views computed once per distinct word equal scikit-learn's vectorizers, which the engine used before."""

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from matching.index import TextModel
from matching.text import FrenchAnalyzer, all_tokens, char_wb_ngrams, fold, fold_word, normalize, tokenize

TEXTS = [
    "Nettoyage de bureaux et entretien de la vitrerie à Saint-Denis (93)",
    "Pâtisserie, traiteur bio : buffets pour 200 personnes, œufs frais, bœuf",
    "NETTOYAGE INDUSTRIEL — désinfection; dératisation; lot n°3",
    "Maçonnerie générale, ravalement de façades, ÉLECTRICITÉ",
    "",
    "le la les de",  # stop words only
    "a b c 12 345",
    "Développement web, maintenance informatique, cybersécurité",
    "Aide à domicile : repassage, courses ; accompagnement des personnes âgées",
]


def sklearn_views(texts):
    words = CountVectorizer(analyzer=FrenchAnalyzer(), dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char_wb", preprocessor=normalize, sublinear_tf=True, ngram_range=(3, 4),
                            dtype=np.float32)
    return words.fit_transform(texts), words.get_feature_names_out(), chars.fit_transform(texts), chars


def test_the_word_counts_equal_scikit_learns():
    model = TextModel()
    model.fit_transform(TEXTS)
    counts, terms, _, _ = sklearn_views(TEXTS)
    assert model.terms_ == list(terms)
    # The model's TF-IDF is built from these counts: the same counts give the same IDF.
    df = np.bincount(counts.tocsr().indices, minlength=len(terms))
    assert np.allclose(model.idf_, np.log((1 + len(TEXTS)) / (1 + df)) + 1)


def test_the_character_view_equals_scikit_learns_and_so_does_a_query():
    model = TextModel()
    _, chars, _ = model.fit_transform(TEXTS)
    _, _, expected, vectorizer = sklearn_views(TEXTS)
    assert model.char_.vocabulary_ == vectorizer.vocabulary_
    assert abs(chars - expected).max() < 1e-6
    query = ["netoyage des bureaux, vitrerie !", "rien de connu : zzzz"]
    assert abs(model.char_.transform(query) - vectorizer.transform(query)).max() < 1e-6


@pytest.mark.parametrize("word", ["a", "ab", "abc", "abcd", "nettoyage"])
def test_character_ngrams_of_a_word_are_scikit_learns(word):
    analyzer = CountVectorizer(analyzer="char_wb", ngram_range=(3, 4)).build_analyzer()
    assert char_wb_ngrams(word, 3, 4) == analyzer(word)


def _fold_char_by_char(text: str) -> str:
    """The definition: NFKD, drop the combining marks, case-fold (ligatures spelt out first)."""
    for ligature, letters in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("ß", "ss"), ("’", "'")):
        text = text.replace(ligature, letters)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.characters(max_codepoint=0x2FFF) | st.sampled_from(["é", "œ", "e\u0301", "\U0001d165"]),
                max_size=40).map("".join))
def test_fold_is_its_definition(text):
    assert fold(text) == _fold_char_by_char(text)


def test_words_are_folded_one_at_a_time():
    assert fold_word("Pâtes") == ("pates",)
    assert fold_word("½") == ("1", "2")  # folding may split a word
    assert all_tokens("Acme™ café") == ["acme", "cafe"]  # a symbol between words separates them
    assert all_tokens("e\u0301cole") == ["ecole"]  # decomposed accents stay inside their word
    assert tokenize("Le nettoyage des bureaux n°3") == ["nettoyage", "bureaux"]
    assert normalize("  Œuvre  d'art  ") == "oeuvre d art"
