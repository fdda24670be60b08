"""Does the default model underfit small corpora? 5-fold CV of candidate defaults against the linear baseline.

For each bundled Chinese corpus (and a seeded stratified 3,000-row subsample of ChnSentiCorp), every row is
tokenised once (jieba, HIT stop words, as ``text=jieba``), then each candidate runs stratified 5-fold CV
with the pipeline's own functions (folds, featurize on each fold's training rows, fit, predict): the
same code the DVC stages run. Early stopping, when a candidate uses it, watches the fold's validation
rows (as the pipeline does), so its CV score is slightly optimistic; the logistic-regression bar has
no such selection.

Usage (repository root; several minutes on 2 cores, online_shopping dominates)::

    nice python scripts/bench_small_corpora.py                              # every corpus and candidate
    nice python scripts/bench_small_corpora.py --corpora chnsenticorp_3k --candidates logreg mlp_tutorial

Writes ``reports/bench/small_corpora.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

# corpus -> (Hydra dataset option, rows kept: None = all, else a seeded stratified subsample)
CORPORA = {
    "chnsenticorp": ("chnsenticorp", None),
    "chnsenticorp_3k": ("chnsenticorp", 3000),
    "online_shopping": ("online_shopping", None),
}
# candidate -> Hydra overrides of the composition with the corpus (training=kfold, k=5 are added)
TUTORIAL = ["features.ngram_range=[1,1]", "features.num_words=10000", "model.units=[16,16]", "model.dropout=0.0"]
# candidate -> Hydra overrides of the composition with the corpus (training=kfold, k=5 are added)
CANDIDATES = {
    "logreg": ["model=logreg", "features=tfidf", "features.ngram_range=[1,2]", "features.num_words=null"],
    # the IMDB tutorial: multi-hot top 10k words, 16-16, rmsprop, batch 512, 4 epochs, no early stopping
    "mlp_tutorial": [
        *TUTORIAL,
        "training.batch_size=512",
        "training.epochs=4",
        "training.early_stopping.patience=null",
    ],
    # the defaults these corpora now compose to (dataset.recommended): multi-hot uni+bigrams (top 20k),
    # MLP 16 + dropout 0.5, batch 32, up to 20 epochs with early stopping (patience 2)
    "mlp_recommended": [],
    "mlp_recommended_100k": ["features.num_words=100000"],  # a larger vocabulary for a larger corpus
    "mlp_early_stopping": [
        *TUTORIAL,
        "training.batch_size=64",
        "training.epochs=30",
        "training.early_stopping.patience=2",
    ],
    "mlp_tfidf_bigrams": [
        "features=tfidf",
        "features.ngram_range=[1,2]",
        "features.num_words=20000",
        "model.units=[16]",
        "model.dropout=0.5",
        "training.batch_size=32",
        "training.epochs=20",
        "training.early_stopping.patience=2",
    ],
}
TOKENS_CACHE = Path(tempfile.gettempdir()) / "textclf-bench-small"


def tokenised(corpus: str, conf: Path):
    """Every row of ``corpus`` prepared once (jieba, HIT stop words), cached across runs of this script."""
    import pandas as pd
    import yaml

    from textclf.compose import compose
    from textclf.config import dataset_config
    from textclf.data.prepare import prepare_dataset
    from textclf.data.readers import read_split
    from textclf.text import TOKENIZERS

    option, rows = CORPORA[corpus]
    cache = TOKENS_CACHE / f"{corpus}.parquet"
    if cache.exists():
        return pd.read_parquet(cache)
    params = yaml.safe_load(compose(conf, [f"dataset={option}", "text=jieba", "dataset.test_size=0"]))
    ds = dataset_config(params)
    files = {Path(f.urls[0]).name: f.urls[0] for f in ds.files}
    raw = read_split(Path(files[ds.splits["train"]]).parent, ds, "train")
    frames, _ = prepare_dataset({"train": raw}, ds, TOKENIZERS.build(params["text"]), n_jobs=2)
    train = frames["train"]
    if rows is not None:
        from sklearn.model_selection import train_test_split

        keep, _ = train_test_split(range(len(train)), train_size=rows, random_state=0, stratify=train["label"])
        train = train.iloc[sorted(keep)].reset_index(drop=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    train.to_parquet(cache)
    return train


def run(corpus: str, candidate: str, conf: Path) -> dict:
    """5-fold CV of ``candidate`` on ``corpus``: mean/std accuracy and macro F1, epochs, seconds."""
    import numpy as np
    import yaml

    from textclf.compose import compose
    from textclf.config import training_config
    from textclf.data.splits import assign_folds, folds_to_fits
    from textclf.evaluate.metrics import classification_metrics
    from textclf.features.fit import featurize_fit, load_fit
    from textclf.train.estimator import fit_and_predict, make_estimator

    train = tokenised(corpus, conf)
    overrides = [
        f"dataset={CORPORA[corpus][0]}",
        "text=jieba",
        "training=kfold",
        "training.k=5",
        *CANDIDATES[candidate],
    ]
    params = yaml.safe_load(compose(conf, overrides))
    training = training_config(params)
    fits = folds_to_fits(assign_folds(train["label"].to_numpy(), training))
    scores, epochs, start = [], [], time.perf_counter()
    for fold in fits:
        with tempfile.TemporaryDirectory(prefix="textclf-bench-") as tmp:
            featurize_fit(fold, train, train.iloc[:0], params["features"], Path(tmp) / fold.name)
            data = load_fit(Path(tmp) / fold.name)
        estimator = make_estimator(params["model"], training, 2)
        history, predictions, _ = fit_and_predict(estimator, data, fold.name)
        val = predictions[predictions["split"] == "val"]
        scores.append(classification_metrics(val["y"].to_numpy(), val[["p_0", "p_1"]].to_numpy(), details=False))
        epochs.append(len(history))
    stats = {
        m: {
            "mean": round(float(np.mean([s[m] for s in scores])), 4),
            "std": round(float(np.std([s[m] for s in scores])), 4),
        }
        for m in ("accuracy", "f1_macro")
    }
    return {
        "corpus": corpus,
        "candidate": candidate,
        "overrides": overrides,
        "rows": int(len(train)),
        "cv": stats,
        "fold_accuracy": [round(s["accuracy"], 4) for s in scores],
        "epochs_run": epochs,
        "seconds": round(time.perf_counter() - start, 1),
        "load_after": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpora", nargs="+", default=list(CORPORA), choices=list(CORPORA))
    p.add_argument("--candidates", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES))
    p.add_argument("--conf", type=Path, default=Path("conf"))
    p.add_argument("--out", type=Path, default=Path("reports/bench/small_corpora.json"))
    args = p.parse_args(argv)
    from textclf.io import write_json

    saved = json.loads(args.out.read_text()) if args.out.exists() else {"records": []}
    records = {(r["corpus"], r["candidate"]): r for r in saved["records"]}
    for corpus in args.corpora:
        for candidate in args.candidates:
            print(f"== {corpus} / {candidate} (load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
            records[corpus, candidate] = run(corpus, candidate, args.conf)
            print(json.dumps(records[corpus, candidate]), file=sys.stderr, flush=True)
            meta = {
                "command": "python scripts/bench_small_corpora.py",
                "date": time.strftime("%Y-%m-%d"),
                "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            }
            write_json({"meta": meta, "records": list(records.values())}, args.out)


if __name__ == "__main__":
    main()
