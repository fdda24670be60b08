from textclf.registry import Registry

TOKENIZERS = Registry("text")
