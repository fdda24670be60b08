"""What the trainer needs from a model, whatever library fits it: :class:`ModelAdapter`.

:class:`~textclf.models.keras_adapter.KerasModel` and :class:`~textclf.models.sklearn_adapter.SklearnModel`
fill in fitting, raw outputs, description and saving; the config checks and the class-id/probability
conventions are here, once. Not scikit-learn estimators: the config is checked when one is made, and
``fit`` returns the per-epoch history the reports plot.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from textclf.config import TrainingConfig
from textclf.errors import ConfigError
from textclf.models.batches import predict_blocks
from textclf.models.problem import Problem

CLASS_WEIGHTS = ("balanced",)


def check_training(training: TrainingConfig, problem: Problem) -> None:
    """Config errors that need no data and no TensorFlow: raised before anything is loaded."""
    if training.class_weight not in (None, *CLASS_WEIGHTS):
        raise ConfigError(
            f"training.class_weight must be balanced or null. Received: training.class_weight={training.class_weight!r}"
        )
    if training.class_weight and not problem.is_classification:
        raise ConfigError("training.class_weight applies to classification only; set it to null for regression.")


def balanced_class_weight(y: np.ndarray) -> dict[int, float]:
    """``n / (k * count)`` per class present in ``y`` (scikit-learn's ``balanced``)."""
    from sklearn.utils.class_weight import compute_class_weight

    classes = np.unique(y)
    weights = compute_class_weight("balanced", classes=classes, y=y)
    return {int(c): float(w) for c, w in zip(classes, weights, strict=True)}


class ModelAdapter(ABC):
    """One registered model with its training settings.

    Args:
        name: registered model name (for error messages).
        training: fitting settings (class weights here; the Keras adapter uses the rest).
        problem: binary, multiclass or regression.
    """

    def __init__(self, name: str, training: TrainingConfig, problem: Problem):
        check_training(training, problem)
        self.name = name
        self.training = training
        self.problem = problem

    @property
    def n_classes(self) -> int:
        return self.problem.n_classes

    @abstractmethod
    def fit(self, X, y, X_val=None, y_val=None, n_features: int | None = None, callbacks=()) -> dict[str, list[float]]:
        """Fit; return the history: per epoch, ``loss`` and ``accuracy``/``mae`` (``val_*`` with validation)."""

    @abstractmethod
    def outputs(self, X) -> np.ndarray:
        """One probability column per class id (classification), or the predicted values (regression)."""

    @abstractmethod
    def describe(self, folder: Path) -> dict:
        """The fitted model for ``reports/model/architecture.json``."""

    @abstractmethod
    def save(self, folder: Path) -> None:
        """Write the fitted model into ``folder`` without pickle (:mod:`textclf.models.saved`)."""

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, one column per class id, even for classes absent from training.

        ``X``: a matrix, or rows on disk (:class:`~textclf.io.MatrixRows`), predicted block by block.
        """
        return predict_blocks(self.outputs, X)

    def predict(self, X) -> np.ndarray:
        """Predicted values (regression) or class ids (classification), shape ``(n,)``."""
        output = self.outputs(X)
        return output.argmax(axis=1) if self.problem.is_classification else output
