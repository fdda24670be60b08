"""Paths from config, resolved against the repository and kept inside it.

Every local file the pipeline reads because a config names it (``dataset.path``, ``dataset.files[].urls``,
``text.user_dict``, ``text.stopwords``) must live under ``external/``: ``dvc.yaml`` lists that folder as a
dependency of ``download`` and ``prepare``, so editing such a file reruns them. A file elsewhere on disk
comes in through DVC (``dvc import-url`` or ``dvc add``), so it is versioned like everything else; it is
never read in place. File names inside ``data/raw`` (``dataset.files[].name``) stay inside that folder.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from textclf.errors import ConfigError

DATA_DIR = "external"  # the one folder of inputs named by config; a dvc.yaml dep of download and prepare


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _bring_in(value: str, absolute: str, key: str) -> str:
    name = Path(absolute).name or "data"
    return (
        f"bring it in through DVC so it is versioned: `dvc import-url {absolute} {DATA_DIR}/{name}` (records "
        f"the source; `dvc update {DATA_DIR}/{name}.dvc` refreshes it) or copy it there and "
        f"`dvc add {DATA_DIR}/{name}`, then set {key}={DATA_DIR}/{name} (docs/data.md, 'A file outside "
        f"the repository')."
    )


def _resolve(value: str, root: str | Path) -> tuple[str, str, bool]:
    """``(absolute path, root, inside)``, resolved lexically: ``..`` and ``~`` count, symbolic links do not.

    A link under ``external/`` is accepted: DVC hashes the content it points to (so edits still rerun
    the pipeline), and DVC itself links tracked files to its cache, which may live outside the repository.
    """
    root_abs = os.path.abspath(root)
    absolute = os.path.normpath(os.path.join(root_abs, os.path.expanduser(str(value))))
    return absolute, root_abs, _inside(absolute, root_abs)


def output_path(value: str, key: str, root: str | Path = ".") -> Path:
    """A folder a config asks textclf to write to (e.g. ``training.tensorboard``): inside the repository.

    Raises:
        ConfigError: naming ``key`` when the path leaves the repository.
    """
    absolute, root_abs, inside = _resolve(value, root)
    if not inside:
        raise ConfigError(
            f"{key}={value} is outside the repository ({root_abs}): textclf writes only inside it. "
            f"Use a folder such as reports/tensorboard."
        )
    return Path(os.path.relpath(absolute, root_abs))


def repo_file(value: str, key: str, root: str | Path = ".") -> Path:
    """Resolve ``value`` (relative to ``root``, the repository) and check it lies under ``root/external``.

    Returns the path relative to ``root``.

    Raises:
        ConfigError: naming ``key`` and how to bring the file in through DVC.
    """
    absolute, root_abs, inside = _resolve(value, root)
    if not inside:
        raise ConfigError(f"{key}={value} is outside the repository ({root_abs}): {_bring_in(value, absolute, key)}")
    relative = os.path.relpath(absolute, root_abs)
    if not _inside(relative, DATA_DIR):
        raise ConfigError(
            f"{key}={value} is not under {DATA_DIR}/, the folder the pipeline depends on (edits elsewhere "
            f"would not rerun it): move it there (`git mv`, or `dvc add {DATA_DIR}/{Path(relative).name}`) "
            f"and set {key}={DATA_DIR}/{Path(relative).name}."
        )
    return Path(relative)


def raw_name(name: str, key: str) -> str:
    """Check a file name inside the download folder: relative, no ``..``, no drive."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if (
        not name
        or PurePosixPath(name).is_absolute()
        or PureWindowsPath(name).drive
        or ".." in parts
        or name.startswith(("/", "\\"))
    ):
        raise ConfigError(
            f"{key} must be a file name inside data/raw (no '..', not absolute). Received: {key}={name!r}"
        )
    return name
