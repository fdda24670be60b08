"""`textclf exps`: the dvc exp show preset (columns dropped, sort by the headline objective)."""

import json
import re

import yaml

from textclf.exps import exp_show_command, stage_deps

DVC_YAML = {
    "stages": {
        "train": {"cmd": "x", "deps": ["src/textclf/train", "data/features"]},
        "evaluate": {"cmd": "y", "deps": ["data/predictions.parquet", "data/features"]},
    }
}


def command(tmp_path, metrics=None, extra=()):
    (tmp_path / "dvc.yaml").write_text(yaml.safe_dump(DVC_YAML))
    if metrics is not None:
        (tmp_path / "reports").mkdir()
        (tmp_path / "reports/metrics.json").write_text(json.dumps(metrics))
    return exp_show_command(tmp_path, list(extra))


def test_drops_created_dependency_hashes_derived_dataset_keys_and_runtime(tmp_path):
    cmd = command(tmp_path)
    assert cmd[:5] == ["dvc", "exp", "show", "--only-changed", "--drop"]
    drop = re.compile(cmd[5])
    for column in (
        "Created",
        "data/features",
        "data/predictions.parquet",
        "src/textclf/train",
        "dataset.files",
        "dataset.splits.train",
        "dataset.classes",
        "runtime.name",
        "runtime.n_jobs",
    ):
        assert drop.match(column), column
    for column in ("val.acc", "model.units", "dataset.name", "dataset.path", "training.epochs", "data/features/x"):
        assert not drop.match(column), column
    assert "--sort-by" not in cmd  # no metrics yet: nothing to sort by
    assert stage_deps(tmp_path / "dvc.yaml") == ["data/features", "data/predictions.parquet", "src/textclf/train"]


def test_sorts_by_the_objective_unless_told_otherwise(tmp_path):
    cmd = command(tmp_path, {"val": {"acc": 0.9, "f1": 0.8}})
    assert cmd[-4:] == ["--sort-by", "val.acc", "--sort-order", "desc"]
    (tmp_path / "reports/metrics.json").write_text(json.dumps({"val": {"mae": 1.0, "r2": 0.2}}))
    assert exp_show_command(tmp_path)[-4:] == ["--sort-by", "val.mae", "--sort-order", "asc"]
    assert exp_show_command(tmp_path, ["--sort-by", "test.mae", "--md"])[-3:] == ["--sort-by", "test.mae", "--md"]
