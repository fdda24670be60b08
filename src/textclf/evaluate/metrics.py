"""Classification and regression metrics with scikit-learn, rounded so ``dvc metrics diff`` stays readable.

These are the full scores of ``reports/metrics_details.json``; :mod:`textclf.evaluate.headline` picks the
few that ``reports/metrics.json`` (what DVC compares) holds. Key names are part of the interface:

- classification: ``n, accuracy, balanced_accuracy``; ``{precision,recall,f1}_{macro,weighted}``;
  ``roc_auc, average_precision`` (binary: positive class; multiclass: one-vs-rest macro average);
  ``log_loss, brier``; ``confusion.<actual>.<predicted>`` counts; ``per_class.<class>.{precision,recall,f1,support}``
  (a binary problem's positive-class precision, recall and F1 are its ``per_class`` entry).
- regression: ``n, mae, rmse, r2``.

:func:`baseline_metrics` scores a scikit-learn dummy model fitted on the training labels with the
same functions, so the model's numbers always stand beside a floor.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn import metrics
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.preprocessing import label_binarize

DIGITS = 4
MAX_CONFUSION_CLASSES = 10  # beyond this the counts swamp `dvc exp show`; the confusion plot still has them


def rounded(tree: Any, digits: int = DIGITS) -> Any:
    """Round every float in a nested dict to ``digits``; ints stay ints."""
    if isinstance(tree, dict):
        return {k: rounded(v, digits) for k, v in tree.items()}
    if isinstance(tree, (int, np.integer)) and not isinstance(tree, bool):
        return int(tree)
    return round(float(tree), digits)


def normalise(proba: np.ndarray) -> np.ndarray:
    """Rows that sum to 1 (float32 softmax outputs can drift by ~1e-7)."""
    proba = np.clip(np.asarray(proba, dtype=np.float64), 0.0, 1.0)
    return proba / proba.sum(axis=1, keepdims=True)


def _balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    with warnings.catch_warnings():  # a class predicted but absent from `y` is fine here (tiny splits)
        warnings.filterwarnings("ignore", message="y_pred contains classes not in y_true")
        return metrics.balanced_accuracy_score(y, pred)


def ranking_scores(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    """ROC AUC and average precision; empty when ``y`` holds fewer than two classes.

    Binary problems score the positive class; multiclass ones average one-vs-rest curves over the
    classes present in ``y`` (macro).
    """
    n_classes = proba.shape[1]
    present = np.unique(y)
    if len(present) < 2:
        return {}
    if n_classes == 2:
        return {
            "roc_auc": metrics.roc_auc_score(y, proba[:, 1]),
            "average_precision": metrics.average_precision_score(y, proba[:, 1]),
        }
    onehot = label_binarize(y, classes=np.arange(n_classes))[:, present]
    scores = proba[:, present]
    return {
        "roc_auc": metrics.roc_auc_score(onehot, scores, average="macro"),
        "average_precision": metrics.average_precision_score(onehot, scores, average="macro"),
    }


def confusion_counts(y: np.ndarray, pred: np.ndarray, classes: list[str]) -> dict[str, dict[str, int]]:
    """``{actual: {predicted: count}}`` with every class present as a key (zeros included)."""
    matrix = metrics.confusion_matrix(y, pred, labels=np.arange(len(classes)))
    return {
        actual: {predicted: int(matrix[i, j]) for j, predicted in enumerate(classes)}
        for i, actual in enumerate(classes)
    }


def per_class_scores(y: np.ndarray, pred: np.ndarray, classes: list[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of every class: imbalance shows here first."""
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y, pred, labels=np.arange(len(classes)), zero_division=0
    )
    return {
        name: {"precision": precision[k], "recall": recall[k], "f1": f1[k], "support": int(support[k])}
        for k, name in enumerate(classes)
    }


def classification_metrics(
    y: np.ndarray, proba: np.ndarray, classes: list[str] | None = None, details: bool = True
) -> dict[str, Any]:
    """Every classification score for true class ids ``y`` and class probabilities ``proba``.

    Args:
        y: true class ids, shape ``(n,)``.
        proba: probabilities, shape ``(n, n_classes)``; the prediction is the arg-max.
        classes: class names, for the confusion and per-class keys (default ``"0", "1", ...``).
        details: add ``confusion`` counts and ``per_class`` scores (off for baselines).

    Returns:
        Nested dict of numbers rounded to :data:`DIGITS`.
    """
    y = np.asarray(y).astype(np.int64)
    proba = normalise(proba)
    n_classes = proba.shape[1]
    classes = [str(c) for c in (classes or range(n_classes))]
    labels = np.arange(n_classes)
    pred = proba.argmax(axis=1)
    out: dict[str, Any] = {
        "n": len(y),
        "accuracy": metrics.accuracy_score(y, pred),
        "balanced_accuracy": _balanced_accuracy(y, pred),
    }
    for average in ("macro", "weighted"):
        precision, recall, f1, _ = metrics.precision_recall_fscore_support(
            y, pred, average=average, labels=labels, zero_division=0
        )
        out.update({f"precision_{average}": precision, f"recall_{average}": recall, f"f1_{average}": f1})
    out.update(ranking_scores(y, proba))
    out["log_loss"] = metrics.log_loss(y, proba, labels=labels)
    out["brier"] = metrics.brier_score_loss(y, proba, labels=labels)
    if details:
        if n_classes <= MAX_CONFUSION_CLASSES:
            out["confusion"] = confusion_counts(y, pred, classes)
        out["per_class"] = per_class_scores(y, pred, classes)
    return rounded(out)


def regression_metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    """MAE, RMSE and R² of predictions ``pred`` for targets ``y``."""
    y, pred = np.asarray(y, dtype=np.float64), np.asarray(pred, dtype=np.float64)
    out = {
        "n": len(y),
        "mae": metrics.mean_absolute_error(y, pred),
        "rmse": metrics.root_mean_squared_error(y, pred),
        "r2": metrics.r2_score(y, pred) if len(y) > 1 else float("nan"),
    }
    return rounded(out)


def baseline_metrics(y_train: np.ndarray, y: np.ndarray, n_classes: int) -> dict[str, Any]:
    """Scores of a dummy model fitted on ``y_train`` and evaluated on ``y``.

    Classification: :class:`~sklearn.dummy.DummyClassifier` (``prior``: predicts the majority class
    with the training class frequencies as probabilities). Regression (``n_classes == 0``):
    :class:`~sklearn.dummy.DummyRegressor` predicting the training mean.
    """
    X_train, X = np.zeros((len(y_train), 1)), np.zeros((len(y), 1))
    if n_classes == 0:
        return regression_metrics(y, DummyRegressor(strategy="mean").fit(X_train, y_train).predict(X))
    dummy = DummyClassifier(strategy="prior").fit(X_train, np.asarray(y_train).astype(np.int64))
    proba = np.zeros((len(y), n_classes))
    proba[:, dummy.classes_] = dummy.predict_proba(X)
    return classification_metrics(y, proba, details=False)
