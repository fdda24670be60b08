"""End to end: `dvc repro` on a tiny dataset in a temporary copy of the repository."""

import csv
import io
import json
import shutil

import pytest

from tests.conftest import run, set_conf_value

METRIC_KEYS = {
    "n",
    "accuracy",
    "balanced_accuracy",
    "precision_macro",
    "recall_macro",
    "f1_macro",
    "precision_weighted",
    "recall_weighted",
    "f1_weighted",
    "roc_auc",
    "average_precision",
    "log_loss",
    "brier",
}
REPORTS = [
    "plots/history.csv",
    "prepare.json",
    "errors.csv",
    "summary.md",
    "live/metrics.json",
    "metrics_details.json",
    "model/architecture.json",
    "plots/sweep.csv",
    *(f"plots/eval/{name}.csv" for name in ("roc", "precision_recall", "calibration", "confusion")),
    *(f"figures/{name}.png" for name in ("loss", "accuracy", "roc", "precision_recall", "calibration", "confusion")),
]


def flatten(tree, prefix=""):
    """{"test": {"accuracy": 1}} -> {"test.accuracy": 1}, as `dvc metrics` names keys."""
    out = {}
    for key, value in tree.items():
        out.update(flatten(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return out


def test_repro_builds_metrics_then_does_nothing(tiny_repo):
    run(["dvc", "repro"], tiny_repo)
    details = json.loads((tiny_repo / "reports/metrics_details.json").read_text())
    assert set(details) == {"val", "test"}
    for split in details.values():
        assert METRIC_KEYS | {"confusion", "per_class", "baseline"} == set(split)
        assert METRIC_KEYS == set(split["baseline"])
        assert sum(sum(row.values()) for row in split["confusion"].values()) == split["n"]
    metrics = json.loads((tiny_repo / "reports/metrics.json").read_text())
    assert {split: set(flatten(values)) for split, values in metrics.items()} == {
        "val": {"acc", "f1", "baseline.acc"},
        "test": {"acc", "f1", "baseline.acc"},
    }
    assert metrics["test"]["acc"] == details["test"]["accuracy"] > 0.7  # the synthetic cue words make this easy
    assert metrics["test"]["baseline"]["acc"] == 0.5  # balanced classes: the majority guess is a coin flip
    for report in REPORTS:
        assert (tiny_repo / "reports" / report).is_file(), report
    live = json.loads((tiny_repo / "reports/live/metrics.json").read_text())
    assert set(live) == {"train", "eval", "step"} and live["step"] == 3  # 4 epochs, steps 0..3
    summary = (tiny_repo / "reports/summary.md").read_text()
    assert "| accuracy |" in summary and "| dense | Dense | (None, " in summary  # metrics and the layer table
    # DVC compares the headline file only: the details and DVCLive's last epoch stay out of `dvc exp show`.
    shown = json.loads(run(["dvc", "exp", "show", "--json"], tiny_repo).stdout)
    assert set(shown[0]["data"]["metrics"]) == {"reports/metrics.json"}
    shown = json.loads(run(["dvc", "metrics", "show", "--json", "reports/metrics_details.json"], tiny_repo).stdout)
    assert shown[""]["data"]["reports/metrics_details.json"]["data"] == details  # still readable by `dvc metrics`

    again = run(["dvc", "repro"], tiny_repo)
    assert "Data and pipelines are up to date" in again.stdout

    # Deleting data/ rebuilds it, with identical metrics (same params -> same numbers).
    run(
        ["rm", "-rf", "data/raw", "data/prepared", "data/split", "data/features", "data/predictions.parquet", "models"],
        tiny_repo,
    )
    run(["dvc", "repro"], tiny_repo)
    assert json.loads((tiny_repo / "reports/metrics.json").read_text()) == metrics


def test_exp_run_recomposes_params_and_metrics_diff_shows_change(reproduced_repo):
    run(["git", "add", "-A"], reproduced_repo)
    run(["git", "commit", "-qm", "baseline"], reproduced_repo)
    run(["dvc", "exp", "run", "-S", "training.epochs=1"], reproduced_repo)
    assert "epochs: 1" in (reproduced_repo / "params.yaml").read_text()
    diff = json.loads(run(["dvc", "metrics", "diff", "--all", "--json"], reproduced_repo).stdout)
    changes = diff["reports/metrics.json"]
    assert set(changes) == set(flatten(json.loads((reproduced_repo / "reports/metrics.json").read_text())))
    assert all({"old", "new", "diff"} <= set(change) for change in changes.values())
    assert set(changes) == {"val.acc", "val.f1", "val.baseline.acc", "test.acc", "test.f1", "test.baseline.acc"}
    assert set(diff) == {"reports/metrics.json"}
    assert any(v.get("diff") for v in changes.values())
    details = json.loads(
        run(["dvc", "metrics", "diff", "--json", "--targets", "reports/metrics_details.json"], reproduced_repo).stdout
    )
    assert "test.per_class.pos.f1" in details["reports/metrics_details.json"]


def test_repro_refuses_params_out_of_step_with_conf(reproduced_repo):
    set_conf_value(reproduced_repo, "training/holdout.yaml", "epochs", 2)
    result = run(["dvc", "repro"], reproduced_repo, check=False)
    assert result.returncode != 0
    assert "out of step with conf/" in result.stderr + result.stdout
    assert "training.epochs" in result.stderr + result.stdout


def test_predict_cli_uses_trained_model(reproduced_repo):
    out = run(["textclf", "predict", "great wonderful superb loved it", "awful boring terrible waste"], reproduced_repo)
    labels = [row["label"] for row in csv.DictReader(io.StringIO(out.stdout))]  # through bundle/
    assert labels == ["pos", "neg"]


@pytest.mark.slow
def test_a_fresh_clones_second_exp_run_restores_stages_from_the_run_cache(reproduced_repo):
    """A fresh clone has the committed dvc.lock but none of its outputs in .dvc/cache. Its second
    experiment restores the data stages from the run cache the first one filled, and runs on."""
    run(["git", "add", "-A"], reproduced_repo)
    run(["git", "commit", "-qm", "reproduced"], reproduced_repo)
    shutil.rmtree(reproduced_repo / ".dvc/cache")
    other_data = ["-S", "text.lower=false"]  # prepare's outputs differ from the committed dvc.lock's
    run(["dvc", "exp", "run", "--temp", *other_data], reproduced_repo)
    out = run(["dvc", "exp", "run", "--temp", *other_data, "-S", "training.epochs=1"], reproduced_repo).stdout
    assert "Stage 'split' is cached - skipping run" in out and "Running stage 'train'" in out
