"""Models registered by name: one module per model plus one ``conf/model/NAME.yaml``.

Importing this package does not import TensorFlow; builders import Keras when called.
"""

from textclf.models import mlp  # noqa: F401
from textclf.models.registry import MODELS  # noqa: F401
