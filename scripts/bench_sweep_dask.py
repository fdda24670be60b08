"""Benchmark: a 2-job sweep on the tiny test corpus through hydra/launcher=dask and local_parallel.

    nice -n 10 python scripts/bench_sweep_dask.py      # writes reports/bench/sweep_dask.json

Shows that the Dask launcher works end to end and what it costs next to joblib, not a speed-up:
both run 2 jobs at a time on this machine (the Dask launcher on a 2-worker local cluster it starts
for the sweep), each job capped to CPUs / 2 threads (``sweep.threads=auto``). Steps: make the tiny
repository the e2e tests use (``tests/conftest.py`` ``make_tiny_repo``) in a temporary folder,
``dvc repro`` it once (so every job finds the data stages in DVC's run cache) and run one
uncounted sweep (the first experiments in a repository are slower), then run
``textclf-run -m training.seed=1,2`` with each launcher, ``--repeats`` times, alternating which
goes first. Checks that every job is an experiment ``dvc exp show`` lists and that both launchers
give each seed the same metrics; records wall times and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import make_tiny_repo  # noqa: E402  (the e2e tests' tiny repository)
from textclf.io import write_json  # noqa: E402
from textclf.sweep.experiments import dvc_command, environment, show_experiments  # noqa: E402
from textclf.sweep.summary import read_results  # noqa: E402

SWEEP = ["training.seed=1,2"]
LAUNCHERS = {
    "local_parallel": ["hydra/launcher=local_parallel"],
    "dask": ["hydra/launcher=dask", "hydra.launcher.n_workers=2"],
}
HEADLINE = ("val.acc", "test.acc")


def run_sweep(repo: Path, name: str, extra: list[str]) -> tuple[float, list[dict]]:
    """``textclf-run -m SWEEP`` with a launcher; wall seconds and each job's result with its metrics."""
    out = f"multirun/{name}"
    cmd = [sys.executable, "-m", "textclf.sweep.runner", "-m", *SWEEP, *extra, f"hydra.sweep.dir={out}"]
    print(f"[{name}] {' '.join(cmd[2:])}", flush=True)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=repo, check=True, capture_output=True, env=environment())
    seconds = time.perf_counter() - start
    print(f"[{name}] {seconds:.1f} s", flush=True)
    shown = show_experiments(repo)
    jobs = []
    for result in read_results(repo / out):
        assert result["status"] == "ok", result
        assert result["experiment"] in shown, f"{result['experiment']} is not listed by dvc exp show"
        metrics = shown[result["experiment"]]["metrics"]
        jobs.append(
            {"overrides": result["overrides"], "seconds": result["seconds"], **{k: metrics[k] for k in HEADLINE}}
        )
    assert len(jobs) == 2, jobs
    return seconds, jobs


def metrics(run: dict) -> list[dict]:
    return [{k: job[k] for k in ("overrides", *HEADLINE)} for job in run["jobs"]]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "reports/bench/sweep_dask.json")
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_tiny_repo(Path(tmp) / "repo")
        subprocess.run(dvc_command("repro"), cwd=repo, check=True, capture_output=True, env=environment())
        run_sweep(repo, "warm-up", [])  # the repository's first experiments are slower (not counted)
        load_before = os.getloadavg()
        runs: list[dict] = []
        for repeat in range(args.repeats):
            order = list(LAUNCHERS) if repeat % 2 == 0 else list(reversed(LAUNCHERS))
            for launcher in order:
                seconds, jobs = run_sweep(repo, f"{launcher}-{repeat}", LAUNCHERS[launcher])
                runs.append({"launcher": launcher, "repeat": repeat, "seconds": round(seconds, 1), "jobs": jobs})
        load_after = os.getloadavg()
    report = {
        "command": "nice -n 10 python scripts/bench_sweep_dask.py",
        "sweep": SWEEP,
        "jobs": 2,
        "launchers": {name: " ".join(extra) for name, extra in LAUNCHERS.items()},
        "seconds": {name: [r["seconds"] for r in runs if r["launcher"] == name] for name in LAUNCHERS},
        # Wall time less the longest job's own time (its `dvc exp run`): what starting the jobs cost.
        "launch_overhead_seconds": {
            name: [round(r["seconds"] - max(j["seconds"] for j in r["jobs"]), 1) for r in runs if r["launcher"] == name]
            for name in LAUNCHERS
        },
        "same_metrics_every_run": all(metrics(r) == metrics(runs[0]) for r in runs),
        "cpu_count": os.cpu_count(),
        "nice": os.nice(0),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "runs": runs,
    }
    write_json(report, args.out)
    print(json.dumps({k: v for k, v in report.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
