"""Side by side on one machine: a tutorial script against textclf's run of the same model.

``--tutorial imdb`` (the default): A = ``python scripts/tutorial_imdb.py`` (dense float64 multi-hot,
16-16-1 MLP, 4 epochs on all 25k); B = ``dvc repro --force`` of the default pipeline (the same model on
sparse multi-hot, 15k training reviews + 10k validation, then evaluate and export).

``--tutorial douban``: A = ``python scripts/tutorial_douban.py`` (the Douban BiLSTM tutorial on
ChnSentiCorp: Keras ``Tokenizer`` on all rows, 100 ids, Embedding 256 -> BiLSTM 128, 3 epochs);
B = ``dvc exp run --temp --force -S experiment=chnsenticorp_bilstm -S features.maxlen=100`` (the same
network on textclf's jieba ids, vocabulary fitted on training rows only, early stopping on 20% of them;
``--temp``: the workspace keeps the default pipeline, and the wall time includes DVC's temporary copy).

Runs alternate A B A B ... (``--repeats`` each), so load from other users of the machine hits both alike.
For every run: wall time, peak RSS of the whole process tree (the sum over all live processes, sampled
every 50 ms with psutil), test accuracy, and the phases (A: its own timers; B: from ``Running stage``
lines of DVC's output, so each stage includes its process start-up and imports). Medians and the spread
go to ``reports/bench/tutorial.json`` (``tutorial_douban.json``) and the table between the markers in
``docs/leaderboard.md`` and ``README.md``.

Usage (from the repository root, after ``dvc repro`` once): ``python scripts/bench_tutorial.py --repeats 3``
(``--tutorial douban``)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import NamedTuple

from leaderboard import machine, replace_block  # scripts/ is on sys.path when this script runs

BEGIN, END = "<!-- tutorial:begin -->", "<!-- tutorial:end -->"
DOUBAN_EXPERIMENT = ["experiment=chnsenticorp_bilstm", "features.maxlen=100"]  # the tutorial's 100 ids
STAGE_LINE = "Running stage '"
STAGES = ("download", "prepare", "split", "featurize", "train", "evaluate", "export")


def peak_tree_rss(pid: int, stop: threading.Event, out: dict) -> None:
    """Largest sum of RSS over ``pid`` and its descendants until ``stop`` is set (bytes in ``out['peak']``)."""
    import psutil

    root = psutil.Process(pid)
    while not stop.is_set():
        total = 0
        try:
            for proc in [root, *root.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            break
        out["peak"] = max(out.get("peak", 0), total)
        stop.wait(0.05)


def measure(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd``; return wall seconds, peak tree RSS (MB), its stdout lines with their times."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    stop, rss = threading.Event(), {}
    watcher = threading.Thread(target=peak_tree_rss, args=(proc.pid, stop, rss), daemon=True)
    watcher.start()
    lines = [(time.perf_counter() - start, line.rstrip("\n")) for line in proc.stdout]
    code = proc.wait()
    wall = time.perf_counter() - start
    stop.set()
    watcher.join()
    if code:
        tail = "\n".join(line for _, line in lines[-20:])
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {code}):\n{tail}")
    return {"wall_seconds": round(wall, 2), "peak_rss_mb": round(rss.get("peak", 0) / 2**20), "lines": lines}


def stage_seconds(lines: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Seconds from each ``Running stage 'X'`` line to the next (the last one to the end of the run)."""
    starts = [(t, line.split(STAGE_LINE, 1)[1].split("'", 1)[0]) for t, line in lines if STAGE_LINE in line]
    ends = [t for t, _ in starts[1:]] + [wall]
    return {name: round(end - t, 2) for (t, name), end in zip(starts, ends, strict=True)}


def run_script(script: str, env: dict[str, str]) -> dict:
    result = measure([sys.executable, script], env)
    report = json.loads(result.pop("lines")[-1][1])
    return {**result, **{k: v for k, v in report.items() if k != "phases"}, "phases": report["phases"]}


