"""Sweeps described with Hydra, executed by DVC: every job is a DVC experiment.

``textclf-run`` (:mod:`textclf.sweep.runner`) composes ``conf/run.yaml`` (``conf/config.yaml``
plus sweep settings); Hydra expands grids or an Optuna search (:mod:`textclf.sweep.search`) and
launches the jobs; each job runs ``dvc exp run --temp -S ...`` (:mod:`textclf.sweep.experiments`).
A multirun ends with a summary built from ``dvc exp show`` (:mod:`textclf.sweep.summary`).
"""
