"""Benchmark: predictions per second through the bundle, for the 25,000 IMDB test reviews.

Run from the repository root after `dvc repro` (not a test; the machine's load decides the numbers):

    python scripts/bench_predict.py            # writes reports/bench/predict.json

Measured, each on the same texts (``data/prepared/test.parquet``'s ``raw_text``):

* Python API: ``load_bundle`` in a fresh process (TensorFlow import included), then ``predict`` on
  batches of the training batch size, and on one text at a time.
* CLI: ``textclf predict --input FILE`` (one process: load + stream in batches; and ``--batch-size 1``),
  and the cold start of ``textclf predict "one text"`` (a process per text).
* HTTP: ``textclf serve`` on 127.0.0.1 (time until /health answers), then ``POST /predict`` with
  batches of 500 texts, and with one text per request over a kept-alive connection.

The machine is shared: the load average is recorded before and after, and every timing has its CPU
seconds beside the wall seconds (for HTTP: the server's plus the client's), which depend much less
on what else runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from textclf.io import write_json, write_text

LOAD_CODE = (
    "import time, sys; start = time.perf_counter(); import textclf; b = textclf.load_bundle(sys.argv[1]); "
    "loaded = time.perf_counter(); b.predict(['warm up']); "
    "print(loaded - start, time.perf_counter() - loaded)"
)


def timed(fn, cpu_clock=time.process_time):
    """Run ``fn``; return wall seconds, CPU seconds (by ``cpu_clock``) and its result."""
    start, cpu = time.perf_counter(), cpu_clock()
    result = fn()
    return time.perf_counter() - start, cpu_clock() - cpu, result


def children_cpu() -> float:
    """CPU seconds of this process' finished child processes (user + system)."""
    times = os.times()
    return times.children_user + times.children_system


def rate(n: int, seconds: float, cpu: float) -> dict:
    """Wall and CPU time: on a shared machine texts per CPU second says more than texts per second."""
    return {
        "texts": n,
        "seconds": round(seconds, 2),
        "per_second": per(n, seconds),
        "cpu_seconds": round(cpu, 2),
        "per_cpu_second": per(n, cpu),
    }


def per(n: int, seconds: float) -> float:
    """``n / seconds`` to 1 decimal, or 3 significant digits below 10 (a process per text: ~0.05/s)."""
    value = n / seconds
    return round(value, 1) if value >= 10 else float(f"{value:.3g}")


def bench_api(bundle_dir: Path, texts: list[str], one_by_one: int) -> dict:
    load, load_cpu, out = timed(
        lambda: subprocess.run(
            [sys.executable, "-c", LOAD_CODE, str(bundle_dir)], capture_output=True, text=True, check=True
        ),
        children_cpu,
    )
    loaded, first = map(float, out.stdout.split())
    from textclf import load_bundle

    bundle = load_bundle(bundle_dir)
    bundle.predict(["warm up"])
    size = bundle.batch_size
    batched = timed(lambda: [bundle.predict(texts[i : i + size]) for i in range(0, len(texts), size)])[:2]
    single = timed(lambda: [bundle.predict([t]) for t in texts[:one_by_one]])[:2]
    return {
        "load_seconds_fresh_process": round(loaded, 2),
        "load_process_cpu_seconds": round(load_cpu, 2),
        "first_prediction_seconds": round(first, 3),
        "batch_size": size,
        "batched": rate(len(texts), *batched),
        "one_by_one": rate(one_by_one, *single),
    }


def cli(args: list[str]) -> tuple[float, float]:
    return timed(lambda: subprocess.run(["textclf", "predict", *args], check=True, capture_output=True), children_cpu)[
        :2
    ]