def run_textclf(env: dict[str, str]) -> dict:
    result = measure([sys.executable, "-m", "dvc", "repro", "--force"], env)
    phases = stage_seconds(result.pop("lines"), result["wall_seconds"])
    accuracy = json.loads(Path("reports/metrics.json").read_text())["test"]["acc"]
    return {**result, "test_accuracy": accuracy, "phases": phases}


def run_textclf_experiment(overrides: list[str], env: dict[str, str]) -> dict:
    """``dvc exp run --temp --force`` with ``overrides``; the accuracy is read from the experiment's ref."""
    from leaderboard import experiment_result

    name = f"bench-tutorial-{time.strftime('%Y%m%d-%H%M%S')}"
    cmd = [sys.executable, "-m", "dvc", "exp", "run", "--temp", "--force", "-n", name]
    result = measure(cmd + [arg for o in overrides for arg in ("-S", o)], env)
    phases = stage_seconds(result.pop("lines"), result["wall_seconds"])
    _, metrics = experiment_result(Path.cwd(), name)
    return {**result, "test_accuracy": metrics["test.acc"], "experiment": name, "phases": phases}


class Tutorial(NamedTuple):
    runs: tuple  # (label, run(env)) in the order they alternate
    out: Path
    markers: tuple[str, str]
    textclf: str  # how the table names textclf's run


TUTORIALS = {
    "imdb": Tutorial(
        (("tutorial", partial(run_script, "scripts/tutorial_imdb.py")), ("textclf", run_textclf)),
        Path("reports/bench/tutorial.json"),
        (BEGIN, END),
        "textclf `dvc repro --force`",
    ),
    "douban": Tutorial(
        (
            ("tutorial", partial(run_script, "scripts/tutorial_douban.py")),
            ("textclf", partial(run_textclf_experiment, DOUBAN_EXPERIMENT)),
        ),
        Path("reports/bench/tutorial_douban.json"),
        ("<!-- tutorial_douban:begin -->", "<!-- tutorial_douban:end -->"),
        "textclf `dvc exp run --temp --force " + " ".join(f"-S {o}" for o in DOUBAN_EXPERIMENT) + "`",
    ),
}


def import_seconds(env: dict[str, str], repeats: int) -> dict[str, float]:
    """Median seconds of ``python -c "import textclf.stages.X"`` per stage: interpreter start-up plus
    imports, the part of each stage's time that is not its work."""
    times: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for _ in range(repeats):
        for stage in STAGES:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", f"import textclf.stages.{stage}"], env=env, check=True)
            times[stage].append(time.perf_counter() - start)
    return {stage: round(statistics.median(t), 2) for stage, t in times.items()}


