"""textclf-run: job params equal a fresh composition; misspelt overrides fail with suggestions."""

from __future__ import annotations

import pytest
import yaml

from textclf.compose import compose
from textclf.errors import ConfigError
from textclf.sweep.runner import (
    check_overrides,
    flatten,
    main,
    objective_value,
    params_yaml,
    single_overrides,
)
from tests.conftest import ROOT

CONF = ROOT / "conf"


def run_params(overrides: list[str]) -> dict:
    """What the runner writes as a job's params.yaml for ``overrides``."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from omegaconf import OmegaConf

    with initialize_config_dir(str(CONF), version_base="1.3"):
        cfg = hydra_compose(config_name="run", overrides=overrides)
    params = OmegaConf.to_container(cfg, resolve=True)
    assert params.pop("sweep")["objective"] == "val.acc"
    return params


@pytest.mark.parametrize("overrides", [[], ["training.epochs=2", "model.units=[32,32]"]])
def test_job_params_are_the_composition_dvc_would_write(overrides):
    assert params_yaml(run_params(overrides)) == compose(CONF, overrides)


def test_the_committed_params_yaml_is_untouched_by_the_sweep_configs():
    assert (ROOT / "params.yaml").read_text() == compose(CONF)
    assert "sweep" not in yaml.safe_load((ROOT / "params.yaml").read_text())


def test_misspelt_override_names_the_valid_keys():
    with pytest.raises(ConfigError) as err:
        check_overrides(CONF, ["model.unitz=32"])
    assert "model.unitz" in str(err.value) and "Did you mean 'units'?" in str(err.value)
    assert "Valid keys of model:" in str(err.value)


@pytest.mark.parametrize("override, expected", [
    ("model=mlpx", "unknown model option 'mlpx'. Did you mean 'mlp'?"),
    ("hydra/launcher=jobib", "Did you mean 'joblib'?"),
    ("hparams_search=mlp_optun", "Did you mean 'mlp_optuna'?"),
])
def test_unknown_group_option_lists_the_options(override, expected):
    with pytest.raises(ConfigError, match=expected):
        check_overrides(CONF, [override])


def test_a_misspelt_key_in_any_sweep_choice_is_caught():
    with pytest.raises(ConfigError, match="Did you mean 'units'"):
        check_overrides(CONF, ["training.seed=1,2", "model.unitz=[8],[16]"])
    check_overrides(CONF, ["training.seed=1,2", "model.units=[8],[16]", "hydra/launcher=local_parallel"])


def test_single_overrides_expands_each_choice_once():
    combos = single_overrides(["model=mlp", "training.seed=1,2,3", "model.units=[8],[8,8]"])
    assert combos[0] == ["model=mlp", "training.seed=1", "model.units=[8]"]
    assert ["model=mlp", "training.seed=1", "model.units=[8,8]"] in combos
    assert len(combos) == 4
    assert single_overrides(["model.dropout=interval(0,0.5)"]) == [[]]


def test_flatten_and_objective():
    metrics = flatten({"val": {"acc": 0.9, "f1": 0.8}, "test": {"acc": 0.85}})
    assert metrics == {"val.acc": 0.9, "val.f1": 0.8, "test.acc": 0.85}
    assert objective_value(metrics, "val.f1") == 0.8
    with pytest.raises(ConfigError, match="Did you mean 'val.acc'"):
        objective_value(metrics, "val.accc")


def test_textclf_run_exits_at_once_on_a_misspelt_override(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        main(["-m", "training.seed=1,2", "model.unitz=32"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err.startswith("error: unknown key model.unitz. Did you mean 'units'?")


def test_job_threads_share_the_cpus_between_parallel_jobs():
    from textclf.sweep.runner import job_threads

    joblib = {"_target_": "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher", "n_jobs": 2}
    basic = {"_target_": "hydra._internal.core_plugins.basic_launcher.BasicLauncher"}
    assert job_threads("auto", joblib, cpus=2) == 1
    assert job_threads("auto", joblib, cpus=8) == 4
    assert job_threads("auto", {**joblib, "n_jobs": -1}, cpus=8) == 1
    assert job_threads("auto", basic, cpus=8) is None
    assert job_threads(None, joblib) is None and job_threads(3, basic) == 3
