"""scikit-learn linear models on sparse n-gram features: ``logreg``, ``sgd`` (trains from batches) and ``majority``."""

from __future__ import annotations

from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LogisticRegression, SGDClassifier, SGDRegressor

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


@sklearn_model("sgd", inputs="vectors", problems=PROBLEMS, incremental=True)
def build_sgd(
    problem, seed: int, *, loss: str | None = None, alpha: float = 1e-5, penalty: str = "l2", average: bool = True
):
    """A linear model trained by SGD, batch by batch (``partial_fit``, ``training.epochs`` passes of
    ``training.batch_size`` rows): with ``training.stream=true`` it never needs the whole matrix in memory.

    Args:
        loss: scikit-learn SGD loss; null = ``log_loss`` (logistic regression, gives probabilities)
            or ``squared_error`` (regression). ``modified_huber`` also gives probabilities.
        alpha: L2 (or ``penalty``) regularisation strength.
        penalty: ``l2``, ``l1`` or ``elasticnet``.
        average: average the weights over all updates (steadier with few epochs).
    """
    if not problem.is_classification:
        return SGDRegressor(
            loss=loss or "squared_error", alpha=alpha, penalty=penalty, average=average, random_state=seed
        )
    if loss not in (None, "log_loss", "modified_huber"):
        raise ConfigError(
            f"model.loss must give probabilities: log_loss or modified_huber. Received: model.loss={loss!r}"
        )
    return SGDClassifier(loss=loss or "log_loss", alpha=alpha, penalty=penalty, average=average, random_state=seed)


@sklearn_model("majority", inputs="any", problems=PROBLEMS)
def build_majority(problem, seed: int, *, strategy: str | None = None):
    """Predict the training prior (classification) or mean (regression), ignoring the text.

    Args:
        strategy: scikit-learn Dummy strategy; null = ``prior`` (classes) or ``mean`` (regression).
    """
    if problem.is_classification:
        return DummyClassifier(strategy=strategy or "prior", random_state=seed)
    return DummyRegressor(strategy=strategy or "mean")
