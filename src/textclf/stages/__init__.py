"""One module per DVC stage (``python -m textclf.stages.<name>``): thin wiring of library calls."""
