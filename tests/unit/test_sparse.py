"""Sparse vectorisers matching Keras texts_to_matrix modes, plus hashing."""

import numpy as np
import pytest
import scipy.sparse as sp

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
        "w", "x", "y", "z"]
