"""Vectorisers saved as JSON (textclf.features.persist) transform exactly as the fitted originals."""

import json

import numpy as np
import pytest
import scipy.sparse as sp

from textclf.errors import DataError
from textclf.features import VECTORIZERS
from textclf.features.persist import load_vectorizer, save_vectorizer

TRAIN = ["good film good plot", "bad film dull plot", "fun fun story", "dull bad acting", "好 电影 不错", "不 好 看"]
NEW = ["good story", "unseen words only", "", "好 不错 plot plot", "film film film dull"]
SECTIONS = [
    {"name": "multihot", "num_words": 5, "ngram_range": [1, 2]},
    {"name": "count", "num_words": None, "ngram_range": [1, 1]},
    {"name": "freq", "num_words": 6, "ngram_range": [1, 1]},
    {"name": "tfidf", "num_words": None, "ngram_range": [1, 2], "sublinear_tf": True, "min_df": 1, "norm": "l2"},
    {"name": "tfidf", "num_words": 4, "ngram_range": [1, 1], "sublinear_tf": False, "min_df": 1, "norm": None},
    {"name": "multihot", "num_words": None, "ngram_range": [1, 1], "analyzer": "char", "char_ngram_range": [1, 2]},
    {
        "name": "tfidf",
        "num_words": 6,
        "ngram_range": [1, 2],
        "sublinear_tf": True,
        "min_df": 1,
        "norm": "l2",
        "analyzer": "word+char_wb",
        "char_ngram_range": [2, 3],
        "char_num_words": 10,
    },
    {"name": "hashing", "n_features": 64, "ngram_range": [1, 2], "binary": False},
    {"name": "sequence", "num_words": 5, "maxlen": 6, "ngram_range": [1, 2], "num_ngrams": 3},
    {"name": "sequence", "num_words": 8, "maxlen": 9, "ngram_range": [1, 2], "analyzer": "char"},
]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s["name"])
def test_round_trip_transforms_identically(tmp_path, section):
    fitted = VECTORIZERS.build(section).fit(np.array(TRAIN, dtype=object))
    save_vectorizer(fitted, section, tmp_path / "vectorizer.json")
    loaded = load_vectorizer(tmp_path / "vectorizer.json")
    expected, got = fitted.transform(np.array(NEW, dtype=object)), loaded.transform(np.array(NEW, dtype=object))
    assert type(loaded) is type(fitted) and got.dtype == expected.dtype and got.shape == expected.shape
    if sp.issparse(expected):
        assert (got != expected).nnz == 0
    else:
        assert np.array_equal(got, expected)
    assert list(loaded.get_feature_names_out()) == list(fitted.get_feature_names_out())
    assert "pickle" not in (tmp_path / "vectorizer.json").read_text()


def test_unreadable_or_foreign_files_are_one_clear_error(tmp_path):
    bad = tmp_path / "vectorizer.json"
    bad.write_text("not json")
    with pytest.raises(DataError, match="not a textclf vectoriser file"):
        load_vectorizer(bad)
    bad.write_text(json.dumps({"format": 99, "features": {"name": "count"}, "state": {}}))
    with pytest.raises(DataError, match="vectoriser format 99"):
        load_vectorizer(bad)
