"""Headline metrics: the few numbers per split that DVC shows, picked from the full set.

The evaluate stage writes two files:

- ``reports/metrics.json``, declared as DVC metrics: per split the numbers people compare across
  runs, under short keys. Classification: ``acc`` (accuracy) and ``f1`` (macro-averaged F1, so a
  minority class counts as much as the majority); regression: ``mae`` and ``r2``. Holdout has
  ``val.*`` and ``test.*``; K-fold has ``cv.<key>.mean``/``std`` (over the folds) instead of
  ``val.*``. Each split's ``baseline.acc`` (``baseline.mae``) is the dummy model's.
- ``reports/metrics_details.json``, a plain output: every score of
  :mod:`textclf.evaluate.metrics` under its full name, per-class scores, confusion counts, the
  pooled K-fold validation rows and each fold's scores. ``dvc metrics show
  reports/metrics_details.json`` reads it.

The keys are short because ``dvc exp show --only-changed`` of a sweep must fit a 120-column
terminal with every headline column readable (``tests/e2e/test_exp_show.py``).
"""

from __future__ import annotations

from typing import Any

HEADLINE = {  # short key -> name in metrics_details.json
    "classification": {"acc": "accuracy", "f1": "f1_macro"},
    "regression": {"mae": "mae", "r2": "r2"},
}
HIGHER_IS_BETTER = {"acc": True, "f1": True, "mae": False, "r2": True}
CV_STATS = ("mean", "std")
SPLITS = ("cv", "val", "test")  # reading order; cv replaces val under K-fold


def task_of(details: dict[str, Any]) -> str:
    """``classification`` or ``regression``, from the scores a split holds."""
    scores = next((details[s] for s in ("val", "test") if s in details), {})
    return "regression" if "mae" in scores else "classification"


def pick(scores: dict[str, Any], task: str) -> dict[str, Any]:
    """The headline entries of one split's (or one fold's) full ``scores``, under their short keys."""
    return {short: scores[full] for short, full in HEADLINE[task].items() if full in scores}


def headline(details: dict[str, Any]) -> dict[str, Any]:
    """The ``reports/metrics.json`` content for the full metrics ``details`` (see the module docstring)."""
    task = task_of(details)
    names = HEADLINE[task]
    baseline_key = next(iter(names))
    out: dict[str, Any] = {}
    if "cv" in details:
        out["cv"] = {
            short: {stat: details["cv"][full][stat] for stat in CV_STATS}
            for short, full in names.items()
            if full in details["cv"]
        }
    for split in ("val", "test"):
        if split not in details or (split == "val" and "cv" in out):
            continue
        out[split] = pick(details[split], task)
        baseline = details[split].get("baseline", {})
        if names[baseline_key] in baseline:
            out[split]["baseline"] = {baseline_key: baseline[names[baseline_key]]}
    return out


def objective(metrics: dict[str, Any]) -> tuple[str, bool] | None:
    """The key a sweep is ranked by and whether higher is better, or ``None`` without scores.

    The first headline key of the selection split: ``cv.<key>.mean`` under K-fold, else ``val.<key>``
    (``test.<key>`` only when there are no validation rows).
    """
    for split in SPLITS:
        scores = metrics.get(split)
        if not scores:
            continue
        key = next(iter(scores))
        return (f"cv.{key}.mean" if split == "cv" else f"{split}.{key}"), HIGHER_IS_BETTER.get(key, True)
    return None


def selection_scores(metrics: dict[str, Any]) -> dict[str, float]:
    """The scores runs are compared on, by short key: ``val.*``, or ``cv.*.mean`` under K-fold.

    One key for both schemes (``acc``), so a sweep over ``training`` still lines its runs up.
    """
    for split in SPLITS:
        if metrics.get(split):
            return {
                key: (value["mean"] if split == "cv" else value)
                for key, value in metrics[split].items()
                if split == "cv" or not isinstance(value, dict)
            }
    return {}
