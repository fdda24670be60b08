"""features=tabular: imputation and standardisation fitted on training rows only; errors for the wrong data."""

import numpy as np
import pandas as pd
import pytest

from textclf.data.splits import Fit
from textclf.errors import ConfigError, DataError
from textclf.features import VECTORIZERS
from textclf.features.fit import featurize_fit, load_fit, vectorizer_inputs

TRAIN = pd.DataFrame({"glucose": [100.0, np.nan, 140.0, 120.0], "mass": [20.0, 30.0, 40.0, np.nan]})


def test_missing_values_take_the_training_median_then_columns_are_standardised():
    vectorizer = VECTORIZERS.build({"name": "tabular"}).fit(TRAIN)
    X = vectorizer.transform(TRAIN)
    assert X.dtype == np.float32 and X.shape == (4, 2)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-6)
    assert X[1, 0] == X[3, 0] == pytest.approx(0, abs=1e-6)  # NaN -> median 120 -> the column's mean
    assert vectorizer.get_feature_names_out().tolist() == ["glucose", "mass"]
    assert vectorizer.transform(TRAIN.iloc[:0]).shape == (0, 2)


def test_statistics_come_from_the_training_rows_only():
    vectorizer = VECTORIZERS.build({"name": "tabular", "scale": False}).fit(TRAIN.iloc[:2])
    other = pd.DataFrame({"glucose": [np.nan], "mass": [np.nan]})
    assert vectorizer.transform(other).tolist() == [[100.0, 25.0]]


def test_no_imputation_refuses_missing_values_and_a_bad_strategy_is_a_config_error():
    with pytest.raises(
        DataError,
        match=r"features\.impute=null, but the rows have missing values "
        r"\{'glucose': 1, 'mass': 1\}",
    ):
        VECTORIZERS.build({"name": "tabular", "impute": None}).fit(TRAIN)
    with pytest.raises(ConfigError, match=r"features\.impute must be one of median, mean, most_frequent or null"):
        VECTORIZERS.build({"name": "tabular", "impute": "zero"}).fit(TRAIN)


def test_text_features_on_a_table_and_tabular_features_on_text_are_config_errors():
    table = TRAIN.assign(label=[0, 1, 0, 1], raw_text="")
    text = pd.DataFrame({"text": ["a b"], "label": [0], "raw_text": ["a b"]})
    with pytest.raises(
        ConfigError, match=r"features=multihot needs text, but the dataset is tabular .*features=tabular"
    ):
        vectorizer_inputs(table, {"name": "multihot"})
    with pytest.raises(ConfigError, match=r"features=tabular needs a tabular dataset"):
        vectorizer_inputs(text, {"name": "tabular"})


def test_featurize_fit_writes_dense_matrices_for_a_fit(tmp_path):
    table = TRAIN.assign(label=[0, 1, 0, 1], raw_text=["r0", "r1", "r2", "r3"])
    fold = Fit("fold_0", np.array([0, 1, 2]), np.array([3]))
    featurize_fit(fold, table, table.iloc[:0], {"name": "tabular"}, tmp_path / "fold_0")
    data = load_fit(tmp_path / "fold_0")
    assert data["X_train"].shape == (3, 2) and data["X_val"].shape == (1, 2) and data["X_test"].shape == (0, 2)
    assert data["y_val"].tolist() == [1] and data["n_features"] == 2


@pytest.mark.parametrize("section", [{"name": "tabular"}, {"name": "tabular", "impute": "mean", "scale": False}])
def test_json_round_trip_transforms_identically(tmp_path, section):
    from textclf.features.persist import load_vectorizer, save_vectorizer

    fitted = VECTORIZERS.build(section).fit(TRAIN)
    save_vectorizer(fitted, section, tmp_path / "vectorizer.json")
    loaded = load_vectorizer(tmp_path / "vectorizer.json")
    new = pd.DataFrame({"glucose": [np.nan, 90.0], "mass": [31.0, np.nan]})
    assert np.array_equal(loaded.transform(new), fitted.transform(new))
    assert loaded.get_feature_names_out().tolist() == ["glucose", "mass"]
