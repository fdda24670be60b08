"""textclf: reproducible text classification with DVC, Hydra, Keras and scikit-learn."""

__version__ = "0.1.0"
