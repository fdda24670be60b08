"""Hyperparameter sweeps: run the whole pipeline per Hydra job, sharing data stages across jobs.

``textclf-run`` (:mod:`textclf.sweep.runner`) composes ``conf/run.yaml`` (``conf/config.yaml``
plus sweep settings), writes the job's ``params.yaml`` into the Hydra job folder and runs the
stages listed in ``dvc.yaml`` in process. Data stages (download ... featurize) are built once per
hash of their parameters in a shared cache (:mod:`textclf.sweep.cache`); model stages run per job.
A multirun ends with a summary table and plot (:mod:`textclf.sweep.summary`).
"""
