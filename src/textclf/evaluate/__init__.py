"""Metrics (scikit-learn), DVC plot data, figures and reports computed from saved predictions; no TensorFlow here."""
