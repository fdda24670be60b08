"""One place that turns a fitted model's raw scores into textclf's outputs.

Classification: probabilities ``(n, n_classes)``, one column per class id. Regression
(``n_classes == 0``): predicted values ``(n,)``. Used by the adapters while training and by
:mod:`textclf.models.saved` when a saved model predicts.
"""

from __future__ import annotations

import numpy as np


def keras_output(model, X, n_classes: int, batch_size: int = 512) -> np.ndarray:
    """Outputs of a Keras model whose head is sigmoid(1), softmax(k) or linear(1).

    Rows go through ``predict_on_batch`` ``batch_size`` at a time: the numbers of
    ``model.predict(X, batch_size=batch_size)`` without its set-up cost per call (~0.4 s), which
    would dominate predicting one text.
    """
    n = X.shape[0]
    batches = [
        np.asarray(model.predict_on_batch(keras_input(X[i : i + batch_size])), dtype=np.float64)
        for i in range(0, n, batch_size)
    ]
    scores = np.vstack(batches) if batches else np.zeros((0, model.output_shape[-1]))
    if not n_classes:
        return scores.reshape(-1)
    return np.hstack([1 - scores, scores]) if n_classes == 2 and scores.shape[1] == 1 else scores


def keras_input(X):
    """scipy sparse rows as a ``tf.SparseTensor`` (what ``model.predict`` makes of them); arrays as they are."""
    import scipy.sparse as sp

    if not sp.issparse(X):
        return np.asarray(X)
    import tensorflow as tf

    coo = sp.coo_matrix(X)
    return tf.SparseTensor(np.column_stack([coo.row, coo.col]).astype(np.int64), coo.data, coo.shape)


def sklearn_output(estimator, X, n_classes: int) -> np.ndarray:
    """Outputs of a scikit-learn estimator; classes absent from training get probability 0."""
    if not n_classes:
        return np.asarray(estimator.predict(X), dtype=np.float64).reshape(-1)
    proba = np.zeros((X.shape[0], n_classes))
    proba[:, np.asarray(estimator.classes_, dtype=np.int64)] = estimator.predict_proba(X)
    return proba
