"""Hydra accepts a sweeper only from the ``hydra_plugins`` package: this names textclf's.

The implementation is :class:`textclf.sweep.search.OptunaSweeper`; this module stays cheap to
import (Optuna loads only when a search runs), because Hydra imports every plugin module
whenever it composes a config (``textclf compose``, ``dvc exp run``).
"""

from textclf.sweep.search import OptunaSweeper as _OptunaSweeper


class OptunaSweeper(_OptunaSweeper):
    """``_target_`` of conf/hydra/sweeper/textclf_optuna.yaml."""
