"""textclf verify: data hashes must equal the commit's; metrics may move within the tolerance."""

import json
import subprocess

import pytest
import yaml

from textclf.errors import DataError
from textclf.verify import compare_metrics, float_metrics, verify

LOCK = {
    "schema": "2.0",
    "stages": {
        "featurize": {"cmd": "x", "outs": [{"path": "data/features", "md5": "aaa.dir"}]},
        "train": {"cmd": "y", "outs": [{"path": "models", "md5": "bbb.dir"}]},
    },
}
METRICS = {"test": {"accuracy": 0.8814, "n": 25000, "baseline": {"accuracy": 0.5}}}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "dvc.yaml").write_text(
        yaml.safe_dump({"stages": {"evaluate": {"cmd": "z", "metrics": [{"reports/metrics.json": {"cache": False}}]}}})
    )
    (tmp_path / "dvc.lock").write_text(yaml.safe_dump(LOCK))
    (tmp_path / "reports/metrics.json").write_text(json.dumps(METRICS))
    for cmd in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "committed numbers"],
    ):
        subprocess.run(cmd, check=True)
    return tmp_path


def write_metrics(repo, accuracy):
    (repo / "reports/metrics.json").write_text(json.dumps({"test": {**METRICS["test"], "accuracy": accuracy}}))


def test_equal_run_passes(repo, capsys):
    verify(repro=False)
    assert "data outputs: 1 of 1 identical" in capsys.readouterr().out


def test_model_metrics_may_move_within_the_tolerance(repo, capsys):
    write_metrics(repo, 0.8790)  # TensorFlow on another CPU: 0.0024 lower
    lock = yaml.safe_load((repo / "dvc.lock").read_text())
    lock["stages"]["train"]["outs"][0]["md5"] = "ccc.dir"  # model bytes differ: allowed
    (repo / "dvc.lock").write_text(yaml.safe_dump(lock))
    verify(repro=False)
    assert "largest difference 0.0024" in capsys.readouterr().out


def test_a_metric_beyond_the_tolerance_fails(repo):
    write_metrics(repo, 0.8700)
    with pytest.raises(DataError, match=r"1 metric\(s\) moved by more than 0.003 .*test.accuracy"):
        verify(repro=False)


def test_a_changed_data_hash_fails_whatever_the_metrics(repo):
    lock = yaml.safe_load((repo / "dvc.lock").read_text())
    lock["stages"]["featurize"]["outs"][0]["md5"] = "ddd.dir"
    (repo / "dvc.lock").write_text(yaml.safe_dump(lock))
    with pytest.raises(DataError, match="data outputs differ from HEAD: featurize: data/features"):
        verify(repro=False)


def test_counts_are_not_compared_and_missing_keys_fail():
    assert float_metrics(METRICS) == {"test.accuracy": 0.8814, "test.baseline.accuracy": 0.5}
    rows = compare_metrics({"a": 0.5}, {"b": 0.5}, 0.003)
    assert [ok for *_, ok in rows] == [False, False]
