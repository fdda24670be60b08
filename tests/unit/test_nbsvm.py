"""NBSVM: log-count ratios, predictions, and the scikit-learn estimator contract."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.utils.estimator_checks import parametrize_with_checks

from textclf.models.nbsvm import NBSVMClassifier

# These two checks feed negative features although the estimator is tagged positive_only
# (log-count ratios of negative counts are undefined), so a clear ValueError is the right answer.
NEGATIVE_DATA_CHECKS = {
    "check_class_weight_classifiers": "uses negative features",
    "check_decision_proba_consistency": "uses negative features",
}


@parametrize_with_checks([NBSVMClassifier()], expected_failed_checks=lambda est: NEGATIVE_DATA_CHECKS)
def test_sklearn_contract(estimator, check):
    check(estimator)


def toy(n=80, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.integers(0, 2, size=(n, 6)).astype(float)
    X[:, 0] = y  # feature 0 marks class 1, feature 1 class 0
    X[:, 1] = 1 - y
    return sp.csr_matrix(X), y


def test_log_count_ratio_signs_follow_the_class():
    X, y = toy()
    clf = NBSVMClassifier().fit(X, y)
    assert clf.ratios_.shape == (1, 6)
    assert clf.ratios_[0, 0] > 0 > clf.ratios_[0, 1]
    assert (clf.predict(X) == y).mean() == 1.0


def test_ratio_matches_wang_manning_formula():
    X = sp.csr_matrix(np.array([[1, 0], [1, 1], [0, 1]], dtype=float))
    y = np.array([1, 1, 0])
    r = NBSVMClassifier(alpha=1.0).fit(X, y).ratios_[0]
    p = 1 + np.array([2, 1])
    q = 1 + np.array([0, 1])
    assert r == pytest.approx(np.log((p / p.sum()) / (q / q.sum())))


def test_multiclass_probabilities_sum_to_one():
    rng = np.random.default_rng(1)
    y = np.arange(90) % 3
    X = sp.csr_matrix(np.hstack([np.eye(3)[y], rng.integers(0, 2, (90, 4))]))
    clf = NBSVMClassifier().fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (90, 3) and np.allclose(proba.sum(axis=1), 1)
    assert (clf.predict(X) == y).mean() > 0.9


def test_negative_features_are_rejected():
    with pytest.raises(ValueError, match="non-negative"):
        NBSVMClassifier().fit(sp.csr_matrix(np.array([[-1.0], [1.0]])), [0, 1])
