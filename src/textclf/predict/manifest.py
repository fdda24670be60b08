"""The bundle's ``manifest.json``: format, textclf version and the sha256 of every other file.

Loading checks all of it before any file is opened, so a bundle from another textclf version, or
with a file missing, added to the list or altered, is one clear error. The manifest guards against
corruption and accidental edits; it cannot vouch for who made the bundle (anyone can rewrite it):
that is why a bundle holds no pickle (see README, "Trust boundary").
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from textclf import __version__
from textclf.errors import DataError
from textclf.io import file_digest

FORMAT = 1
MANIFEST = "manifest.json"


def build_manifest(folder: Path) -> dict:
    """The manifest of every file under ``folder`` (posix paths, sorted), except itself."""
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return {
        "format": FORMAT,
        "textclf_version": __version__,
        "files": {name: file_digest(folder / name) for name in files if name != MANIFEST},
    }


def verify(folder: str | Path) -> dict:
    """Check ``folder/manifest.json`` against the files and this textclf; return the manifest.

    Raises:
        DataError: no manifest, another format or textclf version, or a listed file that is
            missing or whose sha256 differs.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise DataError(
            f"{folder} is not a bundle folder: run `dvc repro` (the export stage writes bundle/), "
            f"or fetch one with `dvc artifacts get REPO text-classifier`."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = dict(manifest["files"])
    except FileNotFoundError:
        raise DataError(
            f"{folder} has no {MANIFEST}: it is not a textclf bundle (the export stage writes one)."
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path} is unreadable ({exc}): fetch the bundle again.") from None
    version = manifest.get("textclf_version")
    if manifest.get("format") != FORMAT or version != __version__:
        raise DataError(
            f"{folder} was written by textclf {version} (bundle format {manifest.get('format')}); "
            f"this is textclf {__version__} (format {FORMAT}). Re-export it with this version "
            f"(`dvc repro`), or predict with textclf {version}."
        )
    for name, expected in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise DataError(f"{path} lists {name!r}, a path outside the bundle: the bundle is not trustworthy.")
        file = folder / relative
        if not file.is_file():
            raise DataError(f"{file} is missing (listed in {path}): fetch the bundle again.")
        actual = file_digest(file)
        if actual != expected:
            raise DataError(
                f"{file} was altered: sha256 {actual}, {path} says {expected}. "
                f"Fetch the bundle again from a trusted source."
            )
    return manifest
