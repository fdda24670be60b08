"""scikit-learn baselines on sparse n-gram features: ``logreg`` and ``majority``."""

from __future__ import annotations

from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LogisticRegression

from textclf.errors import ConfigError
from textclf.models.problem import BINARY, PROBLEMS
from textclf.models.registry import sklearn_model


@sklearn_model("logreg", inputs="vectors")
def build_logreg(problem, seed: int, *, C: float = 4.0, max_iter: int = 1000, solver: str | None = None):
    """L2 logistic regression; use with ``features=tfidf features.ngram_range=[1,2] features.num_words=null``.

    Args:
        C: inverse regularisation strength.
        max_iter: solver iterations.
        solver: scikit-learn solver; null = ``liblinear`` (binary) or ``lbfgs`` (multiclass, multinomial).
    """
    if solver is None:
        solver = "liblinear" if problem.kind == BINARY else "lbfgs"
    if solver == "liblinear" and problem.kind != BINARY:
        raise ConfigError(
            f"model.solver=liblinear handles binary problems only; this one is {problem.kind}. "
            "Use model.solver=null (lbfgs) or saga."
        )
    return LogisticRegression(C=C, max_iter=max_iter, solver=solver, random_state=seed)


@sklearn_model("majority", inputs="any", problems=PROBLEMS)
def build_majority(problem, seed: int, *, strategy: str | None = None):
    """Predict the training prior (classification) or mean (regression), ignoring the text.

    Args:
        strategy: scikit-learn Dummy strategy; null = ``prior`` (classes) or ``mean`` (regression).
    """
    if problem.is_classification:
        return DummyClassifier(strategy=strategy or "prior", random_state=seed)
    return DummyRegressor(strategy=strategy or "mean")
