"""DVC stage ``split``: assign each training row to a validation fold, once (``data/split/folds.csv``)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from textclf.config import load_params, training_config
from textclf.data.splits import assign_folds
from textclf.io import write_csv
from textclf.stages._common import parser, run

log = logging.getLogger("textclf.stages.split")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--train", type=Path, default=Path("data/prepared/train.parquet"))
    p.add_argument("--out", type=Path, default=Path("data/split/folds.csv"))
    args = p.parse_args(argv)
    training = training_config(load_params("training", path=args.params))
    y = pd.read_parquet(args.train, columns=["label"])["label"].to_numpy()
    folds = assign_folds(y, training)
    write_csv(pd.DataFrame({f"repeat_{r}": folds[r] for r in range(folds.shape[0])}), args.out)
    log.info("assigned %d rows to folds (%d repeat(s))", folds.shape[1], folds.shape[0])


if __name__ == "__main__":
    run(main)
