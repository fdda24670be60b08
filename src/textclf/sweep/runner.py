"""``textclf-run``: the whole pipeline for one Hydra-composed config, in the Hydra job folder.

    textclf-run                                  # one run of conf/run.yaml -> outputs/<date>/<time>/
    textclf-run -m model.units=[16,16],[32,32]   # a sweep -> multirun/<date>/<time>/<job>/
    textclf-run -m training.seed=1,2,3,4 hydra/launcher=local_parallel   # 2 jobs at a time

Each job folder gets ``params.yaml`` (the composition without the ``sweep`` section, i.e. what
``textclf compose``/``dvc exp run`` would write), ``models/``, ``reports/metrics.json``, plots and
``result.json``; data-stage outputs are links into the shared cache (:mod:`textclf.sweep.cache`).
:func:`run_job` does the work and is what tests call; :func:`task` is the ``@hydra.main`` body.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from textclf.errors import ConfigError, TextclfError
from textclf.sweep.cache import build_once, cache_key, code_digest, prune_to_outputs
from textclf.sweep.pipeline import (
    link,
    link_inputs,
    param_values,
    producer,
    read_stages,
    run_stage,
    split_shared,
    top_level_metrics,
)

log = logging.getLogger(__name__)

RUN_CONFIG = "run"  # conf/run.yaml: conf/config.yaml + the `sweep` section + Hydra settings
SWEEP_SECTION = "sweep"
RESULT_FILE = "result.json"


def params_yaml(params: dict[str, Any]) -> str:
    """The YAML text ``textclf compose`` writes for ``params`` (same emitter, same key order)."""
    from omegaconf import OmegaConf

    return OmegaConf.to_yaml(OmegaConf.create(params))


def flatten(metrics: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"val": {"acc": 0.9}}`` -> ``{"val.acc": 0.9}`` (as ``dvc exp show``)."""
    flat: dict[str, Any] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        flat.update(flatten(value, name + ".") if isinstance(value, dict) else {name: value})
    return flat


def prepare_data(params: dict[str, Any], repo: Path, cache_dir: Path) -> dict[str, Path]:
    """Build or reuse the data stages for ``params``; return ``{output path: cache entry}``."""
    shared, _ = split_shared(read_stages(repo / "dvc.yaml"))
    entries: dict[str, Path] = {}
    keys: dict[str, str] = {}
    for stage in shared:
        upstream = sorted({p.name for dep in stage.deps if (p := producer(stage, dep, shared))})
        key = cache_key(stage.name, param_values(params, stage.params), [keys[u] for u in upstream],
                        code_digest(repo, stage.deps))
        entry = cache_dir / stage.name / key

        def build(tmp: Path, stage=stage) -> None:
            (tmp / "params.yaml").write_text(params_yaml(params), encoding="utf-8")
            link_inputs(stage, tmp, repo, entries)
            run_stage(stage, tmp)
            prune_to_outputs(tmp, stage.outs)

        if not build_once(entry, build):
            log.info("stage %s: reusing %s", stage.name, entry)
        keys[stage.name] = key
        entries.update({out: entry for out in stage.outs})
    return entries


def run_job(params: dict[str, Any], job_dir: Path, repo: Path, cache_dir: Path) -> dict[str, Any]:
    """Run the pipeline for ``params`` with outputs in ``job_dir``; return the flat metrics."""
    job_dir.mkdir(parents=True, exist_ok=True)
    (job_dir / "params.yaml").write_text(params_yaml(params), encoding="utf-8")
    entries = prepare_data(params, repo, cache_dir)
    for out, entry in entries.items():
        if not (job_dir / out).exists():
            link(entry / out, job_dir / out)
    _, per_job = split_shared(read_stages(repo / "dvc.yaml"))
    for stage in per_job:
        link_inputs(stage, job_dir, repo, entries)
        run_stage(stage, job_dir)
    metrics: dict[str, Any] = {}
    files = [m for stage in per_job for m in stage.metrics] + list(top_level_metrics(repo / "dvc.yaml"))
    for path in dict.fromkeys(files):
        if (job_dir / path).is_file():
            metrics.update(flatten(json.loads((job_dir / path).read_text(encoding="utf-8"))))
    return metrics


