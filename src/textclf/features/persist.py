"""A fitted vectoriser as JSON: its config section plus the fitted state (vocabulary, idf).

No pickle: loading rebuilds the vectoriser through :data:`~textclf.features.VECTORIZERS` from the
same config section, then restores the standard fitted attributes (``vocabulary_``, ``idf_``,
``ngram_vocabulary_``, ``nb_weight``'s ``ratio_``), so the transform code is the one featurize ran.
Floats keep their dtype and round-trip exactly (JSON writes the shortest repr that reads back to the same number).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from textclf.errors import DataError
from textclf.features.registry import VECTORIZERS
from textclf.features.sequence import OOV, SequenceVectorizer
from textclf.features.sparse import NBWeighted
from textclf.features.tabular import TabularVectorizer
from textclf.io import read_json, write_json

FORMAT = 1


def _by_id(vocabulary: dict[str, int]) -> list[str]:
    return sorted(vocabulary, key=vocabulary.__getitem__)


def vectorizer_state(vectorizer) -> dict[str, Any]:
    """The fitted state of a registered vectoriser, as JSON-ready lists."""
    if isinstance(vectorizer, SequenceVectorizer):
        return {"vocabulary": _by_id(vectorizer.vocabulary_), "ngram_vocabulary": _by_id(vectorizer.ngram_vocabulary_)}
    if isinstance(vectorizer, HashingVectorizer):
        return {}  # stateless: tokens are hashed
    if isinstance(vectorizer, FeatureUnion):  # words + characters: each part's state, in column order
        return {"parts": [vectorizer_state(part) for _, part in vectorizer.transformer_list]}
    if isinstance(vectorizer, NBWeighted):  # the bag's state and one weight per column
        return {"bag": vectorizer_state(vectorizer.vectorizer), "ratio": vectorizer.ratio_.tolist()}
    if isinstance(vectorizer, TabularVectorizer):
        arrays = {key: getattr(vectorizer, f"{key}_") for key in ("fill", "mean", "scale")}
        return {
            "columns": list(vectorizer.columns_),
            **{key: None if value is None else value.tolist() for key, value in arrays.items()},
        }
    if isinstance(vectorizer, CountVectorizer):  # TfidfVectorizer too
        state: dict[str, Any] = {"vocabulary": vectorizer.get_feature_names_out().tolist()}
        if getattr(vectorizer, "use_idf", False):
            state["idf"] = vectorizer.idf_.tolist()
            state["idf_dtype"] = str(vectorizer.idf_.dtype)
        return state
    raise TypeError(f"no JSON form for vectoriser {type(vectorizer).__name__}: add it to {__name__}")


def restore_state(vectorizer, state: dict[str, Any]):
    """Give an unfitted vectoriser (built from the same section) the fitted ``state``; return it."""
    if isinstance(vectorizer, SequenceVectorizer):
        vectorizer._validate()
        words, grams = state["vocabulary"], state["ngram_vocabulary"]
        vectorizer.vocabulary_ = {w: i for i, w in enumerate(words, start=OOV + 1)}
        vectorizer.ngram_vocabulary_ = {g: i for i, g in enumerate(grams, start=OOV + 1 + len(words))}
        vectorizer.input_dim_ = OOV + 1 + len(words) + len(grams)
    elif isinstance(vectorizer, HashingVectorizer):
        vectorizer.fit(None)
    elif isinstance(vectorizer, FeatureUnion):
        for (_, part), part_state in zip(vectorizer.transformer_list, state["parts"], strict=True):
            restore_state(part, part_state)
    elif isinstance(vectorizer, NBWeighted):
        restore_state(vectorizer.vectorizer, state["bag"])
        vectorizer.ratio_ = np.asarray(state["ratio"], dtype=np.float64)
    elif isinstance(vectorizer, TabularVectorizer):
        vectorizer.columns_ = list(state["columns"])
        for key in ("fill", "mean", "scale"):
            setattr(vectorizer, f"{key}_", None if state[key] is None else np.asarray(state[key], dtype=np.float64))
        vectorizer.input_dim_ = len(vectorizer.columns_)
    elif isinstance(vectorizer, CountVectorizer):
        vectorizer.vocabulary_ = {token: i for i, token in enumerate(state["vocabulary"])}
        if isinstance(vectorizer, TfidfVectorizer):
            if vectorizer.use_idf:
                vectorizer.idf_ = np.asarray(state["idf"], dtype=state["idf_dtype"])  # scikit-learn's idf_ setter
            else:  # nothing learned but the width: fit the inner transformer on an empty row of that width
                vectorizer._tfidf = TfidfTransformer(
                    norm=vectorizer.norm, use_idf=False, sublinear_tf=vectorizer.sublinear_tf
                ).fit(sp.csr_matrix((1, len(state["vocabulary"])), dtype=vectorizer.dtype))
    else:
        raise TypeError(f"no JSON form for vectoriser {type(vectorizer).__name__}: add it to {__name__}")
    return vectorizer


def save_vectorizer(vectorizer, section: dict[str, Any], path: str | Path) -> None:
    """Write ``{format, features: section, state}`` to ``path`` (atomically)."""
    write_json({"format": FORMAT, "features": dict(section), "state": vectorizer_state(vectorizer)}, path)


def load_vectorizer(path: str | Path):
    """Rebuild the fitted vectoriser :func:`save_vectorizer` wrote."""
    try:
        saved = read_json(path)
        section, state = saved["features"], saved["state"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: not a textclf vectoriser file ({exc}). Rerun featurize (dvc repro).") from None
    if saved.get("format") != FORMAT:
        raise DataError(
            f"{path}: vectoriser format {saved.get('format')!r}, this textclf reads {FORMAT}. "
            f"Rerun featurize (dvc repro)."
        )
    return restore_state(VECTORIZERS.build(section), state)
