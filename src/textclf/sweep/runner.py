"""``textclf-run``: describe a sweep with Hydra; every job is a DVC experiment.

    textclf-run training.epochs=6                                   # one experiment
    textclf-run -m 'model.units=[16,16],[32,32]' training.seed=1,2  # a grid: 4 experiments, one at a time
    textclf-run -m training.seed=1,2,3,4 hydra/launcher=local_parallel   # 2 at a time
    textclf-run -m hparams_search=mlp_optuna                        # Optuna trials, 2 per batch
    textclf-run -m training.seed=1,2 hydra/launcher=dask            # on a Dask cluster (local or TEXTCLF_SCHEDULER)

Hydra expands the command line (grid, Optuna search) and launches the jobs (basic, joblib,
Submitit, Dask: :mod:`textclf.sweep.cluster`). Each job runs ``dvc exp run --temp -n NAME -S ...``
with the job's overrides (:mod:`textclf.sweep.experiments`), so DVC executes the stages and ``dvc exp show`` lists the
job with its params and metrics. The job folder keeps ``result.json`` (experiment name, status,
error, objective) and DVC's log; the sweep folder gets a summary (:mod:`textclf.sweep.summary`).
"""

from __future__ import annotations

import itertools
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from textclf.errors import ConfigError, TextclfError, user_errors
from textclf.runtime import ENV_N_JOBS, ENV_THREADS, available_cores

log = logging.getLogger(__name__)

RUN_CONFIG = "run"  # conf/run.yaml: conf/config.yaml + the `sweep` section + Hydra settings
RUN_ONLY = ("sweep", "hparams_search")  # conf/run.yaml's own keys and groups: never passed to `-S`
RESULT_FILE = "result.json"
DVC_LOG = "dvc.log"


