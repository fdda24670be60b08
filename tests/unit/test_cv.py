"""CV aggregation: per-fold metrics, mean/std/min/max arithmetic, and which rows count as test."""

import numpy as np
import pandas as pd
import pytest

from textclf.evaluate import cv
from textclf.evaluate.metrics import classification_metrics
from textclf.evaluate.report import flat_scorer

P = ["p_0", "p_1"]
SCORE = flat_scorer(2)


def frame(fold: str, split: str, rows, y, p1) -> pd.DataFrame:
    p1 = np.asarray(p1, dtype=float)
    return pd.DataFrame({"fold": fold, "split": split, "row": rows, "y": y, "p_0": 1 - p1, "p_1": p1})


def predictions(refit: bool = False) -> pd.DataFrame:
    parts = [
        # fold_0 validates rows 0-3 with 3 of 4 right; fold_1 validates rows 4-7, all right.
        frame("fold_0", "val", [0, 1, 2, 3], [0, 0, 1, 1], [0.2, 0.7, 0.8, 0.9]),
        frame("fold_0", "test", [0, 1], [0, 1], [0.4, 0.4]),
        frame("fold_1", "val", [4, 5, 6, 7], [0, 1, 0, 1], [0.1, 0.9, 0.3, 0.6]),
        frame("fold_1", "test", [0, 1], [0, 1], [0.2, 0.8]),
    ]
    if refit:
        parts.append(frame("full", "test", [0, 1], [0, 1], [0.9, 0.1]))
    return pd.concat(parts, ignore_index=True)


def test_fold_metrics_are_classification_metrics_on_each_folds_validation_rows():
    per_fold = cv.fold_metrics(predictions(refit=True), P, SCORE)
    assert list(per_fold) == ["fold_0", "fold_1"]  # `full` has no validation rows and is no fold
    assert per_fold["fold_0"] == classification_metrics(
        np.array([0, 0, 1, 1]), np.c_[[0.8, 0.3, 0.2, 0.1], [0.2, 0.7, 0.8, 0.9]], details=False
    )
    assert per_fold["fold_0"]["accuracy"] == 0.75 and per_fold["fold_1"]["accuracy"] == 1.0


def test_aggregate_arithmetic():
    per_fold = {"a": {"accuracy": 0.8, "f1": 0.5}, "b": {"accuracy": 0.9, "f1": 0.7}, "c": {"accuracy": 1.0}}
    out = cv.aggregate(per_fold)
    assert out["accuracy"] == {"mean": 0.9, "std": pytest.approx(0.0816, abs=1e-4), "min": 0.8, "max": 1.0}
    assert out["f1"] == {"mean": 0.6, "std": 0.1, "min": 0.5, "max": 0.7}  # only folds that report it


def test_cv_section_has_aggregates_and_folds_only_for_two_or_more_folds():
    per_fold = cv.fold_metrics(predictions(), P, SCORE)
    section = cv.cv_summary(per_fold)
    assert section["accuracy"] == {"mean": 0.875, "std": 0.125, "min": 0.75, "max": 1.0}
    assert section["folds"]["fold_1"]["accuracy"] == 1.0
    assert cv.cv_summary({"holdout": per_fold["fold_0"]}) is None


def test_test_rows_are_the_refit_model_else_the_mean_of_the_fold_models():
    refit = cv.test_predictions(predictions(refit=True), P)
    assert refit["fold"].unique().tolist() == ["full"] and refit["p_1"].tolist() == [0.9, 0.1]
    mean = cv.test_predictions(predictions(), P)
    assert mean["row"].tolist() == [0, 1] and mean["y"].tolist() == [0, 1]
    assert mean["p_1"].tolist() == pytest.approx([0.3, 0.6]) and mean["p_0"].tolist() == pytest.approx([0.7, 0.4])
    assert list(mean.columns) == list(predictions().columns)


def test_final_predictions_pool_validation_rows_and_keep_one_prediction_per_test_row():
    final = cv.final_predictions(predictions(refit=True), P)
    assert sorted(final.loc[final["split"] == "val", "row"]) == list(range(8))
    assert final.loc[final["split"] == "test", "fold"].tolist() == ["full", "full"]


def test_single_fit_holdout_passes_through_unchanged():
    holdout = predictions().replace({"fold": {"fold_0": "holdout"}})
    holdout = holdout[holdout["fold"] == "holdout"]
    pd.testing.assert_frame_equal(cv.final_predictions(holdout, P), holdout.reset_index(drop=True))


def test_fold_scores_table_is_long():
    table = cv.fold_scores({"fold_0": {"accuracy": 0.75, "f1": 0.8}, "fold_1": {"accuracy": 1.0}})
    assert table.values.tolist() == [["fold_0", "accuracy", 0.75], ["fold_0", "f1", 0.8], ["fold_1", "accuracy", 1.0]]
