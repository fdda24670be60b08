"""Sweep jobs on a Dask cluster: the Hydra launcher behind ``hydra/launcher=dask``.

    textclf-run -m training.seed=1,2 hydra/launcher=dask                      # a local cluster, one worker per core
    TEXTCLF_SCHEDULER=tcp://10.0.0.5:8786 textclf-run -m ... hydra/launcher=dask  # a running cluster

``conf/hydra/launcher/dask.yaml`` selects it (Hydra finds it as :mod:`hydra_plugins.textclf_dask`).
Modelled on Hydra's joblib launcher: each job is one Dask task that runs Hydra's ``run_job`` with
the sweep's task function, so a ``textclf-run`` job still runs ``dvc exp run --temp -n NAME -S ...``
in the repository and stays a DVC experiment. The returns come back in job order; a job whose task
raised, or whose worker died, comes back as a failed ``JobReturn`` (Dask runs a lost worker's task
again elsewhere: :func:`claim` stops that second run instead of repeating the experiment).

A worker runs one job at a time (Hydra's job state is per process), so workers must have one thread
each. Dask is imported only when a sweep launches on it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, JobStatus, configure_log, filter_overrides, run_job, setup_globals
from hydra.errors import CompactHydraException
from hydra.plugins.launcher import Launcher
from omegaconf import DictConfig, OmegaConf, open_dict

from textclf.errors import ConfigError
from textclf.runtime import resolve_n_jobs

log = logging.getLogger(__name__)

CLAIM_FILE = "dask_job.json"  # in the job folder: which launch and which worker started the job


class ClusterError(ConfigError, CompactHydraException):
    """A cluster the sweep cannot use. Raised inside Hydra's multirun, which prints a
    ``CompactHydraException`` as its message alone and exits 1: one ``error:`` line, no traceback."""

    def __str__(self) -> str:
        return f"error: {super().__str__()}"


class JobLostError(RuntimeError):
    """The worker running a job left the cluster; Dask tried to run the job again."""


class DaskLauncher(Launcher):
    """Launch each sweep job as a task on a Dask cluster (configured in conf/hydra/launcher/dask.yaml).

    Args:
        scheduler_address: a running scheduler (``tcp://host:8786``); ``None`` starts a local cluster
            of ``n_workers`` single-threaded worker processes for each batch of jobs.
        n_workers: workers of the local cluster (``-1``: one per core); ignored with an address.
    """

    def __init__(self, scheduler_address: str | None = None, n_workers: int = -1) -> None:
        self.scheduler_address = scheduler_address or None
        self.n_workers = n_workers
        self.config: DictConfig | None = None
        self.task_function = None
        self.hydra_context = None

    def setup(self, *, hydra_context, task_function, config: DictConfig) -> None:
        self.config = config
        self.task_function = task_function
        self.hydra_context = hydra_context

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> list[JobReturn]:
        setup_globals()
        configure_log(self.config.hydra.hydra_logging, self.config.hydra.verbose)
        # Absolute, so that workers started elsewhere (another machine, another folder) write the same folders.
        sweep_dir = Path(str(self.config.hydra.sweep.dir)).absolute()
        sweep_dir.mkdir(parents=True, exist_ok=True)
        launch_id = uuid.uuid4().hex
        configs = [
            self.job_config(initial_job_idx + i, list(overrides), sweep_dir)
            for i, overrides in enumerate(job_overrides)
        ]
        with dask_client(self.scheduler_address, self.n_workers) as client:
            log.info("Dask cluster %s is launching %d jobs", client.scheduler.address, len(configs))
            log.info("Launching jobs, sweep output dir : %s", sweep_dir)
            for cfg in configs:
                log.info("\t#%d : %s", cfg.hydra.job.num, " ".join(filter_overrides(cfg.hydra.overrides.task)))
            state = Singleton.get_state()
            futures = [
                client.submit(
                    execute_job,
                    cfg,
                    self.hydra_context,
                    self.task_function,
                    state,
                    launch_id,
                    key=f"textclf-job-{cfg.hydra.job.num}-{launch_id}",
                    pure=False,
                )
                for cfg in configs
            ]
            return [collect(future, cfg) for future, cfg in zip(futures, configs, strict=True)]

    def job_config(self, idx: int, overrides: list[str], sweep_dir: Path) -> DictConfig:
        """The job's config, made here so every worker gets the same resolved sweep folder and launcher."""
        cfg = self.hydra_context.config_loader.load_sweep_config(self.config, overrides)
        with open_dict(cfg):
            cfg.hydra.job.id = f"{cfg.hydra.job.name}_{idx}"
            cfg.hydra.job.num = idx
            cfg.hydra.sweep.dir = str(sweep_dir)
        # A worker's environment is not this one: ${oc.env:TEXTCLF_SCHEDULER} resolves where the sweep starts.
        OmegaConf.resolve(cfg.hydra.launcher)
        return cfg


@contextmanager
def dask_client(address: str | None, n_workers: int) -> Iterator[Any]:
    """A client of the scheduler at ``address``, or of a local cluster started for the block."""
    from dask.distributed import Client, LocalCluster

    with quiet("distributed"), ExitStack() as stack:
        if address is None:
            # memory_limit=0: a job's memory is in its `dvc exp run` child processes, not the worker's to police.
            cluster = LocalCluster(
                n_workers=resolve_n_jobs(n_workers),
                threads_per_worker=1,
                processes=True,
                memory_limit=0,
                dashboard_address=None,
            )
            client = stack.enter_context(Client(stack.enter_context(cluster)))
        else:
            try:
                client = stack.enter_context(Client(address))
            except OSError as exc:
                raise ClusterError(
                    f"cannot reach the Dask scheduler at {address} (hydra.launcher.scheduler_address, "
                    f"default TEXTCLF_SCHEDULER): {exc}. Start it (`dask scheduler`) or fix the address."
                ) from None
            check_workers(client.scheduler_info()["workers"], address)
        yield client


@contextmanager
def quiet(logger: str) -> Iterator[None]:
    """Only warnings from ``logger`` in the block: Dask's INFO lines (workers starting, comms closing)
    would bury the sweep's own log."""
    log_ = logging.getLogger(logger)
    level = log_.level
    log_.setLevel(logging.WARNING)
    try:
        yield
    finally:
        log_.setLevel(level)


def check_workers(workers: dict[str, dict[str, Any]], address: str) -> None:
    """A sweep needs workers, each with one thread: two jobs in one process would share Hydra's job state."""
    if not workers:
        raise ClusterError(
            f"no Dask worker is connected to {address}: start some (`dask worker {address} --nthreads 1`)."
        )
    for worker, info in sorted(workers.items()):
        if info.get("nthreads", 1) != 1:
            raise ClusterError(
                f"Dask worker {worker} has {info['nthreads']} threads; sweep jobs need one per worker process. "
                f"Start the workers with `dask worker {address} --nthreads 1 --nworkers N` (N jobs at a time per machine)."
            )


def execute_job(config: DictConfig, hydra_context, task_function, singleton_state: dict, launch_id: str) -> JobReturn:
    """On a worker: run one job with Hydra's ``run_job`` (as the joblib launcher's ``execute_job``)."""
    setup_globals()
    Singleton.set_state(singleton_state)
    HydraConfig.instance().set_config(config)
    claim(job_folder(config), launch_id)
    return run_job(
        hydra_context=hydra_context,
        config=config,
        task_function=task_function,
        job_dir_key="hydra.sweep.dir",
        job_subdir_key="hydra.sweep.subdir",
    )


def job_folder(config: DictConfig) -> Path:
    return Path(str(config.hydra.sweep.dir)) / str(OmegaConf.select(config, "hydra.sweep.subdir"))


def claim(folder: Path, launch_id: str) -> None:
    """Record which worker starts this job; refuse to start it a second time in the same launch.

    Dask reruns the task of a worker that died (``distributed.scheduler.allowed-failures``); a job
    is a DVC experiment that may have half run, so a rerun fails the job instead.
    """
    from distributed import get_worker

    path = folder / CLAIM_FILE
    if path.is_file():
        earlier = json.loads(path.read_text(encoding="utf-8"))
        if earlier.get("launch") == launch_id:
            raise JobLostError(
                f"job {folder.name} was started on Dask worker {earlier['worker']} ({earlier['host']}), which "
                f"left the cluster before the job ended; it is not run again: rerun it if needed."
            )
    folder.mkdir(parents=True, exist_ok=True)
    record = {"launch": launch_id, "worker": get_worker().address, "host": socket.gethostname(), "pid": os.getpid()}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def collect(future, config: DictConfig) -> JobReturn:
    """The job's ``JobReturn``, or a failed one carrying the error if its task did not return."""
    try:
        return future.result()
    except Exception as exc:  # the job's own errors come back inside its JobReturn: this is the cluster's
        log.error("job %d failed on the cluster: %s", config.hydra.job.num, exc)
        overrides = list(config.hydra.overrides.task)
        return JobReturn(overrides=overrides, hydra_cfg=config, status=JobStatus.FAILED, _return_value=exc)
