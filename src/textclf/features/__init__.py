"""Vectorisers fitted on training rows only; registered by name in :data:`VECTORIZERS`."""

from textclf.features import sparse  # noqa: F401  (registers the sparse vectorisers)
from textclf.features.registry import VECTORIZERS  # noqa: F401
