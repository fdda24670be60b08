"""Name -> builder registries: an option's file name, its ``name:`` and its key are one string."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from textclf.errors import ConfigError

Spec = TypeVar("Spec")


def did_you_mean(word: str, choices) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest choice, or ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" Did you mean '{close[0]}'?" if close else ""


class Registry(Generic[Spec]):
    """Builders registered by name, each with an optional typed ``spec`` (what it reads, what it makes);
    ``build`` checks config keys against the builder's signature."""

    def __init__(self, kind: str, default_spec: Spec | None = None):
        self.kind = kind
        self._builders: dict[str, Callable[..., Any]] = {}
        self._specs: dict[str, Spec] = {}
        self._default_spec = default_spec

    def register(self, name: str, spec: Spec | None = None) -> Callable[[Callable], Callable]:
        spec = spec if spec is not None else self._default_spec

        def decorator(builder: Callable) -> Callable:
            if name in self._builders:
                raise ValueError(f"{self.kind} '{name}' is registered twice")
            self._builders[name], self._specs[name] = builder, spec
            return builder

        return decorator

    def spec(self, name: str) -> Spec | None:
        """What ``name`` reads and makes (``None`` in a registry without specs); an unknown name raises."""
        self.get(name)
        return self._specs[name]

    def names(self) -> list[str]:
        return sorted(self._builders)

    def get(self, name: str) -> Callable[..., Any]:
        try:
            return self._builders[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind} '{name}'.{did_you_mean(name, self._builders)} "
                f"Choose one of: {', '.join(self.names())}."
            ) from None

    def hyperparameters(self, name: str) -> dict[str, Any]:
        """Keyword arguments a config may set for ``name``, with their defaults."""
        params = inspect.signature(self.get(name)).parameters
        return {key: p.default for key, p in params.items() if p.kind is p.KEYWORD_ONLY}

    def check(self, section: Mapping[str, Any]) -> dict[str, Any]:
        """Validate a config section ``{name: ..., **kwargs}``; return the kwargs."""
        if "name" not in section:
            raise ConfigError(f"{self.kind} config has no 'name' key. Choose one of: {', '.join(self.names())}.")
        name = section["name"]
        allowed = self.hyperparameters(name)
        kwargs = {k: v for k, v in section.items() if k != "name"}
        for key in kwargs:
            if key not in allowed:
                raise ConfigError(
                    f"{self.kind}.{key} is not a setting of {self.kind} '{name}'.{did_you_mean(key, allowed)} "
                    f"Valid keys: {', '.join(sorted(allowed)) or '(none)'}."
                )
        return kwargs

    def build(self, section: Mapping[str, Any], *args: Any, **runtime: Any) -> Any:
        """Build ``section['name']`` with the section's keys as keyword arguments."""
        kwargs = self.check(section)
        return self.get(section["name"])(*args, **runtime, **kwargs)
