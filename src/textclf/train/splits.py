"""Assign training rows to validation folds, once, from ``training`` params."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split

from textclf.config import TrainingConfig
from textclf.errors import ConfigError

TRAIN_ONLY = -1  # a row never used for validation


@dataclass(frozen=True)
class Fold:
    """One fit: a vectoriser and a model are fitted on ``train`` and validated on ``val``."""

    name: str
    train: np.ndarray
    val: np.ndarray


def assign_folds(y: np.ndarray, cfg: TrainingConfig) -> np.ndarray:
    """Return an ``int16`` array of shape ``(repeats, n_rows)``: each row's validation fold."""
    if cfg.name != "holdout":
        raise ConfigError(f"unknown training scheme '{cfg.name}'. Choose one of: holdout.")
    n = len(y)
    val_size = cfg.val_size
    if isinstance(val_size, float) and not 0 < val_size < 1 or isinstance(val_size, int) and not 0 < val_size < n:
        raise ConfigError(
            f"training.val_size must be a fraction in (0, 1) or a row count in (0, {n}). Received: training.val_size={val_size}"
        )
    _, val = train_test_split(np.arange(n), test_size=val_size, random_state=cfg.seed,
                              stratify=y if cfg.stratify else None)
    folds = np.full((1, n), TRAIN_ONLY, dtype=np.int16)
    folds[0, val] = 0
    return folds


def folds_to_fits(folds: np.ndarray) -> list[Fold]:
    """Expand a fold-assignment array into the list of fits to run, in a fixed order."""
    fits = []
    for repeat in range(folds.shape[0]):
        for fold_id in sorted(set(folds[repeat].tolist()) - {TRAIN_ONLY}):
            val = np.flatnonzero(folds[repeat] == fold_id)
            train = np.flatnonzero(folds[repeat] != fold_id)
            name = "holdout" if folds.shape[0] == 1 and TRAIN_ONLY in folds[repeat] else f"fold_{len(fits)}"
            fits.append(Fold(name, train, val))
    return fits
