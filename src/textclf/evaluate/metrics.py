"""Classification metrics with scikit-learn, rounded so ``dvc metrics diff`` stays readable."""

from __future__ import annotations

import numpy as np
from sklearn import metrics

DIGITS = 4


def classification_metrics(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall, F1, ROC AUC and log loss.

    Binary problems report the positive class (id 1); multiclass ones macro averages.
    """
    n_classes = proba.shape[1]
    pred = proba.argmax(axis=1)
    labels = np.arange(n_classes)
    average = "binary" if n_classes == 2 else "macro"
    precision, recall, f1, _ = metrics.precision_recall_fscore_support(
        y, pred, average=average, labels=None if n_classes == 2 else labels, zero_division=0
    )
    out = {
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "log_loss": metrics.log_loss(y, proba / proba.sum(axis=1, keepdims=True), labels=labels),
    }
    if len(np.unique(y)) == n_classes:
        out["roc_auc"] = (
            metrics.roc_auc_score(y, proba[:, 1]) if n_classes == 2
            else metrics.roc_auc_score(y, proba, multi_class="ovr", labels=labels)
        )
    return {k: round(float(v), DIGITS) for k, v in out.items()}
