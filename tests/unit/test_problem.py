"""Problem types from classes.json and target checks."""

import numpy as np
import pytest

from textclf.errors import DataError
from textclf.models.problem import Problem


@pytest.mark.parametrize(
    ("n", "kind", "head"),
    [
        (2, "binary", (1, "sigmoid", "binary_crossentropy")),
        (5, "multiclass", (5, "softmax", "sparse_categorical_crossentropy")),
        (0, "regression", (1, "linear", "mse")),
    ],
)
def test_head_follows_the_tutorials_table(n, kind, head):
    problem = Problem.from_n_classes(n)
    assert problem.kind == kind and problem.head() == head


def test_one_class_is_a_data_error():
    with pytest.raises(DataError, match="one class"):
        Problem.from_n_classes(1)


def test_targets_checked_against_the_class_count():
    assert Problem.from_n_classes(3).check_targets([0, 2, 1]).dtype == np.int64
    with pytest.raises(DataError, match="class ids 0..1"):
        Problem.from_n_classes(2).check_targets([0, 1, 2])
    with pytest.raises(DataError, match="class ids"):
        Problem.from_n_classes(2).check_targets([0.5, 1.0])
    assert Problem.from_n_classes(0).check_targets([7, 3.5]).dtype == np.float64
    with pytest.raises(DataError, match="NaN"):
        Problem.from_n_classes(0).check_targets([1.0, np.nan])
