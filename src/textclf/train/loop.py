"""Fit one model per fold and collect validation/test predictions."""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd

from textclf.config import TrainingConfig
from textclf.models import MODELS

log = logging.getLogger(__name__)


def make_estimator(model_section: dict[str, Any], training: TrainingConfig, n_classes: int):
    """Build the registered model ``model_section['name']`` behind a fit/predict_proba adapter."""
    hyperparameters = MODELS.check(model_section)
    builder = MODELS.get(model_section["name"])
    if builder.framework == "keras":
        from textclf.models.keras_adapter import KerasEstimator

        return KerasEstimator(builder, hyperparameters, training, n_classes)
    from textclf.models.sklearn_adapter import SklearnEstimator

    return SklearnEstimator(builder(seed=training.seed, **hyperparameters), n_classes)


def history_frame(history: dict[str, list[float]], fold: str) -> pd.DataFrame:
    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    frame.insert(0, "fold", fold)
    return frame


def prediction_frame(split: str, rows: np.ndarray, y: np.ndarray, proba: np.ndarray, fold: str) -> pd.DataFrame:
    """Tidy predictions: one row per document with ``p_<class id>`` columns."""
    frame = pd.DataFrame({"fold": fold, "split": split, "row": rows, "y": y})
    for k in range(proba.shape[1]):
        frame[f"p_{k}"] = proba[:, k]
    return frame


def fit_fold(estimator, data: dict[str, Any], fold: str, callbacks=()) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Fit on ``data['train']``; predict ``val`` and ``test``. Returns history, predictions, seconds.

    ``callbacks`` (Keras estimators only) are passed on to ``estimator.fit``.
    """
    start = time.perf_counter()
    extra = {"callbacks": list(callbacks)} if callbacks else {}
    history = estimator.fit(data["X_train"], data["y_train"], data["X_val"], data["y_val"], n_features=data["n_features"],
                            **extra)
    seconds = time.perf_counter() - start
    log.info("fold %s fitted in %.1f s", fold, seconds)
    predictions = [
        prediction_frame(split, data[f"rows_{split}"], data[f"y_{split}"], estimator.predict_proba(data[f"X_{split}"]), fold)
        for split in ("val", "test")
        if data[f"X_{split}"].shape[0]
    ]
    return history_frame(history, fold), pd.concat(predictions, ignore_index=True), seconds
