"""Classify new texts with a trained fold: same tokeniser, fitted vectoriser, saved model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from textclf.config import load_params
from textclf.errors import DataError
from textclf.io import read_json
from textclf.text import TOKENIZERS


@dataclass
class Predictor:
    tokenizer: Any
    vectorizer: Any
    model: Any
    classes: list[str]

    @classmethod
    def load(cls, model_dir: Path, params_file: Path = Path("params.yaml"),
             features_dir: Path = Path("data/features"), classes_file: Path = Path("data/prepared/classes.json")):
        """Load the fold whose model is in ``model_dir`` (e.g. ``models/holdout``)."""
        model_path = Path(model_dir) / "model.keras"
        vectorizer_path = Path(features_dir) / Path(model_dir).name / "vectorizer.joblib"
        for path in (model_path, vectorizer_path, classes_file):
            if not Path(path).exists():
                raise DataError(f"{path} not found: run `dvc repro` first, or pass --model-dir.")
        text = dict(load_params("text", path=params_file, check_fresh=False)["text"])
        text.pop("n_jobs", None)
        import keras

        return cls(TOKENIZERS.build(text), joblib.load(vectorizer_path), keras.saving.load_model(model_path),
                   read_json(classes_file))

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """Return ``(class name, probability)`` for each text."""
        X = self.vectorizer.transform([" ".join(self.tokenizer(t)) for t in texts])
        scores = self.model.predict(X, verbose=0)
        proba = np.hstack([1 - scores, scores]) if scores.shape[1] == 1 else scores
        return [(self.classes[k], float(p[k])) for p, k in zip(proba, proba.argmax(axis=1))]
