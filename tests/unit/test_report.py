"""textclf.evaluate.report: pooling fold predictions and scoring every split."""

import numpy as np
import pandas as pd
import pytest

from textclf.errors import DataError
from textclf.evaluate import report


def predictions(fold="holdout", p1=(0.1, 0.6, 0.4, 0.9), split="test"):
    return pd.DataFrame(
        {"fold": fold, "split": split, "row": [0, 1, 2, 3], "y": [0, 0, 1, 1], "p_0": 1 - np.array(p1), "p_1": p1}
    )


def test_pooled_averages_folds_per_row():
    frame = pd.concat([predictions("f0", (0.2, 0.2, 0.8, 0.8)), predictions("f1", (0.4, 0.6, 0.6, 1.0))])
    scored = report.pooled(frame, "test", 2)
    assert scored.rows.tolist() == [0, 1, 2, 3] and scored.y.tolist() == [0, 0, 1, 1]
    assert scored.scores[:, 1].round(6).tolist() == [0.3, 0.4, 0.7, 0.9]
    assert report.pooled(frame, "val", 2) is None


def test_evaluate_nests_by_split_with_baseline():
    frame = pd.concat([predictions(split="val"), predictions()])
    metrics, scored = report.evaluate(frame, ["neg", "pos"], y_train=np.array([0, 1, 1]))
    assert set(metrics) == {"val", "test"} == set(scored)
    assert metrics["test"]["accuracy"] == 0.5
    # The training majority is pos: the baseline finds all of pos and none of neg.
    assert metrics["test"]["baseline"]["accuracy"] == 0.5 and metrics["test"]["baseline"]["recall_macro"] == 0.5


def test_regression_predictions_use_the_pred_column():
    frame = pd.DataFrame(
        {"fold": "holdout", "split": "test", "row": [0, 1, 2], "y": [1.0, 2.0, 3.0], "pred": [1.0, 2.0, 5.0]}
    )
    metrics, scored = report.evaluate(frame, [], y_train=np.array([0.0, 2.0]))
    assert scored["test"].is_regression
    assert metrics["test"]["r2"] == -1.0
    assert metrics["test"]["baseline"]["mae"] == 1.0  # predicts the training mean 1.0 for targets 1, 2, 3
    assert set(report.plot_data(scored["test"], [])) == {"regression"}


def test_missing_probability_columns_is_a_clear_error():
    with pytest.raises(DataError, match="p_2"):
        report.pooled(predictions(), "test", 3)


def test_figures_and_errors_for_a_binary_run():
    _, scored = report.evaluate(predictions(), ["neg", "pos"], y_train=np.array([0, 1]))
    test = scored["test"]
    data = report.plot_data(test, ["neg", "pos"])
    history = pd.DataFrame(
        {
            "fold": "holdout",
            "epoch": [1, 2],
            "loss": [0.7, 0.5],
            "accuracy": [0.5, 0.7],
            "val_loss": [0.8, 0.6],
            "val_accuracy": [0.5, 0.6],
        }
    )
    figures = report.figures(history, test, data, ["neg", "pos"], {"roc_auc": 0.75})
    assert list(figures) == ["loss", "accuracy", "roc", "precision_recall", "calibration", "confusion"]
    errors = report.errors(test, ["neg", "pos"], pd.Series(["a", "b", "c", "d"]))
    assert errors["row"].tolist() == [1, 2]  # both wrong at probability 0.6: ties go by row id


def test_no_training_curves_without_epochs():
    _, scored = report.evaluate(predictions(), ["neg", "pos"], y_train=np.array([0, 1]))
    data = report.plot_data(scored["test"], ["neg", "pos"])
    empty = pd.DataFrame(columns=["fold", "epoch"])
    assert "loss" not in report.figures(empty, scored["test"], data, ["neg", "pos"], {})
    assert "loss" not in report.figures(None, scored["test"], data, ["neg", "pos"], {})
