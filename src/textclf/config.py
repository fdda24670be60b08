"""Typed views of ``params.yaml`` sections, validated with helpful errors.

``params.yaml`` is composed by Hydra from ``conf/`` (see :mod:`textclf.compose`).
Stages read only the sections ``dvc.yaml`` lists for them.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from textclf.errors import ConfigError
from textclf.registry import did_you_mean

PARAMS_FILE = Path("params.yaml")


@dataclass(frozen=True)
class SourceFile:
    """One raw file or folder: tried URL by URL (``https://``, ``http://`` or a path under ``external/``).

    ``sha256: null`` skips verification; the download stage then logs the actual
    digest so it can be pinned.
    """

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
    val_size: float | None = None
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
                raise ConfigError(f"dataset.encoding must be auto or an encoding Python knows (utf-8, gb18030, "
                                  f"gbk, big5, cp1252, latin-1, ...). Received: dataset.encoding={self.encoding!r}"
                                  ) from None
        if len(self.delimiter) != 1:
            raise ConfigError(
                f"dataset.delimiter must be one character (',' or '\\t'). Received: dataset.delimiter={self.delimiter!r}"
            )
        if self.test_size is not None and not 0 <= self.test_size < 1:
            raise ConfigError(f"dataset.test_size must be a fraction in [0, 1) (0 or null: no test split). "
                              f"Received: dataset.test_size={self.test_size}")
        clashes = sorted(set(self.feature_columns or ()) & set(RESERVED_COLUMNS))
        if clashes:
            raise ConfigError(f"dataset.feature_columns may not use the names {', '.join(RESERVED_COLUMNS)} "
                              f"(prepare's own columns). Received: {clashes}")
        groups = sorted(set(self.recommended or ()) - set(RECOMMENDED_GROUPS))
        if groups:
            raise ConfigError(f"dataset.recommended may hold {', '.join(RECOMMENDED_GROUPS)}. Received: {groups}")
        unknown = sorted(set(self.na_values or ()) - set(self.feature_columns or ()))
        if unknown:
            raise ConfigError(f"dataset.na_values names column(s) {', '.join(unknown)} that are not in "
                              f"dataset.feature_columns={self.feature_columns}.")

    @property
    def tabular(self) -> bool:
        """Numeric feature columns instead of text."""
        return bool(self.feature_columns)


@dataclass(frozen=True)
class EarlyStoppingConfig:
    """Keras ``EarlyStopping``; off while ``patience`` is null."""

    patience: int | None = None
    monitor: str = "val_loss"
    min_delta: float = 0.0
    restore_best_weights: bool = True


@dataclass(frozen=True)
class ReduceLRConfig:
    """Keras ``ReduceLROnPlateau``; off while ``patience`` is null."""

    patience: int | None = None
    monitor: str = "val_loss"
    factor: float = 0.5
    min_lr: float = 0.0


@dataclass(frozen=True)
class CheckpointConfig:
    """Keras ``ModelCheckpoint`` (best epoch only), saved as ``models/<fit>/checkpoint.keras``."""

    enabled: bool = False
    monitor: str = "val_loss"


@dataclass(frozen=True)
class TrainingConfig:
    """Validation scheme and fitting settings shared by every model.

    The defaults (no callbacks, no class weights, the problem type's own loss) keep the
    tutorial's seed MLP exactly as published.
    """

    name: str
    seed: int = 42
    val_size: float = 0.2
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


def _check_type(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for option in typing.get_args(hint):
            try:
                return _check_type(value, option, where)
            except ConfigError as exc:
                errors.append(exc)
        raise errors[-1]
    if hint is type(None):
        if value is None:
            return None
        raise ConfigError(f"{where} must be null. Received: {where}={value!r}")
    if dataclasses.is_dataclass(hint):
        return parse(hint, value, where)
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where} must be a list. Received: {where}={value!r}")
        (item,) = typing.get_args(hint)
        return [_check_type(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a mapping. Received: {where}={value!r}")
        return dict(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is Any or (isinstance(hint, type) and isinstance(value, hint) and not (hint is int and isinstance(value, bool))):
        return value
    raise ConfigError(f"{where} must be of type {getattr(hint, '__name__', hint)}. Received: {where}={value!r}")


def parse(schema: type, data: Any, where: str):
    """Build dataclass ``schema`` from ``data``; unknown or missing keys are errors."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must be a mapping. Received: {where}={data!r}")
    hints = typing.get_type_hints(schema)
    fields = {f.name: f for f in dataclasses.fields(schema)}
    for key in data:
        if key not in fields:
            raise ConfigError(
                f"unknown key {where}.{key}.{did_you_mean(key, fields)} Valid keys: {', '.join(fields)}."
            )
    kwargs = {}
    for name, f in fields.items():
        if name in data:
            kwargs[name] = _check_type(data[name], hints[name], f"{where}.{name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConfigError(f"missing key {where}.{name}: add it to conf/ and recompose params.yaml.")
    return schema(**kwargs)


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
    if isinstance(section, dict) and "path" in section and section["path"] is None and any(
            None in (f.get("urls") or [None]) for f in section.get("files") or [] if isinstance(f, dict)):
        raise ConfigError(f"dataset.path is not set: dataset '{section.get('name')}' reads your file. Set it to a "
                          f"file under external/ or an https:// URL, e.g. -S dataset.path=external/mine.csv.")
    return parse(DatasetConfig, section, "dataset")


def training_config(params: dict[str, Any]) -> TrainingConfig:
    return parse(TrainingConfig, params["training"], "training")
