"""``textclf verify``: rerun the pipeline, then compare what it produced with what git has committed.

Two promises are checked. The data stages' outputs (``dvc.lock`` hashes of download, prepare,
split and featurize) are byte-identical on every machine: any difference is an error. Model
outputs can move on a different CPU, because TensorFlow picks its float kernels (AVX-512, AVX2)
at run time; every metric must then stay within ``tolerance`` of the committed value.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

from textclf.errors import DataError

DATA_STAGES = ("download", "prepare", "split", "featurize")
ENVIRONMENT_FILE = Path("reports/environment.json")
DEFAULT_TOLERANCE = 0.003


def git_show(rev: str, path: str | Path) -> str | None:
    """The text of ``path`` at ``rev``, or ``None`` if git has no such file there."""
    result = subprocess.run(["git", "show", f"{rev}:{Path(path).as_posix()}"], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def data_hashes(lock_text: str) -> dict[str, str]:
    """``{"<stage>: <out path>": md5}`` for the outputs of the data stages in a ``dvc.lock`` text."""
    stages = (yaml.safe_load(lock_text) or {}).get("stages", {})
    return {
        f"{name}: {out['path']}": out.get("md5", "")
        for name in DATA_STAGES
        for out in stages.get(name, {}).get("outs", [])
    }


def metric_files(dvc_yaml: Path = Path("dvc.yaml")) -> list[str]:
    """Metrics files declared in ``dvc.yaml``, under stages and at the top level, in file order."""
    spec = yaml.safe_load(dvc_yaml.read_text(encoding="utf-8"))
    entries = [m for stage in spec.get("stages", {}).values() for m in stage.get("metrics", [])]
    entries += spec.get("metrics", [])
    return list(dict.fromkeys(str(e if isinstance(e, str) else next(iter(e))) for e in entries))


def float_metrics(tree: Any, prefix: str = "") -> dict[str, float]:
    """Flatten nested metrics to ``test.accuracy``-style keys, keeping floats (counts are not scores)."""
    out: dict[str, float] = {}
    if isinstance(tree, dict):
        for key, value in tree.items():
            out.update(float_metrics(value, f"{prefix}{key}."))
    elif isinstance(tree, float):
        out[prefix[:-1]] = tree
    return out


def compare_metrics(
    committed: dict[str, float], current: dict[str, float], tolerance: float
) -> list[tuple[str, float | None, float | None, bool]]:
    """Rows ``(key, committed, current, within tolerance)``; a key on one side only fails."""
    rows = []
    for key in dict.fromkeys([*committed, *current]):
        old, new = committed.get(key), current.get(key)
        ok = old is not None and new is not None and abs(new - old) <= tolerance + 1e-12
        rows.append((key, old, new, ok))
    return rows


def environment_lines(rev: str) -> list[str]:
    """The committed and the current environment side by side, where they differ."""
    from textclf.environment import describe

    old_text = git_show(rev, ENVIRONMENT_FILE)
    old = json.loads(old_text) if old_text else {}
    new = describe()
    flat = lambda env: {**{k: v for k, v in env.items() if k != "packages"}, **env.get("packages", {})}  # noqa: E731
    old, new = flat(old), flat(new)
    return [
        f"  {key}: committed {old.get(key, '?')}, here {new.get(key, '?')}"
        for key in dict.fromkeys([*old, *new])
        if old.get(key) != new.get(key)
    ]


def verify(rev: str = "HEAD", tolerance: float = DEFAULT_TOLERANCE, repro: bool = True) -> None:
    """Rerun ``dvc repro`` (unless ``repro`` is false) and check the two promises against ``rev``.

    Raises:
        DataError: a data output differs from ``rev``, or a metric moved by more than ``tolerance``.
    """
    if repro:
        subprocess.run(["dvc", "repro"], check=True)
    committed_lock = git_show(rev, "dvc.lock")
    if committed_lock is None:
        raise DataError(f"dvc.lock is not committed at {rev}: nothing to compare with.")
    old_data, new_data = data_hashes(committed_lock), data_hashes(Path("dvc.lock").read_text(encoding="utf-8"))
    moved_data = [key for key in dict.fromkeys([*old_data, *new_data]) if old_data.get(key) != new_data.get(key)]
    rows = []
    for path in metric_files():
        old_text = git_show(rev, path)
        old = float_metrics(json.loads(old_text)) if old_text else {}
        new = float_metrics(json.loads(Path(path).read_text(encoding="utf-8"))) if Path(path).is_file() else {}
        rows += [(f"{path}: {key}", *rest) for key, *rest in compare_metrics(old, new, tolerance)]
    worst = max((abs(new - old) for _, old, new, _ in rows if old is not None and new is not None), default=0.0)
    print(f"data outputs: {len(old_data) - len(moved_data)} of {len(old_data)} identical to {rev}")
    print(
        f"metrics: {sum(ok for *_, ok in rows)} of {len(rows)} within {tolerance} of {rev} "
        f"(largest difference {worst:.4f})"
    )
    for key, old, new, ok in rows:
        if not ok:
            print(f"  {key}: committed {old}, now {new}")
    env = environment_lines(rev)
    if env:
        print("environment differences:\n" + "\n".join(env))
    if moved_data:
        raise DataError(
            f"data outputs differ from {rev}: {', '.join(moved_data)}. These must be identical on "
            f"every machine: report it with the environment differences above."
        )
    failed = [key for key, *_, ok in rows if not ok]
    if failed:
        raise DataError(f"{len(failed)} metric(s) moved by more than {tolerance} from {rev} (first: {failed[0]}).")
