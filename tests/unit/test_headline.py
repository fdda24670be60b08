"""textclf.evaluate.headline: the few numbers per split that reports/metrics.json (and so DVC) shows."""

from textclf.evaluate.headline import headline, objective, pick, selection_scores, task_of

SPLIT = {
    "n": 10,
    "accuracy": 0.8,
    "f1_macro": 0.75,
    "roc_auc": 0.9,
    "log_loss": 0.4,
    "per_class": {"pos": {"f1": 0.7}},
    "baseline": {"n": 10, "accuracy": 0.5, "f1_macro": 0.33},
}
HOLDOUT = {"val": SPLIT, "test": {**SPLIT, "accuracy": 0.78}}
CV = {
    "accuracy": {"mean": 0.81, "std": 0.02, "min": 0.79, "max": 0.83},
    "f1_macro": {"mean": 0.8, "std": 0.03, "min": 0.77, "max": 0.83},
    "log_loss": {"mean": 0.4, "std": 0.1},
    "folds": {"fold_0": {"accuracy": 0.79}},
}


def test_holdout_headline_is_acc_f1_and_the_baseline_acc_per_split():
    assert headline(HOLDOUT) == {
        "val": {"acc": 0.8, "f1": 0.75, "baseline": {"acc": 0.5}},
        "test": {"acc": 0.78, "f1": 0.75, "baseline": {"acc": 0.5}},
    }
    assert objective(headline(HOLDOUT)) == ("val.acc", True)
    assert selection_scores(headline(HOLDOUT)) == {"acc": 0.8, "f1": 0.75}


def test_kfold_headline_has_cv_mean_and_std_instead_of_pooled_validation():
    metrics = headline({**HOLDOUT, "cv": CV})
    assert metrics == {
        "cv": {"acc": {"mean": 0.81, "std": 0.02}, "f1": {"mean": 0.8, "std": 0.03}},
        "test": {"acc": 0.78, "f1": 0.75, "baseline": {"acc": 0.5}},
    }
    assert objective(metrics) == ("cv.acc.mean", True)
    assert selection_scores(metrics) == {"acc": 0.81, "f1": 0.8}  # the same keys as holdout's


def test_regression_headline_is_mae_and_r2_and_lower_mae_is_better():
    split = {"n": 4, "mae": 0.9, "rmse": 1.1, "r2": 0.3, "baseline": {"n": 4, "mae": 1.5, "rmse": 1.8, "r2": -0.01}}
    assert task_of({"test": split}) == "regression"
    assert headline({"test": split}) == {"test": {"mae": 0.9, "r2": 0.3, "baseline": {"mae": 1.5}}}
    assert objective(headline({"test": split})) == ("test.mae", False)  # no validation rows: test decides


def test_pick_renames_per_fold_scores_and_objective_needs_scores():
    assert pick({"accuracy": 0.7, "f1_macro": 0.6, "brier": 0.2}, "classification") == {"acc": 0.7, "f1": 0.6}
    assert objective({}) is None and selection_scores({}) == {}
