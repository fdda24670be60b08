"""Sparse vectorisers matching Keras texts_to_matrix modes, plus hashing."""

import numpy as np
import pytest
import scipy.sparse as sp

from textclf.errors import ConfigError
from textclf.features import VECTORIZERS
from textclf.features.fit import input_dim

DOCS = ["good good film", "bad film", "good plot 好 不"]


@pytest.mark.parametrize("name", ["multihot", "count", "freq", "tfidf", "hashing"])
def test_every_mode_gives_csr_with_named_columns(name):
    vec = VECTORIZERS.build({"name": name, "ngram_range": [1, 2]}).fit(DOCS)
    X = vec.transform(DOCS)
    assert sp.issparse(X) and X.shape[0] == 3
    assert X.shape[1] == input_dim(vec) == len(vec.get_feature_names_out())


def test_modes_match_keras_definitions():
    count = VECTORIZERS.build({"name": "count"}).fit(DOCS)
    good = count.vocabulary_["good"]
    assert count.transform(DOCS)[0, good] == 2
    assert VECTORIZERS.build({"name": "multihot"}).fit(DOCS).transform(DOCS)[0, good] == 1
    freq = VECTORIZERS.build({"name": "freq"}).fit(DOCS)
    assert freq.transform(DOCS)[0, freq.vocabulary_["good"]] == pytest.approx(2 / 3)
    assert "好" in count.vocabulary_  # one-character tokens survive


def test_hashing_is_stateless_and_binary():
    vec = VECTORIZERS.build({"name": "hashing", "n_features": 64}).fit(DOCS[:1])
    X = vec.transform(DOCS).toarray()
    assert X.shape == (3, 64) and set(np.unique(X)) <= {0.0, 1.0}
    assert input_dim(vec) == 64


@pytest.mark.parametrize("name", ["multihot", "count", "tfidf"])
def test_num_words_breaks_frequency_ties_by_token(name):
    docs = ["d c b a", "d c b a", "d e f"]  # d: 3 docs; a, b, c: 2; e, f: 1
    vec = VECTORIZERS.build({"name": name, "num_words": 3}).fit(docs)
    assert vec.get_feature_names_out().tolist() == ["a", "b", "d"]  # c loses the a/b/c tie to a and b
    assert vec.transform(["c a"]).nnz == 1


def test_num_words_keeps_min_df_and_the_full_vocabulary_path():
    docs = ["x y", "x z", "x y w"]
    vec = VECTORIZERS.build({"name": "tfidf", "num_words": 2, "min_df": 2}).fit(docs)
    assert vec.get_feature_names_out().tolist() == ["x", "y"]
    assert VECTORIZERS.build({"name": "count", "num_words": None}).fit(docs).get_feature_names_out().tolist() == [
        "w",
        "x",
        "y",
        "z",
    ]


def test_char_analyzers_cut_the_prepared_tokens_into_character_ngrams():
    docs = ["酒店 很 好", "房间 不 干净"]
    across = VECTORIZERS.build({"name": "multihot", "analyzer": "char", "char_ngram_range": [2, 2]}).fit(docs)
    inside = VECTORIZERS.build({"name": "multihot", "analyzer": "char_wb", "char_ngram_range": [2, 2]}).fit(docs)
    assert {"酒店", "店 ", " 很"} <= set(across.vocabulary_)
    assert {" 酒", "酒店", "店 ", " 很", "很 "} <= set(inside.vocabulary_) and "店 很" not in inside.vocabulary_


@pytest.mark.parametrize("name", ["multihot", "count", "freq", "tfidf"])
def test_word_plus_char_puts_both_vocabularies_side_by_side(name):
    section = {
        "name": name,
        "ngram_range": [1, 2],
        "analyzer": "word+char",
        "char_ngram_range": [1, 2],
        "char_num_words": 4,
    }
    vec = VECTORIZERS.build(section).fit(DOCS)
    names = vec.get_feature_names_out().tolist()
    words = [n for n in names if n.startswith("word__")]
    chars = [n for n in names if n.startswith("char__")]
    assert names == words + chars and "word__good film" in words and len(chars) == 4
    X = vec.transform(DOCS)
    assert sp.issparse(X) and X.format == "csr" and X.dtype == np.float32 and X.shape == (3, input_dim(vec))


def test_char_num_words_breaks_ties_by_ngram():
    vec = VECTORIZERS.build({"name": "count", "analyzer": "char", "char_ngram_range": [1, 1], "char_num_words": 2}).fit(
        ["ba", "ab", "c"]
    )  # a, b: 2 each; c: 1; the spaces: none
    assert vec.get_feature_names_out().tolist() == ["a", "b"]


def test_unknown_analyzer_is_a_config_error_naming_the_choices():
    with pytest.raises(
        ConfigError, match=r"features.analyzer must be one of word, char, .*Received: features.analyzer='chars'"
    ):
        VECTORIZERS.build({"name": "tfidf", "analyzer": "chars"})
