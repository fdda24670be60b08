"""DVC stage ``featurize``: per fit, fit the vectoriser on that fit's training rows only; save matrices.

Fits: ``holdout``, or ``fold_0 .. fold_{n-1}`` for K-fold, plus ``full`` (all rows) when
``training.refit`` is true. Each gets ``data/features/<fit>/``; ``fits.json`` lists them in order.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

import pandas as pd

from textclf.config import load_params, training_config
from textclf.data.splits import folds_to_fits
from textclf.features.fit import featurize_fit
from textclf.features.registry import VECTORIZERS
from textclf.features.stream import featurize_fit_streaming, streamable
from textclf.io import atomic_path, write_json
from textclf.runtime import Runtime, engine, load_runtime
from textclf.stages._common import parser, run

log = logging.getLogger("textclf.stages.featurize")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--prepared", type=Path, default=Path("data/prepared"))
    p.add_argument("--folds", type=Path, default=Path("data/split/folds.csv"))
    p.add_argument("--out", type=Path, default=Path("data/features"))
    args = p.parse_args(argv)
    params = load_params("features", "training", path=args.params)
    section, refit = params["features"], training_config(params).refit  # dvc.yaml: features, training.refit
    fits = folds_to_fits(pd.read_csv(args.folds).to_numpy().T, refit=refit)
    runtime = load_runtime(args.params)
    chunk_rows = runtime.chunk_rows if streamable(VECTORIZERS.build(section)) else None
    train_file, test_file = args.prepared / "train.parquet", args.prepared / "test.parquet"
    test_file = test_file if test_file.exists() else None  # corpora without a test split (CV only)
    if chunk_rows:  # text read chunk_rows rows at a time, chunks mapped on the runtime's engine
        labels = {"train": pd.read_parquet(train_file, columns=["label"])["label"].to_numpy()}
        labels["test"] = (
            pd.read_parquet(test_file, columns=["label"])["label"].to_numpy() if test_file else labels["train"][:0]
        )
        featurize = partial(
            featurize_fit_streaming,
            train_file=train_file,
            test_file=test_file,
            labels=labels,
            section=section,
            chunk_rows=chunk_rows,
        )
    else:
        train = pd.read_parquet(train_file)
        test = pd.read_parquet(test_file) if test_file else train.iloc[:0]
        featurize = partial(featurize_fit, train=train, test=test, section=section)
    with atomic_path(args.out) as tmp, engine(runtime if chunk_rows else Runtime()) as executor:  # Runtime(): local
        if executor is not None:
            featurize = partial(featurize, executor=executor)
        for fold in fits:
            featurize(fold, out=tmp / fold.name)
            log.info("%s: fitted on %d rows, %d validation rows", fold.name, len(fold.train), len(fold.val))
        write_json([fold.name for fold in fits], tmp / "fits.json")


if __name__ == "__main__":
    run(main)
