"""The DVC side of a sweep: experiment names, errors from DVC's output, `dvc exp show` parsing, start lock."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from textclf.sweep import experiments
from textclf.sweep.experiments import experiment_name, flatten, last_error, parse_exp_show


@pytest.mark.parametrize(
    "folder, job, expected",
    [
        ("multirun/2026-11-29/06-45-12/3", 3, "2026-11-29-06-45-12-3"),
        ("outputs/2026-11-29/06-45-12", None, "2026-11-29-06-45-12"),
        ("multirun/bench/parallel/0", 0, "bench-parallel-0"),
        ("multirun/my sweep:v1/2", 2, "my-sweep-v1-2"),
    ],
)
def test_experiment_names_come_from_the_hydra_folder_and_are_git_ref_safe(tmp_path, folder, job, expected):
    assert experiment_name(tmp_path / folder, tmp_path, job) == expected


def test_a_folder_outside_the_repository_still_gives_a_name(tmp_path):
    assert experiment_name(tmp_path / "elsewhere/sweeps/a/1", tmp_path / "repo", 1) == "sweeps-a-1"


def test_last_error_prefers_the_stages_error_line():
    output = "Running stage 'split':\nerror: training.val_size=9 is too large\nERROR: failed to reproduce 'split'\n"
    assert last_error(output) == "training.val_size=9 is too large"
    assert last_error("ERROR: Could not override 'model.unitz'.\n") == "Could not override 'model.unitz'."
    assert (
        last_error("Running stage 'train':\nTraceback ...\nValueError: rate must be < 1\n")
        == "ValueError: rate must be < 1"
    )
    assert last_error("") == "no output"


def test_flatten_names_metrics_as_dvc_exp_show():
    assert flatten({"val": {"acc": 0.9, "f1": 0.8}, "step": 3}) == {"val.acc": 0.9, "val.f1": 0.8, "step": 3}


def test_parse_exp_show_keys_experiments_by_name():
    shown = [
        {"rev": "workspace", "name": None, "experiments": None},
        {
            "rev": "abc",
            "name": "main",
            "experiments": [
                {
                    "name": "sw-0",
                    "revs": [
                        {
                            "rev": "e0",
                            "name": "sw-0",
                            "data": {
                                "params": {"params.yaml": {"data": {"model": {"units": [16, 16]}}}},
                                "metrics": {
                                    "reports/metrics.json": {"data": {"val": {"acc": 0.9}}},
                                    "reports/live/metrics.json": {"data": {"train": {"loss": 0.3}}},
                                },
                            },
                        }
                    ],
                },
                {"name": "broken", "revs": [{"rev": "e1", "name": "broken", "data": None, "error": "x"}]},
            ],
        },
    ]
    parsed = parse_exp_show(shown)
    assert parsed["sw-0"] == {
        "rev": "e0",
        "params": {"model.units": [16, 16]},
        "metrics": {"val.acc": 0.9, "train.loss": 0.3},
    }
    assert parsed["broken"] == {"rev": "e1", "params": {}, "metrics": {}}


def test_runs_start_one_at_a_time_until_dvc_has_made_the_temporary_copy(tmp_path):
    """The second run starts only after the first created its copy (DVC took its stash entry)."""
    script = (
        "import os, sys, time; time.sleep(float(sys.argv[1])); "
        "open(sys.argv[2], 'w').write(repr(time.time())); "
        "os.makedirs(os.path.join('.dvc/tmp/exps/standalone', sys.argv[3])); time.sleep(1)"
    )
    started = {}

    def start(delay: str, name: str) -> None:
        with open(tmp_path / f"{name}.log", "w") as log:
            cmd = [sys.executable, "-c", script, delay, str(tmp_path / f"{name}.copy"), name]
            started[name] = time.time()
            experiments._start(tmp_path, cmd, log, {}).wait()

    first = threading.Thread(target=start, args=("0.5", "a"))
    first.start()
    time.sleep(0.1)
    second = threading.Thread(target=start, args=("0", "b"))
    second.start()
    first.join()
    second.join()
    copied_a = float((tmp_path / "a.copy").read_text())
    copied_b = float((tmp_path / "b.copy").read_text())
    assert copied_a < copied_b  # b waited for a's copy although a slept before making it
    assert sorted(p.name for p in (tmp_path / experiments.TEMP_COPIES).iterdir()) == ["a", "b"]
    assert Path(tmp_path / experiments.START_LOCK).exists()


def vanished_copy_then(result, failures: int):
    """A stand-in for show_experiments: ``failures`` times DVC's error for a copy removed mid-read, then ``result``."""
    calls = []

    def show(repo):
        calls.append(repo)
        if len(calls) <= failures:
            missing = (
                f"ERROR: unexpected error - [Errno 2] No such file or directory: '/r/{experiments.TEMP_COPIES}/tmpx'"
            )
            raise subprocess.CalledProcessError(255, ["dvc", "exp", "show"], stderr=missing)
        return result

    return show, calls


def test_exp_show_racing_another_jobs_cleanup_is_retried(monkeypatch):
    show, calls = vanished_copy_then({"job-1": {"metrics": {"val.acc": 0.9}}}, failures=2)
    monkeypatch.setattr(experiments, "show_experiments", show)
    monkeypatch.setattr(experiments.time, "sleep", lambda seconds: None)
    assert experiments.experiment_metrics(Path("r"), "job-1") == {"val.acc": 0.9}
    assert len(calls) == 3


def test_other_exp_show_failures_and_a_lasting_race_end_as_one_lookup_error(monkeypatch):
    monkeypatch.setattr(experiments.time, "sleep", lambda seconds: None)
    show, calls = vanished_copy_then({}, failures=99)
    monkeypatch.setattr(experiments, "show_experiments", show)
    with pytest.raises(LookupError, match="`dvc exp show` failed after experiment job-1"):
        experiments.experiment_metrics(Path("r"), "job-1", attempts=3)
    assert len(calls) == 3

    def broken(repo):
        raise subprocess.CalledProcessError(1, ["dvc"], stderr="ERROR: not a git repository")

    monkeypatch.setattr(experiments, "show_experiments", broken)
    with pytest.raises(LookupError, match="not a git repository"):
        experiments.experiment_metrics(Path("r"), "job-1")
