"""Validation schemes (holdout, K-fold) and the per-fold training loop."""
