"""Save and load fitted models in formats that cannot run code when loaded.

* scikit-learn: ``model.skops`` (skops.io: numpy arrays and object state, no pickle). Loading
  accepts scikit-learn's own types plus :data:`TRUSTED_TYPES` only; anything else in the file is
  an error, not an import. Saving checks the same list, so a new model fails at training time.
* Keras: ``model.keras`` (JSON config + HDF5 weights) loaded with ``safe_mode=True`` (no lambdas).

Nothing here unpickles: a ``model.joblib`` handed to textclf is never opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from textclf.errors import DataError
from textclf.models.outputs import keras_output, sklearn_output
from textclf.runtime import import_keras

SKLEARN_FILE, KERAS_FILE = "model.skops", "model.keras"
# textclf's own scikit-learn classes that a model.skops may contain (scikit-learn's are trusted by skops).
TRUSTED_TYPES = ("textclf.models.nbsvm.NBSVMClassifier",)
_SKOPS_ID = re.compile(rb'("__id__": |"file": ")(\d+)')


@dataclass
class SavedModel:
    """A fitted model; ``n_classes`` 0 means regression."""

    model: Any
    framework: str
    n_classes: int
    batch_size: int = 512

    def predict_output(self, X) -> np.ndarray:
        """Class probabilities ``(n, k)``, or predicted values ``(n,)`` for regression."""
        if self.framework == "sklearn":
            return sklearn_output(self.model, X, self.n_classes)
        return keras_output(self.model, X, self.n_classes, self.batch_size)


def save_sklearn(estimator, path: str | Path) -> None:
    """Write ``estimator`` with skops, atomically; refuse types :func:`load_saved` would not trust."""
    import skops.io as sio

    from textclf.io import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        sio.dump(estimator, tmp)
        _make_skops_reproducible(tmp)
        untrusted = sorted(set(sio.get_untrusted_types(file=tmp)) - set(TRUSTED_TYPES))
        if untrusted:
            raise TypeError(
                f"{', '.join(untrusted)} would not load from {path.name}: add the type(s) to "
                f"textclf.models.saved.TRUSTED_TYPES if they are textclf's own."
            )


def _make_skops_reproducible(path: Path) -> None:
    """Same estimator, same bytes: skops names arrays and objects by ``id()`` (memory addresses);
    renumber them 0, 1, ... in order of appearance in ``schema.json``, and fix the zip timestamps."""
    import zipfile

    from textclf.io import rewrite_zip

    with zipfile.ZipFile(path) as archive:
        schema = archive.read("schema.json")
    ids: dict[bytes, int] = {}
    for match in _SKOPS_ID.finditer(schema):
        ids.setdefault(match[2], len(ids))

    def transform(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "schema.json":
            return name, _SKOPS_ID.sub(lambda m: m[1] + b"%d" % ids[m[2]], data)
        return f"{ids[name.removesuffix('.npy').encode()]:d}.npy", data

    rewrite_zip(path, transform)


def load_saved(folder: str | Path, n_classes: int, batch_size: int = 512) -> SavedModel:
    """Load ``folder/model.skops`` (scikit-learn) or ``folder/model.keras`` (Keras) safely.

    Args:
        batch_size: rows per Keras call (use the training batch size to get its outputs bit for bit).
    """
    folder = Path(folder)
    for name in (SKLEARN_FILE, KERAS_FILE):
        if (folder / name).is_file():
            return load_model_file(folder / name, n_classes, batch_size)
    raise DataError(f"{folder} holds neither {KERAS_FILE} nor {SKLEARN_FILE}: run `dvc repro` first.")


def load_model_file(path: str | Path, n_classes: int, batch_size: int = 512) -> SavedModel:
    """Load one ``model.skops`` or ``model.keras`` file (see :func:`load_saved`)."""
    path = Path(path)
    if path.name == SKLEARN_FILE:
        return SavedModel(_load_skops(path), "sklearn", n_classes, batch_size)
    if path.name != KERAS_FILE:
        raise DataError(f"{path}: textclf loads only {SKLEARN_FILE} and {KERAS_FILE} model files.")
    keras = import_keras()
    import textclf.models  # noqa: F401  (registers any custom layers before deserialising)

    try:
        model = keras.saving.load_model(path, safe_mode=True)
    except Exception as exc:  # Keras raises ValueError, OSError, zipfile/h5py errors, ...
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        raise DataError(
            f"{path} is not a loadable Keras model ({type(exc).__name__}: {first_line}). Rerun training."
        ) from None
    return SavedModel(model, "keras", n_classes, batch_size)


def _load_skops(path: Path):
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        return sio.load(path, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        raise DataError(
            f"{path} contains types textclf does not trust ({exc}); it was not loaded. "
            f"Only use models that textclf trained."
        ) from None
    except Exception as exc:  # a corrupt zip or state: skops raises many kinds
        raise DataError(
            f"{path} is not a loadable skops model ({type(exc).__name__}: {exc}). Rerun training."
        ) from None
