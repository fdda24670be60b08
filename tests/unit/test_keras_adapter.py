"""Keras adapter: defaults add nothing to the tutorial; callbacks, loss, optimiser and class weights from config."""

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from textclf.config import TrainingConfig, parse
from textclf.errors import ConfigError
from textclf.models import MODELS
from textclf.models.adapter import balanced_class_weight
from textclf.models.keras_adapter import KerasModel
from textclf.models.problem import Problem


def training(**overrides) -> TrainingConfig:
    return parse(TrainingConfig, {"name": "holdout", "epochs": 3, "batch_size": 16, **overrides}, "training")


def estimator(problem=Problem("binary", 2), **overrides) -> KerasModel:
    return KerasModel("mlp", MODELS.get("mlp"), {"units": [4]}, training(**overrides), problem)


def toy(n=64, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.integers(0, 2, (n, 10)).astype(np.float32)
    X[:, 0] = y
    return sp.csr_matrix(X), y


def test_defaults_switch_every_extra_off():
    t = training()
    assert t.loss is None and t.class_weight is None and t.tensorboard is None
    assert t.early_stopping.patience is None and t.reduce_lr.patience is None and not t.checkpoint.enabled


def test_balanced_class_weight():
    assert balanced_class_weight(np.array([0, 0, 0, 1])) == pytest.approx({0: 4 / 6, 1: 2.0})


@pytest.mark.parametrize("bad", [{"class_weight": "heavy"}, {"early_stopping": {"patients": 2}}])
def test_bad_training_settings_are_config_errors(bad):
    with pytest.raises(ConfigError):
        estimator(**bad) if "class_weight" in bad else training(**bad)


def test_class_weight_refused_for_regression():
    with pytest.raises(ConfigError, match="classification only"):
        estimator(Problem("regression", 0), class_weight="balanced")


def test_no_callbacks_by_default():
    assert estimator()._callbacks(has_validation=True) == []


def test_callbacks_checkpoint_tensorboard_loss_and_class_weight(tmp_path: Path):
    X, y = toy()
    est = estimator(
        loss="mse",
        class_weight="balanced",
        optimizer="adam",
        learning_rate=0.01,
        tensorboard=str(tmp_path / "tb"),
        early_stopping={"patience": 1},
        reduce_lr={"patience": 1},
        checkpoint={"enabled": True},
    )
    names = [type(c).__name__ for c in est._callbacks(has_validation=True)]
    assert names == ["EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint", "TensorBoard"]
    history = est.fit(X[:48], y[:48], X[48:], y[48:])
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(history)
    assert est.model_.loss == "mse"
    est.save(tmp_path / "fit")
    assert (tmp_path / "fit/model.keras").is_file() and (tmp_path / "fit/checkpoint.keras").is_file()
    assert any((tmp_path / "tb").rglob("*tfevents*"))
    assert est.predict_proba(X).shape == (64, 2)
    from textclf.models.saved import load_saved

    assert np.allclose(load_saved(tmp_path / "fit", 2).predict_output(X), est.predict_proba(X), atol=1e-6)


def test_unknown_optimizer_and_loss_are_config_errors():
    X, y = toy()
    with pytest.raises(ConfigError, match="training.optimizer"):
        estimator(optimizer="adamm").fit(X, y)
    with pytest.raises(ConfigError, match="training.loss"):
        estimator(loss="msee").fit(X, y)


def test_validation_monitor_without_validation_rows_is_a_config_error():
    X, y = toy()
    with pytest.raises(ConfigError, match="no validation rows"):
        estimator(early_stopping={"patience": 1}).fit(X, y)


@pytest.mark.parametrize(
    ("units", "activation", "dropout", "l1", "l2"),
    [
        ([32], "tanh", 0.0, 0.0, 0.0),
        ([64, 64, 64], "relu", 0.5, 0.0, 0.001),
        ([16, 16], "tanh", 0.2, 0.001, 0.001),
    ],
)
def test_mlp_variants_of_the_tutorial_build(units, activation, dropout, l1, l2):
    model = MODELS.get("mlp")(20, 1, "sigmoid", units=units, activation=activation, dropout=dropout, l1=l1, l2=l2)
    dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"]
    assert [layer.units for layer in dense] == [*units, 1]
    assert all(layer.activation.__name__ == activation for layer in dense[:-1])
    assert sum(type(layer).__name__ == "Dropout" for layer in model.layers) == (len(units) if dropout else 0)
    assert (dense[0].kernel_regularizer is not None) == bool(l1 or l2)


def test_saved_model_files_are_byte_identical_and_load(tmp_path):
    import time

    import keras
    import numpy as np

    from textclf.models.keras_adapter import make_archive_reproducible

    paths = [tmp_path / "a.keras", tmp_path / "b.keras"]
    for path in paths:  # two builds: Keras writes memory addresses as shared_object_id
        keras.backend.clear_session()  # as in a fresh train process: same auto layer names
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
        model.save(path)
        make_archive_reproducible(path)
        time.sleep(2.1)  # zip timestamps have 2-second resolution
    assert paths[0].read_bytes() == paths[1].read_bytes()
    x = np.ones((1, 3), dtype="float32")
    assert np.allclose(keras.saving.load_model(paths[0]).predict(x, verbose=0), model.predict(x, verbose=0))
