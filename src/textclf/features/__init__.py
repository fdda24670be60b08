"""Vectorisers fitted on training rows only; registered by name in :data:`VECTORIZERS`."""

from textclf.features import sequence, sparse  # noqa: F401  (registers the vectorisers)
from textclf.features.registry import VECTORIZERS  # noqa: F401
