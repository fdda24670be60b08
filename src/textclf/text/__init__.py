"""Text cleaning and tokenisation; tokenisers are registered by name in :data:`TOKENIZERS`."""

from textclf.text.english import EnglishTokenizer  # noqa: F401  (registers "english")
from textclf.text.jieba import JiebaTokenizer  # noqa: F401  (registers "jieba"; jieba itself loads lazily)
from textclf.text.registry import TOKENIZERS  # noqa: F401
from textclf.text.whitespace import WhitespaceTokenizer  # noqa: F401  (registers "whitespace")
