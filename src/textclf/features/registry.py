from textclf.registry import Registry

VECTORIZERS = Registry("features")
