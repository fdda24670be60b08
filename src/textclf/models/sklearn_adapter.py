"""The Keras adapter's interface over a scikit-learn estimator (``logreg``, ``nbsvm``, ``majority``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn import metrics

from textclf.config import TrainingConfig
from textclf.errors import ConfigError
from textclf.models.adapter import ModelAdapter
from textclf.models.outputs import sklearn_output
from textclf.models.problem import Problem
from textclf.models.registry import check_inputs


class SklearnModel(ModelAdapter):
    """A scikit-learn estimator behind the trainer's interface (:class:`~textclf.models.adapter.ModelAdapter`).

    Args:
        name: registered model name (for error messages).
        estimator: an unfitted scikit-learn estimator.
        training: only ``class_weight`` is used (``epochs``, optimiser and callbacks do not apply).
        problem: binary, multiclass or regression.
    """

    def __init__(self, name: str, estimator, training: TrainingConfig, problem: Problem):
        super().__init__(name, training, problem)
        if training.class_weight and "class_weight" not in estimator.get_params():
            raise ConfigError(f"model '{name}' takes no class weights: set training.class_weight=null.")
        if training.class_weight:
            estimator.set_params(class_weight=training.class_weight)
        self.estimator = estimator

    def fit(self, X, y, X_val=None, y_val=None, n_features: int | None = None, callbacks=()) -> dict[str, list[float]]:
        """Fit once; return a one-"epoch" history of train (and validation) loss and accuracy or MAE.

        ``n_features`` and ``callbacks`` are accepted for interface parity and ignored.
        """
        check_inputs(self.name, X)
        y = self.problem.check_targets(y, "y_train")
        self.estimator.fit(X, y)
        history = self._scores(X, y, "")
        if X_val is not None and X_val.shape[0]:
            history.update(self._scores(X_val, self.problem.check_targets(y_val, "y_val"), "val_"))
        return {k: [v] for k, v in history.items()}

    def _scores(self, X, y, prefix: str) -> dict[str, float]:
        if not self.problem.is_classification:
            pred = self.predict(X)
            return {
                f"{prefix}loss": float(metrics.mean_squared_error(y, pred)),
                f"{prefix}mae": float(metrics.mean_absolute_error(y, pred)),
            }
        proba = np.clip(self.predict_proba(X), 1e-7, 1)
        proba /= proba.sum(axis=1, keepdims=True)
        return {
            f"{prefix}loss": float(metrics.log_loss(y, proba, labels=np.arange(self.n_classes))),
            f"{prefix}accuracy": float(metrics.accuracy_score(y, proba.argmax(axis=1))),
        }

    def outputs(self, X) -> np.ndarray:
        return sklearn_output(self.estimator, X, self.n_classes)

    def describe(self, folder: Path) -> dict:
        """The fitted estimator: repr, docstring summary and learned arrays (``folder`` is unused)."""
        from textclf.models.describe import sklearn_architecture

        return {"framework": "sklearn", "name": self.name, **sklearn_architecture(self.estimator)}

    def save(self, folder: Path) -> None:
        """``model.skops`` (no pickle; see :mod:`textclf.models.saved`), written atomically."""
        from textclf.models.saved import SKLEARN_FILE, save_sklearn

        save_sklearn(self.estimator, Path(folder) / SKLEARN_FILE)
