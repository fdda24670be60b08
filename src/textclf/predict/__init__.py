"""Use a trained model: the bundle (export, verified loading, prediction), the predict CLI and the HTTP server.

Import the parts you need (:mod:`textclf.predict.bundle`, ``.export``, ``.stream``, ``.serve``); this
package imports nothing, so ``textclf --help`` stays instant.
"""
