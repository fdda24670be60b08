"""Check: the bundle, fed the raw test texts, reproduces the evaluate stage's test metrics exactly.

Run from the repository root after `dvc repro` (not a test; the tests run the same check on tiny data):

    python scripts/check_bundle.py             # writes reports/bench/bundle_check.json

It predicts ``data/prepared/test.parquet``'s ``raw_text`` (the stripped original texts) through
``textclf.load_bundle``, scores the outputs with the evaluate stage's own code, and compares them
with ``reports/metrics_details.json`` (every test metric, exact) and with the test rows of
``data/predictions.parquet`` (largest absolute difference of any output).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from textclf import load_bundle
from textclf.evaluate import cv, report
from textclf.io import read_json, write_json


def check(bundle_dir: Path, prepared: Path, features: Path, predictions: Path, metrics: Path) -> dict:
    """Predict the test split through the bundle; compare metrics and outputs with the pipeline's."""
    start = time.perf_counter()
    bundle = load_bundle(bundle_dir)
    loaded = time.perf_counter()
    test = pd.read_parquet(prepared / "test.parquet", columns=["raw_text", "label"])
    outputs = bundle.predict(test["raw_text"].tolist()).outputs
    predicted = time.perf_counter()

    classes = bundle.classes
    frame = pd.DataFrame({"fold": "bundle", "split": "test", "row": np.arange(len(test)), "y": test["label"]})
    columns = [f"p_{k}" for k in range(len(classes))] if classes else ["pred"]  # as in data/predictions.parquet
    frame[columns] = outputs.reshape(len(test), -1)
    fits = read_json(features / "fits.json")  # the baseline's training labels, as the evaluate stage takes them
    y_train = np.concatenate(
        [np.load(features / fit / "y_train.npy") for fit in ([cv.FULL] if cv.FULL in fits else fits)]
    )
    ours = report.evaluate(frame, classes, y_train)[0]["test"]
    theirs = read_json(metrics)["test"]
    pipeline = cv.test_predictions(pd.read_parquet(predictions), columns).sort_values("row")
    differing = sorted(k for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
    return {
        "bundle": bundle.card["name"],
        "fits": bundle.card["model"]["fits"],
        "test_rows": len(test),
        "metrics_equal": not differing,
        "differing_metrics": {k: {"bundle": ours.get(k), "evaluate": theirs.get(k)} for k in differing},
        "test_metrics": {k: v for k, v in ours.items() if not isinstance(v, dict)},
        "max_abs_output_diff": float(np.max(np.abs(pipeline[columns].to_numpy() - frame[columns].to_numpy()))),
        "load_seconds": round(loaded - start, 2),
        "predict_seconds": round(predicted - loaded, 2),
    }


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bundle", type=Path, default=Path("bundle"))
    p.add_argument("--out", type=Path, default=Path("reports/bench/bundle_check.json"))
    args = p.parse_args(argv)
    result = check(
        args.bundle,
        Path("data/prepared"),
        Path("data/features"),
        Path("data/predictions.parquet"),
        Path("reports/metrics_details.json"),
    )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    result = {
        "command": "python scripts/check_bundle.py",
        "date": date.today().isoformat(),
        "commit": commit,
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        **result,
    }
    write_json(result, args.out)
    print(json.dumps(result, indent=2))
    if not result["metrics_equal"]:
        sys.exit(1)
    return result


if __name__ == "__main__":
    main()
