"""The Keras adapter's interface over a scikit-learn estimator (``logreg``, ``nbsvm``, ``majority``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn import metrics

from textclf.config import TrainingConfig
from textclf.errors import ConfigError
from textclf.models.adapter import ModelAdapter, balanced_class_weight
from textclf.models.batches import as_rows, epoch_batches
from textclf.models.outputs import sklearn_output
from textclf.models.problem import Problem
from textclf.models.registry import MODELS, check_inputs


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

    @property
    def incremental(self) -> bool:
        """Trained batch by batch with ``partial_fit`` (``sgd``; registered ``incremental``), from memory or disk."""
        return MODELS.spec(self.name).streams

    def fit(self, X, y, X_val=None, y_val=None, n_features: int | None = None, callbacks=()) -> dict[str, list[float]]:
        """Fit; return the history of train (and validation) loss and accuracy or MAE: one "epoch",
        or ``training.epochs`` of ``partial_fit`` for an :attr:`incremental` estimator.

        ``n_features`` and ``callbacks`` are accepted for interface parity and ignored.
        """
        check_inputs(self.name, X)
        y = self.problem.check_targets(y, "y_train")
        validation = None
        if X_val is not None and X_val.shape[0]:
            validation = (X_val, self.problem.check_targets(y_val, "y_val"))
        if self.incremental:
            return self._fit_batches(X, y, validation)
        self.estimator.fit(X, y)
        return {k: [v] for k, v in self._epoch_scores(X, y, validation).items()}

    def _fit_batches(self, X, y, validation) -> dict[str, list[float]]:
        """``training.epochs`` passes of ``partial_fit`` over seeded batches (:func:`epoch_batches`)."""
        t, rows_source = self.training, as_rows(X)
        fit_args = {}
        if self.problem.is_classification:
            fit_args["classes"] = np.arange(self.n_classes)
            if t.class_weight == "balanced":  # partial_fit takes weights, not "balanced": from all labels
                self.estimator.set_params(class_weight=balanced_class_weight(y))
        history: dict[str, list[float]] = {}
        for epoch in range(t.epochs):
            for rows in epoch_batches(len(rows_source), t.batch_size, t.seed, epoch):
                self.estimator.partial_fit(rows_source.take(rows), y[rows], **fit_args)
            for key, value in self._epoch_scores(X, y, validation).items():
                history.setdefault(key, []).append(value)
        return history

    def _epoch_scores(self, X, y, validation) -> dict[str, float]:
        scores = self._scores(X, y, "")
        if validation is not None:
            scores.update(self._scores(*validation, "val_"))
        return scores

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
