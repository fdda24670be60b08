"""textclf's Optuna sweeper, where Hydra looks for plugins (see textclf.sweep.search)."""
