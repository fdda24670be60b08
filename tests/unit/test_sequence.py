"""Sequence features: reserved ids, OOV, padding/truncation, n-gram ids, vocabulary from training rows only."""

import numpy as np
import pytest

from textclf.errors import ConfigError
from textclf.features import VECTORIZERS
from textclf.features.sequence import OOV, PAD, SequenceVectorizer

TRAIN = ["good good film", "bad film", "good plot"]


def test_ids_are_frequency_ranked_after_reserved_ids():
    vec = SequenceVectorizer(maxlen=4).fit(TRAIN)
    assert vec.vocabulary_ == {"good": 2, "film": 3, "bad": 4, "plot": 5}  # ties alphabetical
    assert vec.input_dim_ == 6
    assert vec.get_feature_names_out().tolist() == ["<pad>", "<oov>", "good", "film", "bad", "plot"]
    assert vec.transform(["good film"]).dtype == np.int32


def test_unknown_words_map_to_oov_or_are_dropped():
    assert SequenceVectorizer(maxlen=3).fit(TRAIN).transform(["good zzz film"]).tolist() == [[2, OOV, 3]]
    assert SequenceVectorizer(maxlen=3, oov=False).fit(TRAIN).transform(["good zzz film"]).tolist() == [[PAD, 2, 3]]


@pytest.mark.parametrize(
    ("padding", "truncating", "short", "long"),
    [
        ("pre", "pre", [0, 0, 2, 3], [3, 4, 5, 2]),
        ("post", "post", [2, 3, 0, 0], [2, 2, 3, 4]),
    ],
)
def test_padding_and_truncation_sides(padding, truncating, short, long):
    vec = SequenceVectorizer(maxlen=4, padding=padding, truncating=truncating).fit(TRAIN)
    out = vec.transform(["good film", "good good film bad plot good"])
    assert out.tolist() == [short, long]


def test_vocabulary_is_fitted_on_training_rows_only():
    vec = VECTORIZERS.build({"name": "sequence", "maxlen": 5}).fit(TRAIN)
    assert "unseen" not in vec.vocabulary_
    assert vec.transform(["unseen unseen"]).tolist() == [[0, 0, 0, OOV, OOV]]


def test_num_words_keeps_the_most_frequent():
    vec = SequenceVectorizer(num_words=2, maxlen=3).fit(TRAIN)
    assert list(vec.vocabulary_) == ["good", "film"]
    assert vec.transform(["bad film"]).tolist() == [[0, OOV, 3]]


def test_bigram_ids_follow_word_ids():
    vec = SequenceVectorizer(maxlen=6, padding="post", ngram_range=(1, 2)).fit(TRAIN)
    assert min(vec.ngram_vocabulary_.values()) == 6  # after 2 reserved + 4 words
    assert list(vec.ngram_vocabulary_) == ["bad film", "good film", "good good", "good plot"]
    assert vec.input_dim_ == 6 + len(vec.ngram_vocabulary_)
    ids = vec.transform(["good film"])[0].tolist()
    assert ids[:3] == [2, 3, vec.ngram_vocabulary_["good film"]]
    assert len(vec.get_feature_names_out()) == vec.input_dim_


def test_min_ngram_count_and_num_ngrams():
    vec = SequenceVectorizer(ngram_range=(1, 2), min_ngram_count=2).fit(TRAIN + ["good film"])
    assert list(vec.ngram_vocabulary_) == ["good film"]
    assert len(SequenceVectorizer(ngram_range=(1, 2), num_ngrams=1).fit(TRAIN).ngram_vocabulary_) == 1


def test_char_analyzer_ids_the_characters_of_the_tokens():
    vec = SequenceVectorizer(maxlen=6, padding="post", analyzer="char", ngram_range=(1, 2)).fit(["很 好", "不 好"])
    assert vec.vocabulary_ == {"好": 2, "不": 3, "很": 4}  # spaces between tokens are not characters
    assert list(vec.ngram_vocabulary_) == ["不 好", "很 好"]  # character bigrams, across token boundaries
    assert vec.transform(["很好 吗"]).tolist() == [[4, 2, OOV, vec.ngram_vocabulary_["很 好"], 0, 0]]


@pytest.mark.parametrize(
    "bad",
    [{"padding": "middle"}, {"truncating": "both"}, {"maxlen": 0}, {"ngram_range": (2, 2)}, {"analyzer": "char_wb"}],
)
def test_bad_settings_are_config_errors(bad):
    with pytest.raises(ConfigError, match=next(iter(bad))):
        SequenceVectorizer(**bad).fit(TRAIN)


def test_transform_before_fit_fails():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        SequenceVectorizer().transform(TRAIN)


def test_fit_returns_self_and_clones():
    from sklearn.base import clone

    vec = SequenceVectorizer(maxlen=7)
    assert vec.fit(TRAIN) is vec
    assert clone(vec).get_params()["maxlen"] == 7
