"""scripts/bench_sweep.py: a sweep counts only if every job is an experiment `dvc exp show` lists."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load_script
from textclf.sweep.summary import write_summary

bench = load_script("bench_sweep")


def fake_sweep(root, n):
    shown = {}
    for job, units in enumerate(bench.UNITS[:n]):
        (root / str(job)).mkdir(parents=True)
        name = f"bench-parallel-{job}"
        (root / str(job) / "result.json").write_text(
            json.dumps({"experiment": name, "overrides": [f"model.units={units}"], "status": "ok", "seconds": 3.0})
        )
        shown[name] = {
            "rev": "r",
            "params": {"model.units": json.loads(units)},
            "metrics": {"val.acc": 0.8 + job / 100, "test.acc": 0.8},
        }
    write_summary(root, root, experiments=shown)
    return shown


def test_jobs_of_lists_four_experiments(tmp_path):
    shown = fake_sweep(tmp_path, 4)
    jobs = bench.jobs_of(tmp_path, shown)
    assert [j["experiment"] for j in jobs] == [f"bench-parallel-{i}" for i in range(4)]
    assert jobs[1]["val.acc"] == 0.81


def test_jobs_of_fails_on_a_missing_job_or_experiment(tmp_path):
    shown = fake_sweep(tmp_path / "three", 3)
    with pytest.raises(AssertionError, match="3 job results"):
        bench.jobs_of(tmp_path / "three", shown)
    shown = fake_sweep(tmp_path / "four", 4)
    del shown["bench-parallel-2"]
    with pytest.raises(AssertionError, match="bench-parallel-2 is not listed"):
        bench.jobs_of(tmp_path / "four", shown)
