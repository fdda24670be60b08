"""Benchmark: wall time, CPU time, throughput and peak memory of prepare + split + featurize + one epoch
of training as the corpus grows.

Run from the repository root (not a test; the machine's load decides the timings):

    python scripts/bench_scale.py --sizes 100000 300000 1000000   # writes reports/bench/scale.{json,png}

For each size, scripts/make_scale_corpus.py writes a corpus of recombined real reviews (80 % train,
20 % test CSV) into ``--work``; then the DVC stage modules run one after another, as ``dvc repro``
runs them, in a workspace with the default params (``features=multihot``, holdout, ``--model``
trained for one epoch) pointed at it. ``--modes`` picks ``stream`` (``runtime.chunk_rows`` =
``--chunk-rows``, local process pool, ``training.stream: true``), ``dask`` (the same on a local Dask
cluster of ``--n-jobs`` workers) and/or ``memory`` (``chunk_rows: null`` and ``training.stream:
false``, the whole-split path; ``--memory-max`` skips it on larger corpora).
Peak RSS (and PSS) is the largest sum of resident memory over a stage's whole process tree (the
stage and its tokenising workers), sampled about every 0.1 s; a run's peak is its largest stage's.
CPU seconds (user + system, summed over the stage's process tree) do not depend on how much
of the shared cores the run got, so they show how the work grows when wall times are noisy.
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

import psutil
import yaml
from make_scale_corpus import write_corpus  # scripts/ is on sys.path when this script runs

from textclf.compose import compose
from textclf.io import write_json
from textclf.runtime import available_cores

ROOT = Path(__file__).resolve().parents[1]

STAGES = {
    "prepare": ["--raw", "raw", "--out", "data/prepared", "--report", "reports/prepare.json"],
    "split": ["--train", "data/prepared/train.parquet", "--out", "data/split/folds.csv"],
    "featurize": ["--prepared", "data/prepared", "--folds", "data/split/folds.csv", "--out", "data/features"],
    "train": [],  # the stage's default paths (data/features -> models, data/predictions.parquet)
}
TEXT = {"en": "english", "zh": "jieba"}


def workspace_params(
    lang: str, chunk_rows: int | None, n_jobs: int, backend: str = "local", model: str = "mlp"
) -> dict:
    """The default params with the dataset pointed at ``raw/{train,test}.csv``; ``model`` trains one
    epoch, from disk when streaming (``chunk_rows`` set)."""
    params = yaml.safe_load(compose(ROOT / "conf", ["dataset=imdb", f"text={TEXT[lang]}", f"model={model}"]))
    params["training"].update(epochs=1, stream=chunk_rows is not None)
    params["dataset"].update(
        name=f"scale_{lang}",
        splits={"train": "train.csv", "test": "test.csv"},
        text_column="text",
        label_column="label",
        classes=["neg", "pos"],
        files=[{"name": f"{s}.csv", "sha256": None, "urls": [f"raw/{s}.csv"]} for s in ("train", "test")],
    )
    params["runtime"].update(chunk_rows=chunk_rows, n_jobs=n_jobs, backend=backend)
    return params


def run_tree(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, int, int]:
    """Run ``cmd``; return wall and CPU seconds and the peak RSS and PSS (bytes) summed over its process tree.

    RSS counts pages the forked workers share with their parent once per process (an upper bound);
    PSS splits shared pages between the processes (what the tree really holds). CPU is each
    process's user + system time at its last sample (about 0.1 s apart), summed over the tree.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root, peak_rss, peak_pss, cpu = psutil.Process(proc.pid), 0, 0, {}
    while proc.poll() is None:
        rss = pss = 0
        try:
            for process in [root, *root.children(recursive=True)]:
                with process.oneshot():
                    info, times = process.memory_full_info(), process.cpu_times()
                rss, pss = rss + info.rss, pss + info.pss
                cpu[process.pid] = times.user + times.system
        except psutil.Error:  # a process ended while being read: skip this sample
            continue
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.1)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr.read()[-2000:]}")
    return wall, sum(cpu.values()), peak_rss, peak_pss


