"""Write a bundle (layout: :mod:`textclf.predict.bundle`) from one pipeline run's outputs.

The bundle holds the final model as the evaluate stage scored it on the test split: the refit
``full`` when there is one, the single fit of a holdout run, else every fold model, whose outputs
are averaged (an ensemble, as evaluate averages the folds' test probabilities). Files are copied
byte for byte, so a bundle is reproducible and DVC's cache stores each file once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from textclf import __version__
from textclf.data.splits import FULL
from textclf.errors import DataError
from textclf.io import atomic_path, file_digest, read_json, write_json, write_text
from textclf.models.problem import Problem
from textclf.predict.card import intended_use, limits, render_card
from textclf.predict.manifest import MANIFEST, build_manifest

MODEL_FILES = ("model.skops", "model.keras")
LANGUAGES = {"english": "English", "jieba": "Chinese"}


def final_fits(fits: list[str]) -> list[str]:
    """The fits whose test outputs evaluate reports: ``full`` after a refit, else all validation fits."""
    return [FULL] if FULL in fits else list(fits)


def dvc_md5(path: Path) -> str:
    """The hash ``dvc.lock`` records for ``path``: md5 of a file, or of a directory's listing + ``.dir``."""
    if path.is_file():
        return file_digest(path, "md5")
    entries = [
        {"md5": file_digest(file, "md5"), "relpath": file.relative_to(path).as_posix()}
        for file in path.rglob("*")
        if file.is_file()
    ]
    listing = json.dumps(sorted(entries, key=lambda e: e["relpath"]), sort_keys=True).encode("utf-8")
    return hashlib.md5(listing).hexdigest() + ".dir"


def write_bundle(
    out: Path,
    *,
    params: dict[str, Any],
    models: Path,
    features: Path,
    prepared: Path,
    metrics: dict,
    prepare_report: dict,
    environment: dict,
    data_dirs: list[Path],
) -> dict:
    """Write the bundle folder ``out`` atomically; return its card.

    Args:
        params: the composed config (``dataset``, ``text``, ``features``, ``model``, ``training``).
        models, features, prepared: ``models/``, ``data/features/``, ``data/prepared/`` of the run.
        metrics: ``reports/metrics_details.json`` (every score); prepare_report: ``reports/prepare.json``.
        environment: ``reports/environment.json`` (what the model was trained with).
        data_dirs: data the run was made from; their DVC hashes go into the card.
    """
    fits = final_fits(read_json(features / "fits.json"))
    classes = read_json(prepared / "classes.json")
    with atomic_path(out) as tmp:
        shutil.copytree(prepared / "text", tmp / "text")
        framework = None
        for fit in fits:
            (tmp / "fits" / fit).mkdir(parents=True)
            shutil.copyfile(features / fit / "vectorizer.json", tmp / "fits" / fit / "vectorizer.json")
            model_file = next((name for name in MODEL_FILES if (models / fit / name).is_file()), None)
            if model_file is None:
                raise DataError(f"{models / fit} holds neither {' nor '.join(MODEL_FILES)}: rerun train (dvc repro).")
            shutil.copyfile(models / fit / model_file, tmp / "fits" / fit / model_file)
            framework = "keras" if model_file == "model.keras" else "scikit-learn"
        fit_rows = {fit: int(np.load(features / fit / "rows_train.npy").shape[0]) for fit in fits}
        card = build_card(
            params,
            classes,
            fit_rows,
            framework,
            metrics,
            prepare_report,
            environment,
            {d.as_posix(): dvc_md5(d) for d in data_dirs},
        )
        write_json(card, tmp / "card.json")
        write_text(render_card(card), tmp / "README.md")
        write_json(build_manifest(tmp), tmp / MANIFEST)
    return card


def build_card(
    params: dict[str, Any],
    classes: list[str],
    fit_rows: dict[str, int],
    framework: str,
    metrics: dict,
    prepare_report: dict,
    environment: dict,
    data_hashes: dict[str, str],
) -> dict[str, Any]:
    """Everything ``card.json`` says about the model (rendered as README.md, served at /metadata).

    Args:
        fit_rows: training rows of each fit in the bundle, by fit name.
    """
    fits = list(fit_rows)
    dataset, text, training = params["dataset"], params["text"], params["training"]
    splits = prepare_report.get("splits", {})
    card = {
        "name": f"{dataset['name']}-{params['model']['name']}",
        "textclf_version": __version__,
        "task": Problem.from_n_classes(len(classes)).kind,
        "classes": classes,
        "language": LANGUAGES.get(text["name"], text["name"]),
        "model": {
            "name": params["model"]["name"],
            "framework": framework,
            "features": params["features"]["name"],
            "fits": fits,
            "fit_rows": fit_rows,
            "combine": "single model" if len(fits) == 1 else f"mean of the {len(fits)} fold models' outputs",
            "validation": training["name"],
            "batch_size": training["batch_size"],
        },
        "dataset": {
            "name": dataset["name"],
            "text_column": dataset.get("text_column", "text"),
            "sources": [{"name": f["name"], "sha256": f.get("sha256")} for f in dataset.get("files", [])],
            "rows": {split: part.get("rows") for split, part in splits.items()},
            "class_counts": {split: part["class_counts"] for split, part in splits.items() if "class_counts" in part},
        },
        "data_hashes": data_hashes,
        "metrics": metrics,
        "config": params,
        "environment": environment,
    }
    return {**card, "intended_use": intended_use(card), "limits": limits(card)}
