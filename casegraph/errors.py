"""The one exception root of casegraph and the domain errors built on it."""

from __future__ import annotations

__all__ = [
    "CasegraphError",
    "UnreadableDocument",
    "UnknownQuery",
    "NodeNotFound",
    "StoreError",
    "BadParameter",
]


class CasegraphError(Exception):
    """Base class of every error casegraph raises on purpose."""


class UnreadableDocument(CasegraphError):
    """A file could not be turned into text; names the file and the reason."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnknownQuery(CasegraphError):
    """A named query that does not exist."""


class NodeNotFound(CasegraphError):
    """A node asked for by name or id is not in the store."""


class StoreError(CasegraphError):
    """The store file is missing, of another version, or inconsistent."""


class BadParameter(CasegraphError):
    """A value a parameter cannot take. ``name`` is the Python parameter's; the CLI
    shows the option it comes from instead (``--min-reviews``)."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name} {reason}")
