"""Problem types (binary, multiclass, regression): output head, default loss, target checks.

The type comes from ``data/prepared/classes.json``: ``[]`` is regression, two names binary,
more multiclass. Targets are checked against it before any model is fitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from textclf.errors import DataError

BINARY, MULTICLASS, REGRESSION = "binary", "multiclass", "regression"
PROBLEMS = (BINARY, MULTICLASS, REGRESSION)


@dataclass(frozen=True)
class Problem:
    """What the model predicts. ``n_classes`` is 0 for regression."""

    kind: str
    n_classes: int

    @classmethod
    def from_n_classes(cls, n_classes: int) -> Problem:
        if n_classes == 0:
            return cls(REGRESSION, 0)
        if n_classes == 1:
            raise DataError(
                "data/prepared/classes.json lists one class: a classifier needs at least two "
                "(or [] for regression). Check dataset.classes / dataset.label_map."
            )
        return cls(BINARY if n_classes == 2 else MULTICLASS, n_classes)

    @property
    def is_classification(self) -> bool:
        return self.kind != REGRESSION

    def head(self) -> tuple[int, str, str]:
        """Output width, output activation and default loss (the tutorials' table)."""
        if self.kind == BINARY:
            return 1, "sigmoid", "binary_crossentropy"
        if self.kind == MULTICLASS:
            return self.n_classes, "softmax", "sparse_categorical_crossentropy"
        return 1, "linear", "mse"

    def check_targets(self, y, where: str = "y_train") -> np.ndarray:
        """Return ``y`` as int64 class ids or float64 values; raise :class:`DataError` if it does not fit."""
        y = np.asarray(y)
        if not np.issubdtype(y.dtype, np.number) or y.dtype == bool:
            raise DataError(f"{where}: labels must be numbers for a {self.kind} problem. Received dtype {y.dtype}.")
        if not self.is_classification:
            y = y.astype(np.float64)
            if not np.isfinite(y).all():
                raise DataError(f"{where}: regression targets contain NaN or infinity.")
            return y
        if y.size and (np.any(y != np.round(y)) or y.min() < 0 or y.max() >= self.n_classes):
            raise DataError(
                f"{where}: labels must be class ids 0..{self.n_classes - 1} for a {self.kind} problem "
                f"(data/prepared/classes.json lists {self.n_classes} classes). Received values in "
                f"[{y.min()}, {y.max()}]. Rerun prepare, or use classes [] for regression."
            )
        return y.astype(np.int64)
