"""textclf: reproducible text classification with DVC, Hydra, Keras and scikit-learn."""

__version__ = "0.1.0"


def load_bundle(path="bundle"):
    """Load a verified model bundle; ``load_bundle(path).predict(texts)`` labels texts.

    See :func:`textclf.predict.bundle.load_bundle`.
    """
    # Imported by name when called: the pipeline stages import this package but never run this
    # function, so the prediction code is neither loaded by them nor a dvc.yaml dependency of them.
    import importlib

    return importlib.import_module("textclf.predict.bundle").load_bundle(path)
