"""Typed views of ``params.yaml`` sections, validated with helpful errors.

``params.yaml`` is composed by Hydra from ``conf/`` (see :mod:`textclf.compose`).
Stages read only the sections ``dvc.yaml`` lists for them.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import json
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ConfigDict, TypeAdapter, ValidationError

from textclf.errors import ConfigError
from textclf.registry import did_you_mean

PARAMS_FILE = Path("params.yaml")
# Every section schema below: exact types (no '4' for 4), no keys beyond the fields.
STRICT = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True)
class SourceFile:
    """One raw file or folder: tried URL by URL (``https://``, ``http://`` or a path under ``external/``).

    ``sha256: null`` skips verification; the download stage then logs the actual
    digest so it can be pinned.
    """

    __pydantic_config__ = STRICT

    name: str
    sha256: str | None
    urls: list[str]
    extract: bool = False


TASKS = ("classification", "regression")
RESERVED_COLUMNS = ("text", "label", "raw_text")  # prepare's own column names
RECOMMENDED_GROUPS = ("features", "model", "training")


@dataclass(frozen=True)
class DatasetConfig:
    """Where a corpus comes from and how its rows become (text, label) pairs.

    ``format`` names the reader (``csv``, ``jsonl``, ``parquet``, ``label_first``, ``folders``,
    ``aclimdb``; see :mod:`textclf.data.readers`). Label rules (classification): with neither
    ``label_map`` nor ``label_ranges`` the raw value must be a class name; ``label_map`` maps raw
    values to class names; ``label_ranges`` maps each class to an inclusive numeric ``[low, high]``
    range (ratings). Rows matching no rule are dropped and counted.

    Without a ``test`` entry in ``splits``, prepare holds out ``test_size`` of the rows as a
    stratified test split seeded by ``split_seed``; ``test_size`` 0 or null means no test split
    (validation/CV metrics only). ``val_size`` is the corpus' default for ``training.val_size``
    (see conf/training/holdout.yaml). ``dedupe`` keeps one copy of each exact duplicate text
    (:mod:`textclf.data.duplicates`); duplicates are counted in ``reports/prepare.json`` either way.
    ``path``/``sha256`` are the user-facing keys of the "your data" datasets, which interpolate
    them into ``files``.

    Tabular data: ``feature_columns`` lists numeric columns read instead of a text column;
    ``na_values`` maps a column to values that stand for missing (e.g. ``{glucose: [0]}``).

    ``recommended`` holds settings sized for this corpus, ``{features|model|training: {key: value}}``;
    the options that have such a key read it instead of their own default (conf/features/multihot.yaml,
    conf/model/mlp.yaml, conf/training/holdout.yaml), and an explicit ``-S group.key=...`` still wins.
    """

    __pydantic_config__ = STRICT

    name: str
    files: list[SourceFile]
    splits: dict[str, str]
    format: str = "csv"
    task: str = "classification"
    text_column: str = "text"
    label_column: str = "label"
    classes: list[str] = field(default_factory=list)
    label_map: dict[str, str] | None = None
    label_ranges: dict[str, list[float]] | None = None
    delimiter: str = ","
    encoding: str = "utf-8"
    test_size: float | None = None
    split_seed: int = 42
    val_size: int | float | None = None  # rows (int) or a fraction (float)
    dedupe: bool = False
    path: str | None = None
    sha256: str | None = None
    feature_columns: list[str] | None = None
    na_values: dict[str, list[float]] | None = None
    recommended: dict[str, dict] | None = None

    def __post_init__(self):
        if self.task not in TASKS:
            raise ConfigError(f"dataset.task must be one of {', '.join(TASKS)}. Received: dataset.task={self.task!r}")
        if self.encoding != "auto":
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ConfigError(
                    f"dataset.encoding must be auto or an encoding Python knows (utf-8, gb18030, "
                    f"gbk, big5, cp1252, latin-1, ...). Received: dataset.encoding={self.encoding!r}"
                ) from None
        if len(self.delimiter) != 1:
            raise ConfigError(
                f"dataset.delimiter must be one character (',' or '\\t'). Received: dataset.delimiter={self.delimiter!r}"
            )
        if self.test_size is not None and not 0 <= self.test_size < 1:
            raise ConfigError(
                f"dataset.test_size must be a fraction in [0, 1) (0 or null: no test split). "
                f"Received: dataset.test_size={self.test_size}"
            )
        clashes = sorted(set(self.feature_columns or ()) & set(RESERVED_COLUMNS))
        if clashes:
            raise ConfigError(
                f"dataset.feature_columns may not use the names {', '.join(RESERVED_COLUMNS)} "
                f"(prepare's own columns). Received: {clashes}"
            )
        groups = sorted(set(self.recommended or ()) - set(RECOMMENDED_GROUPS))
        if groups:
            raise ConfigError(f"dataset.recommended may hold {', '.join(RECOMMENDED_GROUPS)}. Received: {groups}")
        unknown = sorted(set(self.na_values or ()) - set(self.feature_columns or ()))
        if unknown:
            raise ConfigError(
                f"dataset.na_values names column(s) {', '.join(unknown)} that are not in "
                f"dataset.feature_columns={self.feature_columns}."
            )

    @property
    def tabular(self) -> bool:
        """Numeric feature columns instead of text."""
        return bool(self.feature_columns)


@dataclass(frozen=True)
class EarlyStoppingConfig:
    """Keras ``EarlyStopping``; off while ``patience`` is null."""

    __pydantic_config__ = STRICT

    patience: int | None = None
    monitor: str = "val_loss"
    min_delta: float = 0.0
    restore_best_weights: bool = True


@dataclass(frozen=True)
class ReduceLRConfig:
    """Keras ``ReduceLROnPlateau``; off while ``patience`` is null."""

    __pydantic_config__ = STRICT

    patience: int | None = None
    monitor: str = "val_loss"
    factor: float = 0.5
    min_lr: float = 0.0


@dataclass(frozen=True)
class CheckpointConfig:
    """Keras ``ModelCheckpoint`` (best epoch only), saved as ``models/<fit>/checkpoint.keras``."""

    __pydantic_config__ = STRICT

    enabled: bool = False
    monitor: str = "val_loss"


@dataclass(frozen=True)
class TrainingConfig:
    """Validation scheme and fitting settings shared by every model.

    The defaults (no callbacks, no class weights, the problem type's own loss) keep the
    tutorial's seed MLP exactly as published.
    """

    __pydantic_config__ = STRICT

    name: str
    seed: int = 42
    val_size: int | float = 0.2  # rows (int) or a fraction (float): int first, so 60 stays 60
    stratify: bool = True
    epochs: int = 4
    batch_size: int = 512
    optimizer: str = "rmsprop"
    learning_rate: float | None = None
    # Validation scheme (conf/training/{holdout,kfold,repeated_kfold}.yaml; docs/validation.md).
    k: int = 5  # folds per repeat (kfold, repeated_kfold)
    repeats: int = 1  # repeated_kfold: reshuffled K-fold partitions
    shuffle: bool = True  # shuffle rows before cutting folds (seeded by ``seed``)
    refit: bool = False  # after validation, refit on the whole training set as the fit ``full``
    loss: str | None = None  # e.g. ``mse`` (the tutorial's experiment); null = the problem type's loss
    class_weight: str | None = None  # ``balanced`` or null
    early_stopping: EarlyStoppingConfig = field(default_factory=EarlyStoppingConfig)
    reduce_lr: ReduceLRConfig = field(default_factory=ReduceLRConfig)
    checkpoint: CheckpointConfig = field(default_factory=CheckpointConfig)
    tensorboard: str | None = None  # log folder, e.g. ``reports/tensorboard``; null = off
    # Train from batches read from data/features on disk: memory holds a batch, not the matrices
    # (textclf.models.batches; Keras through tf.data, scikit-learn models with partial_fit).
    stream: bool = False


def parse(schema: type, data: Any, where: str):
    """Build dataclass ``schema`` from ``data`` with pydantic: strict types, unknown or missing keys are
    errors, and the first problem becomes one :class:`ConfigError` naming the key (``where.key``)."""
    try:  # as JSON: strict mode then reads mappings into dataclasses (params.yaml holds JSON types only)
        return _adapter(schema).validate_json(json.dumps(data))
    except (TypeError, ValueError) as exc:
        if not isinstance(exc, ValidationError):
            raise ConfigError(
                f"{where} holds a value that is not plain YAML data ({exc}). Received: {where}={data!r}"
            ) from None
        unknown_first = sorted(
            exc.errors(), key=lambda e: e["type"] not in UNKNOWN_KEY
        )  # a typo explains its "missing" key
        raise ConfigError(_explain(unknown_first[0], schema, data, where)) from None


UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")


@functools.cache
def _adapter(schema: type) -> TypeAdapter:
    return TypeAdapter(schema)


def _explain(error: dict[str, Any], schema: type, data: Any, where: str) -> str:
    """One sentence for a pydantic error: the dotted key, what it must be and what it was."""
    path, parent, hint, value = where, schema, schema, data
    for step in error["loc"]:
        if isinstance(step, int):
            path, value, hint = f"{path}[{step}]", value[step], typing.get_args(hint)[0]
        elif dataclasses.is_dataclass(parent := _dataclass_in(hint)) and step in {
            f.name for f in dataclasses.fields(parent)
        }:
            path, hint = f"{path}.{step}", typing.get_type_hints(parent)[step]
            value = value.get(step) if isinstance(value, dict) else None
        # other steps name the union member pydantic tried (e.g. ``int``): the key stays the same
    kind = error["type"]
    if kind in UNKNOWN_KEY:
        fields = [f.name for f in dataclasses.fields(_dataclass_in(hint))]
        key = error["loc"][-1]
        return f"unknown key {path}.{key}.{did_you_mean(str(key), fields)} Valid keys: {', '.join(fields)}."
    if kind in ("missing", "missing_argument"):
        return f"missing key {path}: add it to conf/ and recompose params.yaml."
    if kind in ("dataclass_type", "dict_type", "model_type"):
        return f"{path} must be a mapping. Received: {path}={value!r}"
    return f"{path} must be of type {_type_name(hint)}. Received: {path}={value!r}"


def _dataclass_in(hint: Any) -> Any:
    """``hint`` itself, or the dataclass inside ``X | None``."""
    return next((arg for arg in typing.get_args(hint) if dataclasses.is_dataclass(arg)), hint)


def _type_name(hint: Any) -> str:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join("null" if arg is type(None) else _type_name(arg) for arg in typing.get_args(hint))
    return getattr(hint, "__name__", str(hint))


REWRITE = "rewrite it with `textclf compose [group=option ...]` (or restore it with `git checkout`)"


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else problem


def read_params_file(path: str | Path = PARAMS_FILE) -> dict[str, Any]:
    """The parsed ``params.yaml``: a mapping of sections (``{}`` for an empty file).

    Raises:
        ConfigError: missing, not UTF-8, not valid YAML, or not a mapping (e.g. a truncated or
            hand-broken file), with the command that rewrites it.
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path} not found: run `textclf compose` to write it from conf/.")
    try:
        params = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start}): {REWRITE}.") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML ({_yaml_problem(exc)}): {REWRITE}.") from None
    if params is not None and not isinstance(params, dict):
        raise ConfigError(
            f"{path} must be a mapping of sections (dataset:, text:, ...). Received a {type(params).__name__}: {REWRITE}."
        )
    return params or {}


