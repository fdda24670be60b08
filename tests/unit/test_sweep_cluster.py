"""hydra/launcher=dask: sweep jobs as tasks on a 2-worker local Dask cluster started by the test.

The jobs run a tiny task function instead of `dvc exp run` (tests/e2e/test_sweep.py runs real ones).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hydra.errors import CompactHydraException

from tests.conftest import ROOT
from textclf.errors import ConfigError
from textclf.runtime import ENV_SCHEDULER
from textclf.sweep.cluster import CLAIM_FILE, JobLostError, check_workers

CONF = ROOT / "conf"


def seed_task(cfg) -> dict:
    """A job: returns its seed, where it ran and its thread cap; seed 13 raises, seed 99 kills its worker."""
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf

    from textclf.sweep.runner import job_threads

    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    with open(out.parent / "attempts.txt", "a") as attempts:
        attempts.write(f"{cfg.training.seed}\n")
    if cfg.training.seed == 13:
        raise ValueError("unlucky seed")
    if cfg.training.seed == 99:
        os._exit(1)
    time.sleep(0.5 if cfg.training.seed == 3 else 0)  # the first job ends last
    launcher = OmegaConf.to_container(hydra_cfg.launcher)
    threads = job_threads(cfg.sweep.threads, launcher, cpus=8)  # as textclf.sweep.runner.task
    return {"seed": cfg.training.seed, "pid": os.getpid(), "dir": str(out), "launcher": launcher, "threads": threads}


def dropout_task(cfg) -> float:
    return float(cfg.model.dropout)


@pytest.fixture(scope="module")
def scheduler():
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def hydra_plugin(kind: str, task, overrides: list[str]):
    """Textclf-run's config (conf/run.yaml) with ``overrides``, and its launcher or sweeper set up as Hydra
    sets them up for a multirun (the Optuna sweeper instantiates its launcher the same way)."""
    from hydra import initialize_config_dir
    from hydra._internal.callbacks import Callbacks
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.hydra_config import HydraConfig
    from hydra.core.plugins import Plugins
    from hydra.types import HydraContext, RunMode

    with initialize_config_dir(str(CONF), version_base="1.3"):
        hydra = GlobalHydra.instance().hydra
        cfg = hydra.compose_config("run", overrides, run_mode=RunMode.MULTIRUN, with_log_configuration=False)
        HydraConfig.instance().set_config(cfg)
        context = HydraContext(config_loader=hydra.config_loader, callbacks=Callbacks(cfg))
        instantiate = getattr(Plugins.instance(), f"instantiate_{kind}")
        return instantiate(hydra_context=context, task_function=task, config=cfg)


@pytest.fixture
def on_cluster(scheduler, tmp_path, monkeypatch) -> list[str]:
    """Overrides for a sweep into ``tmp_path`` on the test's cluster, named by TEXTCLF_SCHEDULER as for the
    data stages. The workers, started earlier, lack the variable: the launcher resolves it where the sweep starts."""
    monkeypatch.setenv(ENV_SCHEDULER, scheduler)
    return ["hydra/launcher=dask", f"hydra.sweep.dir={tmp_path}"]


def test_jobs_run_on_the_workers_and_return_in_job_order(on_cluster, scheduler, tmp_path):
    from hydra.core.utils import JobStatus

    launcher = hydra_plugin("launcher", seed_task, on_cluster)
    returns = launcher.launch([["training.seed=3"], ["training.seed=1"], ["training.seed=2"]], initial_job_idx=5)
    assert [r.status for r in returns] == [JobStatus.COMPLETED] * 3
    assert [r.return_value["seed"] for r in returns] == [3, 1, 2]
    assert [r.overrides for r in returns] == [["training.seed=3"], ["training.seed=1"], ["training.seed=2"]]
    assert [r.return_value["dir"] for r in returns] == [str(tmp_path / str(job)) for job in (5, 6, 7)]
    # A running cluster's workers may be other machines: sweep.threads=auto leaves the jobs uncapped.
    assert all(r.return_value["launcher"]["scheduler_address"] == scheduler for r in returns)
    assert [r.return_value["threads"] for r in returns] == [None] * 3
    pids = {r.return_value["pid"] for r in returns}
    assert len(pids) == 2 and os.getpid() not in pids  # both workers, never this process
    for job in (5, 6, 7):
        assert (tmp_path / str(job) / ".hydra/overrides.yaml").is_file()
        claim = json.loads((tmp_path / str(job) / CLAIM_FILE).read_text())
        assert claim["worker"].startswith("tcp://") and claim["pid"] != os.getpid()


def test_a_failed_job_is_reported_and_a_lost_worker_is_not_retried(on_cluster, tmp_path):
    from hydra.core.utils import JobStatus

    launcher = hydra_plugin("launcher", seed_task, on_cluster)
    failed, ok = launcher.launch([["training.seed=13"], ["training.seed=1"]], initial_job_idx=0)
    assert failed.status == JobStatus.FAILED and "unlucky seed" in str(failed._return_value)
    assert ok.status == JobStatus.COMPLETED and ok.return_value["seed"] == 1

    # Seed 99 kills its worker: Dask would run the task again on another worker; the launcher does not.
    (lost,) = launcher.launch([["training.seed=99"]], initial_job_idx=2)
    assert lost.status == JobStatus.FAILED and isinstance(lost._return_value, JobLostError)
    assert "left the cluster" in str(lost._return_value) and lost.overrides == ["training.seed=99"]
    assert (tmp_path / "attempts.txt").read_text().split() == ["13", "1", "99"]


def test_optuna_trials_run_on_the_cluster(on_cluster, tmp_path):
    import yaml

    overrides = ["hparams_search=mlp_optuna", "hydra.sweeper.n_trials=3", *on_cluster]
    sweeper = hydra_plugin("sweeper", dropout_task, overrides)
    results = sweeper.sweep(arguments=["hparams_search=mlp_optuna"])  # the task overrides, as Hydra passes them
    jobs = sorted(int(p.name) for p in tmp_path.iterdir() if (p / CLAIM_FILE).is_file())
    assert jobs == [0, 1, 2] and results["trials"] == 3 and results["failed"] == 0
    dropouts = [
        yaml.safe_load((tmp_path / str(j) / ".hydra/config.yaml").read_text())["model"]["dropout"] for j in jobs
    ]
    assert results["best_value"] == max(dropouts)


def test_sweep_jobs_need_single_threaded_workers():
    with pytest.raises(ConfigError, match="no Dask worker is connected to tcp://s:8786") as err:
        check_workers({}, "tcp://s:8786")
    # Raised inside Hydra's multirun, which prints a CompactHydraException's message alone: one error line.
    assert isinstance(err.value, CompactHydraException) and str(err.value).startswith("error: no Dask worker")
    with pytest.raises(ConfigError, match=r"tcp://w:1 has 4 threads.*--nthreads 1 --nworkers N"):
        check_workers({"tcp://w:1": {"nthreads": 4}}, "tcp://s:8786")
    check_workers({"tcp://w:1": {"nthreads": 1}, "tcp://w:2": {"nthreads": 1}}, "tcp://s:8786")


def test_finding_hydra_plugins_does_not_import_dask():
    """Hydra imports every plugin module whenever it composes (textclf compose, dvc exp run)."""
    code = (
        "import sys\nfrom hydra.core.plugins import Plugins\nPlugins.instance()\n"
        "assert 'hydra_plugins.textclf_dask.dask_launcher' in sys.modules\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
