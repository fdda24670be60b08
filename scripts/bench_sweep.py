"""Benchmark: a 4-job IMDB sweep over the seed MLP, 2 joblib workers vs the same 4 jobs one by one.

    nice -n 10 python scripts/bench_sweep.py            # writes reports/bench/sweep.json

Steps: build (or reuse) the shared data stages once, so both sweeps time the jobs only; run the
sweep with Hydra's basic launcher (sequential) and with ``hydra/launcher=local_parallel`` (2 joblib
workers); check that each summary table lists all 4 jobs with their overrides and metrics; record
wall times, speedup, the machine's load average and each job's validation/test accuracy.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from textclf.compose import compose  # noqa: E402
from textclf.io import write_json  # noqa: E402
from textclf.sweep.summary import read_results  # noqa: E402

SWEEP = ["model.units=[16,16],[32,32],[64,64],[16]"]


def run_sweep(name: str, extra: list[str], out: Path) -> float:
    """Run the sweep into ``out``; return its wall time in seconds."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "textclf.sweep.runner", "-m", *SWEEP, *extra, f"hydra.sweep.dir={out}"]
    print(f"[{name}] {' '.join(cmd)}", flush=True)
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    with open(out.parent / f"{name}.log", "w") as log:
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=log, stderr=subprocess.STDOUT, env=env)
    seconds = time.perf_counter() - start
    print(f"[{name}] {seconds:.1f} s", flush=True)
    return seconds


def check_summary(out: Path) -> list[dict]:
    """Every job is in summary.md with its overrides and its objective; return the jobs."""
    results = read_results(out)
    table = (out / "summary.md").read_text(encoding="utf-8")
    assert len(results) == 4, f"{out}: {len(results)} job results"
    for result in results:
        assert result["status"] == "ok", result
        assert " ".join(result["overrides"]) in table, f"{result['overrides']} missing from {out}/summary.md"
        assert f"| {round(result['metrics']['val.acc'], 4)} |" in table
    return [{"overrides": r["overrides"], "seconds": r["seconds"],
             "val.acc": r["metrics"]["val.acc"],
             "test.acc": r["metrics"]["test.acc"]} for r in sorted(results, key=lambda r: r["job"])]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "reports/bench/sweep.json")
    p.add_argument("--work", type=Path, default=ROOT / "multirun/bench")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()

    import yaml

    from textclf.sweep.runner import prepare_data

    params = yaml.safe_load(compose(ROOT / "conf"))
    start = time.perf_counter()
    prepare_data(params, ROOT, ROOT / ".textclf-cache")  # shared by every job of both sweeps
    data_seconds = time.perf_counter() - start

    sequential = run_sweep("sequential", [], args.work / "sequential")
    parallel = run_sweep("parallel", ["hydra/launcher=local_parallel"], args.work / "parallel")
    jobs_seq, jobs_par = check_summary(args.work / "sequential"), check_summary(args.work / "parallel")
    report = {
        "command": "nice -n 10 python scripts/bench_sweep.py",
        "sweep": SWEEP,
        "jobs": 4,
        "workers": 2,
        "sequential_seconds": round(sequential, 1),
        "parallel_seconds": round(parallel, 1),
        "speedup": round(sequential / parallel, 2),
        "data_stages_seconds": round(data_seconds, 1),
        "same_metrics_sequential_and_parallel": [
            {k: j[k] for k in ("val.acc", "test.acc")} for j in jobs_seq
        ] == [{k: j[k] for k in ("val.acc", "test.acc")} for j in jobs_par],
        "cpu_count": os.cpu_count(),
        "nice": os.nice(0),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "summary_tables": [str((args.work / n / "summary.md").relative_to(ROOT)) for n in ("sequential", "parallel")],
        "jobs_sequential": jobs_seq,
        "jobs_parallel": jobs_par,
    }
    write_json(report, args.out)
    shutil.copy(args.work / "parallel/summary.md", args.out.with_name("sweep_summary.md"))
    print(json.dumps({k: v for k, v in report.items() if not k.startswith("jobs_")}, indent=2))


if __name__ == "__main__":
    main()
