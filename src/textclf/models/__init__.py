"""Models registered by name: one module per model plus one ``conf/model/NAME.yaml``.

Importing this package does not import TensorFlow; builders import Keras when called.
"""

from textclf.models import bilstm, cnn, fasttext, linear, mlp, nbsvm  # noqa: F401  (register the models)
from textclf.models.registry import MODELS  # noqa: F401
