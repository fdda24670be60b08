"""From saved predictions to everything the evaluate stage writes: metrics, plot data, figures, errors.

Predictions come from ``data/predictions.parquet`` (columns ``fold, split, row, y`` and either
``p_0..p_{k-1}`` or, for regression, ``pred``). When several folds predict the same row (the test set
under K-fold, validation rows under repeated K-fold), their outputs are averaged: the pooled metrics
score the ensemble. Per-fold scores are :mod:`textclf.evaluate.cv`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from textclf.errors import DataError
from textclf.evaluate import figures as fig
from textclf.evaluate.cv import mean_by_row
from textclf.evaluate.error_analysis import confident_errors, largest_errors
from textclf.evaluate.metrics import baseline_metrics, classification_metrics, confusion_counts, regression_metrics
from textclf.evaluate.plots import classification_plot_data, regression_points

SPLITS = ("val", "test")  # as in data/predictions.parquet and the metrics files


@dataclass(frozen=True)
class Scored:
    """One split's pooled rows: row ids, targets and model outputs (probabilities or predictions)."""

    rows: np.ndarray
    y: np.ndarray
    scores: np.ndarray  # (n, n_classes) probabilities, or (n,) regression predictions

    @property
    def is_regression(self) -> bool:
        return self.scores.ndim == 1


def output_columns(predictions: pd.DataFrame, n_classes: int) -> list[str]:
    """``p_0..p_{k-1}`` for classification, ``pred`` for regression (``n_classes == 0``)."""
    columns = [f"p_{k}" for k in range(n_classes)] if n_classes else ["pred"]
    missing = [c for c in columns if c not in predictions]
    if missing:
        raise DataError(
            f"predictions lack column(s) {', '.join(missing)} for {n_classes} classes "
            f"(classes.json): rerun the train stage (dvc repro train)."
        )
    return columns


def pooled(predictions: pd.DataFrame, split: str, n_classes: int) -> Scored | None:
    """Rows of ``split`` (``val``/``test``) with outputs averaged over folds; ``None`` if there are none."""
    part = predictions[predictions["split"] == split]
    if part.empty:
        return None
    columns = output_columns(predictions, n_classes)
    mean = mean_by_row(part, columns)
    scores = mean[columns].to_numpy(dtype=np.float64)
    return Scored(mean.index.to_numpy(), mean["y"].to_numpy(), scores if n_classes else scores[:, 0])


def flat_scorer(n_classes: int):
    """``score(y, outputs) -> {metric: number}`` for per-fold scores (no nested confusion/per-class)."""
    if n_classes == 0:
        return lambda y, outputs: regression_metrics(y, outputs[:, 0])
    return lambda y, outputs: classification_metrics(y, outputs, details=False)


def split_metrics(scored: Scored, classes: list[str], y_train: np.ndarray) -> dict[str, Any]:
    """Model metrics of one split, with the dummy baseline's under ``baseline``."""
    if scored.is_regression:
        out = regression_metrics(scored.y, scored.scores)
    else:
        out = classification_metrics(scored.y, scored.scores, classes)
    out["baseline"] = baseline_metrics(y_train, scored.y, len(classes))
    return out


def evaluate(predictions: pd.DataFrame, classes: list[str], y_train: np.ndarray) -> tuple[dict, dict[str, Scored]]:
    """Full metrics nested by split (``val``, ``test``) and the pooled rows they were computed on."""
    n_classes = len(classes)
    results, scored = {}, {}
    for split in SPLITS:
        rows = pooled(predictions, split, n_classes)
        if rows is not None:
            scored[split] = rows
            results[split] = split_metrics(rows, classes, y_train)
    return results, scored


def reported_split(scored: dict[str, Scored]) -> str:
    """The split the plots, errors and per-class tables describe: ``test``, or ``val`` (out-of-fold
    rows) for a dataset without a test split."""
    for split in ("test", "val"):
        if split in scored:
            return split
    raise DataError("data/predictions.parquet has no validation or test rows: rerun the train stage (dvc repro train).")


def plot_data(test: Scored, classes: list[str]) -> dict[str, pd.DataFrame]:
    """DVC plot files (by stem) for the reported split."""
    if test.is_regression:
        return {"regression": regression_points(test.y, test.scores)}
    return classification_plot_data(test.y, test.scores, classes)


def figures(
    history: pd.DataFrame | None,
    test: Scored,
    data: dict[str, pd.DataFrame],
    classes: list[str],
    test_metrics: dict[str, Any],
    split: str = "test",
) -> dict[str, Any]:
    """Matplotlib figures by file stem: training curves, then the plots of the reported ``split``."""
    out = {}
    if history is not None and len(history):  # models without epochs (scikit-learn) have no curves
        for metric in ("loss", "accuracy", "mae"):
            if metric in history:
                out[metric] = fig.training_curve(history, metric)
    if test.is_regression:
        out["regression"] = fig.regression_figure(data["regression"], split)
        return out
    out["roc"] = fig.roc_figure(data["roc"], test_metrics.get("roc_auc"), split)
    prevalence = float(np.mean(test.y == 1)) if len(classes) == 2 else None
    out["precision_recall"] = fig.precision_recall_figure(data["precision_recall"], prevalence, split)
    out["calibration"] = fig.calibration_figure(data["calibration"], split)
    counts = confusion_counts(test.y, test.scores.argmax(axis=1), classes)
    out["confusion"] = fig.confusion_figure(np.array([list(r.values()) for r in counts.values()]), classes, split)
    return out


def errors(test: Scored, classes: list[str], texts: pd.Series) -> pd.DataFrame:
    """The most confidently wrong (classification) or most wrong (regression) rows of the reported split."""
    if test.is_regression:
        return largest_errors(test.rows, test.y, test.scores, texts)
    return confident_errors(test.rows, test.y, test.scores, classes, texts)
