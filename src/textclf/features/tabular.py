"""Numeric columns of a tabular dataset: missing values imputed and columns standardised, fitted on training rows.

The Pima diabetes table's zeros that stand for missing glucose, pressure, triceps, insulin and mass
become missing in prepare (``dataset.na_values``); here they are imputed with a statistic of the
fit's training rows only, so no validation or test row leaks into the features.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from textclf.errors import ConfigError, DataError
from textclf.features.registry import VECTORIZERS, FeatureSpec

IMPUTE = ("median", "mean", "most_frequent")


class TabularVectorizer(TransformerMixin, BaseEstimator):
    """DataFrame of numeric columns -> ``float32`` array: impute missing values, then standardise.

    scikit-learn's ``SimpleImputer`` and ``StandardScaler`` learn the statistics on the training rows;
    only their arrays are kept (``fill_``, ``mean_``, ``scale_``), so the fitted state is plain numbers
    that :mod:`textclf.features.persist` writes as JSON.

    Args:
        impute: ``median``, ``mean`` or ``most_frequent`` of the training rows, or ``None`` (missing
            values are then an error).
        scale: standardise each column to zero mean and unit variance on the training rows.
    """

    def __init__(self, impute: str | None = "median", scale: bool = True):
        self.impute = impute
        self.scale = scale

    def fit(self, X: pd.DataFrame, y=None):
        if self.impute is not None and self.impute not in IMPUTE:
            raise ConfigError(
                f"features.impute must be one of {', '.join(IMPUTE)} or null. Received: features.impute={self.impute!r}"
            )
        X = self._check(X)
        self.columns_ = [str(c) for c in X.columns]
        values = X.to_numpy(dtype=np.float64)
        self.fill_ = None
        if self.impute is not None:
            self.fill_ = SimpleImputer(strategy=self.impute, keep_empty_features=True).fit(values).statistics_
            values = self._fill(values)
        self.mean_ = self.scale_ = None
        if self.scale:
            scaler = StandardScaler().fit(values)
            self.mean_, self.scale_ = scaler.mean_, scaler.scale_
        self.input_dim_ = len(self.columns_)
        return self

    def _check(self, X) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            raise DataError(
                "features=tabular needs the numeric columns of a tabular dataset "
                "(dataset.feature_columns); this dataset has text: choose e.g. features=multihot."
            )
        if self.impute is None and X.isna().any().any():
            counts = {c: int(n) for c, n in X.isna().sum().items() if n}
            raise DataError(
                f"features.impute=null, but the rows have missing values {counts}: set features.impute=median."
            )
        return X

    def _fill(self, values: np.ndarray) -> np.ndarray:
        return np.where(np.isnan(values), self.fill_, values)

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "input_dim_")
        values = self._check(X)[self.columns_].to_numpy(dtype=np.float64)
        if self.fill_ is not None:
            values = self._fill(values)
        if self.mean_ is not None:
            values = (values - self.mean_) / self.scale_
        return values.astype(np.float32).reshape(len(values), self.input_dim_)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "input_dim_")
        return np.array(self.columns_, dtype=object)


@VECTORIZERS.register("tabular", FeatureSpec(input="table"))  # featurize hands it the feature columns
def build_tabular(*, impute: str | None = "median", scale: bool = True) -> TabularVectorizer:
    """Imputed, standardised numeric columns (see :class:`TabularVectorizer`)."""
    return TabularVectorizer(impute=impute, scale=scale)