def median(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def summary(runs: dict[str, list[dict]]) -> dict:
    """Medians, spreads and the issue's ratios (textclf / tutorial)."""
    out = {}
    for label, rs in runs.items():
        walls = [r["wall_seconds"] for r in rs]
        out[label] = {
            "wall_seconds": median(rs, "wall_seconds"),
            "wall_min_max": [min(walls), max(walls)],
            "peak_rss_mb": median(rs, "peak_rss_mb"),
            "test_accuracy": rs[-1]["test_accuracy"],
            "phases": {k: round(statistics.median(r["phases"][k] for r in rs), 2) for k in rs[0]["phases"]},
        }
    a, b = out["tutorial"], out["textclf"]
    out["ratios"] = {
        "wall": round(b["wall_seconds"] / a["wall_seconds"], 3),
        "featurize_train_vs_vectorise_train": round(
            (b["phases"]["featurize"] + b["phases"]["train"]) / (a["phases"]["vectorise"] + a["phases"]["train"]), 3
        ),
        "peak_rss": round(b["peak_rss_mb"] / a["peak_rss_mb"], 3),
        "accuracy_difference": round(b["test_accuracy"] - a["test_accuracy"], 4),
    }
    out["targets"] = {
        "wall": 0.5,
        "featurize_train_vs_vectorise_train": 0.3,
        "peak_rss": 0.15,
        "accuracy_difference": 0.005,
    }
    return out


def table(saved: dict, textclf: str = TUTORIALS["imdb"].textclf) -> str:
    s, meta = saved["summary"], saved["meta"]
    a, b, r = s["tutorial"], s["textclf"], s["ratios"]
    rows = [
        f"| | tutorial script | {textclf} | ratio (target) |",
        "|---|---|---|---|",
        f"| wall s, median (min-max) | {a['wall_seconds']:.1f} ({a['wall_min_max'][0]:.1f}-{a['wall_min_max'][1]:.1f}) "
        f"| {b['wall_seconds']:.1f} ({b['wall_min_max'][0]:.1f}-{b['wall_min_max'][1]:.1f}) "
        f"| {r['wall']:.2f} (≤ 0.5) |",
        f"| vectorise + train s / featurize + train s | {a['phases']['vectorise'] + a['phases']['train']:.1f} "
        f"| {b['phases']['featurize'] + b['phases']['train']:.1f} "
        f"| {r['featurize_train_vs_vectorise_train']:.2f} (≤ 0.3) |",
        f"| peak RSS MB (process tree) | {a['peak_rss_mb']:.0f} | {b['peak_rss_mb']:.0f} | {r['peak_rss']:.2f} (≤ 0.15) |",
        f"| test accuracy | {a['test_accuracy']:.4f} | {b['test_accuracy']:.4f} "
        f"| {r['accuracy_difference']:+.4f} (within 0.005) |",
    ]
    phases = ", ".join(f"{k} {v:.1f}" for k, v in b["phases"].items())
    tut = ", ".join(f"{k} {v:.1f}" for k, v in a["phases"].items())
    imports = ", ".join(f"{k} {v:.1f}" for k, v in s.get("textclf_import_seconds", {}).items())
    return (
        f"_`{meta['command']}` on {meta['date']} ({meta['machine']}; load average "
        f"{meta['load_average_before']} before, {meta['load_average_after']} after; shared machine, "
        f"medians of alternating runs)._\n\n"
        + "\n".join(rows)
        + f"\n\nMedian seconds per phase: tutorial {tut}; textclf (stage, start-up and imports included) {phases}."
        + (f" Of these, start-up and imports alone: {imports}." if imports else "")
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tutorial", choices=sorted(TUTORIALS), default="imdb")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--out", type=Path, help="default: reports/bench/tutorial.json (imdb), tutorial_douban.json")
    p.add_argument("--docs", type=Path, nargs="+", default=[Path("docs/leaderboard.md"), Path("README.md")])
    p.add_argument("--render-only", action="store_true", help="rewrite the tables from --out, run nothing")
    args = p.parse_args(argv)
    spec = TUTORIALS[args.tutorial]
    out = args.out or spec.out
    if not args.render_only:
        from textclf.io import write_json

        env = {
            **os.environ,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }
        load_before, runs = [round(x, 2) for x in os.getloadavg()], {label: [] for label, _ in spec.runs}
        tutorial = "" if args.tutorial == "imdb" else f" --tutorial {args.tutorial}"

        def save(imports: dict | None = None) -> None:
            meta = {
                "command": f"python scripts/bench_tutorial.py{tutorial} --repeats {args.repeats}",
                "date": time.strftime("%Y-%m-%d %H:%M"),
                **machine(),
                "load_average_before": load_before,
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "repeats_done": len(runs["textclf"]),
            }
            extra = {"textclf_import_seconds": imports} if imports else {}
            write_json({"meta": meta, "summary": {**summary(runs), **extra}, "runs": runs}, out)

        for repeat in range(args.repeats):
            for label, run in spec.runs:
                load = [round(x, 2) for x in os.getloadavg()]
                runs[label].append({"repeat": repeat, **run(env), "load_average_before": load})
                print(json.dumps({label: runs[label][-1]}), file=sys.stderr, flush=True)
            save()  # after every A B pair: an interrupted run keeps what it measured
        save(import_seconds(env, args.repeats))
    saved = json.loads(out.read_text())
    for path in args.docs:
        replace_block(path, table(saved, spec.textclf), *spec.markers)


if __name__ == "__main__":
    main()
