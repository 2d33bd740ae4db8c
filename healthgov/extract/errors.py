"""The one error type the loaders raise for a file they cannot turn into a record."""

from __future__ import annotations


class ExtractError(Exception):
    """A file that cannot be read or parsed; ``str(err)`` is the one-line message for users."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __reduce__(self) -> tuple[type[ExtractError], tuple[str, str]]:
        # Errors travel back from extraction worker processes (``extract --jobs``) by pickle.
        return (type(self), (self.path, self.reason))
