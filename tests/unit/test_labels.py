"""labels: value maps, rating ranges (Douban and IMDB rules), regression targets, rule errors."""

import pandas as pd
import pytest

from textclf.config import DatasetConfig
from textclf.data.labels import class_names, encode_labels
from textclf.errors import ConfigError


def dataset(**overrides) -> DatasetConfig:
    return DatasetConfig(
        **{"name": "t", "files": [], "splits": {"train": "a.csv"}, "classes": ["negative", "positive"], **overrides}
    )


def encode(values, **overrides):
    labels, reasons = encode_labels(pd.Series(values, dtype=object), dataset(**overrides))
    return labels.tolist(), reasons.tolist()


def test_values_must_be_class_names_without_a_rule():
    labels, reasons = encode(["positive", " negative ", "meh", None])
    assert labels == [1, 0, pd.NA, pd.NA]
    assert reasons == [pd.NA, pd.NA, "unmapped_label", "missing_label"]


def test_label_map():
    labels, reasons = encode(["1", "0", "2", ""], label_map={"1": "positive", "0": "negative"})
    assert labels == [1, 0, pd.NA, pd.NA]
    assert reasons == [pd.NA, pd.NA, "unmapped_label", "missing_label"]


def test_douban_rule_drops_3_and_0_and_non_numbers():
    labels, reasons = encode(
        ["1", "2", "3", "4", "5", "0", "x", "4.0"], label_ranges={"negative": [1, 2], "positive": [4, 5]}
    )
    assert labels == [0, 0, pd.NA, 1, 1, pd.NA, pd.NA, 1]
    assert reasons[2] == reasons[5] == "unmapped_label" and reasons[6] == "non_numeric_label"


def test_imdb_rating_rule():
    labels, _ = encode(["1", "4", "5", "6", "7", "10"], label_ranges={"negative": [1, 4], "positive": [7, 10]})
    assert labels == [0, 0, pd.NA, pd.NA, 1, 1]


def test_regression_labels_are_floats_and_there_are_no_classes():
    ds = dataset(task="regression", classes=[])
    labels, reasons = encode_labels(pd.Series(["7", "2.5", "bad", None]), ds)
    assert labels.tolist()[:2] == [7.0, 2.5] and labels.isna().tolist() == [False, False, True, True]
    assert reasons.tolist()[2:] == ["non_numeric_label", "missing_label"]
    assert class_names(ds) == []


def test_regression_with_classes_is_a_config_error():
    with pytest.raises(ConfigError, match="task: regression.*remove dataset.classes"):
        class_names(dataset(task="regression"))


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"label_ranges": {"negative": [1, 3], "positive": [3, 5]}}, "overlap"),
        ({"label_ranges": {"negative": [2, 1]}}, r"low <= high"),
        ({"label_ranges": {"negative": 2}}, r"label_ranges\.negative must be \[low, high\]"),
        ({"label_map": {"1": "good"}}, r"class\(es\) good not in dataset\.classes"),
        ({"label_map": {"1": "positive"}, "label_ranges": {"positive": [4, 5]}}, "keep one label rule"),
        ({"classes": ["only"]}, "at least two distinct classes"),
    ],
)
def test_bad_rules_are_config_errors(overrides, message):
    with pytest.raises(ConfigError, match=message):
        encode(["1"], **overrides)


def test_unknown_task_is_rejected():
    with pytest.raises(ConfigError, match="dataset.task must be one of classification, regression"):
        dataset(task="ranking")
