"""Compose ``params.yaml`` from ``conf/`` with Hydra, exactly as DVC's Hydra integration does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from textclf.errors import ConfigError

CONFIG_NAME = "config"


def compose(conf_dir: str | Path = "conf", overrides: list[str] | tuple[str, ...] = ()) -> str:
    """Return the YAML text Hydra composes from ``conf_dir`` with ``overrides``.

    Mirrors ``dvc.utils.hydra.compose_and_dump`` so that ``textclf compose`` and
    ``dvc exp run`` write byte-identical ``params.yaml`` files.
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    try:
        with initialize_config_dir(str(Path(conf_dir).resolve()), version_base=None):
            cfg = hydra_compose(config_name=CONFIG_NAME, overrides=list(overrides))
        OmegaConf.resolve(cfg)
    except (HydraException, OmegaConfBaseException) as exc:
        raise ConfigError(_explain(exc, conf_dir)) from None
    return OmegaConf.to_yaml(cfg)


def _explain(exc: Exception, conf_dir: str | Path) -> str:
    """One line for a Hydra error, with valid keys suggested for a misspelt override."""
    from textclf.registry import did_you_mean

    message = str(exc).splitlines()[0]
    missing = re.search(r"Could not find '([\w-]+)/([^']*)'", message)
    if missing:
        group, option = missing.groups()
        options = sorted(p.stem for p in Path(conf_dir, group).glob("*.yaml"))
        return f"unknown option {group}={option}.{did_you_mean(option, options)} Options: {', '.join(options)}."
    if "Could not override" in message and "'" in message:
        dotted = message.split("'")[1]
        group, _, key = dotted.rpartition(".")
        defaults = yaml.safe_load(compose(conf_dir))
        node = defaults
        for part in group.split(".") if group else []:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict) and node:
            return (
                f"unknown key {dotted}.{did_you_mean(key, node)} "
                f"Valid keys of {group or 'the config'}: {', '.join(node)}."
            )
    return message


def group_choices(params: dict[str, Any], conf_dir: Path) -> list[str]:
    """Overrides that select the options ``params`` was composed from, e.g. ``model=mlp``.

    A group section names its option in ``name``; an experiment preset records itself as a
    top-level ``experiment: NAME`` (its file sets that key).
    """
    overrides = []
    for group, section in params.items():
        if not (conf_dir / group).is_dir():
            continue
        if isinstance(section, dict) and "name" in section:
            overrides.append(f"{group}={section['name']}")
        elif isinstance(section, str) and (conf_dir / group / f"{section}.yaml").is_file():
            overrides.append(f"{group}={section}")
    return overrides


def _diff(a: Any, b: Any, prefix: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            where = f"{prefix}.{key}" if prefix else str(key)
            if key not in a:
                out.append(f"{where} (only in conf/)")
            elif key not in b:
                out.append(f"{where} (only in params.yaml)")
            else:
                out.extend(_diff(a[key], b[key], where))
        return out
    return [] if a == b else [f"{prefix} (params.yaml: {a!r}, conf/: {b!r})"]


def check_in_step(params: dict[str, Any], conf_dir: Path, params_file: Path) -> None:
    """Fail if ``params`` is not what ``conf/`` composes to for the same group choices.

    Plain ``dvc repro`` never recomposes ``params.yaml`` (only ``dvc exp run`` does),
    so every stage checks this before it reads its parameters.
    """
    if not conf_dir.is_dir():
        return
    fresh = yaml.safe_load(compose(conf_dir, group_choices(params, conf_dir)))
    drift = _diff(params, fresh)
    if drift:
        shown = "; ".join(drift[:3]) + (f"; and {len(drift) - 3} more" if len(drift) > 3 else "")
        raise ConfigError(
            f"{params_file} is out of step with conf/: {shown}. Edit conf/ and run `textclf compose`, "
            f"or run an experiment with `dvc exp run -S key=value` (which recomposes params.yaml)."
        )
