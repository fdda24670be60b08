"""Load what an adapter's ``save(folder)`` wrote, whichever framework, for prediction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from textclf.errors import DataError
from textclf.models.outputs import keras_output, sklearn_output


@dataclass
class SavedModel:
    """A fitted model from ``models/<fit>/``; ``n_classes`` 0 means regression."""

    model: Any
    framework: str
    n_classes: int

    def predict_output(self, X) -> np.ndarray:
        """Class probabilities ``(n, k)``, or predicted values ``(n,)`` for regression."""
        if self.framework == "sklearn":
            return sklearn_output(self.model, X, self.n_classes)
        return keras_output(self.model, X, self.n_classes)


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
