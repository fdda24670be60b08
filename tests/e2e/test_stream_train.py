"""End to end: `dvc repro` with training.stream (Keras through tf.data, then sgd with partial_fit) on
the tiny fixture, prepare and featurize streaming 50 rows at a time."""

import json
import sys

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run, set_conf_value, set_default
from textclf import load_bundle

pytestmark = pytest.mark.slow


def compose(repo) -> None:
    run([sys.executable, "-m", "textclf.cli", "compose"], repo)


def check_outputs(repo) -> dict:
    """Headline metrics, one prediction per validation and test row, and a bundle that gives the
    test predictions train wrote (streamed block by block); returns the metrics."""
    metrics = json.loads((repo / "reports/metrics.json").read_text())
    assert set(metrics) == {"val", "test"}
    predictions = pd.read_parquet(repo / "data/predictions.parquet")
    test = pd.read_parquet(repo / "data/prepared/test.parquet")
    assert len(predictions[predictions["split"] == "val"]) == 60  # debug=tiny's validation rows
    expected = predictions[predictions["split"] == "test"].sort_values("row")["p_1"].to_numpy()
    bundled = load_bundle(repo / "bundle").predict(test["raw_text"].tolist()).probabilities[:, 1]
    assert len(expected) == len(test) and np.allclose(bundled, expected, atol=1e-6)
    return metrics


def test_streamed_training_repro_keras_then_sgd(tiny_repo):
    set_conf_value(tiny_repo, "training/holdout.yaml", "stream", True)
    set_conf_value(tiny_repo, "runtime/local.yaml", "chunk_rows", 50)
    compose(tiny_repo)
    run(["dvc", "repro"], tiny_repo)
    assert (tiny_repo / "models/holdout/model.keras").is_file()
    history = pd.read_csv(tiny_repo / "reports/plots/history.csv")
    assert {"loss", "val_loss", "accuracy", "val_accuracy"} <= set(history.columns) and len(history) >= 1
    keras_metrics = check_outputs(tiny_repo)
    assert "Data and pipelines are up to date" in run(["dvc", "repro"], tiny_repo).stdout

    set_default(tiny_repo, "model", "sgd")
    set_default(tiny_repo, "features", "hashing")
    compose(tiny_repo)
    run(["dvc", "repro"], tiny_repo)
    assert (tiny_repo / "models/holdout/model.skops").is_file()
    assert check_outputs(tiny_repo)["test"]["acc"] > 0.7, keras_metrics
    # One history row per epoch of partial_fit passes.
    epochs = pd.read_csv(tiny_repo / "reports/plots/history.csv")["epoch"].tolist()
    assert epochs == list(range(1, len(epochs) + 1)) and len(epochs) > 1

    set_default(tiny_repo, "model", "logreg")  # needs the whole matrix: one error line before any data
    compose(tiny_repo)
    failed = run(["dvc", "repro"], tiny_repo, check=False)
    assert failed.returncode != 0 and "error: model 'logreg' fits on the whole matrix" in failed.stderr