def bench_one(rows: int, lang: str, mode: str, args) -> dict:
    corpus = args.work / f"{lang}_{rows}"
    if not (corpus / "test.csv").exists():
        write_corpus(rows, lang, corpus)
    ws = args.work / f"ws_{lang}_{rows}_{mode}_{args.n_jobs}"
    subprocess.run(["rm", "-rf", str(ws)], check=True)
    (ws / "raw").mkdir(parents=True)
    for name in ("train.csv", "test.csv"):
        (ws / "raw" / name).symlink_to(corpus / name)
    (ws / "external").symlink_to(ROOT / "external")  # stop-word lists
    chunk_rows = None if mode == "memory" else args.chunk_rows
    backend = "dask" if mode == "dask" else "local"
    (ws / "params.yaml").write_text(
        yaml.safe_dump(workspace_params(lang, chunk_rows, args.n_jobs, backend, args.model), allow_unicode=True),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTCLF_")}
    result = {
        "rows": rows,
        "lang": lang,
        "mode": mode,
        "chunk_rows": chunk_rows,
        "n_jobs": args.n_jobs,
        "model": args.model,
        "epochs": 1,
        "stages": {},
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    for stage, stage_args in STAGES.items():
        wall, cpu, rss, pss = run_tree([sys.executable, "-m", f"textclf.stages.{stage}", *stage_args], ws, env)
        result["stages"][stage] = {
            "seconds": round(wall, 2),
            "cpu_seconds": round(cpu, 2),
            "peak_rss_mb": round(rss / 2**20, 1),
            "peak_pss_mb": round(pss / 2**20, 1),
        }
        print(
            f"{lang} {rows} {mode} {stage}: {wall:.1f} s (CPU {cpu:.1f} s), peak RSS {rss / 2**20:.0f} MiB, PSS {pss / 2**20:.0f} MiB",
            flush=True,
        )
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    for key in ("seconds", "cpu_seconds"):
        result[key] = round(sum(s[key] for s in result["stages"].values()), 2)
    result["rows_per_second"] = round(rows / result["seconds"], 1)
    for key in ("peak_rss_mb", "peak_pss_mb"):
        result[key] = max(s[key] for s in result["stages"].values())
    result["corpus_mb"] = round(sum((corpus / n).stat().st_size for n in ("train.csv", "test.csv")) / 2**20, 1)
    if not args.keep:
        subprocess.run(["rm", "-rf", str(ws)], check=True)
    return result


def plot(results: list[dict], path: Path) -> None:
    """Peak memory, wall time and CPU time per row against rows, one line per (language, mode, workers, model)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_mem, ax_time, ax_cpu) = plt.subplots(1, 3, figsize=(15, 4.5))
    for key in sorted({(r["lang"], r["mode"], r.get("n_jobs"), r.get("model", "")) for r in results}):
        runs = sorted(
            (r for r in results if (r["lang"], r["mode"], r.get("n_jobs"), r.get("model", "")) == key),
            key=lambda r: r["rows"],
        )
        label = f"{key[0]}, {key[1]}" + (f", {key[2]} workers" if key[1] == "dask" else "") + f", {key[3]}"
        rows = [r["rows"] for r in runs]
        ax_mem.plot(rows, [r["peak_rss_mb"] for r in runs], "o-", label=label)
        ax_time.plot(rows, [r["seconds"] for r in runs], "o-", label=label)
        ax_cpu.plot(rows, [1000 * r["cpu_seconds"] / r["rows"] for r in runs], "o-", label=label)
    ax_mem.set(xlabel="rows (train + test)", ylabel="peak RSS, MiB (process tree)", title="Peak memory")
    ax_time.set(xlabel="rows (train + test)", ylabel="seconds", title="Wall time: prepare to one epoch of training")
    ax_cpu.set(
        xlabel="rows (train + test)", ylabel="CPU seconds per 1,000 rows", title="CPU time per row (flat = linear)"
    )
    for ax in (ax_mem, ax_time, ax_cpu):
        ax.set_xscale("log")
        ax.grid(alpha=0.3)
    ax_time.set_yscale("log")
    ax_cpu.set_ylim(bottom=0)
    ax_mem.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main(argv: list[str] | None = None) -> list[dict]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    p.add_argument("--langs", nargs="+", choices=sorted(TEXT), default=["en"])
    p.add_argument(
        "--modes",
        nargs="+",
        choices=["stream", "memory", "dask"],
        default=["stream", "memory"],
        help="stream: local process pool; dask: a local Dask cluster of --n-jobs workers; memory: whole splits",
    )
    p.add_argument("--memory-max", type=int, default=300_000, help="largest corpus for the in-memory mode")
    p.add_argument("--chunk-rows", type=int, default=25_000)
    p.add_argument("--model", default="mlp", help="trained for one epoch (mlp, sgd, ...)")
    p.add_argument("--n-jobs", type=int, default=-1)
    p.add_argument("--work", type=Path, default=Path("/tmp/textclf-scale"))
    p.add_argument("--keep", action="store_true", help="keep the workspaces")
    p.add_argument("--out", type=Path, default=Path("reports/bench/scale.json"))
    args = p.parse_args(argv)
    args.work = args.work.resolve()
    previous = json.loads(args.out.read_text())["runs"] if args.out.exists() else []
    results = []
    for lang in args.langs:
        for rows in args.sizes:
            for mode in args.modes:
                if mode == "memory" and rows > args.memory_max:
                    continue
                results.append(bench_one(rows, lang, mode, args))
    key = lambda r: (r["lang"], r["mode"], r.get("n_jobs"), r.get("model", ""), r["rows"])  # noqa: E731
    done = {key(r) for r in results}
    runs = sorted([r for r in previous if key(r) not in done] + results, key=key)
    write_json(
        {
            "machine": {
                "cores": available_cores(),
                "python": platform.python_version(),
                "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            },
            "note": "2 shared cores: timings are noisy (see load_before/load_after per run)",
            "runs": runs,
        },
        args.out,
    )
    plot(runs, args.out.with_suffix(".png"))
    return runs


if __name__ == "__main__":
    main()
