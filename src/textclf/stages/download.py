"""DVC stage ``download``: fetch each dataset file (URL or bundled path), verify sha256, extract."""

from __future__ import annotations

import logging
from pathlib import Path

from textclf.config import dataset_config, load_params
from textclf.data.download import extract, fetch
from textclf.io import atomic_path
from textclf.stages._common import parser, run

log = logging.getLogger("textclf.stages.download")


def archive_folder(name: str) -> str:
    """``aclImdb_v1.tar.gz`` -> ``aclImdb_v1``."""
    for suffix in (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--out", type=Path, default=Path("data/raw"))
    p.add_argument("--root", type=Path, default=Path("."), help="base folder of relative source paths")
    args = p.parse_args(argv)
    ds = dataset_config(load_params("dataset", path=args.params))
    with atomic_path(args.out) as tmp:
        tmp.mkdir()
        for source in ds.files:
            path = fetch(source.urls, source.sha256, tmp / source.name, root=args.root)
            if source.extract:
                extract(path, tmp / archive_folder(source.name))
                path.unlink()
    log.info("wrote %s (%d file(s))", args.out, len(ds.files))


if __name__ == "__main__":
    run(main)