def bench_cli(bundle_dir: Path, text_file: Path, out: Path, cold_starts: int) -> dict:
    batched = cli(["--bundle", str(bundle_dir), "--input", str(text_file), "--output", str(out)])
    single = cli(["--bundle", str(bundle_dir), "--input", str(text_file), "--output", str(out), "--batch-size", "1"])
    n = len(pd.read_csv(out))
    cold = [cli(["--bundle", str(bundle_dir), "A wonderful, moving film."]) for _ in range(cold_starts)]
    return {
        "file_batched_including_load": rate(n, *batched),
        "file_batch_size_1_including_load": rate(n, *single),
        "process_per_text": rate(len(cold), sum(c[0] for c in cold), sum(c[1] for c in cold)),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(conn: http.client.HTTPConnection, texts: list[str]) -> None:
    conn.request("POST", "/predict", json.dumps({"texts": texts}), {"content-type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")


def bench_http(bundle_dir: Path, texts: list[str], one_by_one: int, batch: int = 500) -> dict:
    import psutil

    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        ["textclf", "serve", "--bundle", str(bundle_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def cpu() -> float:  # the server's and this client's
        return sum(psutil.Process(server.pid).cpu_times()[:2]) + time.process_time()

    try:
        while True:
            if server.poll() is not None or time.perf_counter() - start > 300:
                raise RuntimeError("textclf serve did not come up")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/health")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        ready = time.perf_counter() - start
        batched = timed(lambda: [post(conn, texts[i : i + batch]) for i in range(0, len(texts), batch)], cpu)[:2]
        single = timed(lambda: [post(conn, [t]) for t in texts[:one_by_one]], cpu)[:2]
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {
        "server_ready_seconds": round(ready, 2),
        "batch_texts_per_request": batch,
        "batched": rate(len(texts), *batched),
        "one_per_request": rate(one_by_one, *single),
    }


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def table(result: dict) -> str:
    """Markdown table of a result (the block between the bench markers of docs/predict.md)."""
    api, cli_, http = result["api"], result["cli"], result["http"]

    def cells(entry: dict) -> tuple:
        return (
            entry["texts"],
            entry["seconds"],
            per(entry["texts"], entry["seconds"]),
            entry["cpu_seconds"],
            per(entry["texts"], entry["cpu_seconds"]),
        )

    rows = [
        (
            "Python API",
            "`load_bundle` in a fresh process (TensorFlow import included)",
            "",
            api["load_seconds_fresh_process"],
            "",
            api["load_process_cpu_seconds"],
            "",
        ),
        ("Python API", f"batches of {api['batch_size']} (the training batch size)", *cells(api["batched"])),
        ("Python API", "one text per call", *cells(api["one_by_one"])),
        ("CLI", "`--input test.csv`, one process, load included", *cells(cli_["file_batched_including_load"])),
        ("CLI", "`--input test.csv --batch-size 1`, load included", *cells(cli_["file_batch_size_1_including_load"])),
        ("CLI", "`textclf predict TEXT`, a process per text", *cells(cli_["process_per_text"])),
        ("HTTP", "`textclf serve`: start until /health answers", "", http["server_ready_seconds"], "", "", ""),
        ("HTTP", f"{http['batch_texts_per_request']} texts per request", *cells(http["batched"])),
        ("HTTP", "one text per request (kept-alive connection)", *cells(http["one_per_request"])),
    ]
    lines = [
        f"_`{result['command'].strip()}`, bundle `{result['bundle']}` ({result['model']['framework']}), "
        f"{result['cores_available']} cores, load average {result['load_average_before'][0]} before and "
        f"{result['load_average_after'][0]} after (shared machine: rough numbers)._",
        "",
        "| path | what | texts | seconds | texts/s | CPU seconds | texts per CPU second |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in rows]
    return "\n".join(lines)


def render(result: dict, docs: Path) -> None:
    text = docs.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    write_text(f"{head}{BEGIN}\n{table(result)}\n{END}{rest.split(END, 1)[1]}", docs)


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bundle", type=Path, default=Path("bundle"))
    p.add_argument("--one-by-one", type=int, default=25000, help="texts predicted one at a time (API and HTTP)")
    p.add_argument("--cold-starts", type=int, default=3, help="`textclf predict TEXT` processes to time")
    p.add_argument("--out", type=Path, default=Path("reports/bench/predict.json"))
    p.add_argument("--docs", type=Path, default=Path("docs/predict.md"), help="file whose bench markers get the table")
    p.add_argument("--render-only", action="store_true", help="rewrite the table from --out, run nothing")
    args = p.parse_args(argv)
    if args.render_only:
        render(json.loads(args.out.read_text(encoding="utf-8")), args.docs)
        return {}
    texts = pd.read_parquet("data/prepared/test.parquet", columns=["raw_text"])["raw_text"].tolist()
    card = json.loads((args.bundle / "card.json").read_text(encoding="utf-8"))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "test.csv"
        pd.DataFrame({"text": texts}).to_csv(text_file, index=False)
        results = {}
        for name, run in (
            ("api", lambda: bench_api(args.bundle, texts, args.one_by_one)),
            ("cli", lambda: bench_cli(args.bundle, text_file, Path(tmp) / "out.csv", args.cold_starts)),
            ("http", lambda: bench_http(args.bundle, texts, args.one_by_one)),
        ):
            results[name] = run()
            print(name, json.dumps(results[name]), file=sys.stderr)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    result = {
        "command": "python scripts/bench_predict.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "bundle": card["name"],
        "model": card["model"],
        "texts": len(texts),
        **results,
        "cores_available": len(os.sched_getaffinity(0)),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "environment": {**card["environment"], "textclf_commit": commit, "platform": platform.platform()},
        "note": "Shared machine: other jobs ran at the same time (see the load averages); treat as rough.",
    }
    write_json(result, args.out)
    render(result, args.docs)
    return result


if __name__ == "__main__":
    main()
