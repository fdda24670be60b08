"""textclf.evaluate.plots: the data files behind the DVC plots."""

import numpy as np
import pandas as pd

from textclf.evaluate.plots import (
    calibration_points,
    classification_plot_data,
    confusion_pairs,
    one_vs_rest,
    precision_recall_points,
    regression_points,
    roc_points,
    sweep_points,
    thin,
)

Y = np.array([0, 0, 1, 1])
P1 = np.array([0.1, 0.6, 0.4, 0.9])
PROBA = np.column_stack([1 - P1, P1])


def test_roc_points_run_from_origin_to_corner():
    roc = roc_points(Y, PROBA)
    assert list(roc.columns) == ["fpr", "tpr", "threshold"]
    assert (roc.iloc[0]["fpr"], roc.iloc[0]["tpr"]) == (0.0, 0.0)
    assert (roc.iloc[-1]["fpr"], roc.iloc[-1]["tpr"]) == (1.0, 1.0)
    assert roc["threshold"].between(0, 1).all()  # sklearn's first threshold is +inf


def test_precision_recall_points_end_at_precision_one_recall_zero():
    pr = precision_recall_points(Y, PROBA)
    assert list(pr.columns) == ["recall", "precision", "threshold"]
    assert pr.iloc[-1][["recall", "precision"]].tolist() == [0.0, 1.0]
    assert pr.iloc[0]["recall"] == 1.0


def test_calibration_points_one_row_per_non_empty_bin():
    cal = calibration_points(Y, PROBA, n_bins=10)
    assert cal["bin"].tolist() == [1, 4, 6, 9]
    assert cal["predicted"].tolist() == [0.1, 0.4, 0.6, 0.9]
    assert cal["observed"].tolist() == [0.0, 1.0, 0.0, 1.0]
    assert cal["count"].sum() == 4


def test_calibration_multiclass_uses_top_label_confidence():
    proba = np.array([[0.7, 0.2, 0.1], [0.75, 0.15, 0.1], [0.1, 0.1, 0.8]])
    cal = calibration_points(np.array([0, 1, 2]), proba, n_bins=10)
    assert cal["bin"].tolist() == [7, 8]
    assert cal["observed"].tolist() == [0.5, 1.0]  # bin 7: one of two top labels right


def test_one_vs_rest_micro_stacks_every_class():
    target, score = one_vs_rest(np.array([0, 2]), np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]))
    assert target.tolist() == [1, 0, 0, 0, 0, 1]
    assert score.tolist() == [0.6, 0.3, 0.1, 0.2, 0.2, 0.6]


def test_confusion_pairs_use_class_names():
    pairs = confusion_pairs(Y, PROBA, ["neg", "pos"])
    assert pairs.to_dict("list") == {"actual": ["neg", "neg", "pos", "pos"], "predicted": ["neg", "pos", "neg", "pos"]}


def test_thin_keeps_ends_and_caps_rows():
    frame = pd.DataFrame({"x": range(1000)})
    thinned = thin(frame, max_points=10)
    assert len(thinned) == 10 and thinned["x"].iloc[0] == 0 and thinned["x"].iloc[-1] == 999
    assert len(thin(frame.head(5), max_points=10)) == 5


def test_regression_points_sample_is_capped_and_fixed():
    y = np.arange(100.0)
    first, second = regression_points(y, y + 1, max_points=10), regression_points(y, y + 1, max_points=10)
    assert len(first) == 10 and first.equals(second)
    assert (first["predicted"] - first["actual"] == 1).all()


def test_classification_plot_data_names_match_dvc_yaml():
    assert set(classification_plot_data(Y, PROBA, ["neg", "pos"])) == {
        "roc",
        "precision_recall",
        "calibration",
        "confusion",
    }


def test_sweep_points_pair_every_param_with_every_selection_score():
    params = {
        "model": {"name": "mlp", "units": [16, 16], "dropout": 0.5},
        "training": {"epochs": 4, "refit": False, "early_stopping": {"patience": None}},
        "dataset": {"files": [{"name": "a.csv"}]},
    }
    frame = sweep_points(params, {"acc": 0.8, "f1": 0.7})
    assert list(frame.columns) == ["param", "value", "number", "metric", "score"]
    assert sorted(set(frame["param"])) == [
        "model.dropout",
        "model.name",
        "model.units",
        "training.early_stopping.patience",
        "training.epochs",
        "training.refit",
    ]  # lists of mappings are left out
    rows = {(r.param, r.metric): r for r in frame.itertuples()}
    assert rows["model.units", "f1"].value == "[16, 16]" and np.isnan(rows["model.units", "f1"].number)
    assert rows["training.epochs", "acc"].value == "4" and rows["training.epochs", "acc"].number == 4.0
    assert rows["training.refit", "acc"].value == "false" and np.isnan(rows["training.refit", "acc"].number)
    assert rows["training.early_stopping.patience", "acc"].value == "null"
    assert rows["model.name", "acc"].score == 0.8
