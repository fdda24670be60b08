"""textclf's Dask launcher, where Hydra looks for plugins (see textclf.sweep.cluster)."""
