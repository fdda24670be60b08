"""End to end: other models and feature kinds through `dvc exp run` on the tiny dataset."""

import json

import pytest

from tests.conftest import run

pytestmark = pytest.mark.slow


def test_sequence_model_and_sklearn_baseline_run_through_the_pipeline(tiny_repo):
    run(
        [
            "dvc",
            "exp",
            "run",
            "-S",
            "features=sequence",
            "-S",
            "model=fasttext",
            "-S",
            "training.epochs=2",
            "-S",
            "training.early_stopping.patience=1",
            "-S",
            "training.checkpoint.enabled=true",
        ],
        tiny_repo,
    )
    metrics = json.loads((tiny_repo / "reports/metrics.json").read_text())
    assert 0 <= metrics["test"]["acc"] <= 1
    assert (tiny_repo / "models/holdout/checkpoint.keras").is_file()
    assert (tiny_repo / "data/features/holdout/X_train.npy").is_file()  # dense int32 ids

    run(["dvc", "exp", "run", "-S", "model=nbsvm", "-S", "features.ngram_range=[1,2]"], tiny_repo)
    assert json.loads((tiny_repo / "reports/metrics.json").read_text())["test"]["acc"] > 0.7
    assert (tiny_repo / "models/holdout/model.skops").is_file()
    architecture = json.loads((tiny_repo / "reports/model/architecture.json").read_text())
    assert architecture["framework"] == "sklearn" and architecture["estimator"].startswith("NBSVMClassifier(")
    assert "NB log-count ratio" in (tiny_repo / "reports/summary.md").read_text()


def test_model_with_the_wrong_feature_kind_fails_with_one_clear_line(tiny_repo):
    result = run(["dvc", "exp", "run", "-S", "model=bilstm"], tiny_repo, check=False)
    assert result.returncode != 0
    assert "error: model 'bilstm' needs features=sequence" in result.stderr + result.stdout
