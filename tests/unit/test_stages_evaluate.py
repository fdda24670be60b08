"""The evaluate stage end to end on tiny files (classification and regression)."""

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from textclf.stages import evaluate

PARAMS = {
    "dataset": {"name": "tiny"},
    "text": {"name": "english"},
    "features": {"name": "multihot"},
    "model": {"name": "mlp", "units": [4]},
    "training": {"name": "holdout", "epochs": 2},
}


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("DVC_EXP_NAME", "unit-test")  # skip the conf/ freshness check: no conf/ here
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(PARAMS))
    (tmp_path / "data/prepared").mkdir(parents=True)
    (tmp_path / "data/features/holdout").mkdir(parents=True)
    (tmp_path / "reports/plots").mkdir(parents=True)
    (tmp_path / "data/features/fits.json").write_text('["holdout"]')
    pd.DataFrame({"text": ["a"] * 4, "label": [0, 0, 1, 1], "raw_text": ["one", "two", "three", "four"]}).to_parquet(
        tmp_path / "data/prepared/test.parquet"
    )
    # Train row 2 repeats row 0, which the holdout validates: one validation row with a copy in training.
    pd.DataFrame({"text": ["a"] * 3, "label": [0, 1, 0], "raw_text": ["one", "five", "one"]}).to_parquet(
        tmp_path / "data/prepared/train.parquet"
    )
    duplicates = {
        "within_train": {"rows": 1},
        "within_test": {"rows": 0},
        "across": {"test_rows_in_train": 1, "of_test_rows": 4},
    }
    (tmp_path / "reports/prepare.json").write_text(json.dumps({"duplicates": duplicates}))
    pd.DataFrame(
        {
            "fold": "holdout",
            "epoch": [1, 2],
            "loss": [0.7, 0.5],
            "accuracy": [0.5, 0.7],
            "val_loss": [0.8, 0.6],
            "val_accuracy": [0.5, 0.6],
        }
    ).to_csv(tmp_path / "reports/plots/history.csv", index=False)
    return tmp_path


def test_classification_outputs(workspace):
    (workspace / "data/prepared/classes.json").write_text('["neg", "pos"]')
    np.save(workspace / "data/features/holdout/y_train.npy", np.array([0, 0, 1]))
    p1 = np.array([0.1, 0.6, 0.4, 0.9, 0.2, 0.8])
    pd.DataFrame(
        {
            "fold": "holdout",
            "split": ["val", "val", "test", "test", "test", "test"],
            "row": [0, 1, 0, 1, 2, 3],
            "y": [0, 1, 0, 0, 1, 1],
            "p_0": 1 - p1,
            "p_1": p1,
        }
    ).to_parquet(workspace / "data/predictions.parquet")
    evaluate.main([])
    metrics = json.loads((workspace / "reports/metrics.json").read_text())
    assert metrics == {
        "val": {"acc": 1.0, "f1": 1.0, "baseline": {"acc": 0.5}},
        "test": {"acc": 0.5, "f1": 0.5, "baseline": {"acc": 0.5}},
    }
    details = json.loads((workspace / "reports/metrics_details.json").read_text())
    assert details["test"]["accuracy"] == 0.5 and details["test"]["per_class"]["pos"]["support"] == 2
    assert details["val"]["log_loss"] < details["test"]["log_loss"]
    sweep = pd.read_csv(workspace / "reports/plots/sweep.csv")
    assert set(sweep["metric"]) == {"acc", "f1"}
    units = sweep[(sweep["param"] == "model.units") & (sweep["metric"] == "acc")]
    assert units[["value", "score"]].values.tolist() == [["[4]", 1.0]]
    assert pd.read_csv(workspace / "reports/plots/cv/fold_scores.csv").values.tolist() == [
        ["holdout", "acc", 1.0],
        ["holdout", "f1", 1.0],
    ]
    assert sorted(p.name for p in (workspace / "reports/plots/eval").iterdir()) == [
        "calibration.csv",
        "confusion.csv",
        "precision_recall.csv",
        "roc.csv",
    ]
    assert sorted(p.name for p in (workspace / "reports/figures").iterdir()) == [
        "accuracy.png",
        "calibration.png",
        "confusion.png",
        "loss.png",
        "precision_recall.png",
        "roc.png",
    ]
    errors = pd.read_csv(workspace / "reports/errors.csv")
    assert errors["text"].tolist() == ["two", "three"]  # p(pos)=0.6 for a neg (row 1), p(neg)=0.6 for a pos (row 2)
    summary = (workspace / "reports/summary.md").read_text()
    assert "# Run summary: tiny" in summary and "![roc](figures/roc.png)" in summary and "(errors.csv)" in summary
    assert "**test rows also in training: 1 of 4**" in summary
    assert "validation rows with a copy among their fit's training rows: 1 of 2" in summary
    assert not list(workspace.rglob(".textclf-tmp"))  # atomic writes left no temp files


