"""Rerun the default pipeline as if on another x86-64 CPU and compare with this checkout's results.

qemu's user-mode emulator runs each stage with a different CPU model (default Haswell-v4: AVX2,
no AVX-512), so NumPy, scikit-learn and TensorFlow take that CPU's kernels. In a fresh clone of HEAD:

1. prepare, split and featurize run under qemu; their outputs must match HEAD's dvc.lock hashes.
2. train runs under qemu, evaluate natively; the metrics and test probabilities are compared with
   a native run of the same clone.

Needs `apt-get install -y qemu-user` and this checkout's `make install`. Takes ~15 minutes on 2
cores (emulation is ~8x slower). Writes reports/bench/cross_cpu.json:

    python scripts/cross_cpu.py [--cpu Haswell-v4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA_STAGES = ("prepare", "split", "featurize")
HEADLINE = ("acc", "f1")


def sh(cmd: list[str], cwd: Path, env: dict) -> None:
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stage(name: str, cwd: Path, env: dict, cpu: str | None) -> float:
    """Run a stage module, under qemu with ``cpu`` if given; return seconds."""
    prefix = ["qemu-x86_64", "-cpu", cpu] if cpu else []
    start = time.perf_counter()
    sh([*prefix, sys.executable, "-m", f"textclf.stages.{name}"], cwd, env)
    return round(time.perf_counter() - start, 1)


def data_hashes(lock: dict) -> dict[str, str]:
    return {out["path"]: out["md5"] for name in DATA_STAGES for out in lock["stages"][name]["outs"]}


def headline(path: Path) -> dict:
    metrics = json.loads(path.read_text())
    return {f"{split}.{k}": metrics[split][k] for split in ("val", "test") for k in HEADLINE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cpu", default="Haswell-v4", help="qemu CPU model (qemu-x86_64 -cpu help)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports/bench/cross_cpu.json")
    args = parser.parse_args()
    if not shutil.which("qemu-x86_64"):
        sys.exit("error: qemu-x86_64 not found: apt-get install -y qemu-user")
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "p"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {
            **os.environ,
            "PYTHONPATH": str(clone / "src"),
            "TEXTCLF_N_JOBS": "1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        committed = yaml.safe_load((clone / "dvc.lock").read_text())
        sh(["dvc", "repro", "download"], clone, env)
        seconds = {name: stage(name, clone, env, args.cpu) for name in DATA_STAGES}
        sh(["dvc", "commit", "-f", *DATA_STAGES], clone, env)  # hash the emulated outputs into dvc.lock
        emulated = data_hashes(yaml.safe_load((clone / "dvc.lock").read_text()))
        same_data = {path: md5 == emulated[path] for path, md5 in data_hashes(committed).items()}

        for name in ("train", "evaluate"):
            stage(name, clone, env, None)
        native, native_p = headline(clone / "reports/metrics.json"), pd.read_parquet(clone / "data/predictions.parquet")
        seconds["train"] = stage("train", clone, env, args.cpu)
        stage("evaluate", clone, env, None)
        other, other_p = headline(clone / "reports/metrics.json"), pd.read_parquet(clone / "data/predictions.parquet")
        proba = [c for c in native_p.columns if c.startswith("p_")]
        diff = np.abs(native_p[proba].to_numpy() - other_p[proba].to_numpy())
        flips = int((native_p[proba].to_numpy().argmax(1) != other_p[proba].to_numpy().argmax(1)).sum())
    report = {
        "command": "python scripts/cross_cpu.py" + (f" --cpu {args.cpu}" if args.cpu != "Haswell-v4" else ""),
        "host": {"machine": platform.machine(), "python": platform.python_version()},
        "emulated_cpu": args.cpu,
        "data_outputs_identical": same_data,
        "metrics": {
            "native": native,
            "emulated": other,
            "largest_difference": max(abs(native[k] - other[k]) for k in native),
        },
        "predictions": {
            "rows": len(native_p),
            "max_abs_probability_difference": float(diff.max()),
            "label_changes": flips,
        },
        "emulated_seconds": seconds,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
