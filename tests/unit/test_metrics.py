"""textclf.evaluate.metrics on arrays small enough to check by hand."""

import math

import numpy as np
import pytest

from textclf.evaluate.metrics import baseline_metrics, classification_metrics, regression_metrics, rounded

Y = np.array([0, 0, 1, 1])
P1 = np.array([0.1, 0.6, 0.4, 0.9])  # predictions: 0, 1, 0, 1 -> one hit per class
PROBA = np.column_stack([1 - P1, P1])


@pytest.fixture
def binary():
    return classification_metrics(Y, PROBA, ["neg", "pos"])


def test_binary_threshold_metrics(binary):
    assert binary["n"] == 4
    assert binary["accuracy"] == 0.5
    assert binary["balanced_accuracy"] == 0.5
    assert binary["precision_macro"] == binary["recall_macro"] == binary["f1_macro"] == binary["f1_weighted"] == 0.5
    assert "f1" not in binary  # the positive class's F1 is per_class.pos.f1, not a second top-level number


def test_binary_probability_metrics(binary):
    assert binary["roc_auc"] == 0.75  # 3 of the 4 (positive, negative) pairs are ranked right
    assert binary["average_precision"] == round(0.5 * 1 + 0.5 * 2 / 3, 4)  # ranks: pos, neg, pos, neg
    assert binary["brier"] == round((0.01 + 0.36 + 0.36 + 0.01) / 4, 4)
    assert binary["log_loss"] == round(-(2 * math.log(0.9) + 2 * math.log(0.4)) / 4, 4)


def test_binary_counts_and_per_class(binary):
    assert binary["confusion"] == {"neg": {"neg": 1, "pos": 1}, "pos": {"neg": 1, "pos": 1}}
    assert binary["per_class"]["pos"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}


def test_precision_differs_from_recall_when_errors_are_one_sided():
    proba = np.array([[0.9, 0.1], [0.4, 0.6], [0.3, 0.7], [0.2, 0.8]])  # predicts 0, 1, 1, 1
    scores = classification_metrics(Y, proba)
    assert scores["per_class"]["1"]["precision"] == round(2 / 3, 4) and scores["per_class"]["1"]["recall"] == 1.0
    assert scores["confusion"] == {"0": {"0": 1, "1": 1}, "1": {"0": 0, "1": 2}}


def test_multiclass_has_macro_and_weighted_averages():
    y = np.array([0, 1, 2, 2])
    proba = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1]])
    scores = classification_metrics(y, proba, ["a", "b", "c"])
    assert scores["accuracy"] == 0.75
    assert scores["recall_macro"] == round((1 + 1 + 0.5) / 3, 4)
    assert scores["precision_macro"] == round((1 + 0.5 + 1) / 3, 4)
    assert scores["confusion"]["c"] == {"a": 0, "b": 1, "c": 1}
    assert 0 < scores["roc_auc"] <= 1 and 0 < scores["average_precision"] <= 1


def test_ranking_scores_are_left_out_when_one_class_is_present():
    scores = classification_metrics(np.array([1, 1]), np.array([[0.2, 0.8], [0.6, 0.4]]))
    assert "roc_auc" not in scores and "average_precision" not in scores
    assert scores["accuracy"] == 0.5


def test_probabilities_are_renormalised():
    drift = PROBA * 1.0000001  # float32 softmax rows do not sum exactly to 1
    assert classification_metrics(Y, drift)["log_loss"] == classification_metrics(Y, PROBA)["log_loss"]


def test_regression_metrics():
    scores = regression_metrics(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0]))
    assert scores == {"n": 3, "mae": round(2 / 3, 4), "rmse": round(math.sqrt(4 / 3), 4), "r2": -1.0}


def test_baseline_predicts_the_training_majority_with_training_priors():
    scores = baseline_metrics(np.array([0, 0, 0, 1]), np.array([0, 1]), n_classes=2)
    assert scores["accuracy"] == 0.5 and scores["recall_macro"] == 0.5  # all of class 0, none of class 1
    assert scores["roc_auc"] == 0.5
    assert scores["brier"] == round((0.25**2 + 0.75**2) / 2, 4)
    assert scores["log_loss"] == round(-(math.log(0.75) + math.log(0.25)) / 2, 4)
    assert "confusion" not in scores and "per_class" not in scores


def test_baseline_for_a_class_absent_from_training():
    scores = baseline_metrics(np.array([0, 0, 1]), np.array([0, 1, 2]), n_classes=3)
    assert scores["accuracy"] == round(1 / 3, 4)


def test_regression_baseline_predicts_the_training_mean():
    scores = baseline_metrics(np.array([0.0, 2.0]), np.array([1.0, 3.0]), n_classes=0)
    assert scores == {"n": 2, "mae": 1.0, "rmse": round(math.sqrt(2), 4), "r2": -1.0}


def test_rounded_keeps_ints_and_nests():
    assert rounded({"a": np.float64(0.123456), "b": {"c": np.int64(3)}}) == {"a": 0.1235, "b": {"c": 3}}
    assert isinstance(rounded({"c": np.int64(3)})["c"], int)
