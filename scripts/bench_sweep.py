"""Benchmark: a 4-job IMDB sweep (each job a DVC experiment), 2 parallel jobs vs one at a time.

    nice -n 10 python scripts/bench_sweep.py        # writes reports/bench/sweep.json and sweep_summary.md

Steps: bring the data stages up to date (``dvc repro featurize``; the jobs then skip them, as
they only change ``model.units``); run the sweep with ``textclf-run`` and Hydra's basic
launcher (one job after another), then with ``hydra/launcher=local_parallel`` (2 joblib
workers, each job capped to CPUs / 2 threads through ``TEXTCLF_THREADS``), then the same 4
experiments through DVC's own queue (``dvc exp run --queue`` + ``dvc queue start -j 2``) for
comparison. Checks that every job is an experiment ``dvc exp show`` lists, that each summary
names it, and that the three runs agree on every job's metrics; records wall times, speedups and
the machine's load average. The benchmark's experiments are removed at the end (``--keep`` keeps them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from textclf.io import write_json
from textclf.sweep.experiments import dvc_command, environment, show_experiments
from textclf.sweep.summary import read_results

ROOT = Path(__file__).resolve().parents[1]

UNITS = ["[16,16]", "[32,32]", "[64,64]", "[16]"]
SWEEP = [f"model.units={','.join(UNITS)}"]
WORKERS = 2
HEADLINE = ("val.acc", "test.acc")


def timed(name: str, cmd: list[str], log: Path, env: dict[str, str] | None = None) -> float:
    print(f"[{name}] {' '.join(cmd)}", flush=True)
    start = time.perf_counter()
    with open(log, "w") as out:
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=out, stderr=subprocess.STDOUT, env=environment(env))
    seconds = time.perf_counter() - start
    print(f"[{name}] {seconds:.1f} s", flush=True)
    return seconds


def run_sweep(name: str, extra: list[str], work: Path) -> tuple[float, Path]:
    """``textclf-run -m SWEEP`` into ``work/name``; its experiments are ``bench-NAME-<job>``."""
    out = work / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cmd = [
        sys.executable,
        "-m",
        "textclf.sweep.runner",
        "-m",
        *SWEEP,
        *extra,
        f"hydra.sweep.dir={out.relative_to(ROOT)}",
    ]
    return timed(name, cmd, work / f"{name}.log"), out


def run_queue(work: Path) -> tuple[float, list[str]]:
    """The same jobs queued in DVC and run by ``dvc queue start -j 2`` (threads capped alike)."""
    names = [f"bench-queue-{job}" for job in range(len(UNITS))]
    start = time.perf_counter()
    for name, units in zip(names, UNITS, strict=True):
        subprocess.run(
            dvc_command("exp", "run", "--queue", "-n", name, "-S", f"model.units={units}"),
            cwd=ROOT,
            check=True,
            capture_output=True,
            env=environment(),
        )
    caps = {"TEXTCLF_THREADS": str(max(1, (os.cpu_count() or 1) // WORKERS))}
    subprocess.run(
        dvc_command("queue", "start", "-j", str(WORKERS)),
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=environment(caps),
    )
    while True:
        status = subprocess.run(
            dvc_command("queue", "status"), cwd=ROOT, capture_output=True, text=True, env=environment()
        ).stdout
        if "Queued" not in status and "Running" not in status:
            break
        time.sleep(2)
    seconds = time.perf_counter() - start
    subprocess.run(dvc_command("queue", "stop"), cwd=ROOT, capture_output=True, env=environment())
    (work / "queue.log").write_text(status)
    print(f"[queue] {seconds:.1f} s", flush=True)
    return seconds, names


def jobs_of(sweep_dir: Path, shown: dict[str, dict]) -> list[dict]:
    """Each job's experiment with its metrics from ``dvc exp show``; fails if one is missing or failed."""
    results = read_results(sweep_dir)
    table = (sweep_dir / "summary.md").read_text(encoding="utf-8")
    assert len(results) == len(UNITS), f"{sweep_dir}: {len(results)} job results"
    jobs = []
    for result in results:
        assert result["status"] == "ok", result
        assert result["experiment"] in shown, f"{result['experiment']} is not listed by dvc exp show"
        assert result["experiment"] in table, f"{result['experiment']} missing from {sweep_dir}/summary.md"
        metrics = shown[result["experiment"]]["metrics"]
        jobs.append(
            {
                "experiment": result["experiment"],
                "overrides": result["overrides"],
                "seconds": result["seconds"],
                **{k: metrics[k] for k in HEADLINE},
            }
        )
    return jobs


def remove_experiments(names: list[str]) -> None:
    existing = [n for n in names if n in show_experiments(ROOT)]
    if existing:
        subprocess.run(
            dvc_command("exp", "remove", *existing), cwd=ROOT, check=True, capture_output=True, env=environment()
        )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "reports/bench/sweep.json")
    p.add_argument("--work", type=Path, default=ROOT / "multirun/bench")
    p.add_argument("--keep", action="store_true", help="keep the benchmark's experiments")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    names = [f"bench-{kind}-{job}" for kind in ("sequential", "parallel", "queue") for job in range(len(UNITS))]
    remove_experiments(names)
    load_before = os.getloadavg()
    data_seconds = timed("data", dvc_command("repro", "featurize"), args.work / "data.log")

    sequential, seq_dir = run_sweep("sequential", [], args.work)
    parallel, par_dir = run_sweep("parallel", ["hydra/launcher=local_parallel"], args.work)
    queued, queue_names = run_queue(args.work)
    load_after = os.getloadavg()

    shown = show_experiments(ROOT)
    jobs_seq, jobs_par = jobs_of(seq_dir, shown), jobs_of(par_dir, shown)
    jobs_queue = [{"experiment": n, **{k: shown[n]["metrics"][k] for k in HEADLINE}} for n in queue_names]
    headline = [[{k: j[k] for k in HEADLINE} for j in jobs] for jobs in (jobs_seq, jobs_par, jobs_queue)]
    report = {
        "command": "nice -n 10 python scripts/bench_sweep.py",
        "sweep": SWEEP,
        "jobs": len(UNITS),
        "workers": WORKERS,
        "sequential_seconds": round(sequential, 1),
        "parallel_seconds": round(parallel, 1),
        "speedup": round(sequential / parallel, 2),
        "dvc_queue_seconds": round(queued, 1),
        "dvc_queue_speedup": round(sequential / queued, 2),
        "data_stages_seconds": round(data_seconds, 1),
        "same_metrics_sequential_parallel_queue": headline[0] == headline[1] == headline[2],
        "cpu_count": os.cpu_count(),
        "nice": os.nice(0),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "summary_tables": [str((d / "summary.md").relative_to(ROOT)) for d in (seq_dir, par_dir)],
        "jobs_sequential": jobs_seq,
        "jobs_parallel": jobs_par,
        "jobs_queue": jobs_queue,
    }
    write_json(report, args.out)
    shutil.copy(par_dir / "summary.md", args.out.with_name("sweep_summary.md"))
    if not args.keep:
        remove_experiments(names)
    print(json.dumps({k: v for k, v in report.items() if not k.startswith("jobs_")}, indent=2))


if __name__ == "__main__":
    main()
