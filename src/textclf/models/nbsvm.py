"""NBSVM (Wang & Manning, ACL 2012): a linear classifier on Naive-Bayes log-count-ratio scaled features."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from textclf.models.registry import sklearn_model


class NBSVMClassifier(ClassifierMixin, BaseEstimator):
    """Scale each feature by its NB log-count ratio ``r``, then fit a logistic regression.

    For class ``c`` against the rest, ``p = alpha + sum of x over rows of c``,
    ``q = alpha + sum over the other rows``, ``r = log((p / |p|_1) / (q / |q|_1))``; the
    classifier sees ``x * r``. Binary problems use one ``r``; multiclass ones one per class
    (one-vs-rest, probabilities renormalised). Wang & Manning use an L2 SVM with weight
    interpolation; a logistic regression ("NB-LR") scores the same on IMDB and gives probabilities.

    Args:
        alpha: additive (Laplace) smoothing of the counts.
        C: inverse regularisation strength of the logistic regression.
        binarize: use ``x > 0`` instead of ``x`` (the paper's binarised features).
        max_iter: solver iterations.
        class_weight: ``balanced`` or ``None``, passed to the logistic regression.
        random_state: seed of the solver.
    """

    def __init__(
        self,
        alpha: float = 1.0,
        C: float = 1.0,
        binarize: bool = True,
        max_iter: int = 1000,
        class_weight=None,
        random_state=None,
    ):
        self.alpha = alpha
        self.C = C
        self.binarize = binarize
        self.max_iter = max_iter
        self.class_weight = class_weight
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        tags.classifier_tags.poor_score = True  # binarised features lose the signal of dense toy data
        return tags

    def _prepare(self, X, y=None, reset: bool = False):
        if reset:
            X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, reset=True)
        else:
            X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        X = sp.csr_matrix(X)
        if X.nnz and X.data.min() < 0:
            raise ValueError(
                "Negative values in data passed to NBSVMClassifier: it needs non-negative "
                "features (counts or presence)."
            )
        if self.binarize:
            X = X.copy()
            X.data = (X.data > 0).astype(np.float64)
        return X, y

    def fit(self, X, y):
        X, y = self._prepare(X, y, reset=True)
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"NBSVMClassifier needs samples of at least 2 classes; got one class: {self.classes_[0]!r}."
            )
        targets = [1] if len(self.classes_) == 2 else range(len(self.classes_))
        self.ratios_ = np.vstack([self._log_count_ratio(X, y_idx == k) for k in targets])
        self.estimators_ = []
        for r, k in zip(self.ratios_, targets, strict=True):
            lr = LogisticRegression(
                C=self.C,
                max_iter=self.max_iter,
                solver="liblinear",
                class_weight=self.class_weight,
                random_state=self.random_state,
            )
            self.estimators_.append(lr.fit(X @ sp.diags(r), (y_idx == k).astype(int)))
        self.n_iter_ = np.array([int(np.max(lr.n_iter_)) for lr in self.estimators_])
        return self

    def _log_count_ratio(self, X, positive: np.ndarray) -> np.ndarray:
        p = self.alpha + np.asarray(X[positive].sum(axis=0)).ravel()
        q = self.alpha + np.asarray(X[~positive].sum(axis=0)).ravel()
        return np.log((p / p.sum()) / (q / q.sum()))

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        X, _ = self._prepare(X)
        scores = np.column_stack(
            [lr.decision_function(X @ sp.diags(r)) for r, lr in zip(self.ratios_, self.estimators_, strict=True)]
        )
        return scores[:, 0] if len(self.classes_) == 2 else scores

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        scores = self.decision_function(X)
        if len(self.classes_) == 2:
            p = 1 / (1 + np.exp(-scores))
            return np.column_stack([1 - p, p])
        p = 1 / (1 + np.exp(-scores))
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


@sklearn_model("nbsvm", inputs="vectors")
def build_nbsvm(
    problem, seed: int, *, alpha: float = 1.0, C: float = 1.0, binarize: bool = True, max_iter: int = 1000
) -> NBSVMClassifier:
    """NB log-count-ratio logistic regression; use with ``features=multihot features.ngram_range=[1,2]``."""
    return NBSVMClassifier(alpha=alpha, C=C, binarize=binarize, max_iter=max_iter, random_state=seed)
