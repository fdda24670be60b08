"""textclf-run: job overrides become `dvc exp run -S`; bad overrides fail before any job starts."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT
from textclf.errors import ConfigError
from textclf.sweep import runner
from textclf.sweep.runner import (
    check_overrides,
    check_repository,
    dvc_overrides,
    job_threads,
    main,
    objective_value,
    run_job,
    single_overrides,
)

CONF = ROOT / "conf"


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (["model.units=[32,32]", "training.seed=2"], ["model.units=[32,32]", "training.seed=2"]),
        (
            ["hparams_search=mlp_optuna", "model.dropout=0.25", "sweep.objective=test.f1", "training.epochs=1"],
            ["model.dropout=0.25", "training.epochs=1"],
        ),
        (
            ["model=cnn", "features=sequence", "+training.extra=1", "~model.l1", "text.filters='a,b'"],
            ["model=cnn", "features=sequence", "+training.extra=1", "~model.l1", "text.filters='a,b'"],
        ),
        (["++sweep.threads=1", "sweep=null"], []),
    ],
)
def test_sweep_only_keys_never_reach_dvc_set_param(overrides, expected):
    assert dvc_overrides(overrides) == expected


def test_misspelt_override_names_the_valid_keys():
    with pytest.raises(ConfigError) as err:
        check_overrides(CONF, ["model.unitz=32"])
    assert "model.unitz" in str(err.value) and "Did you mean 'units'?" in str(err.value)
    assert "Valid keys of model:" in str(err.value)


def test_an_added_key_the_model_does_not_take_fails_before_any_job():
    with pytest.raises(ConfigError, match=r"model.unitz is not a setting of model 'mlp'. Did you mean 'units'\?"):
        check_overrides(CONF, ["+model.unitz=32"])
    with pytest.raises(ConfigError, match="training.epoch"):
        check_overrides(CONF, ["training.seed=1,2", "+training.epoch=3"])


@pytest.mark.parametrize(
    "override, expected",
    [
        ("model=mlpx", "unknown model option 'mlpx'. Did you mean 'mlp'?"),
        ("hydra/launcher=jobib", "Did you mean 'joblib'?"),
        ("hparams_search=mlp_optun", "Did you mean 'mlp_optuna'?"),
    ],
)
def test_unknown_group_option_lists_the_options(override, expected):
    with pytest.raises(ConfigError, match=expected):
        check_overrides(CONF, [override])


def test_a_misspelt_key_in_any_sweep_choice_is_caught():
    with pytest.raises(ConfigError, match="Did you mean 'units'"):
        check_overrides(CONF, ["training.seed=1,2", "model.unitz=[8],[16]"])
    check_overrides(CONF, ["training.seed=1,2", "model.units=[8],[16]", "hydra/launcher=local_parallel"])


def test_the_search_space_of_an_hparams_search_is_checked_too(tmp_path):
    conf = tmp_path / "conf"
    import shutil

    shutil.copytree(CONF, conf)
    search = conf / "hparams_search/mlp_optuna.yaml"
    search.write_text(search.read_text().replace("model.dropout:", "model.dropot:"))
    check_overrides(CONF, ["hparams_search=mlp_optuna"])
    with pytest.raises(ConfigError, match="model.dropot"):
        check_overrides(conf, ["hparams_search=mlp_optuna"])


def test_single_overrides_expands_each_choice_once():
    combos = single_overrides(["model=mlp", "training.seed=1,2,3", "model.units=[8],[8,8]"])
    assert combos[0] == ["model=mlp", "training.seed=1", "model.units=[8]"]
    assert ["model=mlp", "training.seed=1", "model.units=[8,8]"] in combos
    assert len(combos) == 4
    assert single_overrides(["model.dropout=interval(0.1,0.5)", "training.epochs=range(2,6)"]) == [
        ["model.dropout=0.1", "training.epochs=2"],
        ["model.dropout=0.1", "training.epochs=3"],
        ["model.dropout=0.1", "training.epochs=4"],
        ["model.dropout=0.1", "training.epochs=5"],
    ]
    assert single_overrides(["training.epochs=range(2,6)", "training.epochs=1"]) == [["training.epochs=1"]]


@pytest.mark.parametrize(
    "argv", [["+model.unitz=32"], ["model.unitz=32"], ["-m", "training.seed=1,2", "model.unitz=32"]]
)
def test_textclf_run_exits_with_one_error_line(argv, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "model.unitz" in err
    assert "Did you mean 'units'?" in err


def test_jobs_need_a_dvc_repository_with_a_commit(tmp_path):
    with pytest.raises(ConfigError, match="not a DVC repository"):
        check_repository(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".dvc").mkdir()
    with pytest.raises(ConfigError, match="no git commit"):
        check_repository(tmp_path)


def test_objective_is_a_metric_of_the_experiment():
    metrics = {"val.acc": 0.9, "val.f1": 0.8, "test.acc": 0.85}
    assert objective_value(metrics, "val.f1") == 0.8
    with pytest.raises(ConfigError, match="Did you mean 'val.acc'"):
        objective_value(metrics, "val.acuracy")


def test_job_threads_share_the_cpus_between_parallel_jobs():
    joblib = {"_target_": "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher", "n_jobs": 2}
    basic = {"_target_": "hydra._internal.core_plugins.basic_launcher.BasicLauncher"}
    assert job_threads("auto", joblib, cpus=2) == 1
    assert job_threads("auto", joblib, cpus=8) == 4
    assert job_threads("auto", {**joblib, "n_jobs": -1}, cpus=8) == 1
    assert job_threads("auto", basic, cpus=8) is None
    assert job_threads(None, joblib) is None and job_threads(3, basic) == 3
    dask = {"_target_": "hydra_plugins.textclf_dask.dask_launcher.DaskLauncher", "scheduler_address": None}
    assert job_threads("auto", {**dask, "n_workers": 2}, cpus=8) == 4  # a local cluster: this machine's cores
    assert job_threads("auto", {**dask, "n_workers": -1}, cpus=8) == 1
    assert job_threads("auto", {**dask, "scheduler_address": "tcp://10.0.0.5:8786", "n_workers": 2}, cpus=8) is None


def fake_dvc(monkeypatch, error=None, metrics=None):
    """Replace the two DVC calls of a job; record what the job asked DVC to run."""
    calls = []

    def run_experiment(repo, name, overrides, log_path, env=None):
        calls.append({"name": name, "overrides": overrides, "env": env})
        return error

    monkeypatch.setattr("textclf.sweep.experiments.run_experiment", run_experiment)
    monkeypatch.setattr("textclf.sweep.experiments.experiment_metrics", lambda repo, name: metrics or {})
    return calls


def test_a_job_runs_one_experiment_with_its_overrides_and_a_thread_cap(tmp_path, monkeypatch):
    calls = fake_dvc(monkeypatch, metrics={"val.acc": 0.75})
    result = run_job(
        tmp_path, "sw-0", ["hparams_search=mlp_optuna", "model.units=[8]"], tmp_path / "0", "val.acc", threads=1
    )
    assert calls == [
        {"name": "sw-0", "overrides": ["model.units=[8]"], "env": {runner.ENV_THREADS: "1", runner.ENV_N_JOBS: "1"}}
    ]
    assert result["status"] == "ok" and result["value"] == 0.75
    assert json.loads((tmp_path / "0" / runner.RESULT_FILE).read_text()) == result


def test_a_failed_job_is_recorded_not_raised(tmp_path, monkeypatch):
    fake_dvc(monkeypatch, error="split: training.val_size=100000 is more than the 240 training rows")
    result = run_job(tmp_path, "sw-1", ["training.val_size=100000"], tmp_path / "1", "val.acc")
    saved = json.loads((tmp_path / "1" / runner.RESULT_FILE).read_text())
    assert saved["status"] == result["status"] == "failed" and "value" not in saved
    assert saved["error"].startswith("split: training.val_size=100000") and saved["experiment"] == "sw-1"


def test_a_missing_objective_fails_the_job_with_the_metric_names(tmp_path, monkeypatch):
    fake_dvc(monkeypatch, metrics={"val.acc": 0.75})
    result = run_job(tmp_path, "sw-2", [], tmp_path / "2", "validation.acc")
    assert result["status"] == "failed" and "Did you mean 'val.acc'" in result["error"]
