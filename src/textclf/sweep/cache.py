"""Build-once cache of data-stage outputs, keyed by the parameters (and code) that produced them.

An entry is ``<cache>/<stage>/<key>/`` holding the stage's outputs at their ``dvc.yaml`` paths
(``data/prepared/...``). The key hashes exactly the stage's ``dvc.yaml`` params (``dataset``,
``text``; ``training.seed`` ...), the keys of the upstream entries it reads, and the content of
its code deps, so a sweep over ``model.*`` reuses one featurised dataset while a change of
``features.num_words`` (or of the featurize code) builds a new one.

Parallel jobs are safe: a per-key file lock lets one job build while the others wait, and the
entry appears by an atomic rename of a private build folder, so no job ever reads a half-built
entry (and a job that loses a rename race keeps the winner's entry).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock

log = logging.getLogger(__name__)

KEY_LENGTH = 16


def code_digest(repo: Path, deps: tuple[str, ...]) -> str:
    """sha256 over the files of the ``src/`` deps (paths and bytes), in sorted order."""
    digest = hashlib.sha256()
    for dep in sorted(d for d in deps if d.startswith("src/")):
        root = repo / dep
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root] if root.exists() else []
        for path in files:
            digest.update(str(path.relative_to(repo)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(stage: str, params: dict[str, Any], upstream: list[str], code: str = "") -> str:
    """A short hex key for ``stage`` run with ``params`` on ``upstream`` entries and ``code``."""
    blob = json.dumps({"stage": stage, "params": params, "upstream": upstream, "code": code}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:KEY_LENGTH]


def build_once(entry: Path, build: Callable[[Path], None]) -> bool:
    """Make ``entry`` exist by calling ``build(tmp)`` once across processes; True if built here.

    ``build`` fills a private temporary folder beside ``entry`` which is then renamed onto it.
    """
    if entry.is_dir():
        return False
    entry.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(entry) + ".lock"):
        if entry.is_dir():  # built by another job while this one waited
            return False
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
        try:
            build(tmp)
            try:
                os.rename(tmp, entry)
            except OSError:
                if not entry.is_dir():  # not a lost race (cannot happen under the lock): a real error
                    raise
                log.info("cache entry %s appeared meanwhile; keeping it", entry)
                return False
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    log.info("built cache entry %s", entry)
    return True


def prune_to_outputs(folder: Path, outs: tuple[str, ...], _rel: Path = Path()) -> None:
    """Remove from ``folder`` everything but the paths in ``outs`` (input links, params.yaml ...)."""
    keep = {Path(o) for o in outs}
    keep_parents = {p for o in keep for p in o.parents}
    for child in (folder / _rel).iterdir():
        rel = _rel / child.name
        if rel in keep:
            continue
        if rel in keep_parents and child.is_dir() and not child.is_symlink():
            prune_to_outputs(folder, outs, rel)
        elif child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
