"""Training every fit: refit epochs from fold histories; parallel folds equal sequential ones."""

import json
import logging

import numpy as np
import pandas as pd
import pytest

from textclf.config import EarlyStoppingConfig, TrainingConfig
from textclf.data.splits import assign_folds, folds_to_fits
from textclf.features.fit import featurize_fit
from textclf.runtime import Runtime
from textclf.train import fits as orchestration

HISTORY = pd.DataFrame(
    {
        "fold": ["fold_0"] * 4 + ["fold_1"] * 4 + ["fold_2"] * 3,
        "epoch": [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3],
        "val_loss": [0.6, 0.4, 0.5, 0.7, 0.6, 0.5, 0.45, 0.3, 0.5, 0.4, 0.2],
    }
)


def test_best_epoch_is_the_argmin_of_val_loss_per_fold():
    assert orchestration.best_epochs(HISTORY) == {"fold_0": 2, "fold_1": 4, "fold_2": 3}


def test_refit_epochs_mean_best_epoch_with_early_stopping_else_configured():
    assert orchestration.refit_epochs(HISTORY, TrainingConfig(name="kfold", epochs=9)) == 9
    early = TrainingConfig(name="kfold", epochs=9, early_stopping=EarlyStoppingConfig(patience=2))
    assert orchestration.early_stopping_on(early)
    assert orchestration.refit_epochs(HISTORY, early) == 3  # mean(2, 4, 3)
    refit = orchestration.refit_config(early, 3)
    assert refit.epochs == 3 and not orchestration.early_stopping_on(refit)


@pytest.fixture
def tiny_features(tmp_path):
    rng = np.random.default_rng(0)
    pos, neg, other = ["good", "great", "fun"], ["bad", "dull", "awful"], ["film", "plot", "the", "a"]
    y = np.arange(80) % 2
    texts = [" ".join(rng.choice((pos if label else neg) + other, 6)) for label in y]
    train = pd.DataFrame({"text": texts, "label": y})
    features = tmp_path / "features"
    fits = folds_to_fits(assign_folds(y, TrainingConfig(name="kfold", k=3, seed=1)), refit=True)
    for fit in fits:
        featurize_fit(fit, train, train.iloc[:20], {"name": "multihot", "num_words": None}, features / fit.name)
    return features, [fit.name for fit in fits]


@pytest.mark.slow  # each worker process imports TensorFlow
def test_parallel_folds_equal_sequential_folds(tiny_features, tmp_path, caplog):
    features, fits = tiny_features
    model = {"name": "mlp", "units": [4]}
    results = {}
    for n_jobs in (1, 2):
        training = TrainingConfig(name="kfold", epochs=2, batch_size=16, seed=3)
        models, report = tmp_path / f"models_{n_jobs}", tmp_path / f"report_{n_jobs}"
        models.mkdir()
        report.mkdir()
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="textclf.train"):
            results[n_jobs] = orchestration.train_all(
                fits, features, models, model, training, n_classes=2, runtime=Runtime(n_jobs=n_jobs), describe_to=report
            )
        assert sorted(p.name for p in models.iterdir()) == sorted(fits)
        # Every fit's epochs reach the console through the stage's process, workers' included.
        done = sorted(r.getMessage().split(":")[0] for r in caplog.records if " done: " in r.getMessage())
        assert done == sorted(f"{fit} done" for fit in fits)
        architecture = json.loads((report / "architecture.json").read_text())
        assert architecture["fit"] == "full" and architecture["layers"][1]["settings"] == "units=4, activation=relu"
    (h1, p1), (h2, p2) = results[1], results[2]
    pd.testing.assert_frame_equal(p1, p2, check_exact=True)
    pd.testing.assert_frame_equal(h1, h2, check_exact=True)
    assert p1["fold"].unique().tolist() == fits  # fold_0..fold_2 then full, in order
    assert json.dumps(sorted(h1.loc[h1["fold"] == "full", "epoch"].tolist())) == "[1, 2]"


def test_refit_without_a_test_split_predicts_only_the_validation_folds(tmp_path):
    y = np.arange(30) % 2
    train = pd.DataFrame(
        {"text": [("good fun" if label else "bad dull") + f" w{i}" for i, label in enumerate(y)], "label": y}
    )
    fits = folds_to_fits(assign_folds(y, TrainingConfig(name="kfold", k=3, seed=1)), refit=True)
    for fit in fits:  # no test rows: dataset.test_size 0
        featurize_fit(fit, train, train.iloc[:0], {"name": "multihot", "num_words": None}, tmp_path / "f" / fit.name)
    (tmp_path / "m").mkdir()
    history, predictions = orchestration.train_all(
        [f.name for f in fits],
        tmp_path / "f",
        tmp_path / "m",
        {"name": "logreg"},
        TrainingConfig(name="kfold"),
        n_classes=2,
    )
    assert set(predictions["split"]) == {"val"} and sorted(predictions["row"]) == list(range(30))
    assert (tmp_path / "m/full/model.skops").is_file() and "full" in set(history["fold"])
