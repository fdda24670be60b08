"""Sweep summary: one row per job, its DVC experiment's params and metrics, best first; a plot.

Written into the sweep folder when a multirun ends (:class:`SweepSummary`, a Hydra callback
named in ``conf/run.yaml``), or afterwards with ``python -m textclf.sweep.summary <sweep dir>``.
Each job folder's ``result.json`` names the job's experiment (and its error if it failed); the
params and metrics come from ``dvc exp show``, so the table shows what DVC recorded.

- ``summary.csv``: rank, job, experiment, status, objective, one column per swept parameter, every metric
- ``summary.md``: the same as a markdown table with the headline metrics; failed jobs last, with their error
- ``summary.png``: the objective against each swept parameter (one panel per parameter)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from textclf.io import markdown_table
from textclf.sweep.runner import RESULT_FILE

try:  # Hydra is a dependency; the import is guarded only so this module also works as a plain CLI.
    from hydra.experimental.callback import Callback
except ImportError:  # pragma: no cover
    Callback = object


def read_results(sweep_dir: str | Path) -> list[dict[str, Any]]:
    """The ``result.json`` of every job folder under ``sweep_dir``, in job order."""
    results = []
    for path in Path(sweep_dir).glob(f"*/{RESULT_FILE}"):
        result = json.loads(path.read_text(encoding="utf-8"))
        result["job"] = path.parent.name
        results.append(result)
    return sorted(results, key=lambda r: (not r["job"].isdigit(), int(r["job"]) if r["job"].isdigit() else 0, r["job"]))


def split_override(override: str) -> tuple[str, str]:
    key, _, value = override.partition("=")
    return key.lstrip("+~"), value


def swept_parameters(results: list[dict[str, Any]]) -> list[str]:
    """Override keys whose value differs between jobs (all override keys if there is one job)."""
    values: dict[str, set[str]] = {}
    for result in results:
        for override in result.get("overrides", []):
            key, value = split_override(override)
            values.setdefault(key, set()).add(value)
    varying = [k for k, v in values.items() if len(v) > 1 or len(results) == 1]
    return varying or list(values)


def parameter_value(key: str, params: dict[str, Any], override: str) -> Any:
    """``key``'s value in the experiment's params (a group choice by its ``name``), else as overridden."""
    for name in (key, f"{key}.name"):
        if name in params:
            value = params[name]
            return str(value) if isinstance(value, list) else value
    return override


def summary_frame(
    results: list[dict[str, Any]], experiments: dict[str, dict[str, Any]], objective: str, direction: str = "maximize"
):
    """A DataFrame of the jobs, best first (failed jobs last); ``experiments`` as ``dvc exp show`` lists them."""
    import pandas as pd

    params = swept_parameters(results)
    rows = []
    for result in results:
        experiment = experiments.get(result.get("experiment"), {})
        metrics = experiment.get("metrics", {})
        overrides = dict(split_override(o) for o in result.get("overrides", []))
        error = result.get("error", "")
        if result.get("status") == "ok" and not experiment:
            error = "not listed by `dvc exp show` (removed?)"
        row = {
            "job": result["job"],
            "experiment": result.get("experiment", ""),
            "status": result.get("status", "?"),
            objective: metrics.get(objective),
        }
        row.update({p: parameter_value(p, experiment.get("params", {}), overrides.get(p, "")) for p in params})
        row["overrides"] = " ".join(result.get("overrides", []))
        row.update({k: v for k, v in metrics.items() if k != objective})
        row["seconds"] = result.get("seconds")
        row["error"] = error
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(objective, ascending=direction == "minimize", na_position="last", kind="stable")
    frame.insert(0, "rank", range(1, len(frame) + 1))
    if not frame["error"].astype(bool).any():
        frame = frame.drop(columns="error")
    return frame.reset_index(drop=True)


# The markdown table shows these (when present); summary.csv keeps every metric.
TABLE_METRICS = (
    "cv.acc.mean",
    "cv.acc.std",
    "cv.f1.mean",
    "val.acc",
    "val.f1",
    "test.acc",
    "test.f1",
    "cv.mae.mean",
    "val.mae",
    "val.r2",
    "test.mae",
    "test.r2",
)


def table_columns(frame, objective: str, params: list[str]) -> list[str]:
    """rank, job, experiment, status, the objective, swept parameters, overrides, headline metrics, seconds, error."""
    head = ["rank", "job", "experiment", "status", objective, *params, "overrides"]
    metrics = [m for m in TABLE_METRICS if m in frame and m != objective]
    return [c for c in dict.fromkeys([*head, *metrics, "seconds", "error"]) if c in frame]


def to_markdown(frame) -> str:
    """The frame as a markdown table: floats to 4 decimals, missing values blank."""

    def cell(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        return str(round(value, 4)) if isinstance(value, float) else str(value)

    rows = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    return "\n".join(markdown_table(list(frame.columns), rows)) + "\n"


def plot(frame, objective: str, params: list[str], path: Path) -> None:
    """The objective against each swept parameter: numbers on a numeric axis, others as categories."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    ok = frame[frame[objective].notna()]
    fig, axes = plt.subplots(1, max(len(params), 1), figsize=(4 * max(len(params), 1), 3.2), squeeze=False)
    for ax, param in zip(axes[0], params or ["job"], strict=True):
        values = pd.to_numeric(ok[param], errors="coerce")
        if values.notna().all():
            ax.scatter(values, ok[objective])
        else:
            labels = sorted(ok[param].astype(str).unique())
            ax.scatter([labels.index(v) for v in ok[param].astype(str)], ok[objective])
            ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        ax.set_xlabel(param)
        ax.set_ylabel(objective)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_summary(
    sweep_dir: str | Path,
    repo: str | Path,
    objective: str = "val.acc",
    direction: str = "maximize",
    experiments: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Path]:
    """Write summary.csv, summary.md and summary.png into ``sweep_dir``; return their paths.

    ``experiments`` defaults to what ``dvc exp show`` lists in ``repo``.
    """
    from textclf.io import atomic_path, write_csv, write_text
    from textclf.sweep.experiments import show_experiments

    sweep_dir = Path(sweep_dir)
    results = read_results(sweep_dir)
    frame = summary_frame(
        results, show_experiments(Path(repo)) if experiments is None else experiments, objective, direction
    )
    paths = {"csv": sweep_dir / "summary.csv", "md": sweep_dir / "summary.md", "png": sweep_dir / "summary.png"}
    write_csv(frame, paths["csv"])
    failed = int((frame["status"] != "ok").sum()) if len(frame) else 0
    header = (
        f"# Sweep {sweep_dir.name}\n\n{len(frame)} job(s), {failed} failed, sorted by {objective} ({direction}). "
        f"Each job is the DVC experiment in column `experiment` (`dvc exp show`, `dvc exp diff A B`, "
        f"`dvc exp branch NAME BRANCH`).\n\n"
    )
    params = [p for p in swept_parameters(results) if p in frame]
    table = to_markdown(frame[table_columns(frame, objective, params)]) if len(frame) else "No job wrote a result.\n"
    write_text(header + table + "\nEvery metric of every job: summary.csv.\n", paths["md"])
    if len(frame):
        with atomic_path(paths["png"]) as tmp:
            plot(frame, objective, params, tmp)
    return paths


class SweepSummary(Callback):
    """Hydra callback: write the summary when a multirun ends (``hydra.callbacks`` in conf/run.yaml)."""

    def on_multirun_end(self, config, **kwargs: Any) -> None:
        from textclf.sweep.runner import repo_of_config

        sweep = config.get("sweep", {})
        paths = write_summary(
            config.hydra.sweep.dir,
            repo_of_config(config.hydra),
            sweep.get("objective", "val.acc"),
            sweep.get("direction", "maximize"),
        )
        print(f"sweep summary: {paths['md']}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sweep_dir", type=Path)
    p.add_argument("--repo", type=Path, default=Path("."), help="the repository the experiments ran in (default: .)")
    p.add_argument("--objective", default="val.acc")
    p.add_argument("--direction", choices=["maximize", "minimize"], default="maximize")
    args = p.parse_args(argv)
    paths = write_summary(args.sweep_dir, args.repo, args.objective, args.direction)
    print(paths["md"].read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
