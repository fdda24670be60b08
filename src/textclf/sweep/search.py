"""Optuna search over DVC experiments: the Hydra sweeper behind ``hparams_search=...``.

``conf/hparams_search/*.yaml`` selects it (``override /hydra/sweeper: textclf_optuna``; Hydra
finds it as :mod:`hydra_plugins.textclf_optuna`). Each round asks Optuna (ask/tell API) for
``n_jobs`` trials, launches them through the configured Hydra launcher (so
``hydra/launcher=local_parallel`` runs them side by side; each job is a DVC experiment) and tells
Optuna every trial's objective, or that it failed. A failed trial does not stop the search.

The search space is ``hydra.sweeper.params`` plus sweep overrides on the command line, in
Hydra's override syntax:

- ``choice(a, b, ...)``: categorical; quote lists (``choice("[16,16]", "[32]")``): Optuna
  choices are scalars, and Hydra parses the chosen string back into a list;
- ``range(start, stop[, step])``: the values Hydra's ``range`` gives (``stop`` excluded);
- ``interval(low, high)``: uniform floats (Hydra's ``interval`` is a float interval);
- ``tag(log, interval(low, high))``: log-uniform.

A plain value (``training.epochs=1``) fixes the key, and the command line wins over the space.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from hydra.plugins.sweeper import Sweeper

log = logging.getLogger(__name__)


def distribution(override) -> Any:
    """The Optuna distribution of a sweep override (``choice``, ``range``, ``interval``, ``tag(log, ...)``)."""
    from hydra.core.override_parser.types import Transformer
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    value = override.value()
    if override.is_choice_sweep() or (override.is_range_sweep() and value.shuffle):
        return CategoricalDistribution(list(override.sweep_iterator(transformer=Transformer.encode)))
    if override.is_range_sweep():
        values = list(override.sweep_iterator())
        if all(isinstance(v, int) for v in values) and isinstance(value.step, int):
            return IntDistribution(min(values), max(values), step=abs(value.step))
        return FloatDistribution(min(values), max(values), step=abs(value.step))
    if override.is_interval_sweep():  # Hydra's intervals are floats; integers come from range()
        return FloatDistribution(value.start, value.end, log="log" in value.tags)
    raise ValueError(f"{override.input_line}: not a search space Optuna can sample")


def search_space(overrides: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Split overrides into ``{key: distribution}`` and the fixed overrides (later ones win)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    space: dict[str, Any] = {}
    fixed: dict[str, str] = {}
    for override in OverridesParser.create().parse_overrides(list(overrides)):
        key = override.get_key_element()
        space.pop(key, None)
        fixed.pop(key, None)
        if override.is_sweep_override():
            space[key] = distribution(override)
        else:
            fixed[key] = override.input_line
    return space, list(fixed.values())


def render(value: Any) -> str:
    """A sampled value as Hydra override text (``true``, ``null``, ``0.0031``, ``[16,16]``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    return repr(value) if isinstance(value, float) else str(value)


def trial_overrides(params: dict[str, Any], fixed: list[str]) -> list[str]:
    return [f"{key}={render(value)}" for key, value in params.items()] + list(fixed)


def trial_value(job_return) -> float | None:
    """The job's objective, or None if it failed (an exception, no value, or NaN)."""
    from hydra.core.utils import JobStatus

    if job_return.status != JobStatus.COMPLETED:
        log.warning("trial job failed: %s", job_return._return_value)
        return None
    value = job_return.return_value
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


class OptunaSweeper(Sweeper):
    """Optuna's ask/tell loop over Hydra jobs (configured in conf/hydra/sweeper/textclf_optuna.yaml)."""

    def __init__(
        self,
        sampler: Any,
        direction: str,
        n_trials: int,
        n_jobs: int,
        study_name: str | None = None,
        storage: str | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        self.sampler = sampler
        self.direction = direction
        self.n_trials = n_trials
        self.n_jobs = n_jobs
        self.study_name = study_name
        self.storage = storage
        self.params = dict(params or {})

    def setup(self, *, hydra_context, task_function, config) -> None:
        from hydra.core.plugins import Plugins

        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config
        )

    def sweep(self, arguments: list[str]) -> dict[str, Any]:
        import optuna
        from omegaconf import OmegaConf

        space, fixed = search_space([f"{k}={v}" for k, v in self.params.items()] + list(arguments))
        sweep_dir = Path(self.config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        study = optuna.create_study(
            study_name=self.study_name,
            storage=self.storage,
            sampler=self.sampler,
            direction=self.direction,
            load_if_exists=True,
        )
        log.info(
            "Optuna study %s: %d trials, %d per batch, %s",
            study.study_name,
            self.n_trials,
            self.n_jobs,
            ", ".join(space) or "no search space",
        )
        job = 0
        while job < self.n_trials:
            trials = [study.ask(space) for _ in range(min(self.n_jobs, self.n_trials - job))]
            for number, trial in enumerate(trials, start=job):
                trial.set_user_attr("job", number)  # the job folder (a stored study numbers trials on)
            returns = self.launcher.launch([trial_overrides(t.params, fixed) for t in trials], initial_job_idx=job)
            for trial, job_return in zip(trials, returns, strict=True):
                value = trial_value(job_return)
                if value is None:
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                else:
                    study.tell(trial, value)
            job += len(trials)
        return self._save_results(study, sweep_dir)

    def _save_results(self, study, sweep_dir: Path) -> dict[str, Any]:
        """``optimization_results.yaml``: the best trial (job number, overrides, value) and the failures."""
        from omegaconf import OmegaConf
        from optuna.trial import TrialState

        done = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        failed = study.get_trials(deepcopy=False, states=(TrialState.FAIL,))
        results: dict[str, Any] = {
            "name": "optuna",
            "direction": self.direction,
            "trials": len(study.trials),
            "failed": len(failed),
        }
        if done:
            best = study.best_trial
            results.update(
                best_job=best.user_attrs.get("job"),
                best_params={k: render(v) for k, v in best.params.items()},
                best_value=best.value,
            )
            log.info("best trial %d: %s = %s", best.number, results["best_params"], best.value)
        OmegaConf.save(OmegaConf.create(results), sweep_dir / "optimization_results.yaml")
        return results
