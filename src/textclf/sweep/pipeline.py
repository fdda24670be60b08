"""The stages of ``dvc.yaml``, run in process in a folder laid out like the repository.

The runner reads the stage list from ``dvc.yaml`` (command, deps, params, outs) rather than
hard-coding it, so a stage whose outputs or parameters change needs no change here. Each stage
runs with the folder as working directory and only ``--params`` added to its command, so its
path defaults (the ones ``dvc.yaml`` relies on) point inside that folder.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from textclf.errors import ConfigError

log = logging.getLogger(__name__)

# The first stage that fits a model: it and every stage downstream of it run once per job;
# the stages before it only prepare data and are shared between jobs through the cache.
FIRST_MODEL_STAGE = "train"
CODE_DEPS = ("src/", "conf")  # code and config deps: never linked into a job folder


@dataclass(frozen=True)
class Stage:
    """One ``dvc.yaml`` stage: ``python -m <module> <args>`` with its deps, params and outs."""

    name: str
    module: str
    args: tuple[str, ...]
    deps: tuple[str, ...]
    params: tuple[str, ...]
    outs: tuple[str, ...]  # every output, metrics and plots included
    metrics: tuple[str, ...] = ()


def _paths(entries: list[Any]) -> tuple[str, ...]:
    """``dvc.yaml`` lists paths as strings or as one-key mappings (``path: {cache: false}``)."""
    return tuple(str(e if isinstance(e, str) else next(iter(e))).rstrip("/") for e in entries or [])


def _module(name: str, cmd: str) -> tuple[str, tuple[str, ...]]:
    words = shlex.split(cmd)
    if len(words) < 3 or words[1] != "-m" or not words[0].startswith("python"):
        raise ConfigError(
            f"dvc.yaml stage {name}: cmd must be `python -m <module> [args]` to run in a sweep. Received: cmd={cmd!r}"
        )
    return words[2], tuple(words[3:])


def read_stages(dvc_yaml: str | Path) -> list[Stage]:
    """The stages of ``dvc_yaml`` in file order (which is the pipeline order)."""
    spec = yaml.safe_load(Path(dvc_yaml).read_text(encoding="utf-8"))
    stages = []
    for name, stage in spec["stages"].items():
        module, args = _module(name, stage["cmd"])
        metrics = _paths(stage.get("metrics"))
        outs = _paths(stage.get("outs")) + metrics + _paths(stage.get("plots"))
        params = tuple(str(p) for p in stage.get("params") or [] if isinstance(p, str))
        stages.append(Stage(name, module, args, _paths(stage.get("deps")), params, outs, metrics))
    return stages


def top_level_metrics(dvc_yaml: str | Path) -> tuple[str, ...]:
    """Metrics files listed at the top of ``dvc.yaml`` (as DVCLive declares them), not under a stage."""
    spec = yaml.safe_load(Path(dvc_yaml).read_text(encoding="utf-8"))
    return _paths(spec.get("metrics"))


def split_shared(stages: list[Stage]) -> tuple[list[Stage], list[Stage]]:
    """``(shared data stages, per-job model stages)``: the model stage and its descendants run per job."""
    per_job: list[Stage] = []
    for stage in stages:
        if stage.name == FIRST_MODEL_STAGE or any(producer(stage, dep, per_job) for dep in stage.deps):
            per_job.append(stage)
    if not per_job:
        raise ConfigError(f"dvc.yaml has no stage named {FIRST_MODEL_STAGE!r}: the sweep runner cannot tell data from model stages.")
    return [s for s in stages if s not in per_job], per_job


def producer(stage: Stage, dep: str, candidates: list[Stage]) -> Stage | None:
    """The stage among ``candidates`` whose output is, or contains, ``dep``."""
    for other in candidates:
        if other is not stage and any(dep == out or dep.startswith(out + "/") for out in other.outs):
            return other
    return None


def param_values(params: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The values of dotted ``keys`` (``training.seed`` or a whole section ``features``)."""
    values = {}
    for key in keys:
        node: Any = params
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        values[key] = node
    return values


def link(target: Path, link_path: Path) -> None:
    """Make ``link_path`` a symlink to ``target`` (replacing an older link)."""
    link_path.parent.mkdir(parents=True, exist_ok=True)
    if link_path.is_symlink():
        link_path.unlink()
    os.symlink(target, link_path, target_is_directory=target.is_dir())


def link_inputs(stage: Stage, workdir: Path, repo: Path, upstream: dict[str, Path]) -> None:
    """Link the deps of ``stage`` into ``workdir``: upstream outputs, then repository data.

    ``upstream`` maps an output path (``data/prepared``) to the folder that holds it.
    Code and config deps are not linked: the stage's code is imported from the installed
    package, and with no ``conf/`` beside the job's ``params.yaml`` the freshness check
    of :func:`textclf.config.load_params` does not apply to a composed sweep config.
    """
    for dep in stage.deps:
        if dep.startswith(CODE_DEPS):
            continue
        out = next((o for o in upstream if dep == o or dep.startswith(o + "/")), None)
        if out is not None:
            if not (workdir / out).exists():
                link(upstream[out] / out, workdir / out)
        elif (repo / dep).exists() and not (workdir / dep).exists():
            link((repo / dep).resolve(), workdir / dep)


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """Run a stage with ``path`` as working directory (sweep jobs are processes, not threads)."""
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_stage(stage: Stage, workdir: Path, params_file: str = "params.yaml") -> None:
    """Call the stage's ``main(argv)`` with ``workdir`` as working directory."""
    argv = [*stage.args, "--params", params_file]
    log.info("stage %s in %s", stage.name, workdir)
    main = importlib.import_module(stage.module).main
    with working_directory(workdir):
        main(argv)