def load_params(*sections: str, path: str | Path = PARAMS_FILE, check_fresh: bool = True) -> dict[str, Any]:
    """Read ``sections`` of ``params.yaml``, after checking it is in step with ``conf/``."""
    path = Path(path)
    params = read_params_file(path)
    if check_fresh and not os.environ.get("DVC_EXP_NAME"):
        from textclf.compose import check_in_step

        check_in_step(params, conf_dir=path.parent / "conf", params_file=path)
    missing = [s for s in sections if s not in params]
    if missing:
        raise ConfigError(f"{path} has no section(s) {', '.join(missing)}: run `textclf compose`.")
    return {s: params[s] for s in sections}


def dataset_config(params: dict[str, Any]) -> DatasetConfig:
    section = params["dataset"]
    if (
        isinstance(section, dict)
        and "path" in section
        and section["path"] is None
        and any(None in (f.get("urls") or [None]) for f in section.get("files") or [] if isinstance(f, dict))
    ):
        raise ConfigError(
            f"dataset.path is not set: dataset '{section.get('name')}' reads your file. Set it to a "
            f"file under external/ or an https:// URL, e.g. -S dataset.path=external/mine.csv."
        )
    return parse(DatasetConfig, section, "dataset")


def training_config(params: dict[str, Any]) -> TrainingConfig:
    return parse(TrainingConfig, params["training"], "training")
