"""Load what an adapter's ``save(folder)`` wrote, whichever framework, for prediction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from textclf.errors import DataError


@dataclass
class SavedModel:
    """A fitted model from ``models/<fit>/``; ``n_classes`` 0 means regression."""

    model: Any
    framework: str
    n_classes: int

    def predict_output(self, X) -> np.ndarray:
        """Class probabilities ``(n, k)``, or predicted values ``(n,)`` for regression."""
        if self.framework == "sklearn":
            if not self.n_classes:
                return np.asarray(self.model.predict(X), dtype=np.float64).reshape(-1)
            proba = np.zeros((X.shape[0], self.n_classes))
            proba[:, np.asarray(self.model.classes_, dtype=np.int64)] = self.model.predict_proba(X)
            return proba
        scores = np.asarray(self.model.predict(X, verbose=0), dtype=np.float64)
        if not self.n_classes:
            return scores.reshape(-1)
        return np.hstack([1 - scores, scores]) if scores.shape[1] == 1 else scores


def load_saved(folder: str | Path, n_classes: int) -> SavedModel:
    """Load ``folder/model.keras`` (Keras) or ``folder/model.joblib`` (scikit-learn)."""
    folder = Path(folder)
    if (folder / "model.joblib").exists():
        import joblib

        return SavedModel(joblib.load(folder / "model.joblib"), "sklearn", n_classes)
    if (folder / "model.keras").exists():
        import keras

        return SavedModel(keras.saving.load_model(folder / "model.keras"), "keras", n_classes)
    raise DataError(f"{folder} holds neither model.keras nor model.joblib: run `dvc repro` first.")
