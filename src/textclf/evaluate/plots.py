"""Data files behind the DVC plots (and the PNG figures): curves as tidy frames, one row per point.

Binary problems plot the positive class (id 1). Multiclass problems use the micro average of the
one-vs-rest curves for ROC and precision-recall, and top-label confidence for calibration.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_curve, roc_curve
from sklearn.preprocessing import label_binarize

MAX_POINTS = 500  # a curve from 25k test rows has ~25k points; 500 draw the same line in a fraction of the bytes
CALIBRATION_BINS = 10
MAX_SCATTER = 2000


def thin(frame: pd.DataFrame, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Keep at most ``max_points`` evenly spaced rows, always including the first and last."""
    if len(frame) <= max_points:
        return frame.reset_index(drop=True)
    keep = np.unique(np.linspace(0, len(frame) - 1, max_points).round().astype(int))
    return frame.iloc[keep].reset_index(drop=True)


def one_vs_rest(y: np.ndarray, proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Binary targets and scores: the positive class for two classes, else all classes stacked (micro)."""
    y = np.asarray(y).astype(np.int64)
    if proba.shape[1] == 2:
        return (y == 1).astype(int), proba[:, 1]
    onehot = label_binarize(y, classes=np.arange(proba.shape[1]))
    return onehot.ravel(), proba.ravel()


def roc_points(y: np.ndarray, proba: np.ndarray) -> pd.DataFrame:
    """ROC curve as ``fpr, tpr, threshold`` rows."""
    target, score = one_vs_rest(y, proba)
    fpr, tpr, thresholds = roc_curve(target, score)
    frame = pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": np.clip(thresholds, 0, 1)})
    return thin(frame).round(5)


def precision_recall_points(y: np.ndarray, proba: np.ndarray) -> pd.DataFrame:
    """Precision-recall curve as ``recall, precision, threshold`` rows, by increasing threshold."""
    target, score = one_vs_rest(y, proba)
    precision, recall, thresholds = precision_recall_curve(target, score)
    # sklearn returns one more (precision, recall) pair than thresholds: the (1, 0) end point.
    frame = pd.DataFrame({"recall": recall, "precision": precision, "threshold": np.append(thresholds, 1.0)})
    return thin(frame).round(5)


def calibration_points(y: np.ndarray, proba: np.ndarray, n_bins: int = CALIBRATION_BINS) -> pd.DataFrame:
    """Reliability diagram: per probability bin, mean predicted probability vs observed frequency.

    Returns ``bin, predicted, observed, count`` rows for the non-empty bins of ``n_bins`` equal-width
    bins. Binary: probability of the positive class vs the positive rate. Multiclass: top-label
    confidence vs accuracy.
    """
    y = np.asarray(y).astype(np.int64)
    if proba.shape[1] == 2:
        score, hit = proba[:, 1], (y == 1)
    else:
        score, hit = proba.max(axis=1), proba.argmax(axis=1) == y
    bins = np.minimum((score * n_bins).astype(int), n_bins - 1)
    frame = pd.DataFrame({"bin": bins, "predicted": score, "observed": hit.astype(float)})
    grouped = frame.groupby("bin").agg(
        predicted=("predicted", "mean"), observed=("observed", "mean"), count=("observed", "size")
    )
    return grouped.reset_index().round(5)


def confusion_pairs(y: np.ndarray, proba: np.ndarray, classes: list[str]) -> pd.DataFrame:
    """One ``actual, predicted`` row per document, for DVC's ``confusion`` template."""
    names = np.asarray(classes)
    return pd.DataFrame({"actual": names[np.asarray(y).astype(np.int64)], "predicted": names[proba.argmax(axis=1)]})


def regression_points(y: np.ndarray, pred: np.ndarray, max_points: int = MAX_SCATTER, seed: int = 0) -> pd.DataFrame:
    """``actual, predicted`` pairs for a scatter plot (a fixed random sample of ``max_points``)."""
    frame = pd.DataFrame({"actual": np.asarray(y, dtype=float), "predicted": np.asarray(pred, dtype=float)})
    if len(frame) > max_points:
        frame = frame.sample(max_points, random_state=seed).sort_index()
    return frame.reset_index(drop=True).round(5)


def classification_plot_data(y: np.ndarray, proba: np.ndarray, classes: list[str]) -> dict[str, pd.DataFrame]:
    """Every classification plot keyed by file stem (``roc``, ``precision_recall``, ...)."""
    return {
        "roc": roc_points(y, proba),
        "precision_recall": precision_recall_points(y, proba),
        "calibration": calibration_points(y, proba),
        "confusion": confusion_pairs(y, proba, classes),
    }


def flat_params(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"model": {"units": [16]}}`` -> ``{"model.units": [16]}``; keeps scalars and lists of scalars."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat_params(value, f"{name}."))
        elif not isinstance(value, list) or all(not isinstance(v, (dict, list)) for v in value):
            out[name] = value
    return out


def _label(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def sweep_points(params: dict[str, Any], scores: dict[str, float]) -> pd.DataFrame:
    """One row per (param, metric) of this run: ``param, value, number, metric, score``.

    ``scores`` are the run's selection scores (:func:`textclf.evaluate.headline.selection_scores`).

    ``dvc plots diff`` over a sweep's experiments stacks these rows, so the ``sweep`` template can
    draw each selection score against every parameter whose value differs between the runs.
    ``value`` is the label DVC shows (``[16, 16]``); ``number`` is set for numeric values, for ordering.
    """
    rows = []
    for name, value in sorted(flat_params(params).items()):
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan
        rows += [(name, _label(value), number, metric, score) for metric, score in scores.items()]
    return pd.DataFrame(rows, columns=["param", "value", "number", "metric", "score"])
