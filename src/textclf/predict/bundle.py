"""Load a bundle (verified) and classify new texts with the code training used.

A bundle folder, written by the export stage (:mod:`textclf.predict.export`)::

    manifest.json     format, textclf version, sha256 of every other file
    card.json         model card data: task, classes, metrics, config, data hashes, fits
    README.md         the model card for people
    text/             tokeniser settings (+ stop words, user dictionary)   -> textclf.text.saved
    fits/<fit>/       vectorizer.json (-> textclf.features.persist) and model.keras | model.skops
                      (-> textclf.models.saved); several fits = an ensemble, outputs averaged

Texts are stripped, as prepare strips them, tokenised by the saved tokeniser, vectorised by each
fit's vectoriser and scored by its model; nothing reads ``params.yaml``. Keras bundles import
TensorFlow (quietly); scikit-learn bundles never do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from textclf.errors import DataError
from textclf.io import read_json
from textclf.predict.manifest import verify

CARD, TEXT_DIR, FITS_DIR = "card.json", "text", "fits"


@dataclass(frozen=True)
class Predictions:
    """Outputs for a batch of texts.

    Attributes:
        classes: class names (``[]`` for regression).
        outputs: ``(n, len(classes))`` probabilities, columns in ``classes`` order; ``(n,)`` values for regression.
    """

    classes: list[str]
    outputs: np.ndarray

    @property
    def labels(self) -> list[str] | None:
        """The most probable class of each text (``None`` for regression)."""
        if not self.classes:
            return None
        return [self.classes[k] for k in self.outputs.argmax(axis=1)]

    @property
    def probabilities(self) -> np.ndarray | None:
        return self.outputs if self.classes else None

    @property
    def values(self) -> np.ndarray | None:
        """Predicted values (regression only)."""
        return None if self.classes else self.outputs

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per text: ``{"label", "probabilities": {class: p}}`` or ``{"value"}``."""
        if not self.classes:
            return [{"value": float(v)} for v in self.outputs]
        return [
            {"label": label, "probabilities": dict(zip(self.classes, map(float, row), strict=True))}
            for label, row in zip(self.labels, self.outputs, strict=True)
        ]

    def __len__(self) -> int:
        return len(self.outputs)


class Bundle:
    """A loaded bundle. Use :func:`load_bundle`; then :meth:`predict`.

    Attributes:
        path: the bundle folder.
        card: ``card.json`` (task, classes, metrics, config, data, ...).
        batch_size: rows per model call; the training batch size, so outputs match the evaluate stage's.
    """

    def __init__(self, path: Path, card: dict[str, Any], tokenizer, fits: list[tuple[Any, Any]]):
        self.path = path
        self.card = card
        self.tokenizer = tokenizer
        self.fits = fits
        self.batch_size = int(card["model"]["batch_size"])

    @property
    def classes(self) -> list[str]:
        return list(self.card["classes"])

    @property
    def task(self) -> str:
        return self.card["task"]

    def tokenize(self, texts: Sequence[str]) -> list[str]:
        """Space-joined tokens, exactly as prepare made the training text (stripped, then tokenised)."""
        from textclf.text.batch import tokenize_all

        return tokenize_all([t.strip() for t in texts], self.tokenizer, progress=False)

    def predict(self, texts: Sequence[str]) -> Predictions:
        """Classify ``texts`` (a list of strings).

        Raises:
            DataError: ``texts`` is a single string, or one of them is empty or blank.
        """
        texts = check_texts(texts)
        if not texts:
            return Predictions(self.classes, np.zeros((0, len(self.classes)) if self.classes else 0))
        tokens = np.array(self.tokenize(texts), dtype=object)
        outputs = [model.predict_output(vectorizer.transform(tokens)) for vectorizer, model in self.fits]
        return Predictions(self.classes, outputs[0] if len(outputs) == 1 else np.mean(outputs, axis=0))


def check_texts(texts: Sequence[str]) -> list[str]:
    """``texts`` as a list, or a :class:`DataError` naming the first empty/blank or non-string one."""
    if isinstance(texts, str):
        raise DataError("predict takes a list of texts; received one string. Wrap it: predict([text]).")
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise DataError(f"text {i + 1} is a {type(text).__name__}, not a string.")
        if not text.strip():
            raise DataError(
                f"text {i + 1} is empty or blank: there is nothing to classify. Remove it, or "
                f"give the text (training dropped empty texts too)."
            )
    return texts


def load_bundle(path: str | Path = "bundle") -> Bundle:
    """Verify ``path/manifest.json`` (versions, every file's sha256), then load the bundle.

    Raises:
        DataError: not a bundle, another textclf version, a missing or altered file.
    """
    from textclf.features.persist import load_vectorizer
    from textclf.models.saved import load_model_file
    from textclf.text.saved import FILE_SETTINGS, SETTINGS_FILE, load_tokenizer

    path = Path(path)
    files = verify(path)["files"]

    def listed(name: str) -> Path:
        if name not in files:
            raise DataError(f"{path}/manifest.json does not list {name}: the bundle is incomplete. Fetch it again.")
        return path / name

    card = read_json(listed(CARD))
    settings = read_json(listed(f"{TEXT_DIR}/{SETTINGS_FILE}"))
    for key in FILE_SETTINGS:
        if settings.get(key):
            listed(f"{TEXT_DIR}/{settings[key]}")
    tokenizer = load_tokenizer(path / TEXT_DIR)
    n_classes, batch_size = len(card["classes"]), int(card["model"]["batch_size"])
    fits = []
    for fit in card["model"]["fits"]:
        model_files = [name for name in files if name.startswith(f"{FITS_DIR}/{fit}/model.")]
        if len(model_files) != 1:
            raise DataError(
                f"{path / FITS_DIR / fit} must hold one model file; {path}/manifest.json lists {model_files or 'none'}."
            )
        vectorizer = load_vectorizer(listed(f"{FITS_DIR}/{fit}/vectorizer.json"))
        fits.append((vectorizer, load_model_file(listed(model_files[0]), n_classes, batch_size)))
    return Bundle(path, card, tokenizer, fits)
