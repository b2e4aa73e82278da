"""Errors the storage adapter raises on purpose, each with a stable code.

Driver and SQLAlchemy exceptions are translated here, at the boundary, so no
caller ever sees a traceback or a connection string with a password in it.
"""

from __future__ import annotations

from ..core.errors import Problem, TightropeError


class StorageError(TightropeError):
    """The database, the key or a backup could not be used as asked."""


def storage_error(code: str, message: str, *, hint: str = "", path: str = "") -> StorageError:
    return StorageError(code=code, problems=[Problem(code, message, path, None, hint)])
