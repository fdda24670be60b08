"""Assign training rows to validation folds, once, from ``training`` params.

The result is an ``int16`` array of shape ``(repeats, n_rows)``: entry ``[r, i]`` is the
validation fold of row ``i`` in repeat ``r`` (``-1``: never validated, holdout only). The
split stage saves it as ``data/split/folds.csv`` (one ``repeat_<r>`` column per repeat).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import (
    KFold,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedKFold,
    train_test_split,
)

from textclf.config import TrainingConfig
from textclf.errors import ConfigError, DataError
from textclf.registry import did_you_mean

TRAIN_ONLY = -1  # a row never used for validation
FULL = "full"  # the fit on every training row (``training.refit``)


@dataclass(frozen=True)
class Fit:
    """One fit: a vectoriser and a model are fitted on ``train`` and validated on ``val``."""

    name: str
    train: np.ndarray
    val: np.ndarray


def check_stratified_holdout(y: np.ndarray, val_size: float | int) -> None:
    """Reject a stratified holdout scikit-learn cannot make, with the counts and the fix (one line).

    ``train_test_split`` needs two rows of every class and at least one validation and one
    training row per class (it rounds the validation part up, as here).
    """
    classes, counts = np.unique(y, return_counts=True)
    n_val = math.ceil(val_size * len(y)) if isinstance(val_size, float) else val_size
    n_train = len(y) - n_val
    if counts.min() < 2 or min(n_val, n_train) < len(classes):
        raise DataError(
            f"{len(y)} training rows are too few for a stratified holdout with training.val_size={val_size}: "
            f"it gives {n_val} validation and {n_train} training row(s) for {len(classes)} classes, and the "
            f"smallest class (id {classes[counts.argmin()]}) has {counts.min()} row(s); each side needs a row of "
            f"every class. Add rows, change training.val_size, or set training.stratify=false."
        )


def holdout_folds(y: np.ndarray, cfg: TrainingConfig) -> np.ndarray:
    """One validation part of ``val_size`` rows (int) or of that fraction of the rows (float)."""
    n = len(y)
    val_size = cfg.val_size
    if isinstance(val_size, float) and not 0 < val_size < 1 or isinstance(val_size, int) and not 0 < val_size < n:
        raise ConfigError(
            f"training.val_size must be a fraction in (0, 1) or a row count in (0, {n}). Received: training.val_size={val_size}"
        )
    if cfg.stratify:
        check_stratified_holdout(y, val_size)
    _, val = train_test_split(
        np.arange(n), test_size=val_size, random_state=cfg.seed, stratify=y if cfg.stratify else None
    )
    folds = np.full((1, n), TRAIN_ONLY, dtype=np.int16)
    folds[0, val] = 0
    return folds


def check_kfold(y: np.ndarray, cfg: TrainingConfig) -> None:
    """Reject impossible K-fold settings with one line, before anything is fitted."""
    if cfg.k < 2:
        raise ConfigError(f"training.k must be at least 2 (K-fold needs 2 or more folds). Received: training.k={cfg.k}")
    if cfg.repeats < 1:
        raise ConfigError(f"training.repeats must be at least 1. Received: training.repeats={cfg.repeats}")
    if cfg.repeats > 1 and not cfg.shuffle:
        raise ConfigError(
            f"training.shuffle=false with training.repeats={cfg.repeats} would repeat the same folds: "
            f"set training.shuffle=true or training.repeats=1."
        )
    if cfg.stratify:
        classes, counts = np.unique(y, return_counts=True)
        if cfg.k > counts.min():
            raise ConfigError(
                f"training.k={cfg.k} is larger than the smallest class (class id {classes[counts.argmin()]} has "
                f"{counts.min()} training rows): every stratified fold needs one row of each class; lower training.k."
            )
    elif cfg.k > len(y):
        raise ConfigError(f"training.k={cfg.k} is larger than the {len(y)} training rows: lower training.k.")


def kfold_folds(y: np.ndarray, cfg: TrainingConfig) -> np.ndarray:
    """``repeats`` partitions into ``k`` folds; stratified by class unless ``stratify`` is false.

    One repeat uses ``StratifiedKFold``/``KFold``; several use their ``Repeated*`` versions,
    which reshuffle for each repeat from one random state seeded by ``seed``.
    """
    check_kfold(y, cfg)
    if cfg.repeats == 1:
        splitter_class = StratifiedKFold if cfg.stratify else KFold
        splitter = splitter_class(n_splits=cfg.k, shuffle=cfg.shuffle, random_state=cfg.seed if cfg.shuffle else None)
    else:
        splitter_class = RepeatedStratifiedKFold if cfg.stratify else RepeatedKFold
        splitter = splitter_class(n_splits=cfg.k, n_repeats=cfg.repeats, random_state=cfg.seed)
    folds = np.full((cfg.repeats, len(y)), TRAIN_ONLY, dtype=np.int16)
    for i, (_, val) in enumerate(splitter.split(np.zeros(len(y)), y)):
        folds[i // cfg.k, val] = i % cfg.k
    return folds


SCHEMES = {"holdout": holdout_folds, "kfold": kfold_folds, "repeated_kfold": kfold_folds}


def assign_folds(y: np.ndarray, cfg: TrainingConfig) -> np.ndarray:
    """Return an ``int16`` array of shape ``(repeats, n_rows)``: each row's validation fold."""
    if cfg.name not in SCHEMES:
        raise ConfigError(
            f"unknown training scheme training.name={cfg.name!r}.{did_you_mean(cfg.name, SCHEMES)} "
            f"Choose one of: {', '.join(SCHEMES)}."
        )
    y = np.asarray(y)
    if y.dtype.kind == "f":  # regression targets: stratifying by every distinct value makes no sense
        cfg = dataclasses.replace(cfg, stratify=False)
    return SCHEMES[cfg.name](y, cfg)


def folds_to_fits(folds: np.ndarray, refit: bool = False) -> list[Fit]:
    """Expand a fold-assignment array into the fits to run, in a fixed order.

    Holdout gives ``holdout``; K-fold gives ``fold_0 .. fold_{repeats*k-1}`` (repeat-major).
    With ``refit`` a last fit ``full`` trains on every row and validates on none.
    """
    fits = []
    for repeat in range(folds.shape[0]):
        for fold_id in sorted(set(folds[repeat].tolist()) - {TRAIN_ONLY}):
            val = np.flatnonzero(folds[repeat] == fold_id)
            train = np.flatnonzero(folds[repeat] != fold_id)
            name = "holdout" if folds.shape[0] == 1 and TRAIN_ONLY in folds[repeat] else f"fold_{len(fits)}"
            fits.append(Fit(name, train, val))
    if refit:
        fits.append(Fit(FULL, np.arange(folds.shape[1]), np.arange(0)))
    return fits
