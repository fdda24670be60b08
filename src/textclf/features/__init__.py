"""Vectorisers fitted on training rows only; registered by name in :data:`VECTORIZERS`."""

from textclf.features import sequence, sparse, tabular  # noqa: F401  (registers the vectorisers)
from textclf.features.registry import VECTORIZERS  # noqa: F401
