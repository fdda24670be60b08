"""DVC stage ``prepare``: read raw splits, map labels to classes, clean and tokenise text."""

from __future__ import annotations

import logging
from pathlib import Path

from textclf.config import dataset_config, load_params
from textclf.data.prepare import prepare_split
from textclf.data.readers import read_split
from textclf.io import atomic_path, write_json
from textclf.stages._common import parser, run
from textclf.text import TOKENIZERS

log = logging.getLogger("textclf.stages.prepare")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--raw", type=Path, default=Path("data/raw"))
    p.add_argument("--out", type=Path, default=Path("data/prepared"))
    p.add_argument("--report", type=Path, default=Path("reports/prepare.json"))
    args = p.parse_args(argv)
    params = load_params("dataset", "text", path=args.params)
    ds = dataset_config(params)
    text = dict(params["text"])
    n_jobs = text.pop("n_jobs", 1)
    tokenizer = TOKENIZERS.build(text)
    report = {"dataset": ds.name, "classes": list(ds.classes), "splits": {}}
    with atomic_path(args.out) as tmp:
        tmp.mkdir()
        for split in ds.splits:
            frame, report["splits"][split] = prepare_split(
                read_split(args.raw, ds, split), ds, tokenizer, n_jobs=n_jobs, source=f"{ds.name}/{split}"
            )
            frame.to_parquet(tmp / f"{split}.parquet", index=False)
            log.info("%s: kept %d of %d rows", split, len(frame), report["splits"][split]["rows_read"])
        write_json(ds.classes, tmp / "classes.json")
    write_json(report, args.report)


if __name__ == "__main__":
    run(main)