def test_regression_outputs(workspace):
    (workspace / "data/prepared/classes.json").write_text("[]")
    np.save(workspace / "data/features/holdout/y_train.npy", np.array([1.0, 3.0]))
    pd.DataFrame(
        {
            "fold": "holdout",
            "split": "test",
            "row": [0, 1, 2, 3],
            "y": [1.0, 2.0, 3.0, 4.0],
            "pred": [1.0, 2.5, 3.0, 1.0],
        }
    ).to_parquet(workspace / "data/predictions.parquet")
    evaluate.main([])
    metrics = json.loads((workspace / "reports/metrics.json").read_text())
    assert set(metrics) == {"test"} and metrics["test"]["mae"] == round(3.5 / 4, 4)
    assert metrics["test"]["baseline"] == {"mae": 1.0}  # mean 2.0 vs 1, 2, 3, 4
    assert set(json.loads((workspace / "reports/metrics_details.json").read_text())["test"]) == {
        "n",
        "mae",
        "rmse",
        "r2",
        "baseline",
    }
    assert [p.name for p in (workspace / "reports/plots/eval").iterdir()] == ["regression.csv"]
    assert pd.read_csv(workspace / "reports/errors.csv")["text"].tolist()[0] == "four"


def test_no_test_split_reports_out_of_fold_validation_only(workspace):
    """A dataset with test_size 0: K-fold predictions of validation rows only, no test rows at all."""
    (workspace / "data/prepared/classes.json").write_text('["neg", "pos"]')
    pd.DataFrame({"text": ["a"] * 4, "label": [0, 0, 1, 1], "raw_text": ["t0", "t1", "t2", "t3"]}).to_parquet(
        workspace / "data/prepared/train.parquet"
    )
    pd.DataFrame({"text": [], "label": [], "raw_text": []}).to_parquet(workspace / "data/prepared/test.parquet")
    (workspace / "data/features/fits.json").write_text('["fold_0", "fold_1"]')
    for fold in ("fold_0", "fold_1"):
        (workspace / "data/features" / fold).mkdir(parents=True, exist_ok=True)
        np.save(workspace / "data/features" / fold / "y_train.npy", np.array([0, 1]))
    p1 = np.array([0.2, 0.7, 0.9, 0.3])
    pd.DataFrame(
        {
            "fold": ["fold_0", "fold_0", "fold_1", "fold_1"],
            "split": "val",
            "row": [0, 1, 2, 3],
            "y": [0, 0, 1, 1],
            "p_0": 1 - p1,
            "p_1": p1,
        }
    ).to_parquet(workspace / "data/predictions.parquet")
    evaluate.main([])
    metrics = json.loads((workspace / "reports/metrics.json").read_text())
    details = json.loads((workspace / "reports/metrics_details.json").read_text())
    assert set(metrics) == {"cv"} and set(details) == {"val", "cv"} and details["val"]["accuracy"] == 0.5
    assert (workspace / "reports/plots/eval/roc.csv").is_file()
    assert pd.read_csv(workspace / "reports/errors.csv")["text"].tolist() == ["t1", "t3"]  # training rows' texts
    summary = (workspace / "reports/summary.md").read_text()
    assert "No test split" in summary and "baseline (validation)" in summary and "Per class (validation)" in summary
