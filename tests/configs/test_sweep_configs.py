"""Every sweep config (conf/run.yaml, conf/hydra/{launcher,sweeper}/*, conf/hparams_search/*) composes."""

from __future__ import annotations

import configparser

import pytest

from tests.conftest import ROOT

CONF = ROOT / "conf"
LAUNCHERS = sorted(p.stem for p in (CONF / "hydra/launcher").glob("*.yaml"))
SEARCHES = sorted(p.stem for p in (CONF / "hparams_search").glob("*.yaml"))


def compose_run(overrides):
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(str(CONF), version_base="1.3"):
        return compose(config_name="run", overrides=overrides, return_hydra_config=True)


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_launcher_config_composes(launcher):
    cfg = compose_run([f"hydra/launcher={launcher}"])
    assert "_target_" in cfg.hydra.launcher
    if launcher == "local_parallel":
        assert cfg.hydra.launcher.n_jobs == 2 and "joblib" in cfg.hydra.launcher._target_.lower()
    if launcher == "slurm":
        assert "slurm" in cfg.hydra.launcher._target_.lower()


def test_dask_launcher_reads_the_scheduler_address_the_data_stages_read(monkeypatch):
    from hydra.core.plugins import Plugins

    from textclf.runtime import ENV_SCHEDULER
    from textclf.sweep.cluster import DaskLauncher

    monkeypatch.delenv(ENV_SCHEDULER, raising=False)
    launcher = Plugins.instance()._instantiate(compose_run(["hydra/launcher=dask"]).hydra.launcher)
    assert isinstance(launcher, DaskLauncher) and launcher.scheduler_address is None and launcher.n_workers == -1
    monkeypatch.setenv(ENV_SCHEDULER, "tcp://10.0.0.5:8786")
    launcher = Plugins.instance()._instantiate(compose_run(["hydra/launcher=dask"]).hydra.launcher)
    assert launcher.scheduler_address == "tcp://10.0.0.5:8786"


@pytest.mark.parametrize("search", SEARCHES)
def test_hparams_search_composes_into_textclfs_optuna_sweeper(search):
    from hydra.core.plugins import Plugins
    from hydra.plugins.sweeper import Sweeper

    from textclf.sweep.search import OptunaSweeper, search_space

    cfg = compose_run([f"hparams_search={search}"])
    assert cfg.hydra.sweeper.direction == cfg.sweep.direction
    space, fixed = search_space([f"{k}={v}" for k, v in cfg.hydra.sweeper.params.items()])
    assert space and not fixed
    for key in cfg.hydra.sweeper.params:
        section, _, name = key.partition(".")
        assert name in cfg[section], f"{search}: {key} is not a key of the config"
    # Hydra finds and builds the sweeper the config names (plugins must live in hydra_plugins.*).
    sweeper = Plugins.instance()._instantiate(cfg.hydra.sweeper)
    assert isinstance(sweeper, Sweeper) and isinstance(sweeper, OptunaSweeper)
    assert type(sweeper.sampler).__name__ == "TPESampler"


def test_run_config_adds_only_the_keys_textclf_run_keeps_from_dvc():
    from textclf.compose import compose
    from textclf.sweep.runner import RUN_ONLY

    cfg = compose_run([])
    import yaml

    params = yaml.safe_load(compose(CONF))
    assert set(cfg) - set(params) == {"sweep", "hydra"}
    groups_of = {
        name: {
            next(iter(d))
            for d in yaml.safe_load((CONF / f"{name}.yaml").read_text())["defaults"]
            if isinstance(d, dict)
        }
        for name in ("run", "config")
    }
    assert {"sweep"} | (groups_of["run"] - groups_of["config"]) == set(RUN_ONLY)
    assert cfg.hydra.job.chdir is False
    assert any("SweepSummary" in c._target_ for c in cfg.hydra.callbacks.values())


def test_dvc_config_declares_a_storage_remote():
    config = configparser.ConfigParser()
    config.read(ROOT / ".dvc/config")
    assert config.get("'remote \"storage\"'", "url")


def test_textclf_run_console_script_points_at_the_runner():
    import importlib
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, func = scripts["textclf-run"].partition(":")
    assert callable(getattr(importlib.import_module(module), func))
