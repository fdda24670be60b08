"""One place that turns a fitted model's raw scores into textclf's outputs.

Classification: probabilities ``(n, n_classes)``, one column per class id. Regression
(``n_classes == 0``): predicted values ``(n,)``. Used by the adapters while training and by
:mod:`textclf.models.saved` when a saved model predicts.
"""

from __future__ import annotations

import numpy as np


def keras_output(model, X, n_classes: int, batch_size: int = 512) -> np.ndarray:
    """Outputs of a Keras model whose head is sigmoid(1), softmax(k) or linear(1)."""
    scores = np.asarray(model.predict(X, batch_size=batch_size, verbose=0), dtype=np.float64)
    if not n_classes:
        return scores.reshape(-1)
    return np.hstack([1 - scores, scores]) if n_classes == 2 and scores.shape[1] == 1 else scores


def sklearn_output(estimator, X, n_classes: int) -> np.ndarray:
    """Outputs of a scikit-learn estimator; classes absent from training get probability 0."""
    if not n_classes:
        return np.asarray(estimator.predict(X), dtype=np.float64).reshape(-1)
    proba = np.zeros((X.shape[0], n_classes))
    proba[:, np.asarray(estimator.classes_, dtype=np.int64)] = estimator.predict_proba(X)
    return proba
