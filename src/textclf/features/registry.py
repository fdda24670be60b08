"""The vectoriser registry; each entry says what featurize hands it and what it gives the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textclf.registry import Registry


@dataclass(frozen=True)
class FeatureSpec:
    """``input``: token strings (``text``) or the dataset's numeric columns (``table``);
    ``output``: one vector per document (``vectors``) or integer id sequences (``sequence``),
    which :func:`textclf.models.registry.check_features` compares with a model's inputs."""

    input: Literal["text", "table"] = "text"
    output: Literal["vectors", "sequence"] = "vectors"


VECTORIZERS: Registry[FeatureSpec] = Registry("features", default_spec=FeatureSpec())
