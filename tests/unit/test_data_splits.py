"""Fold assignment: stratified proportions, determinism, repeats, and one-line errors."""

import dataclasses
import re

import numpy as np
import pytest

from textclf.config import TrainingConfig
from textclf.data.splits import FULL, TRAIN_ONLY, assign_folds, folds_to_fits
from textclf.errors import ConfigError, DataError

KFOLD = TrainingConfig(name="kfold", k=5, repeats=1, seed=42)
REPEATED = dataclasses.replace(KFOLD, name="repeated_kfold", repeats=2)
# 70 % / 30 % classes, in blocks, so an unstratified split without shuffling would be lopsided.
Y = np.array([1] * 140 + [0] * 60)


def test_every_row_is_validated_once_per_repeat_in_equal_folds():
    folds = assign_folds(Y, KFOLD)
    assert folds.shape == (1, len(Y)) and folds.dtype == np.int16
    assert sorted(np.unique(folds[0]).tolist()) == [0, 1, 2, 3, 4]
    assert np.bincount(folds[0]).tolist() == [40] * 5


def test_stratified_folds_keep_the_class_proportions():
    folds = assign_folds(Y, KFOLD)[0]
    for fold_id in range(5):
        assert np.bincount(Y[folds == fold_id]).tolist() == [12, 28]  # 60/5 negatives, 140/5 positives


def test_unstratified_folds_are_plain_kfold():
    folds = assign_folds(Y, dataclasses.replace(KFOLD, stratify=False, shuffle=False))[0]
    assert folds.tolist() == np.repeat(np.arange(5), 40).tolist()  # KFold without shuffle: contiguous blocks


def test_same_seed_same_folds_other_seed_other_folds():
    assert np.array_equal(assign_folds(Y, KFOLD), assign_folds(Y, KFOLD))
    assert not np.array_equal(assign_folds(Y, KFOLD), assign_folds(Y, dataclasses.replace(KFOLD, seed=7)))


def test_repeats_are_different_shuffles_each_a_stratified_partition():
    folds = assign_folds(Y, REPEATED)
    assert folds.shape == (2, len(Y))
    assert not np.array_equal(folds[0], folds[1])
    for repeat in folds:
        for fold_id in range(5):
            assert np.bincount(Y[repeat == fold_id]).tolist() == [12, 28]
    assert np.array_equal(folds, assign_folds(Y, REPEATED))
    assert np.array_equal(folds[0], assign_folds(Y, KFOLD)[0])  # repeat 0 is the plain K-fold partition


def test_fits_are_numbered_repeat_major_and_refit_adds_full():
    fits = folds_to_fits(assign_folds(Y, REPEATED), refit=True)
    assert [f.name for f in fits] == [f"fold_{i}" for i in range(10)] + [FULL]
    for fit in fits[:-1]:
        assert len(fit.val) == 40 and len(fit.train) == 160
        assert not set(fit.train) & set(fit.val)
    assert fits[-1].train.tolist() == list(range(len(Y))) and len(fits[-1].val) == 0


def test_holdout_is_unchanged_and_accepts_a_fraction():
    count = assign_folds(Y, TrainingConfig(name="holdout", val_size=50))
    assert count.shape == (1, len(Y)) and (count[0] == 0).sum() == 50 and (count[0] == TRAIN_ONLY).sum() == 150
    fraction = assign_folds(Y, TrainingConfig(name="holdout", val_size=0.25))
    assert (fraction[0] == 0).sum() == 50
    assert [f.name for f in folds_to_fits(count)] == ["holdout"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"k": 1}, "training.k must be at least 2"),
        ({"k": 0}, "training.k must be at least 2"),
        ({"repeats": 0}, "training.repeats must be at least 1"),
        ({"k": 61}, "training.k=61 is larger than the smallest class (class id 0 has 60 training rows)"),
        ({"k": 201, "stratify": False}, "training.k=201 is larger than the 200 training rows"),
        ({"repeats": 2, "shuffle": False}, "would repeat the same folds"),
        ({"name": "kfodl"}, "Did you mean 'kfold'?"),
    ],
)
def test_impossible_settings_are_one_line_errors(changes, message):
    with pytest.raises(ConfigError, match=None) as info:
        assign_folds(Y, dataclasses.replace(KFOLD, **changes))
    assert message in str(info.value) and "\n" not in str(info.value)


def test_regression_targets_are_never_stratified():
    import numpy as np

    from textclf.config import TrainingConfig
    from textclf.data.splits import assign_folds

    y = np.linspace(1.0, 10.0, 40)  # 40 distinct values: stratifying would be impossible
    folds = assign_folds(y, TrainingConfig(name="kfold", k=5, seed=0))
    assert sorted(np.bincount(folds[0])) == [8] * 5


@pytest.mark.parametrize(
    "y,val_size,shown",
    [
        (
            np.array([0, 0, 1, 1]),
            0.2,
            "it gives 1 validation and 3 training row(s) for 2 classes",
        ),  # a 6-row CSV, 2 held out
        (np.array([0, 1, 1, 1, 1, 1]), 2, "the smallest class (id 0) has 1 row(s)"),
        (np.array([0, 0, 1, 1, 2, 2]), 0.9, "it gives 6 validation and 0 training row(s) for 3 classes"),
    ],
)
def test_too_small_stratified_holdout_is_one_line_naming_the_fix(y, val_size, shown):
    cfg = TrainingConfig(name="holdout", val_size=val_size)
    with pytest.raises(
        DataError, match=re.escape(shown) + ".*Add rows, change training.val_size, or set training.stratify=false"
    ):
        assign_folds(y, cfg)
    assign_folds(y, dataclasses.replace(cfg, val_size=0.5, stratify=False))  # unstratified still works


def test_smallest_possible_stratified_holdout_passes_the_check():
    y = np.array([0, 0, 1, 1])
    folds = assign_folds(y, TrainingConfig(name="holdout", val_size=0.5))
    assert sorted(y[folds[0] == 0].tolist()) == [0, 1]  # one validation row of each class
