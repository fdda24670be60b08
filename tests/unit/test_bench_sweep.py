"""scripts/bench_sweep.py: the summary check accepts a complete sweep and catches a missing job."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.conftest import ROOT
from textclf.sweep.summary import write_summary

spec = importlib.util.spec_from_file_location("bench_sweep", ROOT / "scripts/bench_sweep.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def fake_jobs(root, n):
    for job, units in enumerate(["[16,16]", "[32,32]", "[64,64]", "[16]"][:n]):
        (root / str(job)).mkdir(parents=True)
        metrics = {"val.acc": 0.8 + job / 100, "test.acc": 0.8}
        (root / str(job) / "result.json").write_text(json.dumps(
            {"job": job, "overrides": [f"model.units={units}"], "status": "ok", "seconds": 3.0, "metrics": metrics}))
    write_summary(root)


def test_check_summary_lists_four_jobs(tmp_path):
    fake_jobs(tmp_path, 4)
    jobs = bench.check_summary(tmp_path)
    assert [j["overrides"] for j in jobs][0] == ["model.units=[16,16]"] and len(jobs) == 4


def test_check_summary_fails_on_a_missing_job(tmp_path):
    fake_jobs(tmp_path, 3)
    with pytest.raises(AssertionError, match="3 job results"):
        bench.check_summary(tmp_path)
