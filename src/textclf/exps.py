"""``textclf exps``: ``dvc exp show`` with the columns that matter, best run first.

It runs ``dvc exp show --only-changed`` and drops the columns that only take room: the ``Created``
time, the hash of every stage dependency (``dvc.yaml``'s ``deps``), the dataset keys that follow
from the dataset choice (``dataset.files``, ``splits``, ``classes``, ``sha256``) and the
``runtime`` section (process and thread counts, which change no result). It sorts
by the headline objective of ``reports/metrics.json`` (``val.acc``, ``cv.acc.mean`` under K-fold,
``val.mae`` for regression; :func:`textclf.evaluate.headline.objective`). Extra arguments go to
``dvc exp show`` as they are (``--sort-by``, ``--keep``, ``--md``, ``-A``, ...).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from textclf.evaluate.headline import objective
from textclf.io import read_json

HIDDEN_PARAMS = r"(dataset\.(files|splits\..+|classes|sha256)|runtime\..+)$"


def stage_deps(dvc_yaml: Path) -> list[str]:
    """Every dependency path of every stage in ``dvc_yaml``, sorted (the deps columns of ``dvc exp show``)."""
    stages = (yaml.safe_load(dvc_yaml.read_text(encoding="utf-8")) or {}).get("stages", {})
    return sorted({str(dep) for stage in stages.values() for dep in stage.get("deps", [])})


def exp_show_command(repo: Path = Path("."), extra: list[str] = ()) -> list[str]:
    """The ``dvc exp show`` command line of ``textclf exps`` (``extra`` appended)."""
    drop = "|".join(["Created$", HIDDEN_PARAMS, *(re.escape(dep) + "$" for dep in stage_deps(repo / "dvc.yaml"))])
    command = ["dvc", "exp", "show", "--only-changed", "--drop", drop]
    metrics = repo / "reports/metrics.json"
    best = objective(read_json(metrics)) if metrics.exists() else None
    if best and "--sort-by" not in extra:
        key, higher_is_better = best
        command += ["--sort-by", key, "--sort-order", "desc" if higher_is_better else "asc"]
    return command + list(extra)
