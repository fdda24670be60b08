"""features.nb_weight: columns scaled by their naive-Bayes log-count ratio, learned on training labels."""

import numpy as np
import pandas as pd
import pytest

from textclf.config import TrainingConfig
from textclf.data.splits import assign_folds, folds_to_fits
from textclf.errors import ConfigError
from textclf.features import VECTORIZERS
from textclf.features.fit import featurize_fit, load_fit
from textclf.features.persist import load_vectorizer, save_vectorizer

DOCS = np.array(["good film", "great good", "bad film", "awful bad bad", "good"], dtype=object)
Y = np.array([1, 1, 0, 0, 1])


def test_each_column_is_scaled_by_the_log_ratio_of_its_smoothed_class_means():
    vec = VECTORIZERS.build({"name": "multihot", "num_words": None, "nb_weight": True}).fit(DOCS, Y)
    ratio = dict(zip(vec.get_feature_names_out(), vec.ratio_, strict=True))
    # "film": in 1 of 3 positive rows and 1 of 2 negative ones -> log(((1+1)/(1+3)) / ((1+1)/(1+2)))
    assert ratio["film"] == pytest.approx(np.log((2 / 4) / (2 / 3)))
    assert ratio["good"] > 0 > ratio["bad"]
    X = vec.transform(np.array(["good bad unseen"], dtype=object)).toarray()[0]
    names = list(vec.get_feature_names_out())
    assert X.dtype == np.float32
    assert X[names.index("good")] == np.float32(ratio["good"]) and X[names.index("bad")] == np.float32(ratio["bad"])
    assert X[names.index("film")] == 0


@pytest.mark.parametrize("name", ["multihot", "count", "freq", "tfidf"])
def test_nb_weight_keeps_the_bags_columns_and_word_char_unions(name):
    section = {"name": name, "num_words": None, "analyzer": "word+char", "char_ngram_range": [1, 1]}
    plain = VECTORIZERS.build(section).fit(DOCS)
    weighted = VECTORIZERS.build({**section, "nb_weight": True}).fit(DOCS, Y)
    assert list(weighted.get_feature_names_out()) == list(plain.get_feature_names_out())
    expected = plain.transform(DOCS).toarray().astype(np.float64) * weighted.ratio_
    np.testing.assert_allclose(weighted.transform(DOCS).toarray(), expected, rtol=1e-6)


@pytest.mark.parametrize(("y", "got"), [(np.array([0, 1, 2, 0, 1]), r"label ids \[0, 1, 2\]"), (None, "no labels")])
def test_anything_but_binary_labels_is_a_config_error_naming_the_key(y, got):
    vec = VECTORIZERS.build({"name": "tfidf", "nb_weight": True})
    with pytest.raises(ConfigError, match=rf"features.nb_weight=true needs a binary classification .*{got}"):
        vec.fit(DOCS, y)


def test_saved_as_json_it_transforms_identically(tmp_path):
    section = {"name": "tfidf", "num_words": 5, "ngram_range": [1, 2], "nb_weight": True}
    fitted = VECTORIZERS.build(section).fit(DOCS, Y)
    save_vectorizer(fitted, section, tmp_path / "vectorizer.json")
    loaded = load_vectorizer(tmp_path / "vectorizer.json")
    new = np.array(["good good film", "unseen", "bad great"], dtype=object)
    assert (loaded.transform(new) != fitted.transform(new)).nnz == 0
    assert np.array_equal(loaded.ratio_, fitted.ratio_)


def test_featurize_learns_the_weights_from_the_fits_training_rows_only(tmp_path):
    words = "good bad film plot actor scene story fun dull".split()
    rng = np.random.default_rng(0)
    train = pd.DataFrame({"text": [" ".join(rng.choice(words, 5)) for _ in range(40)], "label": np.arange(40) % 2})
    folds = assign_folds(train["label"].to_numpy(), TrainingConfig(name="kfold", k=2, seed=0))
    fit = folds_to_fits(folds, refit=False)[0]
    train.loc[fit.val, "text"] += " zzval"  # a token only validation rows have: no column, no weight
    train.loc[fit.train[train["label"].to_numpy()[fit.train] == 1], "text"] += " zzpos"
    featurize_fit(
        fit, train, train.iloc[:5], {"name": "multihot", "num_words": None, "nb_weight": True}, tmp_path / "f"
    )
    vec = load_vectorizer(tmp_path / "f" / "vectorizer.json")
    names = list(vec.get_feature_names_out())
    assert "zzval" not in names
    n_pos, n_neg = np.bincount(train["label"].to_numpy()[fit.train])  # zzpos: every positive row, no negative
    assert vec.ratio_[names.index("zzpos")] == pytest.approx(np.log(((1 + n_pos) / (1 + n_pos)) / (1 / (1 + n_neg))))
    assert load_fit(tmp_path / "f")["X_val"].shape == (len(fit.val), len(names))


def test_nbsvm_on_nb_weighted_features_is_a_config_error_pointing_to_logreg():
    from textclf.models.registry import check_features

    with pytest.raises(
        ConfigError, match=r"model 'nbsvm' weights its features .*features.nb_weight=false.*model=logreg"
    ):
        check_features({"name": "nbsvm"}, {"name": "multihot", "nb_weight": True})
    check_features({"name": "logreg"}, {"name": "multihot", "nb_weight": True})
