"""Classify new texts with a trained fold: same tokeniser, fitted vectoriser, saved model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
from textclf.config import load_params
from textclf.errors import DataError
from textclf.io import read_json
from textclf.models.saved import load_saved
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
        vectorizer_path = Path(features_dir) / Path(model_dir).name / "vectorizer.joblib"
        for path in (Path(model_dir), vectorizer_path, classes_file):
            if not Path(path).exists():
                raise DataError(f"{path} not found: run `dvc repro` first, or pass --model-dir.")
        text = load_params("text", path=params_file, check_fresh=False)["text"]
        classes = read_json(classes_file)
        model = load_saved(model_dir, len(classes))
        return cls(TOKENIZERS.build(text), joblib.load(vectorizer_path), model, classes)

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """Return ``(class name, probability)`` for each text, or ``("", value)`` for regression."""
        output = self.model.predict_output(self.vectorizer.transform([" ".join(self.tokenizer(t)) for t in texts]))
        if not self.classes:
            return [("", float(v)) for v in output]
        return [(self.classes[k], float(p[k])) for p, k in zip(output, output.argmax(axis=1))]
