"""Benchmark models on the prepared corpus with the pipeline's own functions; write JSON and a markdown table.

Each model runs in its own subprocess (so peak RSS is that model's alone): split -> featurize (vectoriser
fitted on the training rows) -> fit -> predict test, exactly as the DVC stages do, from a Hydra
composition of ``conf/`` with the model's overrides.

Usage (after ``dvc repro prepare``, from the repository root)::

    nice python scripts/bench_models.py                      # the default model list
    nice python scripts/bench_models.py --models nbsvm mlp   # a subset
    python scripts/bench_models.py --list

Writes ``reports/bench/models.json`` and the table between the markers in ``docs/models.md`` and ``README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# name -> (Hydra overrides of the default composition, what it is)
FASTTEXT_BIGRAMS = [  # fastText on word + bigram ids (bigrams seen at least twice), Adam
    "model=fasttext",
    "features=sequence",
    "features.ngram_range=[1,2]",
    "features.num_words=null",
    "features.maxlen=800",
    "features.min_ngram_count=2",
    "training.optimizer=adam",
]
BENCHMARKS: dict[str, tuple[list[str], str]] = {
    "majority": (["model=majority"], "majority class (prior)"),
    "mlp": ([], "seed MLP 16-16, multi-hot top-10k words, 4 epochs (the tutorial)"),
    "mlp_tfidf_bigrams": (
        [
            "features=tfidf",
            "features.ngram_range=[1,2]",
            "features.num_words=20000",
            "model.units=[16]",
            "model.dropout=0.5",
            "training.batch_size=32",
            "training.epochs=10",
            "training.early_stopping.patience=2",
        ],
        "MLP 16 + dropout 0.5 on tf-idf uni+bigrams (top 20k), early stopping",
    ),
    "fasttext_bigrams": (
        [
            *FASTTEXT_BIGRAMS,
            "training.batch_size=32",
            "training.epochs=10",
            "training.early_stopping.patience=1",
        ],
        "fastText: averaged embeddings of words + bigrams (seen twice), early stopping",
    ),
    # Profiled (docs/models.md): at batch 32, Adam's dense update of the 330k x 50 embedding is ~3/4 of
    # each step; 8x larger batches make 8x fewer updates (learning rate raised by about sqrt(8)).
    "fasttext_bigrams_b256": (
        [
            *FASTTEXT_BIGRAMS,
            "training.learning_rate=0.003",
            "training.batch_size=256",
            "training.epochs=10",
            "training.early_stopping.patience=1",
        ],
        "fasttext_bigrams at batch 256, learning rate 0.003 (fewer dense Adam updates)",
    ),
    "cnn": (
        [
            "model=cnn",
            "features=sequence",
            "features.maxlen=400",
            "training.optimizer=adam",
            "training.batch_size=64",
            "training.epochs=6",
            "training.early_stopping.patience=1",
        ],
        "Embedding -> Conv1D -> global max pooling, 400 ids, early stopping",
    ),
    "bilstm": (
        [
            "model=bilstm",
            "features=sequence",
            "training.optimizer=adam",
            "training.batch_size=64",
            "training.epochs=4",
            "training.early_stopping.patience=1",
        ],
        "the Douban tutorial BiLSTM on 100 ids, early stopping",
    ),
    "logreg": (
        ["model=logreg", "features=tfidf", "features.ngram_range=[1,2]", "features.num_words=null"],
        "logistic regression on tf-idf uni+bigrams",
    ),
    "nbsvm": (
        ["model=nbsvm", "features=multihot", "features.ngram_range=[1,2]", "features.num_words=null"],
        "NB log-count ratios + logistic regression on binary uni+bigrams",
    ),
}
DEFAULT = ["majority", "mlp", "mlp_tfidf_bigrams", "fasttext_bigrams", "logreg", "nbsvm"]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def run_one(name: str, prepared: Path, conf: Path) -> dict:
    """Featurize, fit and score one benchmark in this process; return its record."""
    import pandas as pd
    import yaml

    from textclf.compose import compose
    from textclf.config import training_config
    from textclf.data.splits import assign_folds, folds_to_fits
    from textclf.evaluate.metrics import classification_metrics
    from textclf.features.fit import featurize_fit, load_fit
    from textclf.io import read_json
    from textclf.train.estimator import fit_and_predict, make_estimator

    overrides, _ = BENCHMARKS[name]
    params = yaml.safe_load(compose(conf, overrides))
    training = training_config(params)
    classes = read_json(prepared / "classes.json")
    train = pd.read_parquet(prepared / "train.parquet")
    test = pd.read_parquet(prepared / "test.parquet")
    (fold,) = folds_to_fits(assign_folds(train["label"].to_numpy(), training))
    with tempfile.TemporaryDirectory(prefix="textclf-bench-") as tmp:
        start = time.perf_counter()
        featurize_fit(fold, train, test, params["features"], Path(tmp) / fold.name)
        featurize_seconds = time.perf_counter() - start
        data = load_fit(Path(tmp) / fold.name)
    estimator = make_estimator(params["model"], training, len(classes))
    history, predictions, train_seconds = fit_and_predict(estimator, data, fold.name)
    scores = {}
    for split in ("val", "test"):
        rows = predictions[predictions["split"] == split]
        proba = rows[[f"p_{k}" for k in range(len(classes))]].to_numpy()
        scores[split] = classification_metrics(rows["y"].to_numpy(), proba)
    return {
        "name": name,
        "model": params["model"]["name"],
        "features": params["features"]["name"],
        "overrides": overrides,
        "n_train": int(len(fold.train)),
        "n_val": int(len(fold.val)),
        "n_test": int(len(test)),
        "n_features": int(data["n_features"]),
        "epochs_run": int(len(history)),
        "val_accuracy": scores["val"]["accuracy"],
        "test_accuracy": scores["test"]["accuracy"],
        "test_f1_macro": scores["test"]["f1_macro"],
        "featurize_seconds": round(featurize_seconds, 1),
        "train_seconds": round(train_seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def table(records: list[dict]) -> str:
    """Markdown table of the records, best test accuracy first."""
    lines = [
        "| benchmark | what | test accuracy | val accuracy | epochs | train s | featurize s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(records, key=lambda r: -r["test_accuracy"]):
        lines.append(
            f"| {r['name']} | {BENCHMARKS[r['name']][1]} | {r['test_accuracy']:.4f} | {r['val_accuracy']:.4f} "
            f"| {r['epochs_run']} | {r['train_seconds']:.1f} | {r['featurize_seconds']:.1f} | {r['peak_rss_mb']} |"
        )
    return "\n".join(lines)


def render(records: list[dict], meta: dict, docs: Path) -> None:
    """Replace the text between the bench markers in ``docs`` with the table."""
    from textclf.io import write_text

    block = (
        f"{BEGIN}\n_Produced by `{meta['command']}` on {meta['date']} ({meta['machine']}); "
        f"overrides per benchmark are in `reports/bench/models.json`._\n\n{table(records)}\n{END}"
    )
    text = docs.read_text(encoding="utf-8") if docs.exists() else f"# Models\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    write_text(head + block + rest.split(END, 1)[1], docs)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+", default=DEFAULT, choices=sorted(BENCHMARKS))
    p.add_argument("--prepared", type=Path, default=Path("data/prepared"))
    p.add_argument("--conf", type=Path, default=Path("conf"))
    p.add_argument("--out", type=Path, default=Path("reports/bench/models.json"))
    p.add_argument(
        "--docs",
        type=Path,
        nargs="+",
        default=[Path("docs/models.md"), Path("README.md")],
        help="files whose bench markers get the table",
    )
    p.add_argument("--render-only", action="store_true", help="rewrite the tables from --out, run nothing")
    p.add_argument("--one", choices=sorted(BENCHMARKS), help=argparse.SUPPRESS)  # child process mode
    p.add_argument("--list", action="store_true", help="print the benchmarks and their overrides")
    args = p.parse_args(argv)
    if args.list:
        for name, (overrides, about) in BENCHMARKS.items():
            print(f"{name:20s} {about}\n{'':20s} {' '.join(overrides) or '(defaults)'}")
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.prepared, args.conf)))
        return
    if args.render_only:
        saved = json.loads(args.out.read_text())
        for docs in args.docs:
            render(saved["records"], saved["meta"], docs)
        return
    if not (args.prepared / "train.parquet").exists():
        sys.exit(f"error: {args.prepared}/train.parquet not found: run `dvc repro prepare` first.")
    from textclf.io import write_json

    records = []
    for name in args.models:
        print(f"== {name}", file=sys.stderr, flush=True)
        cmd = [sys.executable, __file__, "--one", name, "--prepared", str(args.prepared), "--conf", str(args.conf)]
        result = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if result.returncode:
            sys.exit(f"error: benchmark {name} failed (exit {result.returncode}); see the log above.")
        records.append(json.loads(result.stdout.strip().splitlines()[-1]))
        print(json.dumps(records[-1]), file=sys.stderr, flush=True)
    if args.out.exists():  # keep earlier records of benchmarks not rerun now
        kept = {r["name"]: r for r in json.loads(args.out.read_text())["records"]}
        kept.update({r["name"]: r for r in records})
        records = [kept[name] for name in BENCHMARKS if name in kept]
    meta = {  # the command that reproduces every row
        "command": "python scripts/bench_models.py --models " + " ".join(r["name"] for r in records),
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    write_json({"meta": meta, "records": records}, args.out)
    for docs in args.docs:
        render(records, meta, docs)


if __name__ == "__main__":
    main()
