"""The Optuna sweeper: Hydra's search-space syntax as Optuna distributions, and the ask/tell loop."""

from __future__ import annotations

import pytest
import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.utils import JobReturn, JobStatus
from omegaconf import OmegaConf
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

from textclf.sweep.search import OptunaSweeper, distribution, render, search_space, trial_overrides


def parsed(override: str):
    return OverridesParser.create().parse_overrides([override])[0]


@pytest.mark.parametrize(
    "override, expected",
    [
        ('model.units=choice("[16,16]", "[32]")', CategoricalDistribution(["[16,16]", "[32]"])),
        ("model.name=choice(mlp, cnn)", CategoricalDistribution(["mlp", "cnn"])),
        ("training.epochs=range(2, 6)", IntDistribution(2, 5)),
        ("training.epochs=range(2, 10, 3)", IntDistribution(2, 8, step=3)),
        ("training.epochs=shuffle(range(2, 4))", CategoricalDistribution([2, 3])),
        ("model.dropout=interval(0.0, 0.5)", FloatDistribution(0.0, 0.5)),
        ("model.l2=interval(0, 1)", FloatDistribution(0.0, 1.0)),
        ("training.learning_rate=tag(log, interval(0.0003, 0.01))", FloatDistribution(0.0003, 0.01, log=True)),
    ],
)
def test_hydra_sweep_syntax_maps_to_optuna_distributions(override, expected):
    got = distribution(parsed(override))
    if isinstance(expected, CategoricalDistribution):
        assert sorted(map(str, got.choices)) == sorted(map(str, expected.choices))
    else:
        assert got == expected


def test_a_plain_value_fixes_the_key_and_the_last_override_wins():
    space, fixed = search_space(
        [
            "model.dropout=interval(0, 0.5)",
            "training.epochs=range(2, 6)",
            "training.epochs=1",
            "hparams_search=mlp_optuna",
        ]
    )
    assert list(space) == ["model.dropout"]
    assert fixed == ["training.epochs=1", "hparams_search=mlp_optuna"]


def test_sampled_values_are_written_as_hydra_overrides():
    assert [render(v) for v in (True, None, 0.0031, 4, "[16,16]")] == ["true", "null", "0.0031", "4", "[16,16]"]
    assert trial_overrides({"model.units": "[32]", "model.dropout": 0.25}, ["training.epochs=1"]) == [
        "model.units=[32]",
        "model.dropout=0.25",
        "training.epochs=1",
    ]


class FakeLauncher:
    """Runs no job: returns each trial's value from ``score`` (a raised error = a failed job)."""

    def __init__(self, score):
        self.score = score
        self.batches = []

    def launch(self, job_overrides, initial_job_idx):
        self.batches.append((initial_job_idx, [list(o) for o in job_overrides]))
        returns = []
        for overrides in job_overrides:
            params = dict(o.split("=", 1) for o in overrides)
            try:
                returns.append(
                    JobReturn(overrides=overrides, status=JobStatus.COMPLETED, _return_value=self.score(params))
                )
            except Exception as exc:  # a job that crashed before returning
                returns.append(JobReturn(overrides=overrides, status=JobStatus.FAILED, _return_value=exc))
        return returns


def sweeper(tmp_path, launcher, n_trials=5, n_jobs=2, direction="maximize"):
    import optuna

    s = OptunaSweeper(
        sampler=optuna.samplers.RandomSampler(seed=0),
        direction=direction,
        n_trials=n_trials,
        n_jobs=n_jobs,
        params={"model.dropout": "interval(0.0, 0.5)", "model.units": 'choice("[8]", "[16,16]")'},
    )
    s.config = OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)}}})
    s.launcher = launcher
    return s


def test_trials_run_in_batches_through_the_launcher_and_the_best_is_saved(tmp_path):
    launcher = FakeLauncher(lambda p: 1 - float(p["model.dropout"]))
    results = sweeper(tmp_path, launcher).sweep(["training.epochs=1"])
    assert [(start, len(batch)) for start, batch in launcher.batches] == [(0, 2), (2, 2), (4, 1)]
    jobs = [job for _, batch in launcher.batches for job in batch]
    for job in jobs:
        params = dict(o.split("=", 1) for o in job)
        assert 0 <= float(params["model.dropout"]) <= 0.5 and params["model.units"] in ("[8]", "[16,16]")
        assert params["training.epochs"] == "1"
    saved = yaml.safe_load((tmp_path / "optimization_results.yaml").read_text())
    values = [1 - float(dict(o.split("=", 1) for o in job)["model.dropout"]) for job in jobs]
    assert saved["best_value"] == results["best_value"] == max(values)
    assert saved["best_job"] == values.index(max(values)) and saved["failed"] == 0 and saved["trials"] == 5
    assert (tmp_path / "multirun.yaml").is_file()


def test_failed_trials_are_marked_failed_and_the_search_goes_on(tmp_path):
    def score(params):
        if params["model.units"] == "[8]":
            raise RuntimeError("the job crashed")
        return None if float(params["model.dropout"]) > 0.25 else 0.5  # None: the job's experiment failed

    launcher = FakeLauncher(score)
    s = sweeper(tmp_path, launcher, n_trials=6)
    s.sweep([])
    assert sum(len(batch) for _, batch in launcher.batches) == 6
    saved = yaml.safe_load((tmp_path / "optimization_results.yaml").read_text())
    jobs = [dict(o.split("=", 1) for o in job) for _, batch in launcher.batches for job in batch]
    expected_failures = sum(p["model.units"] == "[8]" or float(p["model.dropout"]) > 0.25 for p in jobs)
    assert 0 < saved["failed"] == expected_failures < 6
    assert saved["best_value"] == 0.5


def test_minimize_picks_the_smallest_value(tmp_path):
    launcher = FakeLauncher(lambda p: float(p["model.dropout"]))
    results = sweeper(tmp_path, launcher, n_trials=4, direction="minimize").sweep([])
    values = [float(dict(o.split("=", 1) for o in job)["model.dropout"]) for _, b in launcher.batches for job in b]
    assert results["best_value"] == min(values)
