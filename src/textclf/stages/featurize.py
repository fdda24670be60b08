"""DVC stage ``featurize``: per fit, fit the vectoriser on that fit's training rows only; save matrices.

Fits: ``holdout``, or ``fold_0 .. fold_{n-1}`` for K-fold, plus ``full`` (all rows) when
``training.refit`` is true. Each gets ``data/features/<fit>/``; ``fits.json`` lists them in order.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from textclf.config import load_params, training_config
from textclf.data.splits import folds_to_fits
from textclf.features.fit import featurize_fit
from textclf.io import atomic_path, write_json
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
    train = pd.read_parquet(args.prepared / "train.parquet")
    test_file = args.prepared / "test.parquet"  # absent for corpora without a test split (CV only)
    test = pd.read_parquet(test_file) if test_file.exists() else train.iloc[:0]
    fits = folds_to_fits(pd.read_csv(args.folds).to_numpy().T, refit=refit)
    with atomic_path(args.out) as tmp:
        for fold in fits:
            featurize_fit(fold, train, test, section, tmp / fold.name)
            log.info("%s: fitted on %d rows, %d validation rows", fold.name, len(fold.train), len(fold.val))
        write_json([fold.name for fold in fits], tmp / "fits.json")


if __name__ == "__main__":
    run(main)
