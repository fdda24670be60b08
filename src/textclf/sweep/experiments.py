"""The DVC side of a sweep: run one job as a DVC experiment, read experiments back.

A job is ``dvc --wait-for-lock exp run --temp -n NAME -S override ...``: DVC composes
``params.yaml`` from ``conf/`` with the overrides, runs ``dvc.yaml`` in a temporary copy of the
repository (unchanged stages are skipped, stages run before with the same deps and params are
restored from DVC's run cache) and stores the result as experiment ``NAME``, listed by
``dvc exp show``. Nothing here runs a stage itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def dvc_command(*args: str) -> list[str]:
    """``dvc ARGS`` run by this interpreter, so a sweep uses the DVC of its own environment."""
    return [sys.executable, "-m", "dvc", *args]


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with its interpreter's folder first on PATH.

    Stage commands are ``python -m textclf.stages.NAME``: they must find the same Python
    (and textclf) as the sweep, even when the virtualenv is not activated.
    """
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, **(extra or {})}


def experiment_name(output_dir: Path, repo: Path, job: int | None) -> str:
    """A unique, git-ref-safe name from the Hydra output folder: ``multirun/2026-11-29/06-45-12`` job 3
    -> ``2026-11-29-06-45-12-3``; a single run ``outputs/2026-11-29/06-45-12`` -> ``2026-11-29-06-45-12``."""
    folder = output_dir.resolve()
    try:
        parts = list(folder.relative_to(repo.resolve()).parts)
    except ValueError:  # a sweep folder outside the repository
        parts = list(folder.parts[-3:])
    if job is not None and parts and parts[-1] == str(job):
        parts = parts[:-1]
    if len(parts) > 1 and parts[0] in ("multirun", "outputs"):
        parts = parts[1:]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts)).strip("-") or "run"
    return stem if job is None else f"{stem}-{job}"


# Where `dvc exp run --temp` creates each experiment's temporary copy (DVC 3.67).
TEMP_COPIES = Path(".dvc/tmp/exps/standalone")
START_LOCK = Path(".dvc/tmp/textclf-exp-start.lock")


def run_experiment(
    repo: Path, name: str, overrides: list[str], log_path: Path, env: dict[str, str] | None = None
) -> str | None:
    """Run the pipeline as experiment ``name`` with ``-S`` ``overrides``; return None or the error.

    DVC's output goes to ``log_path``. Several jobs may call this at once; see :func:`_start`.
    """
    cmd = dvc_command(
        "--wait-for-lock", "exp", "run", "--temp", "-n", name, *[arg for o in overrides for arg in ("-S", o)]
    )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ dvc " + " ".join(cmd[3:]) + "\n")
        log.flush()
        code = _start(repo, cmd, log, environment(env)).wait()
    if code == 0:
        return None
    return f"{last_error(log_path.read_text(encoding='utf-8', errors='replace'))} (exit code {code}; log: {log_path})"


def _start(repo: Path, cmd: list[str], log, env: dict[str, str]) -> subprocess.Popen:
    """Start ``dvc exp run --temp`` once no other job of ours is between queueing and taking its run.

    DVC 3.67 queues every ``--temp`` run in one shared stash and each process then runs the
    *first* entry it finds there, so two runs started together can take each other's entry
    and an experiment can be lost (seen with 2 parallel jobs). Holding a file lock from the
    start until DVC has created this run's temporary copy (after it took its entry) keeps one
    entry in the stash at a time; the runs themselves still overlap.
    """
    import fcntl

    copies = repo / TEMP_COPIES
    (repo / START_LOCK).parent.mkdir(parents=True, exist_ok=True)
    with open(repo / START_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        before = set(os.listdir(copies)) if copies.is_dir() else set()
        process = subprocess.Popen(cmd, cwd=repo, stdout=log, stderr=subprocess.STDOUT, env=env)
        while process.poll() is None and not (copies.is_dir() and set(os.listdir(copies)) - before):
            time.sleep(0.05)
    return process


def last_error(output: str) -> str:
    """Why a run failed: its last stage ``error:`` line, else DVC's last ``ERROR:`` line, else the last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for prefix in ("error:", "ERROR:"):
        found = [line.removeprefix(prefix).strip() for line in lines if line.startswith(prefix)]
        if found:
            return found[-1]
    return lines[-1] if lines else "no output"


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"val": {"acc": 0.9}}`` -> ``{"val.acc": 0.9}`` (as ``dvc exp show``)."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        flat.update(flatten(value, name + ".") if isinstance(value, dict) else {name: value})
    return flat


def show_experiments(repo: Path) -> dict[str, dict[str, Any]]:
    """``{name: {"rev", "params", "metrics"}}`` of every experiment ``dvc exp show`` lists in ``repo``."""
    out = subprocess.run(
        dvc_command("exp", "show", "--json"), cwd=repo, capture_output=True, text=True, env=environment(), check=True
    ).stdout
    return parse_exp_show(json.loads(out))


def parse_exp_show(shown: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The experiments in ``dvc exp show --json`` output, by name.

    Params come from ``params.yaml``; metrics from every metrics file, flattened and merged
    (the keys ``dvc exp show`` prints as columns).
    """
    experiments: dict[str, dict[str, Any]] = {}
    for baseline in shown:
        for experiment in baseline.get("experiments") or []:
            rev = experiment["revs"][0]
            data = rev.get("data") or {}
            params = ((data.get("params") or {}).get("params.yaml") or {}).get("data") or {}
            metrics: dict[str, Any] = {}
            for source in (data.get("metrics") or {}).values():
                metrics.update(flatten(source.get("data") or {}))
            experiments[experiment["name"]] = {"rev": rev["rev"], "params": flatten(params), "metrics": metrics}
    return experiments


def experiment_metrics(repo: Path, name: str, attempts: int = 5) -> dict[str, Any]:
    """Every metric of experiment ``name`` (all metrics files of ``dvc.yaml``), flattened.

    `dvc exp show` also reads the other jobs' running copies (in ``TEMP_COPIES``) and fails if one
    is removed while it reads (DVC 3.67, seen with 2 parallel jobs); that failure is retried.
    """
    for attempt in range(1, attempts + 1):
        try:
            return show_experiments(repo)[name]["metrics"]
        except subprocess.CalledProcessError as exc:
            if attempt < attempts and str(TEMP_COPIES) in (exc.stderr or ""):
                time.sleep(attempt)
                continue
            raise LookupError(
                f"`dvc exp show` failed after experiment {name}: {last_error(exc.stderr or '')}"
            ) from None
        except KeyError:
            raise LookupError(f"experiment {name} ran but `dvc exp show` does not list it") from None