def job_threads(setting: Any, launcher: dict[str, Any], cpus: int | None = None) -> int | None:
    """Threads per job: ``auto`` shares the CPUs between a joblib launcher's parallel jobs.

    Two TensorFlow jobs that each use every core only get in each other's way; one thread each
    (on 2 cores, 2 workers) keeps both busy. ``null`` leaves TensorFlow's default.
    """
    if setting in (None, "null"):
        return None
    if setting != "auto":
        return int(setting)
    n_jobs = launcher.get("n_jobs") if "joblib" in str(launcher.get("_target_", "")).lower() else None
    if not n_jobs or n_jobs == 1:
        return None
    cpus = cpus or os.cpu_count() or 1
    return max(1, cpus // (n_jobs if n_jobs > 0 else cpus))


def limit_threads(threads: int | None) -> None:
    """Cap TensorFlow's thread pools for this job's process (before its first op runs)."""
    if threads is None:
        return
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # a joblib worker's second job: the pools already exist with this size
        log.info("TensorFlow thread pools already initialised in this worker")


def objective_value(metrics: dict[str, Any], objective: str) -> float:
    if objective not in metrics:
        from textclf.registry import did_you_mean

        raise ConfigError(
            f"sweep.objective={objective!r} is not a metric of this pipeline.{did_you_mean(objective, metrics)} "
            f"Choose one of: {', '.join(metrics)}."
        )
    return float(metrics[objective])


# ---------------------------------------------------------------- Hydra wrapper


def _repo_of_config(hydra_cfg) -> Path:
    """The repository whose ``conf/`` Hydra composed from (the primary config source)."""
    for source in hydra_cfg.runtime.config_sources:
        if source.provider == "main":
            return Path(str(source.path).removeprefix("file://")).resolve().parent
    return Path.cwd()


def task(cfg) -> float:
    """The ``@hydra.main`` body: one job; returns the objective (what the Optuna sweeper maximises)."""
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf

    from textclf.io import write_json

    hydra_cfg = HydraConfig.get()
    job_dir = Path(hydra_cfg.runtime.output_dir)
    repo = _repo_of_config(hydra_cfg)
    params = OmegaConf.to_container(cfg, resolve=True)
    sweep = params.pop(SWEEP_SECTION)
    result = {
        "job": OmegaConf.select(hydra_cfg, "job.num", default=0),
        "overrides": list(hydra_cfg.overrides.task),
        "objective": sweep["objective"],
    }
    start = time.perf_counter()
    try:
        limit_threads(job_threads(sweep.get("threads"), OmegaConf.to_container(hydra_cfg.launcher)))
        metrics = run_job(params, job_dir, repo, repo / sweep["cache_dir"])
        value = objective_value(metrics, sweep["objective"])
    except Exception as exc:
        write_json({**result, "status": "failed", "error": f"{type(exc).__name__}: {exc}",
                    "seconds": round(time.perf_counter() - start, 1)}, job_dir / RESULT_FILE)
        raise
    write_json({**result, "status": "ok", "value": value, "seconds": round(time.perf_counter() - start, 1),
                "metrics": metrics}, job_dir / RESULT_FILE)
    log.info("%s = %s (%s)", sweep["objective"], value, job_dir)
    return value


def conf_dir_for(cwd: Path | None = None) -> Path:
    """``./conf`` when run from a checkout (like ``dvc``), else the repository this package sits in."""
    local = (cwd or Path.cwd()) / "conf"
    return local if (local / "config.yaml").is_file() else Path(__file__).resolve().parents[3] / "conf"


def single_overrides(overrides: list[str]) -> list[list[str]]:
    """Plain override lists to check a sweep's command line by: one per choice of each swept option.

    ``model=mlp,cnn training.seed=1,2`` -> ``[model=mlp training.seed=1]``, ``[model=cnn training.seed=1]``.
    Interval sweeps (Optuna's ``interval(0, 1)``) are skipped; Hydra checks them per trial.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    choices: list[list[str]] = []
    for o in parsed:
        if o.is_delete() or not o.is_sweep_override():
            choices.append([o.input_line])
        elif o.is_discrete_sweep():
            choices.append([f"{o.get_key_element()}={v}" for v in o.sweep_string_iterator()])
    base = [c[0] for c in choices]
    combos = [base] + [base[:i] + [v] + base[i + 1:] for i, c in enumerate(choices) for v in c[1:]]
    return list(dict(((tuple(c), c) for c in itertools.islice(combos, 32))).values())


def check_overrides(conf_dir: Path, overrides: list[str], config_name: str = RUN_CONFIG) -> None:
    """Fail at once, with valid keys suggested, if an override does not compose."""
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from textclf.compose import _explain

    try:
        combos = single_overrides(overrides)
    except (HydraException, OmegaConfBaseException) as exc:
        raise ConfigError(str(exc).splitlines()[0]) from None
    for combo in combos:
        try:
            with initialize_config_dir(str(conf_dir.resolve()), version_base="1.3"):
                compose(config_name=config_name, overrides=combo)
        except (HydraException, OmegaConfBaseException) as exc:
            raise ConfigError(_explain_missing_option(str(exc)) or _explain(exc, conf_dir)) from None


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
    options = [line.strip() for line in itertools.takewhile(lambda line: line.startswith("\t"), lines[start + 1:])]
    return f"unknown {group} option {option!r}.{did_you_mean(option, options)} Choose one of: {', '.join(options)}."


def main(argv: list[str] | None = None) -> None:
    """Console script ``textclf-run``: check the overrides, then hand the command line to Hydra."""
    import hydra
    from hydra._internal.utils import get_args_parser

    argv = sys.argv[1:] if argv is None else list(argv)
    args = get_args_parser().parse_args(argv)
    conf_dir = Path(args.config_dir) if args.config_dir else conf_dir_for()
    config_name = args.config_name or RUN_CONFIG
    if not (args.help or args.hydra_help or args.shell_completion):  # `--cfg job` checks too: a dry run
        try:
            check_overrides(conf_dir, args.overrides, config_name)
        except TextclfError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(1)
    sys.argv = [sys.argv[0], *argv]
    hydra.main(config_path=str(conf_dir.resolve()), config_name=RUN_CONFIG, version_base="1.3")(task)()


if __name__ == "__main__":
    main()
