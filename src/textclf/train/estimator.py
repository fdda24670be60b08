"""Fit one model per fold and collect validation/test predictions."""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd

from textclf.config import TrainingConfig
from textclf.models import MODELS
from textclf.models.problem import Problem
from textclf.models.registry import check_problem, check_stream

log = logging.getLogger(__name__)


def make_estimator(model_section: dict[str, Any], training: TrainingConfig, n_classes: int, run_name: str = "run"):
    """Build the registered model ``model_section['name']`` behind a fit/predict_proba adapter.

    Args:
        n_classes: ``len(classes.json)``; 0 means regression, 2 binary, more multiclass.
        run_name: the fit's name (TensorBoard sub-folder).

    Raises:
        ConfigError: unknown model or key, or a problem type the model does not support.
    """
    hyperparameters = MODELS.check(model_section)
    name = model_section["name"]
    builder = MODELS.get(name)
    problem = Problem.from_n_classes(n_classes)
    check_problem(name, problem)
    check_stream(name, training.stream)
    if MODELS.spec(name).framework == "keras":
        from textclf.models.keras_adapter import KerasModel

        return KerasModel(name, builder, hyperparameters, training, problem, run_name=run_name)
    from textclf.models.sklearn_adapter import SklearnModel

    return SklearnModel(name, builder(problem, training.seed, **hyperparameters), training, problem)


def history_frame(history: dict[str, list[float]], fold: str) -> pd.DataFrame:
    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    frame.insert(0, "fold", fold)
    return frame


def prediction_frame(split: str, rows: np.ndarray, y: np.ndarray, proba: np.ndarray, fold: str) -> pd.DataFrame:
    """Tidy predictions: one row per document with ``p_<class id>`` columns, or ``pred`` for regression."""
    frame = pd.DataFrame({"fold": fold, "split": split, "row": rows, "y": y})
    if proba.ndim == 1:
        frame["pred"] = proba
        return frame
    for k in range(proba.shape[1]):
        frame[f"p_{k}"] = proba[:, k]
    return frame


def predict_output(estimator, X) -> np.ndarray:
    """Class probabilities ``(n, k)`` for classifiers, predicted values ``(n,)`` for regression."""
    return estimator.predict_proba(X) if estimator.problem.is_classification else estimator.predict(X)


def fit_and_predict(
    estimator, data: dict[str, Any], fold: str, callbacks=()
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Fit on ``data['train']``; predict ``val`` and ``test``. Returns history, predictions, seconds.

    ``callbacks`` (Keras estimators only) are passed on to ``estimator.fit``.
    """
    start = time.perf_counter()
    extra = {"callbacks": list(callbacks)} if callbacks else {}
    history = estimator.fit(
        data["X_train"], data["y_train"], data["X_val"], data["y_val"], n_features=data["n_features"], **extra
    )
    seconds = time.perf_counter() - start
    log.info("fold %s fitted in %.1f s", fold, seconds)
    predictions = [
        prediction_frame(
            split, data[f"rows_{split}"], data[f"y_{split}"], predict_output(estimator, data[f"X_{split}"]), fold
        )
        for split in ("val", "test")
        if data[f"X_{split}"].shape[0]
    ]
    # `full` (refit) on a dataset without a test split predicts nothing: an empty frame.
    predictions = pd.concat(predictions, ignore_index=True) if predictions else pd.DataFrame()
    return history_frame(history, fold), predictions, seconds
