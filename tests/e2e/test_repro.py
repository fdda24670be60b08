"""End to end: `dvc repro` on a tiny dataset in a temporary copy of the repository."""

import json

import pytest

from tests.conftest import run

pytestmark = pytest.mark.slow


def test_repro_builds_metrics_then_does_nothing(tiny_repo):
    run(["dvc", "repro"], tiny_repo)
    metrics = json.loads((tiny_repo / "reports/metrics.json").read_text())
    assert set(metrics) == {"validation", "test"}
    for split in metrics.values():
        assert {"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"} <= set(split)
    assert metrics["test"]["accuracy"] > 0.7  # the synthetic cue words make this easy
    for plot in ("plots/history.csv", "plots/eval/roc.csv", "plots/eval/confusion.csv", "prepare.json"):
        assert (tiny_repo / "reports" / plot).is_file()

    again = run(["dvc", "repro"], tiny_repo)
    assert "Data and pipelines are up to date" in again.stdout

    # Deleting data/ rebuilds it, with identical metrics (same params -> same numbers).
    run(["rm", "-rf", "data/raw", "data/prepared", "data/split", "data/features", "data/predictions.parquet",
         "models"], tiny_repo)
    run(["dvc", "repro"], tiny_repo)
    assert json.loads((tiny_repo / "reports/metrics.json").read_text()) == metrics


def test_exp_run_recomposes_params_and_metrics_diff_shows_change(tiny_repo):
    run(["dvc", "repro"], tiny_repo)
    run(["git", "add", "-A"], tiny_repo)
    run(["git", "commit", "-qm", "baseline"], tiny_repo)
    run(["dvc", "exp", "run", "-S", "training.epochs=1"], tiny_repo)
    assert "epochs: 1" in (tiny_repo / "params.yaml").read_text()
    diff = run(["dvc", "metrics", "diff", "--json"], tiny_repo).stdout
    changes = json.loads(diff)["reports/metrics.json"]
    assert "test.accuracy" in changes and "old" in changes["test.accuracy"]
    assert any(v.get("diff") for v in changes.values())


def test_repro_refuses_params_out_of_step_with_conf(tiny_repo):
    run(["dvc", "repro"], tiny_repo)
    holdout = tiny_repo / "conf/training/holdout.yaml"
    holdout.write_text(holdout.read_text().replace("epochs: 4", "epochs: 2"))
    result = run(["dvc", "repro"], tiny_repo, check=False)
    assert result.returncode != 0
    assert "out of step with conf/" in result.stderr + result.stdout
    assert "training.epochs" in result.stderr + result.stdout


def test_predict_cli_uses_trained_model(tiny_repo):
    run(["dvc", "repro"], tiny_repo)
    out = run(["textclf", "predict", "great wonderful superb loved it", "awful boring terrible waste"], tiny_repo)
    labels = [line.split("\t")[0] for line in out.stdout.splitlines()]
    assert labels == ["pos", "neg"]
