"""Metrics (scikit-learn) and DVC plot data computed from saved predictions; no TensorFlow here."""
