"""DVC stage ``download``: fetch each dataset file (URL or a path under external/), verify sha256, extract."""

from __future__ import annotations

import logging
from pathlib import Path

from textclf.config import dataset_config, load_params
from textclf.data.download import archive_folder, check_sources, extract, fetch
from textclf.io import atomic_path
from textclf.stages._common import parser, run

log = logging.getLogger("textclf.stages.download")


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--out", type=Path, default=Path("data/raw"))
    p.add_argument("--root", type=Path, default=Path("."), help="the repository (base of relative source paths)")
    args = p.parse_args(argv)
    ds = dataset_config(load_params("dataset", path=args.params))
    check_sources(ds, args.root)
    with atomic_path(args.out) as tmp:
        tmp.mkdir()
        for source in ds.files:
            path = fetch(source.urls, source.sha256, tmp / source.name, root=args.root)
            if source.extract:
                extract(path, tmp / archive_folder(source.name), source=" or ".join(source.urls))
                path.unlink()
    log.info("wrote %s (%d file(s))", args.out, len(ds.files))


if __name__ == "__main__":
    run(main)
