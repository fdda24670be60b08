"""Benchmark: jieba tokenisation of online_shopping_10_cats in 1 vs N processes.

Run from the repository root (not a test; the machine's load decides the numbers):

    python scripts/bench_tokenize.py            # writes reports/bench/tokenize.json

Each timing starts from a cold tokenizer (jieba's dictionary is loaded inside the
timed region, once per process), exactly as the prepare stage runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import yaml

from textclf.compose import compose
from textclf.config import dataset_config
from textclf.data.readers import read_split
from textclf.io import write_json
from textclf.runtime import available_cores
from textclf.text import TOKENIZERS
from textclf.text import jieba as jieba_text
from textclf.text.batch import tokenize_all

DATA = Path("external/online_shopping_10_cats")


def _git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n-jobs", type=int, nargs="+", default=[1, 2], help="process counts to time (first = baseline)")
    p.add_argument("--repeats", type=int, default=1, help="timings per process count; the fastest is kept")
    p.add_argument("--limit", type=int, default=None, help="only the first N reviews (quick check)")
    p.add_argument("--out", type=Path, default=Path("reports/bench/tokenize.json"))
    args = p.parse_args(argv)

    params = yaml.safe_load(compose("conf", ["dataset=online_shopping", "text=jieba"]))
    ds = dataset_config(params)
    tokenizer = TOKENIZERS.build(params["text"])
    texts = read_split(DATA, ds, "train")["text"].dropna().tolist()[: args.limit]

    load_before = os.getloadavg()
    timings, cpu, outputs = {}, {}, {}
    for n_jobs in args.n_jobs:
        runs, cpu_runs = [], []
        for _ in range(args.repeats):
            jieba_text._SEGMENTERS.clear()  # cold start: the dictionary load is part of the cost
            before = os.times()
            start = time.perf_counter()
            outputs[n_jobs] = tokenize_all(texts, tokenizer, n_jobs=n_jobs, desc=f"n_jobs={n_jobs}")
            runs.append(round(time.perf_counter() - start, 3))
            after = os.times()  # workers are reaped by now, so their CPU time is in children_*
            cpu_runs.append(round(sum(after[i] - before[i] for i in range(4)), 2))
        timings[n_jobs], cpu[n_jobs] = runs, cpu_runs
        print(f"n_jobs={n_jobs}: {min(runs):.2f} s wall, {cpu_runs} s CPU (runs: {runs})", file=sys.stderr)
    base = args.n_jobs[0]
    import jieba

    result = {
        "corpus": "online_shopping_10_cats (review column)",
        "documents": len(texts),
        "tokens": sum(len(t.split()) for t in outputs[base]),
        "text": params["text"],
        "seconds": {str(n): min(r) for n, r in timings.items()},
        "runs": {str(n): r for n, r in timings.items()},
        "cpu_seconds": {str(n): r for n, r in cpu.items()},
        "ratio_to_single": {str(n): round(min(timings[n]) / min(timings[base]), 3) for n in args.n_jobs},
        "identical_output": all(outputs[n] == outputs[base] for n in args.n_jobs),
        "cores_available": available_cores(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "versions": {
            "python": platform.python_version(),
            "jieba": jieba.__version__,
            "textclf_commit": _git_commit(),
            "platform": platform.platform(),
        },
        "command": "python scripts/bench_tokenize.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    write_json(result, args.out)
    print(json.dumps(result["seconds"]), "ratio", json.dumps(result["ratio_to_single"]), file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
