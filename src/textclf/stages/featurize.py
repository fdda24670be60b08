"""DVC stage ``featurize``: per fold, fit the vectoriser on training rows only; save sparse matrices."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from textclf.config import load_params
from textclf.features.fit import featurize_fold
from textclf.io import atomic_path, write_json
from textclf.stages._common import parser, run
from textclf.train.splits import folds_to_fits

log = logging.getLogger("textclf.stages.featurize")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--prepared", type=Path, default=Path("data/prepared"))
    p.add_argument("--folds", type=Path, default=Path("data/split/folds.csv"))
    p.add_argument("--out", type=Path, default=Path("data/features"))
    args = p.parse_args(argv)
    section = load_params("features", path=args.params)["features"]
    train = pd.read_parquet(args.prepared / "train.parquet")
    test = pd.read_parquet(args.prepared / "test.parquet")
    fits = folds_to_fits(pd.read_csv(args.folds).to_numpy().T)
    with atomic_path(args.out) as tmp:
        for fold in fits:
            featurize_fold(fold, train, test, section, tmp / fold.name)
            log.info("%s: fitted on %d rows, %d validation rows", fold.name, len(fold.train), len(fold.val))
        write_json([fold.name for fold in fits], tmp / "fits.json")


if __name__ == "__main__":
    run(main)
