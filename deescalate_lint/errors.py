"""Errors that name the file and the place, so one bad input never hides the others."""

from __future__ import annotations


class DeescalateError(Exception):
    """Base class for every error this package raises on purpose."""


class InputError(DeescalateError):
    """An input that could not be read: the message names the file and the place."""

    def __init__(self, path: str, message: str, place: str | None = None) -> None:
        self.path = path
        self.place = place
        self.detail = message
        where = f"{path}:{place}" if place else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str | None]]:
        """Pickle with path, message and place: an exception's default pickle keeps only
        its text, and a worker process sends read errors back to the parent."""
        return (InputError, (self.path, self.detail, self.place))


class RulePackError(DeescalateError):
    """A rule pack (shipped or user-supplied) that is malformed."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class ConfigError(DeescalateError):
    """A configuration value that is unknown or out of range."""
