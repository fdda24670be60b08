"""Hydra accepts a launcher only from the ``hydra_plugins`` package: this names textclf's.

The implementation is :class:`textclf.sweep.cluster.DaskLauncher`; this module stays cheap to
import (Dask loads only when a sweep launches on it), because Hydra imports every plugin module
whenever it composes a config (``textclf compose``, ``dvc exp run``).
"""

from textclf.sweep.cluster import DaskLauncher as _DaskLauncher


class DaskLauncher(_DaskLauncher):
    """``_target_`` of conf/hydra/launcher/dask.yaml."""
