"""DVC stage ``prepare``: read raw splits, map labels, hold out a test split if asked, tokenise.

Writes ``data/prepared/{train,test}.parquet``, ``classes.json`` and ``text/`` (the tokeniser's
settings and the stop words / user dictionary it used, which the bundle carries).
"""

from __future__ import annotations

import logging
from pathlib import Path

from textclf.config import dataset_config, load_params
from textclf.data.download import sha256_of
from textclf.data.labels import class_names
from textclf.data.prepare import prepare_splits
from textclf.data.stream import open_split
from textclf.io import atomic_path, write_json
from textclf.runtime import engine, load_runtime
from textclf.stages._common import parser, run
from textclf.text import TOKENIZERS
from textclf.text.saved import save_tokenizer
from textclf.text.stopwords import check_text_paths

log = logging.getLogger("textclf.stages.prepare")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--raw", type=Path, default=Path("data/raw"))
    p.add_argument("--out", type=Path, default=Path("data/prepared"))
    p.add_argument("--report", type=Path, default=Path("reports/prepare.json"))
    args = p.parse_args(argv)
    params = load_params("dataset", "text", path=args.params)
    ds = dataset_config(params)
    check_text_paths(params["text"])  # user word lists under external/, the folder this stage depends on
    tokenizer = TOKENIZERS.build(params["text"])
    runtime = load_runtime(args.params)
    raws = {split: open_split(args.raw, ds, split, runtime.chunk_rows) for split in ds.splits}
    with atomic_path(args.out) as tmp:
        tmp.mkdir()
        with engine(runtime) as executor:  # None: this machine's process pool
            report = prepare_splits(raws, ds, tokenizer, tmp, n_jobs=runtime.n_jobs, executor=executor)
        for split, part in report["splits"].items():
            if split in raws:
                part["sha256"] = sha256_of(raws[split].path)  # of the file or folder as read
            log.info("%s: %d rows kept; dropped %s", split, part["rows"], part.get("dropped", "(held out from train)"))
        if not report["splits"]["test"]["rows"]:
            log.info("no test split (dataset.test_size=%s): metrics will be validation/CV only", ds.test_size)
        report = {"dataset": ds.name, "task": ds.task, "classes": class_names(ds), "text": params["text"], **report}
        write_json(class_names(ds), tmp / "classes.json")
        save_tokenizer(params["text"], tokenizer, tmp / "text")  # the tokeniser as used here, for the bundle
    write_json(report, args.report)


if __name__ == "__main__":
    run(main)