def dvc_overrides(overrides: list[str]) -> list[str]:
    """The job's overrides that set ``params.yaml``, for ``dvc exp run -S``.

    ``sweep.*`` and ``hparams_search=...`` only steer ``textclf-run`` and are dropped; everything
    else (``model.units=[32,32]``, ``model=cnn``, ``+training.x=1``) is passed as written.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(list(overrides))
    return [o.input_line for o in parsed if o.key_or_group.split(".")[0] not in RUN_ONLY]


def parallel_jobs(launcher: dict[str, Any]) -> int | None:
    """Jobs the launcher runs at once on this machine (``-1``: one per core); None if not known here.

    A joblib launcher's ``n_jobs``, or a Dask launcher's ``n_workers`` when it starts a local
    cluster; the workers of a running cluster may be on other machines.
    """
    target = str(launcher.get("_target_", "")).lower()
    if "joblib" in target:
        return launcher.get("n_jobs")
    if "dask" in target and not launcher.get("scheduler_address"):
        return launcher.get("n_workers", -1)
    return None


def job_threads(setting: Any, launcher: dict[str, Any], cpus: int | None = None) -> int | None:
    """Threads per job: ``auto`` shares the CPUs between the parallel jobs of a joblib launcher or
    of a Dask launcher's local cluster.

    Two TensorFlow jobs that each use every core only get in each other's way; one thread each
    (on 2 cores, 2 workers) keeps both busy. ``null`` leaves each job the whole machine.
    """
    if setting in (None, "null"):
        return None
    if setting != "auto":
        return int(setting)
    n_jobs = parallel_jobs(launcher)
    if not n_jobs or n_jobs == 1:
        return None
    cpus = cpus or available_cores()
    return max(1, cpus // (n_jobs if n_jobs > 0 else cpus))


def objective_value(metrics: dict[str, Any], objective: str) -> float:
    if objective not in metrics:
        from textclf.registry import did_you_mean

        raise ConfigError(
            f"sweep.objective={objective!r} is not a metric of this pipeline.{did_you_mean(objective, metrics)} "
            f"Choose one of: {', '.join(metrics)}."
        )
    return float(metrics[objective])


def run_job(
    repo: Path, name: str, overrides: list[str], job_dir: Path, objective: str, threads: int | None = None
) -> dict[str, Any]:
    """Run one job as DVC experiment ``name``; return its record (also written to ``result.json``).

    A failed experiment is recorded with its error, never raised: the sweep goes on.
    """
    from textclf.io import write_json
    from textclf.sweep.experiments import experiment_metrics, run_experiment

    env = {ENV_THREADS: str(threads), ENV_N_JOBS: str(threads)} if threads else {}
    result: dict[str, Any] = {"experiment": name, "overrides": list(overrides), "objective": objective}
    start = time.perf_counter()
    error = run_experiment(repo, name, dvc_overrides(overrides), job_dir / DVC_LOG, env)
    if error is None:
        try:
            result["value"] = objective_value(experiment_metrics(repo, name), objective)
        except (TextclfError, LookupError) as exc:
            error = str(exc)
    result.update(status="failed" if error else "ok", seconds=round(time.perf_counter() - start, 1))
    if error:
        result["error"] = error
    write_json(result, job_dir / RESULT_FILE)
    return result


# ---------------------------------------------------------------- Hydra wrapper


def repo_of_config(hydra_cfg) -> Path:
    """The repository whose ``conf/`` Hydra composed from (the primary config source)."""
    for source in hydra_cfg.runtime.config_sources:
        if source.provider == "main":
            return Path(str(source.path).removeprefix("file://")).resolve().parent
    return Path.cwd()


def task(cfg) -> float | None:
    """The ``@hydra.main`` body: one job; returns the objective (None if the job failed).

    The Optuna sweeper tells the study this value, or marks the trial failed on None.
    """
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf

    from textclf.sweep.experiments import experiment_name

    hydra_cfg = HydraConfig.get()
    repo = repo_of_config(hydra_cfg)
    job_dir = Path(hydra_cfg.runtime.output_dir)
    job = OmegaConf.select(hydra_cfg, "job.num") if hydra_cfg.mode.name == "MULTIRUN" else None
    name = experiment_name(job_dir, repo, job)
    threads = job_threads(cfg.sweep.threads, OmegaConf.to_container(hydra_cfg.launcher))
    result = run_job(repo, name, list(hydra_cfg.overrides.task), job_dir, cfg.sweep.objective, threads)
    if result["status"] == "ok":
        log.info("experiment %s: %s = %s", name, cfg.sweep.objective, result["value"])
        return result["value"]
    log.error("experiment %s failed: %s", name, result["error"])
    return None


def conf_dir_for(cwd: Path | None = None) -> Path:
    """``./conf``: like ``dvc``, ``textclf-run`` runs from the repository root."""
    conf = (cwd or Path.cwd()) / "conf"
    if not (conf / "config.yaml").is_file():
        raise ConfigError(
            f"no conf/config.yaml in {conf.parent}: run textclf-run from the repository root "
            f"(the folder with dvc.yaml and conf/)."
        )
    return conf


# ---------------------------------------------------------------- checks before any job starts


def single_overrides(overrides: list[str]) -> list[list[str]]:
    """Plain override lists to check a sweep by: one per choice of each swept key.

    ``model=mlp,cnn training.seed=1,2`` -> ``[model=mlp training.seed=1]``, ``[model=cnn training.seed=1]``.
    An interval (Optuna's ``interval(0, 1)``) is checked at its start. A later override of the
    same key replaces an earlier one (the command line over a search space).
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    by_key: dict[str, list[str]] = {}
    for o in parsed:
        key = o.get_key_element()
        if o.is_delete() or not o.is_sweep_override():
            by_key[key] = [o.input_line]
        elif o.is_discrete_sweep():
            by_key[key] = [f"{key}={v}" for v in o.sweep_string_iterator()]
        else:
            by_key[key] = [f"{key}={o.value().start}"]
    choices = list(by_key.values())
    base = [c[0] for c in choices]
    combos = [base] + [base[:i] + [v] + base[i + 1 :] for i, c in enumerate(choices) for v in c[1:]]
    return list(dict((tuple(c), c) for c in itertools.islice(combos, 32)).values())


def check_overrides(conf_dir: Path, overrides: list[str], config_name: str = RUN_CONFIG) -> None:
    """Fail at once, with valid keys suggested, if a job of the sweep would not compose or validate.

    Each choice of every swept key (the command line's and the search space's) is composed and
    its params checked like the stages check them, so ``+model.unitz=32`` stops here, not in train.
    """
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from textclf.compose import _explain

    try:
        search_space = _search_space(conf_dir, overrides, config_name)
        combos = single_overrides(search_space + list(overrides))
    except (HydraException, OmegaConfBaseException) as exc:
        raise ConfigError(_explain_missing_option(str(exc)) or _explain(exc, conf_dir)) from None
    for combo in combos:
        try:
            cfg = _compose(conf_dir, config_name, combo)
        except (HydraException, OmegaConfBaseException) as exc:
            raise ConfigError(_explain_missing_option(str(exc)) or _explain(exc, conf_dir)) from None
        _check_params(cfg)


def _compose(conf_dir: Path, config_name: str, overrides: list[str], hydra: bool = False):
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(str(conf_dir.resolve()), version_base="1.3"):
        return compose(config_name=config_name, overrides=overrides, return_hydra_config=hydra)


def _search_space(conf_dir: Path, overrides: list[str], config_name: str) -> list[str]:
    """``hydra.sweeper.params`` of the composed sweep (an ``hparams_search``), as overrides."""
    first = single_overrides(overrides)[0]
    params = _compose(conf_dir, config_name, first, hydra=True).hydra.sweeper.get("params") or {}
    return [f"{key}={value}" for key, value in params.items()]


def _check_params(cfg) -> None:
    """The checks the stages run on their sections (schemas, registries), without running them."""
    from omegaconf import OmegaConf

    from textclf.config import dataset_config, training_config
    from textclf.features import VECTORIZERS
    from textclf.models import MODELS
    from textclf.models.registry import check_features
    from textclf.text import TOKENIZERS

    params = OmegaConf.to_container(cfg, resolve=True)
    dataset_config(params)
    training_config(params)
    TOKENIZERS.check(params["text"])
    VECTORIZERS.check(params["features"])
    MODELS.check(params["model"])
    check_features(params["model"], params["features"])


def _explain_missing_option(message: str) -> str | None:
    """One line for Hydra's "Could not find 'model/mlpx'" with the options it lists."""
    from textclf.registry import did_you_mean

    first = message.splitlines()[0]
    if "Could not find '" not in first:
        return None
    group, _, option = first.split("Could not find '")[1].split("'")[0].rpartition("/")
    lines = message.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Available options")), None)
    if not group or start is None:
        return None
    options = [line.strip() for line in itertools.takewhile(lambda line: line.startswith("\t"), lines[start + 1 :])]
    return f"unknown {group} option {option!r}.{did_you_mean(option, options)} Choose one of: {', '.join(options)}."


def check_repository(repo: Path) -> None:
    """Jobs are DVC experiments: they need a DVC repository with a git commit to branch from."""
    if not (repo / ".dvc").is_dir():
        raise ConfigError(f"{repo} is not a DVC repository: run textclf-run in the textclf checkout (dvc init).")
    head = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=repo, capture_output=True)
    if head.returncode:
        raise ConfigError(f"{repo} has no git commit: DVC experiments branch from one. Commit first (git commit).")


def main(argv: list[str] | None = None) -> None:
    """Console script ``textclf-run``: check the overrides and the repository, then hand over to Hydra."""
    import hydra
    from hydra._internal.utils import get_args_parser

    argv = sys.argv[1:] if argv is None else list(argv)
    args = get_args_parser().parse_args(argv)
    with user_errors():
        conf_dir = Path(args.config_dir) if args.config_dir else conf_dir_for()
        if not (args.help or args.hydra_help or args.shell_completion):  # `--cfg job` checks too: a dry run
            check_overrides(conf_dir, args.overrides, args.config_name or RUN_CONFIG)
            if not (args.cfg or args.info):  # dry runs need no repository
                check_repository(conf_dir.resolve().parent)
        sys.argv = [sys.argv[0], *argv]
        hydra.main(config_path=str(conf_dir.resolve()), config_name=RUN_CONFIG, version_base="1.3")(task)()


if __name__ == "__main__":
    main()
