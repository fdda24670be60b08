"""``fit``/``predict_proba`` adapter over a Keras model builder."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from textclf.config import TrainingConfig

log = logging.getLogger(__name__)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TF's C++ info banners


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and TensorFlow and make TF ops deterministic."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def _head(n_classes: int) -> tuple[int, str, str]:
    """Output width, activation and loss for the problem type."""
    if n_classes == 2:
        return 1, "sigmoid", "binary_crossentropy"
    return n_classes, "softmax", "sparse_categorical_crossentropy"


class KerasEstimator:
    """Builds, compiles and fits ``builder(n_features, ...)`` with the training settings."""

    def __init__(self, builder, hyperparameters: dict, training: TrainingConfig, n_classes: int):
        self.builder = builder
        self.hyperparameters = hyperparameters
        self.training = training
        self.n_classes = n_classes
        self.model_ = None

    def _compile(self, n_features: int):
        import keras

        n_outputs, activation, loss = _head(self.n_classes)
        model = self.builder(n_features, n_outputs, activation, **self.hyperparameters)
        optimizer = keras.optimizers.get(self.training.optimizer)
        if self.training.learning_rate is not None:
            optimizer.learning_rate = self.training.learning_rate
        model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
        return model

    def fit(self, X, y, X_val=None, y_val=None, n_features: int | None = None, callbacks=()) -> dict[str, list[float]]:
        """Fit; return the per-epoch history (``loss``, ``accuracy``, ``val_*``).

        Args:
            n_features: model input size (vocabulary size for id sequences); default ``X.shape[1]``.
            callbacks: extra Keras callbacks from the caller (e.g. a live logger).
        """
        seed_everything(self.training.seed)
        self.model_ = self._compile(n_features or X.shape[1])
        validation = (X_val, np.asarray(y_val)) if X_val is not None and X_val.shape[0] else None
        history = self.model_.fit(
            X, np.asarray(y), epochs=self.training.epochs, batch_size=self.training.batch_size,
            validation_data=validation, shuffle=True, verbose=2, callbacks=list(callbacks),
        )
        return {k: [float(v) for v in values] for k, values in history.history.items()}

    def predict_proba(self, X) -> np.ndarray:
        scores = self.model_.predict(X, batch_size=self.training.batch_size, verbose=0)
        if self.n_classes == 2:
            scores = np.hstack([1 - scores, scores])
        return scores.astype(np.float64)

    def save(self, folder: Path) -> None:
        from textclf.io import atomic_path

        with atomic_path(folder / "model.keras") as tmp:
            self.model_.save(tmp)
