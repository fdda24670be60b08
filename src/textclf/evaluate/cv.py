"""Cross-validation results from saved predictions: per-fold metrics, their spread, and the test rows.

``data/predictions.parquet`` holds, per fit (column ``fold``), its validation rows and its test
rows. Here:

* **CV scores** (``cv`` section): the flat metrics (:func:`textclf.evaluate.report.flat_scorer`) of each
  validation fit on its own validation rows, then mean, std (population, ``ddof=0``), min and max
  of every metric across those fits.
* **val**: the pooled out-of-fold predictions of all validation fits (each training row once
  per repeat).
* **test**: the final model's predictions. With ``training.refit`` that is the fit ``full``;
  with one validation fit (holdout) it is that fit; otherwise the mean of the fold models'
  probabilities per test row (an ensemble of the K fold models).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from textclf.data.splits import FULL
from textclf.evaluate.metrics import DIGITS

STATS = {"mean": np.mean, "std": np.std, "min": np.min, "max": np.max}


def validation_fits(predictions: pd.DataFrame) -> list[str]:
    """Names of the fits validated on held-out rows, in their order of appearance."""
    return [f for f in predictions.loc[predictions["split"] == "val", "fold"].unique().tolist() if f != FULL]


def validation_rows(predictions: pd.DataFrame) -> dict[str, list[int]]:
    """Training row ids validated by each validation fit."""
    val = predictions[predictions["split"] == "val"]
    return {fit: val.loc[val["fold"] == fit, "row"].tolist() for fit in validation_fits(predictions)}


def fold_metrics(
    predictions: pd.DataFrame, columns: list[str], score: Callable[[np.ndarray, np.ndarray], dict[str, float]]
) -> dict[str, dict[str, float]]:
    """``score(y, outputs)`` of every validation fit on its own validation rows, keyed by fit name."""
    val = predictions[predictions["split"] == "val"]
    return {
        fold: score(rows["y"].to_numpy(), rows[columns].to_numpy())
        for fold, rows in ((f, val[val["fold"] == f]) for f in validation_fits(predictions))
    }


def aggregate(per_fold: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """``{metric: {mean, std, min, max}}`` over the folds that report the metric."""
    metrics = list(dict.fromkeys(m for scores in per_fold.values() for m in scores))
    out = {}
    for metric in metrics:
        values = np.array([scores[metric] for scores in per_fold.values() if metric in scores], dtype=float)
        out[metric] = {stat: round(float(fn(values)), DIGITS) for stat, fn in STATS.items()}
    return out


def cv_summary(per_fold: dict[str, dict[str, float]]) -> dict | None:
    """The ``cv`` metrics section (aggregates plus ``folds``), or ``None`` with fewer than 2 folds."""
    if len(per_fold) < 2:
        return None
    return {**aggregate(per_fold), "folds": per_fold}


def mean_by_row(predictions: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """One row per ``row`` id (sorted): its label ``y`` and the mean of each output column over fits."""
    return predictions.groupby("row", sort=True).agg({"y": "first", **{c: "mean" for c in columns}})


def test_predictions(predictions: pd.DataFrame, proba_columns: list[str]) -> pd.DataFrame:
    """One prediction per test row from the final model (see the module docstring)."""
    test = predictions[predictions["split"] == "test"]
    if (test["fold"] == FULL).any():
        return test[test["fold"] == FULL]
    if test["fold"].nunique() <= 1:
        return test
    mean = mean_by_row(test, proba_columns).reset_index()
    mean.insert(0, "split", "test")
    mean.insert(0, "fold", "mean_of_folds")
    return mean[test.columns]


def final_predictions(predictions: pd.DataFrame, proba_columns: list[str]) -> pd.DataFrame:
    """Pooled out-of-fold validation rows plus the final model's test rows, for the usual metrics."""
    val = predictions[(predictions["split"] == "val") & (predictions["fold"] != FULL)]
    return pd.concat([val, test_predictions(predictions, proba_columns)], ignore_index=True)


def fold_scores(per_fold: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Long table ``fold, metric, value`` for the strip plot of fold scores."""
    rows = [(fold, metric, value) for fold, scores in per_fold.items() for metric, value in scores.items()]
    return pd.DataFrame(rows, columns=["fold", "metric", "value"])
