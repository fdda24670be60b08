"""scikit-learn adapter: history, probabilities for every class, class weights, atomic save."""

import numpy as np
import pytest
import scipy.sparse as sp

from textclf.config import TrainingConfig, parse
from textclf.errors import ConfigError
from textclf.train.estimator import make_estimator

TRAINING = parse(TrainingConfig, {"name": "holdout"}, "training")


def toy(n=60):
    y = np.arange(n) % 3
    X = sp.csr_matrix(np.hstack([np.eye(3)[y], np.ones((n, 1))]))
    return X, y


def test_history_proba_and_save(tmp_path):
    X, y = toy()
    est = make_estimator({"name": "logreg"}, TRAINING, 3)
    history = est.fit(X[:40], y[:40], X[40:], y[40:])
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 1 for v in history.values())
    assert est.predict_proba(X).shape == (60, 3)
    est.save(tmp_path)
    from textclf.models.saved import load_saved

    assert (load_saved(tmp_path, 3).predict_output(X[:3]).argmax(axis=1) == y[:3]).all()


def test_proba_has_a_column_for_classes_missing_in_training():
    X, y = toy()
    est = make_estimator({"name": "majority"}, TRAINING, 4)
    est.fit(X, y)
    proba = est.predict_proba(X)
    assert proba.shape == (60, 4) and (proba[:, 3] == 0).all()


def test_majority_regression_predicts_the_mean():
    X, _ = toy()
    est = make_estimator({"name": "majority"}, TRAINING, 0)
    history = est.fit(X, np.linspace(1, 10, 60))
    assert set(history) == {"loss", "mae"}
    assert est.predict(X) == pytest.approx(np.full(60, 5.5))


def test_class_weight_reaches_the_estimator_or_is_refused():
    balanced = parse(TrainingConfig, {"name": "holdout", "class_weight": "balanced"}, "training")
    assert make_estimator({"name": "logreg"}, balanced, 2).estimator.class_weight == "balanced"
    with pytest.raises(ConfigError, match="takes no class weights"):
        make_estimator({"name": "majority"}, balanced, 2)


def test_saved_model_reloads_for_prediction(tmp_path):
    from textclf.models.saved import load_saved

    X, y = toy()
    est = make_estimator({"name": "nbsvm"}, TRAINING, 3)
    est.fit(X, y)
    est.save(tmp_path)
    assert np.allclose(load_saved(tmp_path, 3).predict_output(X), est.predict_proba(X))
    with pytest.raises(Exception, match="neither model.keras nor model.skops"):
        load_saved(tmp_path / "missing", 3)
