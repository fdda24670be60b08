"""Data files for DVC plots: ROC curve points and per-row confusion pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_curve


def roc_points(y: np.ndarray, proba: np.ndarray) -> pd.DataFrame:
    """ROC of the positive class (binary) as ``fpr, tpr, threshold`` rows."""
    fpr, tpr, thresholds = roc_curve(y, proba[:, 1])
    return pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": np.clip(thresholds, 0, 1)}).round(5)


def confusion_pairs(y: np.ndarray, proba: np.ndarray, classes: list[str]) -> pd.DataFrame:
    """One ``actual, predicted`` row per document, for DVC's ``confusion`` template."""
    names = np.asarray(classes)
    return pd.DataFrame({"actual": names[y], "predicted": names[proba.argmax(axis=1)]})
