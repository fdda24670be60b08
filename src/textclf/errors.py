"""Exceptions whose message is meant for the user, shown as one line by the CLIs."""


class TextclfError(Exception):
    """A user-facing error: the message names the file/key/value and the fix."""


class ConfigError(TextclfError):
    """Invalid or stale configuration."""


class DataError(TextclfError):
    """Invalid input data."""
